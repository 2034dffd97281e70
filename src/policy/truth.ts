/**
 * Three-valued logic for policy evaluation. A statement whose condition depends on a value we do
 * not know neither applies nor fails to apply: it is `'unknown'`, and each caller decides which
 * way is conservative for its question ("could this be allowed?" vs "is this surely denied?").
 */
export type Truth = boolean | 'unknown';

export function truthAnd(values: Iterable<Truth>): Truth {
  let unknown = false;
  for (const value of values) {
    if (value === false) return false;
    if (value === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}

export function truthOr(values: Iterable<Truth>): Truth {
  let unknown = false;
  for (const value of values) {
    if (value === true) return true;
    if (value === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : false;
}

export function truthNot(value: Truth): Truth {
  return value === 'unknown' ? 'unknown' : !value;
}

/**
 * Terraform's built-in functions that can be computed from configuration alone. Each takes
 * evaluated arguments; one that meets an Unknown returns an Unknown, except the structural ones
 * (merge, concat, lookup, ...) that can carry an unknown element through untouched. Functions
 * whose result depends on the moment (timestamp, uuid) are deliberately absent: Unknown.
 */
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  EvaluationError,
  Unknown,
  isObjectValue,
  makeSet,
  toBoolValue,
  toNumberValue,
  toStringValue,
  typeName,
  valuesEqual,
  type Value,
} from './value.js';

export interface FunctionEnvironment {
  /** Relative paths in file() resolve here: Terraform's working directory, the root module. */
  baseDir: string;
  /** The call as written, for an Unknown. */
  text: string;
  /** templatefile(): render a template file's text with only `vars` in scope. */
  renderTemplate?: (template: string, vars: Record<string, Value>, file: string) => Value;
}

interface FunctionDefinition {
  fn: (args: Value[], env: FunctionEnvironment) => Value;
  arity: [min: number, max: number];
  /** Elements may be Unknown (only the arguments themselves must be known). */
  structural?: boolean;
}

const MAX_FILE_BYTES = 4 * 1024 * 1024;

const list = (value: Value, what: string): Value[] => {
  if (Array.isArray(value)) return value;
  throw new EvaluationError(`${what} must be a list, not ${typeName(value)}`);
};
const object = (value: Value, what: string): Record<string, Value> => {
  if (isObjectValue(value)) return value;
  throw new EvaluationError(`${what} must be a map or object, not ${typeName(value)}`);
};
const str = toStringValue;
const num = toNumberValue;
const ANY = Number.POSITIVE_INFINITY;

const FUNCTIONS: Record<string, FunctionDefinition> = {
  merge: {
    arity: [0, ANY],
    structural: true,
    fn: (args) => Object.assign({}, ...args.filter((a) => a !== null).map((a, i) => object(a, `argument ${i + 1} of merge`))),
  },
  concat: { arity: [0, ANY], structural: true, fn: (args) => args.flatMap((a, i) => list(a, `argument ${i + 1} of concat`)) },
  lookup: {
    arity: [2, 3],
    structural: true,
    fn: ([map, key, fallback]) => {
      const m = object(map!, 'the first argument of lookup');
      const k = str(key!, 'the key of lookup');
      if (k in m) return m[k]!;
      if (fallback === undefined) throw new EvaluationError(`lookup: the map has no key "${k}" and no default was given`);
      return fallback;
    },
  },
  length: {
    arity: [1, 1],
    structural: true,
    fn: ([v]) => (typeof v === 'string' ? [...v].length : Array.isArray(v) ? v.length : Object.keys(object(v!, 'the argument of length')).length),
  },
  element: {
    arity: [2, 2],
    structural: true,
    fn: ([l, i]) => {
      const items = list(l!, 'the first argument of element');
      if (items.length === 0) throw new EvaluationError('element() of an empty list');
      const index = num(i!, 'the index of element');
      return items[((Math.floor(index) % items.length) + items.length) % items.length]!;
    },
  },
  keys: { arity: [1, 1], fn: ([m]) => Object.keys(object(m!, 'the argument of keys')).sort() },
  values: { arity: [1, 1], structural: true, fn: ([m]) => { const o = object(m!, 'the argument of values'); return Object.keys(o).sort().map((k) => o[k]!); } },
  tolist: { arity: [1, 1], structural: true, fn: ([v]) => [...list(v!, 'the argument of tolist')] },
  toset: { arity: [1, 1], fn: ([v]) => makeSet(list(v!, 'the argument of toset')) },
  tomap: { arity: [1, 1], structural: true, fn: ([v]) => ({ ...object(v!, 'the argument of tomap') }) },
  tostring: { arity: [1, 1], fn: ([v]) => (v === null ? null : str(v!, 'the argument of tostring')) },
  tonumber: { arity: [1, 1], fn: ([v]) => (v === null ? null : num(v!, 'the argument of tonumber')) },
  tobool: { arity: [1, 1], fn: ([v]) => (v === null ? null : toBoolValue(v!, 'the argument of tobool')) },
  flatten: { arity: [1, 1], structural: true, fn: ([v]) => flatten(list(v!, 'the argument of flatten'), 0) },
  distinct: { arity: [1, 1], fn: ([v]) => list(v!, 'the argument of distinct').filter((item, i, all) => all.findIndex((other) => valuesEqual(other, item)) === i) },
  compact: { arity: [1, 1], fn: ([v]) => list(v!, 'the argument of compact').filter((item) => item !== null && item !== '') },
  contains: { arity: [2, 2], fn: ([l, v]) => list(l!, 'the first argument of contains').some((item) => valuesEqual(item, v!)) },
  index: {
    arity: [2, 2],
    fn: ([l, v]) => {
      const i = list(l!, 'the first argument of index').findIndex((item) => valuesEqual(item, v!));
      if (i === -1) throw new EvaluationError('index(): the value is not in the list');
      return i;
    },
  },
  reverse: { arity: [1, 1], structural: true, fn: ([l]) => [...list(l!, 'the argument of reverse')].reverse() },
  sort: { arity: [1, 1], fn: ([l]) => list(l!, 'the argument of sort').map((item) => str(item, 'an element of sort')).sort() },
  slice: {
    arity: [3, 3],
    structural: true,
    fn: ([l, s, e]) => {
      const items = list(l!, 'the first argument of slice');
      const start = num(s!, 'the start of slice');
      const end = num(e!, 'the end of slice');
      if (start < 0 || end > items.length || start > end) throw new EvaluationError('slice(): indices out of range');
      return items.slice(start, end);
    },
  },
  zipmap: {
    arity: [2, 2],
    structural: true,
    fn: ([k, v]) => {
      const keys = list(k!, 'the keys of zipmap');
      const vals = list(v!, 'the values of zipmap');
      if (keys.length !== vals.length) throw new EvaluationError('zipmap(): the lists differ in length');
      return Object.fromEntries(keys.map((key, i) => [str(key, 'a key of zipmap'), vals[i]!]));
    },
  },
  range: {
    arity: [1, 3],
    fn: (args) => {
      const [a, b, c] = args.map((x) => num(x, 'an argument of range'));
      const [start, limit, step] = args.length === 1 ? [0, a!, 1] : [a!, b!, c ?? (a! <= b! ? 1 : -1)];
      if (step === 0) throw new EvaluationError('range(): step must not be zero');
      const out: number[] = [];
      for (let x = start; step > 0 ? x < limit : x > limit; x += step) {
        if (out.length >= 1024) throw new EvaluationError('range(): more than 1024 elements');
        out.push(x);
      }
      return out;
    },
  },
  one: {
    arity: [1, 1],
    structural: true,
    fn: ([l]) => {
      const items = list(l!, 'the argument of one');
      if (items.length > 1) throw new EvaluationError('one(): the list has more than one element');
      return items[0] ?? null;
    },
  },
  coalesce: {
    arity: [1, ANY],
    fn: (args) => {
      for (const a of args) if (a !== null && a !== '') return a;
      throw new EvaluationError('coalesce(): every argument is null or empty');
    },
  },
  coalescelist: { arity: [1, ANY], structural: true, fn: (args) => args.find((a) => Array.isArray(a) && a.length > 0) ?? [] },
  alltrue: { arity: [1, 1], fn: ([l]) => list(l!, 'the argument of alltrue').every((v) => toBoolValue(v, 'an element of alltrue')) },
  anytrue: { arity: [1, 1], fn: ([l]) => list(l!, 'the argument of anytrue').some((v) => toBoolValue(v, 'an element of anytrue')) },
  sum: { arity: [1, 1], fn: ([l]) => list(l!, 'the argument of sum').reduce<number>((total, v) => total + num(v, 'an element of sum'), 0) },
  min: { arity: [1, ANY], fn: (args) => Math.min(...args.map((a) => num(a, 'an argument of min'))) },
  max: { arity: [1, ANY], fn: (args) => Math.max(...args.map((a) => num(a, 'an argument of max'))) },
  abs: { arity: [1, 1], fn: ([v]) => Math.abs(num(v!, 'the argument of abs')) },
  ceil: { arity: [1, 1], fn: ([v]) => Math.ceil(num(v!, 'the argument of ceil')) },
  floor: { arity: [1, 1], fn: ([v]) => Math.floor(num(v!, 'the argument of floor')) },
  lower: { arity: [1, 1], fn: ([s]) => str(s!, 'the argument of lower').toLowerCase() },
  upper: { arity: [1, 1], fn: ([s]) => str(s!, 'the argument of upper').toUpperCase() },
  title: { arity: [1, 1], fn: ([s]) => str(s!, 'the argument of title').replace(/\b\p{L}/gu, (c) => c.toUpperCase()) },
  trimspace: { arity: [1, 1], fn: ([s]) => str(s!, 'the argument of trimspace').trim() },
  trim: {
    arity: [2, 2],
    fn: ([s, chars]) => {
      const set = new Set(str(chars!, 'the characters of trim'));
      const text = [...str(s!, 'the string of trim')];
      let a = 0;
      let b = text.length;
      while (a < b && set.has(text[a]!)) a++;
      while (b > a && set.has(text[b - 1]!)) b--;
      return text.slice(a, b).join('');
    },
  },
  trimprefix: { arity: [2, 2], fn: ([s, p]) => { const t = str(s!, 'trimprefix'); const x = str(p!, 'trimprefix'); return t.startsWith(x) ? t.slice(x.length) : t; } },
  trimsuffix: { arity: [2, 2], fn: ([s, p]) => { const t = str(s!, 'trimsuffix'); const x = str(p!, 'trimsuffix'); return x && t.endsWith(x) ? t.slice(0, -x.length) : t; } },
  startswith: { arity: [2, 2], fn: ([s, p]) => str(s!, 'startswith').startsWith(str(p!, 'startswith')) },
  endswith: { arity: [2, 2], fn: ([s, p]) => str(s!, 'endswith').endsWith(str(p!, 'endswith')) },
  strrev: { arity: [1, 1], fn: ([s]) => [...str(s!, 'strrev')].reverse().join('') },
  substr: {
    arity: [3, 3],
    fn: ([s, o, l]) => {
      const chars = [...str(s!, 'the string of substr')];
      let offset = num(o!, 'the offset of substr');
      const length = num(l!, 'the length of substr');
      if (offset < 0) offset = Math.max(0, chars.length + offset);
      return chars.slice(offset, length < 0 ? undefined : offset + length).join('');
    },
  },
  replace: {
    arity: [3, 3],
    fn: ([s, find, replacement]) => {
      const text = str(s!, 'the string of replace');
      const pattern = str(find!, 'the search of replace');
      const by = str(replacement!, 'the replacement of replace');
      const regex = /^\/(.*)\/$/s.exec(pattern);
      if (!regex) return text.split(pattern).join(by);
      try {
        return text.replace(new RegExp(regex[1]!, 'g'), by.replace(/\$\{(\w+)\}/g, '$$<$1>'));
      } catch {
        throw new EvaluationError(`replace(): invalid regular expression ${pattern}`);
      }
    },
  },
  join: { arity: [2, 2], fn: ([sep, l]) => list(l!, 'the list of join').map((item) => str(item, 'an element of join')).join(str(sep!, 'the separator of join')) },
  split: { arity: [2, 2], fn: ([sep, s]) => str(s!, 'the string of split').split(str(sep!, 'the separator of split')) },
  format: { arity: [1, ANY], fn: ([f, ...rest]) => format(str(f!, 'the format of format'), rest) },
  jsonencode: { arity: [1, 1], fn: ([v]) => jsonEncode(v!) },
  jsondecode: {
    arity: [1, 1],
    fn: ([s]) => {
      try {
        return JSON.parse(str(s!, 'the argument of jsondecode')) as Value;
      } catch {
        throw new EvaluationError('jsondecode(): the string is not valid JSON');
      }
    },
  },
  base64encode: { arity: [1, 1], fn: ([s]) => Buffer.from(str(s!, 'base64encode'), 'utf8').toString('base64') },
  base64decode: { arity: [1, 1], fn: ([s]) => Buffer.from(str(s!, 'base64decode'), 'base64').toString('utf8') },
  md5: { arity: [1, 1], fn: ([s]) => createHash('md5').update(str(s!, 'md5')).digest('hex') },
  sha1: { arity: [1, 1], fn: ([s]) => createHash('sha1').update(str(s!, 'sha1')).digest('hex') },
  sha256: { arity: [1, 1], fn: ([s]) => createHash('sha256').update(str(s!, 'sha256')).digest('hex') },
  file: { arity: [1, 1], fn: ([p], env) => readModuleFile(str(p!, 'the path of file'), env).text },
  fileexists: { arity: [1, 1], fn: ([p], env) => existsSync(path.resolve(env.baseDir, str(p!, 'the path of fileexists'))) },
  templatefile: {
    arity: [2, 2],
    fn: ([p, vars], env) => {
      const { text, file } = readModuleFile(str(p!, 'the path of templatefile'), env);
      if (!env.renderTemplate) return new Unknown(env.text, 'templatefile() is not available here');
      return env.renderTemplate(text, object(vars!, 'the variables of templatefile'), file);
    },
  },
};

export function hasFunction(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name);
}

export function callFunction(name: string, args: Value[], env: FunctionEnvironment): Value {
  const definition = FUNCTIONS[name];
  if (!definition) return new Unknown(env.text, `function ${name}() is not evaluated statically`);
  const [min, max] = definition.arity;
  if (args.length < min || args.length > max) throw new EvaluationError(`${name}() takes ${min === max ? min : `${min} to ${max === ANY ? 'any number of' : max}`} arguments, not ${args.length}`);
  for (const arg of args) if (arg instanceof Unknown) return new Unknown(env.text, arg.reason);
  if (!definition.structural) {
    const inner = firstUnknown(args, 0);
    if (inner) return new Unknown(env.text, inner.reason);
  }
  return definition.fn(args, env);
}

function firstUnknown(value: Value | Value[], depth: number): Unknown | undefined {
  if (value instanceof Unknown) return value;
  if (value === null || typeof value !== 'object' || depth > 100) return undefined;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const found = firstUnknown(item, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function flatten(items: Value[], depth: number): Value[] {
  if (depth > 100) throw new EvaluationError('flatten(): nested too deeply');
  return items.flatMap((item) => (Array.isArray(item) ? flatten(item, depth + 1) : [item]));
}

function readModuleFile(relative: string, env: FunctionEnvironment): { text: string; file: string } {
  const file = path.resolve(env.baseDir, relative);
  try {
    if (statSync(file).size > MAX_FILE_BYTES) throw new EvaluationError(`${relative} is larger than ${MAX_FILE_BYTES} bytes`);
    return { text: readFileSync(file, 'utf8'), file };
  } catch (err) {
    if (err instanceof EvaluationError) throw err;
    throw new EvaluationError(`no file ${relative} (looked for ${file})`);
  }
}

/**
 * Terraform's jsonencode: object keys sorted (cty objects are ordered by key), and `<`, `>`,
 * `&`, U+2028 and U+2029 escaped as Go's encoder does, so the text matches what Terraform sends.
 */
function jsonEncode(value: Value): string {
  return JSON.stringify(sortKeys(value, 0)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(value: Value, depth: number): Value {
  if (depth > 100) throw new EvaluationError('jsonencode(): nested too deeply');
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, depth + 1));
  if (isObjectValue(value)) return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k]!, depth + 1)]));
  return value;
}

/** Terraform's format(): %s %d %f %v %q %t %% with optional width and precision. */
function format(spec: string, args: Value[]): string {
  let next = 0;
  const formatted = spec.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdfvqtbxXo%])/g, (_m, flags: string, width: string | undefined, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) throw new EvaluationError('format(): not enough arguments for the format');
    const arg = args[next++]!;
    let piece: string;
    switch (verb) {
      case 'd': piece = String(Math.trunc(num(arg, 'a %d argument'))); break;
      case 'f': piece = num(arg, 'a %f argument').toFixed(precision === undefined ? 6 : Number(precision)); break;
      case 't': piece = String(toBoolValue(arg, 'a %t argument')); break;
      case 'q': piece = JSON.stringify(str(arg, 'a %q argument')); break;
      case 'x': piece = Math.trunc(num(arg, 'a %x argument')).toString(16); break;
      case 'X': piece = Math.trunc(num(arg, 'a %X argument')).toString(16).toUpperCase(); break;
      case 'o': piece = Math.trunc(num(arg, 'a %o argument')).toString(8); break;
      case 'b': piece = Math.trunc(num(arg, 'a %b argument')).toString(2); break;
      case 'v': piece = typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'boolean' ? String(arg) : jsonEncode(arg); break;
      case 's': piece = str(arg, 'a %s argument'); if (precision !== undefined) piece = piece.slice(0, Number(precision)); break;
      default:
        throw new EvaluationError(`format(): %${verb} is not supported here`);
    }
    if (width !== undefined && piece.length < Number(width)) {
      const pad = (flags.includes('0') && !flags.includes('-') ? '0' : ' ').repeat(Number(width) - piece.length);
      piece = flags.includes('-') ? piece + pad : pad + piece;
    }
    return piece;
  });
  if (next < args.length) throw new EvaluationError(`format(): too many arguments; the format uses ${next}`);
  return formatted;
}


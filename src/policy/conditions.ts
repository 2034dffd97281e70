/**
 * Condition operators, evaluated as AWS documents them:
 * - all operators of a Condition block, and all keys of an operator, must hold (AND);
 * - several values for one key match if any matches (OR); negated operators hold when none
 *   matches (NOR);
 * - a key absent from the request fails a positive operator and satisfies a negated one; the
 *   `...IfExists` suffix makes an absent key satisfy any operator; `Null` tests presence;
 * - `ForAnyValue:` needs one request value to satisfy the operator (false for an empty or absent
 *   set), `ForAllValues:` needs every one to (true for an empty or absent set).
 * A key whose value is unknown makes its test `'unknown'`.
 */
import { Buffer } from 'node:buffer';
import { lookupConditionKey, type ConditionContext } from './context.js';
import { cidrContains, parseCidr, parseIpAddress } from './ip.js';
import { arnMatches, matchPattern } from './match.js';
import type { PolicyCondition } from './parse.js';
import { truthAnd, truthNot, truthOr, type Truth } from './truth.js';

type ValueTest = (requestValue: string, policyValue: string, context: ConditionContext) => Truth;

interface OperatorFamily {
  test: ValueTest;
  negated: boolean;
}

const stringEquals: ValueTest = (v, p, context) => matchPattern(p, v, { wildcards: false, caseInsensitive: false, context });
const stringEqualsIgnoreCase: ValueTest = (v, p, context) =>
  matchPattern(p, v, { wildcards: false, caseInsensitive: true, context });
const stringLike: ValueTest = (v, p, context) => matchPattern(p, v, { wildcards: true, caseInsensitive: false, context });
const arnLike: ValueTest = (v, p, context) => arnMatches(p, v, context);

function numeric(compare: (a: number, b: number) => boolean): ValueTest {
  return (v, p) => {
    const a = parseNumber(v);
    const b = parseNumber(p);
    return a !== undefined && b !== undefined && compare(a, b);
  };
}

function date(compare: (a: number, b: number) => boolean): ValueTest {
  return (v, p) => {
    const a = parseDate(v);
    const b = parseDate(p);
    return a !== undefined && b !== undefined && compare(a, b);
  };
}

const bool: ValueTest = (v, p) => {
  const a = v.toLowerCase();
  return (a === 'true' || a === 'false') && a === p.toLowerCase();
};

const binaryEquals: ValueTest = (v, p) => {
  const isBase64 = (s: string): boolean => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0;
  return isBase64(v) && isBase64(p) && Buffer.from(v, 'base64').equals(Buffer.from(p, 'base64'));
};

const ipAddress: ValueTest = (v, p) => {
  const address = parseIpAddress(v);
  const block = parseCidr(p);
  return address !== undefined && block !== undefined && cidrContains(block, address);
};

const equal = (a: number, b: number): boolean => a === b;
const less = (a: number, b: number): boolean => a < b;
const lessOrEqual = (a: number, b: number): boolean => a <= b;
const greater = (a: number, b: number): boolean => a > b;
const greaterOrEqual = (a: number, b: number): boolean => a >= b;

const OPERATORS: Record<string, OperatorFamily> = {
  StringEquals: { test: stringEquals, negated: false },
  StringNotEquals: { test: stringEquals, negated: true },
  StringEqualsIgnoreCase: { test: stringEqualsIgnoreCase, negated: false },
  StringNotEqualsIgnoreCase: { test: stringEqualsIgnoreCase, negated: true },
  StringLike: { test: stringLike, negated: false },
  StringNotLike: { test: stringLike, negated: true },
  NumericEquals: { test: numeric(equal), negated: false },
  NumericNotEquals: { test: numeric(equal), negated: true },
  NumericLessThan: { test: numeric(less), negated: false },
  NumericLessThanEquals: { test: numeric(lessOrEqual), negated: false },
  NumericGreaterThan: { test: numeric(greater), negated: false },
  NumericGreaterThanEquals: { test: numeric(greaterOrEqual), negated: false },
  DateEquals: { test: date(equal), negated: false },
  DateNotEquals: { test: date(equal), negated: true },
  DateLessThan: { test: date(less), negated: false },
  DateLessThanEquals: { test: date(lessOrEqual), negated: false },
  DateGreaterThan: { test: date(greater), negated: false },
  DateGreaterThanEquals: { test: date(greaterOrEqual), negated: false },
  Bool: { test: bool, negated: false },
  BinaryEquals: { test: binaryEquals, negated: false },
  IpAddress: { test: ipAddress, negated: false },
  NotIpAddress: { test: ipAddress, negated: true },
  ArnEquals: { test: arnLike, negated: false },
  ArnLike: { test: arnLike, negated: false },
  ArnNotEquals: { test: arnLike, negated: true },
  ArnNotLike: { test: arnLike, negated: true },
};

export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

export interface ParsedOperator {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  name: string;
  /** The base operator, e.g. `StringLike` or `Null`. */
  base: string;
  qualifier: SetQualifier | undefined;
  ifExists: boolean;
  negated: boolean;
}

/** Split an operator name into qualifier, base and `IfExists`; undefined when AWS has no such operator. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let qualifier: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon);
    if (prefix !== 'ForAnyValue' && prefix !== 'ForAllValues') return undefined;
    qualifier = prefix;
    rest = rest.slice(colon + 1);
  }
  if (rest === 'Null') return qualifier ? undefined : { name, base: 'Null', qualifier, ifExists: false, negated: false };
  const ifExists = rest.endsWith('IfExists');
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const family = OPERATORS[base];
  if (!family) return undefined;
  return { name, base, qualifier, ifExists, negated: family.negated };
}

export interface ConditionEvaluation {
  result: Truth;
  /** Keys whose value the context did not know, which made the result unknown. */
  unknownKeys: string[];
  /** Operators this engine does not know; each makes its test unknown. */
  unsupportedOperators: string[];
}

/** Evaluate a statement's whole Condition block against a request context. */
export function evaluateCondition(condition: PolicyCondition, context: ConditionContext): ConditionEvaluation {
  const results: Truth[] = [];
  const unknownKeys = new Set<string>();
  const unsupportedOperators: string[] = [];
  for (const [operatorName, keys] of Object.entries(condition)) {
    const operator = parseOperator(operatorName);
    if (!operator) {
      unsupportedOperators.push(operatorName);
      results.push('unknown');
      continue;
    }
    for (const [key, policyValues] of Object.entries(keys)) {
      const result = evaluateKey(operator, key, policyValues, context);
      if (result === 'unknown') unknownKeys.add(key);
      results.push(result);
    }
  }
  return { result: truthAnd(results), unknownKeys: [...unknownKeys], unsupportedOperators };
}

/** One operator applied to one key: the unit AWS ANDs together. */
export function evaluateKey(operator: ParsedOperator, key: string, policyValues: string[], context: ConditionContext): Truth {
  const lookup = lookupConditionKey(context, key);
  if (lookup.state === 'unknown') return 'unknown';
  const requestValues = lookup.state === 'present' ? lookup.values : undefined;

  if (operator.base === 'Null') {
    // An empty multivalued key carries no value: for Null it counts as absent.
    const isNull = requestValues === undefined || requestValues.length === 0;
    return policyValues.some((value) => value.toLowerCase() === (isNull ? 'true' : 'false'));
  }
  const family = OPERATORS[operator.base];
  if (!family) return 'unknown';

  const valueSatisfies = (requestValue: string): Truth => {
    const anyMatch = truthOr(policyValues.map((policyValue) => family.test(requestValue, policyValue, context)));
    return family.negated ? truthNot(anyMatch) : anyMatch;
  };

  if (operator.qualifier === 'ForAllValues') {
    if (requestValues === undefined || requestValues.length === 0) return true;
    return truthAnd(requestValues.map(valueSatisfies));
  }
  if (operator.qualifier === 'ForAnyValue') {
    if (requestValues === undefined) return operator.ifExists;
    return truthOr(requestValues.map(valueSatisfies));
  }
  if (requestValues === undefined) return operator.ifExists || family.negated;
  if (family.negated) {
    // Without a set qualifier a negated operator holds only if no request value matches.
    const anyMatch = truthOr(requestValues.flatMap((v) => policyValues.map((p) => family.test(v, p, context))));
    return truthNot(anyMatch);
  }
  return truthOr(requestValues.map(valueSatisfies));
}

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** ISO 8601 date/time, or epoch seconds (AWS accepts both in Date conditions). */
function parseDate(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Which conditions pin a statement with `Principal: "*"` to known, non-public requesters.
 *
 * Modelled on S3's "IsPublic" and IAM Access Analyzer: a condition narrows only if it requires a
 * key to take a fixed value that identifies an account, organisation, network or caller. It
 * does not narrow when the operator admits requests that lack the key (`...IfExists`,
 * `ForAllValues:`), when it is negated (it excludes a few values and admits everyone else), or
 * when its values are wildcards that anyone can satisfy.
 */
import { parseOperator } from './conditions.js';
import { isNonPublicCidr, parseCidr } from './ip.js';
import { hasPolicyVariable, hasWildcard, splitArn } from './match.js';
import type { PolicyCondition } from './parse.js';

/** Decides whether one value of a key pins the requester; returns why not, or undefined if it does. */
type ValueRule = (value: string) => string | undefined;

export interface NarrowingKeyRule {
  /** What the key identifies, for evidence ("account", "VPC endpoint", …). */
  describes: string;
  /** Operator families that can pin this key (before qualifiers and `IfExists`). */
  operators: readonly string[];
  rule: ValueRule;
}

export const STRING_OPERATORS = ['StringEquals', 'StringEqualsIgnoreCase', 'StringLike'] as const;
const ARN_OPERATORS = ['ArnEquals', 'ArnLike', ...STRING_OPERATORS] as const;

/** A value with no wildcard and no variable: S3's "fixed value". */
export const fixedValue: ValueRule = (value) => {
  if (value.trim() === '') return 'the value is empty';
  if (hasPolicyVariable(value)) return `"${value}" contains a policy variable, resolved per request`;
  if (/^[*?]+$/.test(value)) return `"${value}" is a wildcard that every request matches`;
  if (hasWildcard(value)) return `"${value}" contains a wildcard, so it is not one fixed value`;
  return undefined;
};

const accountId: ValueRule = (value) => fixedValue(value) ?? (/^\d{12}$/.test(value) ? undefined : `"${value}" is not a 12-digit account id`);

/** A fixed ARN, or one whose account part is fixed (e.g. every role of one account). */
const arnOfKnownAccount: ValueRule = (value) => {
  const notFixed = fixedValue(value);
  if (!notFixed) return undefined;
  const account = splitArn(value)?.[4];
  if (account && /^\d{12}$/.test(account) && !hasPolicyVariable(value)) return undefined;
  return notFixed;
};

/** `o-abc/r-xyz/ou-123/*` pins an organisation; `o-*` does not. */
const organizationPath: ValueRule = (value) => {
  const organization = value.split('/')[0] ?? '';
  const notFixed = fixedValue(organization);
  return notFixed ? `the organisation in "${value}" is not fixed` : undefined;
};

/** S3 accepts `AROLEID:*` (every session of one role) as well as a fixed user id. */
const userId: ValueRule = (value) => {
  const match = /^([^:*?]+):\*$/.exec(value);
  if (match && !hasPolicyVariable(value)) return undefined;
  return fixedValue(value);
};

const privateSourceIp: ValueRule = (value) => {
  const block = parseCidr(value);
  if (!block) return `"${value}" is not an IP address or CIDR block`;
  return isNonPublicCidr(block) ? undefined : `${value} includes public internet addresses`;
};

/** Keys (lower-case) that identify who calls or from where, as S3 and Access Analyzer use them. */
export const PUBLIC_NARROWING_KEYS: Readonly<Record<string, NarrowingKeyRule>> = {
  'aws:sourceaccount': { describes: 'source account', operators: STRING_OPERATORS, rule: accountId },
  'aws:sourceowner': { describes: 'source owner account', operators: STRING_OPERATORS, rule: accountId },
  'aws:principalaccount': { describes: 'caller account', operators: STRING_OPERATORS, rule: accountId },
  'aws:principalorgid': { describes: 'caller organisation', operators: STRING_OPERATORS, rule: fixedValue },
  'aws:sourceorgid': { describes: 'source organisation', operators: STRING_OPERATORS, rule: fixedValue },
  'aws:principalorgpaths': { describes: 'caller organisation path', operators: STRING_OPERATORS, rule: organizationPath },
  'aws:sourceorgpaths': { describes: 'source organisation path', operators: STRING_OPERATORS, rule: organizationPath },
  'aws:sourcevpc': { describes: 'source VPC', operators: STRING_OPERATORS, rule: fixedValue },
  'aws:sourcevpce': { describes: 'VPC endpoint', operators: STRING_OPERATORS, rule: fixedValue },
  'aws:sourcearn': { describes: 'source ARN', operators: ARN_OPERATORS, rule: arnOfKnownAccount },
  'aws:principalarn': { describes: 'caller ARN', operators: ARN_OPERATORS, rule: arnOfKnownAccount },
  'aws:userid': { describes: 'caller user id', operators: STRING_OPERATORS, rule: userId },
  'aws:sourceip': { describes: 'source IP range', operators: ['IpAddress'], rule: privateSourceIp },
};

export interface ConditionAssessment {
  operator: string;
  key: string;
  values: string[];
  /** True when this condition alone keeps the statement from being public. */
  narrows: boolean;
  /** Why it narrows, or why it does not. */
  reason: string;
}

/**
 * Assess each operator/key of a Condition block. Conditions are AND'ed, so one narrowing
 * condition is enough to keep the statement from granting public access.
 */
export function assessNarrowing(
  condition: PolicyCondition,
  keys: Readonly<Record<string, NarrowingKeyRule>> = PUBLIC_NARROWING_KEYS,
): ConditionAssessment[] {
  const assessments: ConditionAssessment[] = [];
  for (const [operatorName, byKey] of Object.entries(condition)) {
    for (const [key, values] of Object.entries(byKey)) {
      const verdict = assessOne(operatorName, key, values, keys);
      assessments.push({ operator: operatorName, key, values, ...verdict });
    }
  }
  return assessments;
}

function assessOne(
  operatorName: string,
  key: string,
  values: string[],
  keys: Readonly<Record<string, NarrowingKeyRule>>,
): { narrows: boolean; reason: string } {
  const keyRule = keys[key.toLowerCase()];
  if (!keyRule) return { narrows: false, reason: `${key} does not restrict who can make the request` };
  const operator = parseOperator(operatorName);
  if (!operator) return { narrows: false, reason: `${operatorName} is not a condition operator this engine knows` };
  if (operator.negated) {
    return { narrows: false, reason: `${operatorName} is negated: it excludes the listed values and admits every other ${keyRule.describes}` };
  }
  if (operator.ifExists) {
    return { narrows: false, reason: `${operatorName} also holds when ${key} is absent from the request, as it is for anonymous or internet callers` };
  }
  if (operator.qualifier === 'ForAllValues') {
    return { narrows: false, reason: `${operatorName} also holds when ${key} is absent or empty` };
  }
  if (!keyRule.operators.includes(operator.base)) {
    return { narrows: false, reason: `${operator.base} is not an operator that pins ${key}` };
  }
  const failures = values.map(keyRule.rule).filter((reason): reason is string => reason !== undefined);
  if (values.length === 0) return { narrows: false, reason: `${key} has no values` };
  // Values are OR'ed: a single broad value opens the statement to the public again.
  if (failures.length > 0) return { narrows: false, reason: failures.join('; ') };
  return { narrows: true, reason: `${key} pins the ${keyRule.describes} to ${values.join(', ')}` };
}

/**
 * Whether a Deny's conditions hold for every public request, so the Deny removes public access:
 * no condition at all, or only negated conditions that pin a key (e.g. Deny unless
 * aws:SourceVpce is vpce-1a2b3c4d). Conditions such as aws:SecureTransport leave public callers
 * that satisfy them, so a Deny that carries one does not remove public access.
 */
export function denyCoversPublicRequests(condition: PolicyCondition): { covers: boolean; reason: string } {
  const reasons: string[] = [];
  for (const [operatorName, byKey] of Object.entries(condition)) {
    const operator = parseOperator(operatorName);
    for (const [key, values] of Object.entries(byKey)) {
      const keyRule = PUBLIC_NARROWING_KEYS[key.toLowerCase()];
      if (!operator || !operator.negated || operator.qualifier || !keyRule || !keyRule.operators.some((o) => isNegationOf(operator.base, o))) {
        return { covers: false, reason: `the Deny applies only when ${operatorName} ${key} holds, which public callers can avoid` };
      }
      const failures = values.map(keyRule.rule).filter((reason): reason is string => reason !== undefined);
      if (failures.length > 0 || values.length === 0) {
        return { covers: false, reason: `the Deny's ${operatorName} ${key} exempts callers matching ${values.join(', ')}, which is not a fixed value` };
      }
      reasons.push(`${key} must be ${values.join(', ')}`);
    }
  }
  return { covers: true, reason: reasons.length ? `denies every request unless ${reasons.join(' and ')}` : 'denies without condition' };
}

function isNegationOf(negatedBase: string, positiveBase: string): boolean {
  const pairs: Record<string, string> = {
    StringNotEquals: 'StringEquals',
    StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
    StringNotLike: 'StringLike',
    ArnNotEquals: 'ArnEquals',
    ArnNotLike: 'ArnLike',
    NotIpAddress: 'IpAddress',
  };
  return pairs[negatedBase] === positiveBase;
}

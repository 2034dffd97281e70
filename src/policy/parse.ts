/**
 * Normalising IAM policy documents into one typed shape.
 *
 * AWS accepts many spellings of the same policy (a single string or a one-element list, a
 * statement object or a list of them, `true` or `"true"` as a condition value) and IAM returns
 * documents URL-encoded. Everything downstream works on `PolicyDocument`, so those spellings
 * are irrelevant after this module. Malformed input is a `PolicyParseFailure` value, never a throw.
 */

export type PolicyEffect = 'Allow' | 'Deny';

export const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** A `Principal`/`NotPrincipal` element: the bare `"*"`, or each principal type with its values. */
export type PolicyPrincipal = '*' | Record<PrincipalType, string[]>;

/** Condition element: operator (e.g. `StringEqualsIfExists`) → condition key → values (OR'ed). */
export type PolicyCondition = Record<string, Record<string, string[]>>;

export interface PolicyStatement {
  /** Position in the document's statement list, for evidence when there is no Sid. */
  index: number;
  sid: string | undefined;
  effect: PolicyEffect;
  principal: PolicyPrincipal | undefined;
  notPrincipal: PolicyPrincipal | undefined;
  action: string[] | undefined;
  notAction: string[] | undefined;
  resource: string[] | undefined;
  notResource: string[] | undefined;
  condition: PolicyCondition;
}

export interface PolicyDocument {
  version: string | undefined;
  id: string | undefined;
  statements: PolicyStatement[];
}

export type PolicyParseErrorCode = 'INVALID_JSON' | 'INVALID_POLICY';

export interface PolicyParseFailure {
  ok: false;
  code: PolicyParseErrorCode;
  message: string;
  /** Where in the document the problem is, e.g. `Statement[1].Effect`. */
  path: string;
}

export type PolicyParseResult = { ok: true; document: PolicyDocument } | PolicyParseFailure;

const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);

/** Thrown only inside this module and turned into a `PolicyParseFailure` at its boundary. */
class PolicyShapeError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parse a policy given as a JSON object, a JSON string, or a URL-encoded JSON string
 * (as IAM's GetPolicyVersion, GetRolePolicy and the role's AssumeRolePolicyDocument return it).
 */
export function parsePolicy(input: unknown): PolicyParseResult {
  let raw: unknown = input;
  if (typeof input === 'string') {
    const decoded = decodePolicyText(input);
    if (!decoded.ok) return decoded;
    raw = decoded.value;
  }
  try {
    return { ok: true, document: normaliseDocument(raw) };
  } catch (error) {
    if (error instanceof PolicyShapeError) {
      return { ok: false, code: 'INVALID_POLICY', message: error.message, path: error.path };
    }
    return { ok: false, code: 'INVALID_POLICY', message: 'The policy document could not be read.', path: '' };
  }
}

function decodePolicyText(text: string): { ok: true; value: unknown } | PolicyParseFailure {
  const trimmed = text.trim();
  const candidates = [trimmed];
  // IAM returns documents percent-encoded; a plain JSON document always starts with `{`.
  if (!trimmed.startsWith('{') && trimmed.includes('%')) {
    try {
      const decoded = decodeURIComponent(trimmed);
      candidates.unshift(decoded.trim());
      // Form-style encoders write spaces as `+`; a literal `+` would have been `%2B`.
      candidates.push(decodeURIComponent(trimmed.replace(/\+/g, '%20')).trim());
    } catch {
      // Not valid percent-encoding: fall through and report the JSON error of the raw text.
    }
  }
  let firstError = '';
  for (const candidate of candidates) {
    try {
      return { ok: true, value: JSON.parse(candidate) as unknown };
    } catch (error) {
      if (!firstError) firstError = error instanceof Error ? error.message : String(error);
    }
  }
  return { ok: false, code: 'INVALID_JSON', message: `The policy is not valid JSON: ${firstError}`, path: '' };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normaliseDocument(raw: unknown): PolicyDocument {
  if (!isPlainObject(raw)) throw new PolicyShapeError('', 'A policy document must be a JSON object.');
  const version = optionalString(raw, 'Version', '');
  const id = optionalString(raw, 'Id', '');
  const statementValue = raw['Statement'];
  if (statementValue === undefined) throw new PolicyShapeError('Statement', 'The policy has no Statement element.');
  const rawStatements = Array.isArray(statementValue) ? statementValue : [statementValue];
  const statements = rawStatements.map((statement, index) => normaliseStatement(statement, index));
  return { version, id, statements };
}

function optionalString(object: Record<string, unknown>, key: string, path: string): string | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new PolicyShapeError(joinPath(path, key), `${key} must be a string.`);
  return value;
}

function joinPath(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

function normaliseStatement(raw: unknown, index: number): PolicyStatement {
  const path = `Statement[${index}]`;
  if (!isPlainObject(raw)) throw new PolicyShapeError(path, 'A statement must be a JSON object.');
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_ELEMENTS.has(key)) throw new PolicyShapeError(joinPath(path, key), `Unknown statement element ${key}.`);
  }
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new PolicyShapeError(joinPath(path, 'Effect'), 'Effect must be "Allow" or "Deny".');
  }
  const statement: PolicyStatement = {
    index,
    sid: optionalString(raw, 'Sid', path),
    effect,
    principal: optionalPrincipal(raw, 'Principal', path),
    notPrincipal: optionalPrincipal(raw, 'NotPrincipal', path),
    action: optionalStringList(raw, 'Action', path),
    notAction: optionalStringList(raw, 'NotAction', path),
    resource: optionalStringList(raw, 'Resource', path),
    notResource: optionalStringList(raw, 'NotResource', path),
    condition: normaliseCondition(raw['Condition'], joinPath(path, 'Condition')),
  };
  exclusive(statement.principal, statement.notPrincipal, 'Principal', 'NotPrincipal', path);
  exclusive(statement.action, statement.notAction, 'Action', 'NotAction', path);
  exclusive(statement.resource, statement.notResource, 'Resource', 'NotResource', path);
  if (!statement.action && !statement.notAction) {
    throw new PolicyShapeError(path, 'A statement needs an Action or a NotAction element.');
  }
  return statement;
}

function exclusive(a: unknown, b: unknown, nameA: string, nameB: string, path: string): void {
  if (a !== undefined && b !== undefined) {
    throw new PolicyShapeError(path, `A statement cannot have both ${nameA} and ${nameB}.`);
  }
}

function optionalStringList(object: Record<string, unknown>, key: string, path: string): string[] | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  return stringList(value, joinPath(path, key));
}

function stringList(value: unknown, path: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw new PolicyShapeError(path, 'The list is empty.');
  return items.map((item, i) => {
    if (typeof item !== 'string') {
      throw new PolicyShapeError(Array.isArray(value) ? `${path}[${i}]` : path, 'Expected a string.');
    }
    return item.trim();
  });
}

function optionalPrincipal(object: Record<string, unknown>, key: string, path: string): PolicyPrincipal | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  const principalPath = joinPath(path, key);
  if (value === '*') return '*';
  if (!isPlainObject(value)) {
    throw new PolicyShapeError(principalPath, `${key} must be "*" or an object such as {"AWS": [...]}.`);
  }
  const principal: Record<PrincipalType, string[]> = { AWS: [], Service: [], Federated: [], CanonicalUser: [] };
  for (const [type, entries] of Object.entries(value)) {
    if (!(PRINCIPAL_TYPES as readonly string[]).includes(type)) {
      throw new PolicyShapeError(joinPath(principalPath, type), `Unknown principal type ${type}.`);
    }
    principal[type as PrincipalType] = stringList(entries, joinPath(principalPath, type));
  }
  return principal;
}

function normaliseCondition(raw: unknown, path: string): PolicyCondition {
  if (raw === undefined) return {};
  if (!isPlainObject(raw)) throw new PolicyShapeError(path, 'Condition must be an object of operators.');
  const condition: PolicyCondition = {};
  for (const [operator, keys] of Object.entries(raw)) {
    const operatorPath = joinPath(path, operator);
    if (!isPlainObject(keys)) throw new PolicyShapeError(operatorPath, 'A condition operator must map keys to values.');
    const byKey: Record<string, string[]> = condition[operator] ?? {};
    for (const [key, values] of Object.entries(keys)) {
      // Condition keys are case-insensitive in AWS; merging the spellings keeps one entry per key.
      const existing = Object.keys(byKey).find((k) => k.toLowerCase() === key.toLowerCase());
      const normalised = conditionValues(values, joinPath(operatorPath, key));
      if (existing) byKey[existing] = [...(byKey[existing] ?? []), ...normalised];
      else byKey[key] = normalised;
    }
    condition[operator] = byKey;
  }
  return condition;
}

function conditionValues(value: unknown, path: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw new PolicyShapeError(Array.isArray(value) ? `${path}[${i}]` : path, 'A condition value must be a string, number or boolean.');
  });
}

/** How findings point at a statement: its position, and its Sid when it has one. */
export function statementRef(statement: PolicyStatement): { statementIndex: number; sid: string | undefined } {
  return { statementIndex: statement.index, sid: statement.sid };
}

/** The document, or the reason it is unusable, for callers that accept either form. */
export function toPolicyDocument(input: unknown): PolicyParseResult {
  if (isPolicyDocument(input)) return { ok: true, document: input };
  return parsePolicy(input);
}

function isPolicyDocument(value: unknown): value is PolicyDocument {
  return isPlainObject(value) && Array.isArray(value['statements']);
}

/**
 * Public and cross-account access granted by a resource policy (bucket policy, queue policy…),
 * decided as S3's "IsPublic" and IAM Access Analyzer do:
 * - an Allow statement is public when its principal is everyone (`"*"`, `{"AWS": "*"}`, or any
 *   `NotPrincipal`) and no condition pins it to a known account, organisation, network or caller;
 * - a Deny for everyone that covers the action and resource, and holds for every public request,
 *   removes that part of the grant; a conditional Deny such as "deny unless TLS" does not.
 */
import { actionMatches, accountOfPrincipal, hasWildcard, patternCovers, splitArn } from './match.js';
import { assessNarrowing, denyCoversPublicRequests, type ConditionAssessment } from './narrowing.js';
import { statementRef, toPolicyDocument, type PolicyParseFailure, type PolicyPrincipal, type PolicyStatement } from './parse.js';

export type S3AccessLevel = 'read' | 'write' | 'list' | 'readAcl' | 'writeAcl';

/** Concrete S3 actions that make up each access level; wildcards in a policy are matched against them. */
export const S3_ACCESS_LEVEL_ACTIONS: Readonly<Record<S3AccessLevel, readonly string[]>> = {
  read: ['s3:GetObject', 's3:GetObjectVersion'],
  list: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
  write: [
    's3:PutObject',
    's3:DeleteObject',
    's3:DeleteObjectVersion',
    's3:PutObjectAcl',
    's3:PutObjectVersionAcl',
    's3:RestoreObject',
    's3:AbortMultipartUpload',
    's3:PutBucketPolicy',
    's3:DeleteBucketPolicy',
    's3:PutBucketAcl',
    's3:DeleteBucket',
    's3:PutLifecycleConfiguration',
    's3:PutBucketVersioning',
    's3:PutEncryptionConfiguration',
  ],
  readAcl: ['s3:GetBucketAcl', 's3:GetObjectAcl', 's3:GetObjectVersionAcl'],
  writeAcl: ['s3:PutBucketAcl', 's3:PutObjectAcl', 's3:PutObjectVersionAcl'],
};

const LEVELS = Object.keys(S3_ACCESS_LEVEL_ACTIONS) as S3AccessLevel[];
const LEVEL_ACTIONS = new Set(Object.values(S3_ACCESS_LEVEL_ACTIONS).flat().map((action) => action.toLowerCase()));

export interface StatementRef {
  statementIndex: number;
  sid: string | undefined;
}

export interface DenyRemoval extends StatementRef {
  /** Concrete actions of the grant this Deny removes. */
  actions: string[];
  reason: string;
}

export interface PublicGrant extends StatementRef {
  /** How the statement names everyone: `*`, `AWS:*` or `NotPrincipal`. */
  principal: string;
  /** The Action/NotAction patterns as written. */
  actionPatterns: string[];
  notAction: boolean;
  /** Per access level, the concrete actions this statement makes public (after Denies). */
  publicActions: Record<S3AccessLevel, string[]>;
  /** Whether the statement still grants something public beyond the levels (e.g. s3:GetBucketTagging). */
  grantsOtherActions: boolean;
  /** Each condition of the statement and why it did not narrow the grant. */
  conditions: ConditionAssessment[];
  removedBy: DenyRemoval[];
}

export interface NarrowedStatement extends StatementRef {
  /** The conditions that keep this statement from being public. */
  narrowedBy: ConditionAssessment[];
}

export interface PublicAccessAnalysis {
  ok: true;
  isPublic: boolean;
  read: boolean;
  write: boolean;
  list: boolean;
  readAcl: boolean;
  writeAcl: boolean;
  /** Statements that grant public access (a grant fully removed by a Deny is listed with empty actions). */
  grants: PublicGrant[];
  /** Statements with an everyone principal that a condition pins to non-public callers. */
  narrowed: NarrowedStatement[];
}

/** How a statement names everyone (`*`, `AWS:*`, any `NotPrincipal`), or undefined. */
export function everyonePrincipal(statement: PolicyStatement): string | undefined {
  if (statement.notPrincipal) return 'NotPrincipal';
  if (statement.principal === '*') return '*';
  if (statement.principal?.AWS.includes('*')) return 'AWS:*';
  return undefined;
}

function grantsAction(statement: PolicyStatement, action: string): boolean {
  if (statement.action) return statement.action.some((pattern) => actionMatches(pattern, action));
  return !(statement.notAction ?? []).some((pattern) => actionMatches(pattern, action));
}

const S3_OBJECT_ACTION = /^s3:(.*Object.*|AbortMultipartUpload)$/i;

/**
 * The Allow's resource patterns an action can be used on: object actions only on object ARNs
 * (`bucket/key`), bucket actions only on the bucket ARN. So a Deny of s3:GetObject on `bucket/*`
 * removes the read that an Allow on `[bucket, bucket/*]` granted. If no pattern fits, all count.
 */
function resourcesFor(allow: PolicyStatement, action: string): string[] {
  // An Allow with NotResource reaches nearly everything, so only a Deny on `*` covers it.
  const patterns = allow.resource ?? ['*'];
  if (!action.toLowerCase().startsWith('s3:')) return patterns;
  const objectLevel = S3_OBJECT_ACTION.test(action);
  const relevant = patterns.filter((p) => (objectLevel ? /[/*?]/.test(p) : !p.includes('/')));
  return relevant.length > 0 ? relevant : patterns;
}

/** Every one of the resource patterns is also named by the Deny (a NotResource Deny: assume not). */
export function denyCoversResources(deny: PolicyStatement, allowPatterns: string[]): boolean {
  if (deny.notResource) return false;
  const denyPatterns = deny.resource ?? ['*'];
  return allowPatterns.every((inner) => denyPatterns.some((outer) => patternCovers(outer, inner, false)));
}

/** A Deny that reaches every public caller: for everyone, and unconditional for public requests. */
export function publicDenies(statements: PolicyStatement[]): { statement: PolicyStatement; reason: string }[] {
  const denies: { statement: PolicyStatement; reason: string }[] = [];
  for (const statement of statements) {
    if (statement.effect !== 'Deny' || !everyonePrincipal(statement)) continue;
    const coverage = denyCoversPublicRequests(statement.condition);
    if (coverage.covers) denies.push({ statement, reason: coverage.reason });
  }
  return denies;
}

function otherActionsSurvive(allow: PolicyStatement, denies: PolicyStatement[]): boolean {
  if (allow.notAction) {
    // A NotAction grant spans whole services; only a Deny of all of S3 (or everything) removes it.
    return !denies.some((deny) => deny.action?.some((p) => patternCovers(p, '*', true) || patternCovers(p, 's3:*', true)));
  }
  // A concrete catalogue action is already judged per access level, with its own resource type.
  return (allow.action ?? []).filter((pattern) => hasWildcard(pattern) || !LEVEL_ACTIONS.has(pattern.toLowerCase())).some(
    (pattern) => !denies.some((deny) => deny.action?.some((denyPattern) => patternCovers(denyPattern, pattern, true))),
  );
}

/** Analyse a resource policy for public access; malformed input is returned as a parse failure. */
export function analyzePublicAccess(policy: unknown): PublicAccessAnalysis | PolicyParseFailure {
  const parsed = toPolicyDocument(policy);
  if (!parsed.ok) return parsed;
  const statements = parsed.document.statements;
  const denies = publicDenies(statements);
  const grants: PublicGrant[] = [];
  const narrowed: NarrowedStatement[] = [];

  for (const statement of statements) {
    const principal = everyonePrincipal(statement);
    if (statement.effect !== 'Allow' || !principal) continue;
    const conditions = assessNarrowing(statement.condition);
    const narrowing = conditions.filter((c) => c.narrows);
    if (narrowing.length > 0) {
      narrowed.push({ ...statementRef(statement), narrowedBy: narrowing });
      continue;
    }
    const removals = new Map<PolicyStatement, DenyRemoval>();
    const publicActions = {} as Record<S3AccessLevel, string[]>;
    for (const level of LEVELS) {
      publicActions[level] = S3_ACCESS_LEVEL_ACTIONS[level].filter((action) => {
        if (!grantsAction(statement, action)) return false;
        const resources = resourcesFor(statement, action);
        const remover = denies.find((deny) => grantsAction(deny.statement, action) && denyCoversResources(deny.statement, resources));
        if (!remover) return true;
        const removal = removals.get(remover.statement) ?? { ...statementRef(remover.statement), actions: [], reason: remover.reason };
        if (!removal.actions.includes(action)) removal.actions.push(action);
        removals.set(remover.statement, removal);
        return false;
      });
    }
    grants.push({
      ...statementRef(statement),
      principal,
      actionPatterns: statement.action ?? statement.notAction ?? [],
      notAction: statement.notAction !== undefined,
      publicActions,
      grantsOtherActions: otherActionsSurvive(
        statement,
        denies.filter((deny) => denyCoversResources(deny.statement, statement.resource ?? ['*'])).map((deny) => deny.statement),
      ),
      conditions,
      removedBy: [...removals.values()],
    });
  }

  const level = (name: S3AccessLevel): boolean => grants.some((grant) => grant.publicActions[name].length > 0);
  const read = level('read');
  const write = level('write');
  const list = level('list');
  const readAcl = level('readAcl');
  const writeAcl = level('writeAcl');
  const isPublic = read || write || list || readAcl || writeAcl || grants.some((grant) => grant.grantsOtherActions);
  return { ok: true, isPublic, read, write, list, readAcl, writeAcl, grants, narrowed };
}

/**
 * S3 GetBucketPolicyStatus's `IsPublic`. An unreadable policy is reported as not public here
 * because S3 refuses to store one; callers that must tell "unreadable" apart use `analyzePublicAccess`.
 * `accountId` is the bucket owner. It does not change the answer: a named principal of this or
 * any other account is never public (see `findCrossAccountGrants` for the other accounts).
 */
export function bucketPolicyIsPublic(policy: unknown, accountId: string): boolean {
  const analysis = analyzePublicAccess(policy);
  return analysis.ok && analysis.isPublic;
}

export interface CrossAccountGrant extends StatementRef {
  accountId: string;
  /** The principal entry or condition value that names the other account. */
  principal: string;
  via: 'principal' | 'condition';
}

const ACCOUNT_CONDITION_KEYS = new Set(['aws:principalaccount', 'aws:sourceaccount', 'aws:sourceowner', 'aws:principalarn', 'aws:sourcearn']);

function awsPrincipals(principal: PolicyPrincipal | undefined): string[] {
  return principal && principal !== '*' ? principal.AWS : [];
}

/**
 * Allow statements that grant to principals of an account other than `ownerAccountId`: an
 * account id, its root, or a user/role ARN in it; and everyone-principals that a condition pins
 * to another account. Everyone-principals without such a condition are public, not cross-account.
 */
export function findCrossAccountGrants(policy: unknown, ownerAccountId: string): CrossAccountGrant[] | PolicyParseFailure {
  const parsed = toPolicyDocument(policy);
  if (!parsed.ok) return parsed;
  const grants: CrossAccountGrant[] = [];
  for (const statement of parsed.document.statements) {
    if (statement.effect !== 'Allow') continue;
    for (const entry of awsPrincipals(statement.principal)) {
      const account = accountOfPrincipal(entry);
      if (account && account !== ownerAccountId) grants.push({ ...statementRef(statement), accountId: account, principal: entry, via: 'principal' });
    }
    if (!everyonePrincipal(statement)) continue;
    for (const assessment of assessNarrowing(statement.condition)) {
      if (!assessment.narrows || !ACCOUNT_CONDITION_KEYS.has(assessment.key.toLowerCase())) continue;
      for (const value of assessment.values) {
        const account = /^\d{12}$/.test(value) ? value : splitArn(value)?.[4];
        if (account && /^\d{12}$/.test(account) && account !== ownerAccountId) {
          grants.push({ ...statementRef(statement), accountId: account, principal: value, via: 'condition' });
        }
      }
    }
  }
  return grants;
}

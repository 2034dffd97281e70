/**
 * Judgments over identity policies for the IAM checks: administrator statements and full access
 * to sensitive services. Privilege escalation and trust policies have their own modules and are
 * re-exported here so the IAM checks import one place.
 */
import { actionMatches, patternCovers } from './match.js';
import { statementRef, toPolicyDocument, type PolicyParseFailure, type PolicyStatement } from './parse.js';

export { findPrivilegeEscalation, PRIVILEGE_ESCALATION_PATHS } from './escalation.js';
export type { EscalationFinding, EscalationPath } from './escalation.js';
export { analyzeTrustPolicy } from './trust.js';
export type { TrustFinding, TrustFindingKind } from './trust.js';

/** A NotAction list this short still leaves nearly every action allowed. */
export const ADMIN_NOT_ACTION_LIMIT = 5;

/** Services whose full access the field's scanners single out. */
export const SENSITIVE_SERVICES = ['iam', 'kms', 's3', 'sts', 'secretsmanager', 'cloudtrail'] as const;

export type AdminStatementKind = 'allActions' | 'notAction' | 'allActionsNotResource';

export interface AdminStatement {
  statementIndex: number;
  sid: string | undefined;
  kind: AdminStatementKind;
  /** The Action, NotAction and Resource/NotResource patterns that make it administrative. */
  actionPatterns: string[];
  resourcePatterns: string[];
  /** True when a Condition limits when the statement applies; the grant is still administrative. */
  conditional: boolean;
  reason: string;
}

/** `*`, `*:*` (and spellings like `**`): a pattern every action name matches. */
export function matchesEveryAction(pattern: string): boolean {
  return /^\*+(:\*+)?$/.test(pattern.trim());
}

function matchesEveryResource(pattern: string): boolean {
  return /^\*+$/.test(pattern.trim());
}

function onEveryResource(statement: PolicyStatement): boolean {
  return statement.resource?.some(matchesEveryResource) ?? false;
}


/**
 * Allow statements that amount to administrator access: every action on every resource; a
 * NotAction with a tiny exclusion list on every resource; or every action on everything but a
 * NotResource list.
 */
export function findAdminStatements(policy: unknown): AdminStatement[] | PolicyParseFailure {
  const parsed = toPolicyDocument(policy);
  if (!parsed.ok) return parsed;
  const found: AdminStatement[] = [];
  for (const statement of parsed.document.statements) {
    if (statement.effect !== 'Allow') continue;
    const conditional = Object.keys(statement.condition).length > 0;
    const base = { ...statementRef(statement), conditional };
    const allActions = statement.action?.filter(matchesEveryAction) ?? [];
    if (allActions.length > 0 && onEveryResource(statement)) {
      found.push({ ...base, kind: 'allActions', actionPatterns: allActions, resourcePatterns: ['*'], reason: 'allows every action on every resource' });
    } else if (allActions.length > 0 && statement.notResource) {
      found.push({
        ...base,
        kind: 'allActionsNotResource',
        actionPatterns: allActions,
        resourcePatterns: statement.notResource,
        reason: `allows every action on every resource except ${statement.notResource.join(', ')}`,
      });
    } else if (statement.notAction && statement.notAction.length <= ADMIN_NOT_ACTION_LIMIT && onEveryResource(statement)) {
      found.push({
        ...base,
        kind: 'notAction',
        actionPatterns: statement.notAction,
        resourcePatterns: ['*'],
        reason: `allows every action except ${statement.notAction.join(', ')} on every resource`,
      });
    }
  }
  return found;
}

export interface ServiceWildcardGrant {
  statementIndex: number;
  sid: string | undefined;
  service: string;
  /** The pattern that grants every action of the service, or the NotAction list that leaves them all. */
  pattern: string;
  viaNotAction: boolean;
  conditional: boolean;
}

/** Whether a NotAction list leaves every action of the service allowed. */
function notActionSparesService(notAction: string[], service: string): boolean {
  return !notAction.some((pattern) => {
    const prefix = pattern.split(':')[0] ?? '';
    return actionMatches(`${prefix}:x`, `${service}:x`);
  });
}

/**
 * Allow statements granting every action of a service (`kms:*`, `*`, `k*:*`…) on Resource `*`.
 * Administrator statements are included: `*` is full access to every service too.
 */
export function findServiceWildcards(
  policy: unknown,
  services: readonly string[] = SENSITIVE_SERVICES,
): ServiceWildcardGrant[] | PolicyParseFailure {
  const parsed = toPolicyDocument(policy);
  if (!parsed.ok) return parsed;
  const found: ServiceWildcardGrant[] = [];
  for (const statement of parsed.document.statements) {
    if (statement.effect !== 'Allow' || !onEveryResource(statement)) continue;
    const conditional = Object.keys(statement.condition).length > 0;
    for (const service of services) {
      const serviceAll = `${service.toLowerCase()}:*`;
      const pattern = statement.action?.find((p) => matchesEveryAction(p) || patternCovers(p, serviceAll, true));
      if (pattern !== undefined) {
        found.push({ ...statementRef(statement), service, pattern, viaNotAction: false, conditional });
      } else if (statement.notAction && notActionSparesService(statement.notAction, service)) {
        found.push({ ...statementRef(statement), service, pattern: `NotAction ${statement.notAction.join(', ')}`, viaNotAction: true, conditional });
      }
    }
  }
  return found;
}

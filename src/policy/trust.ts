/**
 * Role trust policies (AssumeRolePolicyDocument): who may assume the role.
 *
 * Flagged: trust in everyone without a condition that pins the caller; trust in a whole foreign
 * account (its root or bare id) without sts:ExternalId, MFA or another pinning condition; and
 * web-identity federation without a condition on the token's subject or audience (GitHub
 * Actions needs the subject: its audience is the same for every repository on GitHub).
 * Service principals and principals of the own account are what trust policies are for.
 */
import { accountOfPrincipal, actionMatches } from './match.js';
import {
  assessNarrowing,
  fixedValue,
  PUBLIC_NARROWING_KEYS,
  STRING_OPERATORS,
  type ConditionAssessment,
  type NarrowingKeyRule,
} from './narrowing.js';
import { statementRef, toPolicyDocument, type PolicyParseFailure, type PolicyStatement } from './parse.js';

export type TrustFindingKind = 'anyPrincipal' | 'foreignAccountWithoutCondition' | 'federatedWithoutSubjectCondition';

export interface TrustFinding {
  statementIndex: number;
  sid: string | undefined;
  kind: TrustFindingKind;
  principal: string;
  reason: string;
  /** The statement's conditions and why none of them pinned the caller. */
  conditions: ConditionAssessment[];
}

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'];
const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

const mfaPresent: NarrowingKeyRule = {
  describes: 'MFA',
  operators: ['Bool'],
  rule: (value) => (value.toLowerCase() === 'true' ? undefined : `MFA is required to be "${value}", not "true"`),
};

/** Conditions that pin a trusted foreign account to a deliberate caller. */
const FOREIGN_ACCOUNT_KEYS: Readonly<Record<string, NarrowingKeyRule>> = {
  ...PUBLIC_NARROWING_KEYS,
  'sts:externalid': { describes: 'external id', operators: STRING_OPERATORS, rule: fixedValue },
  'aws:multifactorauthpresent': mfaPresent,
};

function grantsAssume(statement: PolicyStatement): boolean {
  if (statement.action) return ASSUME_ACTIONS.some((action) => statement.action?.some((p) => actionMatches(p, action)));
  return ASSUME_ACTIONS.some((action) => !statement.notAction?.some((p) => actionMatches(p, action)));
}

/** `arn:aws:iam::123:oidc-provider/token.actions.githubusercontent.com` → the issuer host; bare hosts as is. */
function oidcIssuer(federated: string): string | undefined {
  const marker = ':oidc-provider/';
  const at = federated.indexOf(marker);
  if (at >= 0) return federated.slice(at + marker.length);
  if (federated.includes(':saml-provider/')) return undefined;
  return federated;
}

/** GitHub subjects look like `repo:OWNER/REPO:ref:...`; the owner must be fixed or any repository matches. */
const githubSubject: NarrowingKeyRule['rule'] = (value) => {
  const match = /^repo:([^/]*)\//.exec(value);
  if (!match) return `"${value}" does not name a repository owner (expected repo:OWNER/REPO:...)`;
  return fixedValue(match[1] ?? '') ? `"${value}" does not fix the repository owner` : undefined;
};

function federationKeys(issuer: string): Record<string, NarrowingKeyRule> {
  const host = issuer.toLowerCase();
  if (host === GITHUB_OIDC_HOST) {
    return { [`${host}:sub`]: { describes: 'GitHub repository', operators: STRING_OPERATORS, rule: githubSubject } };
  }
  return {
    [`${host}:sub`]: { describes: 'token subject', operators: STRING_OPERATORS, rule: fixedValueOrPrefix },
    [`${host}:aud`]: { describes: 'token audience', operators: STRING_OPERATORS, rule: fixedValueOrPrefix },
  };
}

/** `system:serviceaccount:ns:*` still pins a namespace; only a value that is all wildcard does not. */
const fixedValueOrPrefix: NarrowingKeyRule['rule'] = (value) => {
  if (/^[*?]*$/.test(value)) return `"${value}" matches every token`;
  return /^[*?]/.test(value) ? `"${value}" starts with a wildcard` : undefined;
};


function whyNotPinned(conditions: ConditionAssessment[], fallback: string): string {
  return conditions.length === 0 ? fallback : `${fallback}; ${conditions.map((c) => c.reason).join('; ')}`;
}

/** Findings for a role's trust policy; `ownAccountId` is the account that owns the role. */
export function analyzeTrustPolicy(policy: unknown, ownAccountId: string): TrustFinding[] | PolicyParseFailure {
  const parsed = toPolicyDocument(policy);
  if (!parsed.ok) return parsed;
  const findings: TrustFinding[] = [];
  for (const statement of parsed.document.statements) {
    if (statement.effect !== 'Allow' || !grantsAssume(statement)) continue;
    const principal = statement.principal;

    if (statement.notPrincipal || principal === '*' || principal?.AWS.includes('*')) {
      const conditions = assessNarrowing(statement.condition);
      if (conditions.some((c) => c.narrows)) continue;
      findings.push({
        ...statementRef(statement),
        kind: 'anyPrincipal',
        principal: statement.notPrincipal ? 'NotPrincipal' : '*',
        reason: whyNotPinned(conditions, 'any AWS principal in any account can assume the role'),
        conditions,
      });
      continue;
    }
    if (!principal) continue;

    const foreignAccounts = principal.AWS.filter((entry) => {
      const account = accountOfPrincipal(entry);
      const wholeAccount = /^\d{12}$/.test(entry) || /:root$/.test(entry);
      return wholeAccount && account !== undefined && account !== ownAccountId;
    });
    if (foreignAccounts.length > 0) {
      const conditions = assessNarrowing(statement.condition, FOREIGN_ACCOUNT_KEYS);
      if (!conditions.some((c) => c.narrows)) {
        for (const entry of foreignAccounts) {
          findings.push({
            ...statementRef(statement),
            kind: 'foreignAccountWithoutCondition',
            principal: entry,
            reason: whyNotPinned(conditions, `every principal of account ${accountOfPrincipal(entry)} that is allowed sts:AssumeRole can assume the role, with no sts:ExternalId or MFA condition`),
            conditions,
          });
        }
      }
    }

    for (const federated of principal.Federated) {
      const issuer = oidcIssuer(federated);
      if (!issuer) continue;
      const conditions = assessNarrowing(statement.condition, federationKeys(issuer));
      if (conditions.some((c) => c.narrows)) continue;
      const needed = issuer.toLowerCase() === GITHUB_OIDC_HOST ? `${GITHUB_OIDC_HOST}:sub` : `${issuer}:sub or ${issuer}:aud`;
      findings.push({
        ...statementRef(statement),
        kind: 'federatedWithoutSubjectCondition',
        principal: federated,
        reason: whyNotPinned(conditions, `any identity of ${issuer} can assume the role: no condition pins ${needed}`),
        conditions,
      });
    }
  }
  return findings;
}

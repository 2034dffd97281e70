/**
 * Resource exposure: is a resource open to the public, or to accounts outside the audited
 * account (or organisation)? One judgment for every resource type, so an SQS queue, a Lambda
 * function, an SNS topic and a KMS key are judged alike.
 *
 * Usage (a check per resource type calls one of the two, then `exposureFinding` in
 * src/checks/exposure.ts turns the verdict into a finding):
 *
 *   const scope = { accountId: snapshot.accountId };
 *   judgePolicyExposure(queue.policy, scope)          // a resource policy (SQS, SNS, KMS, Lambda, ECR, Secrets Manager)
 *   judgeSharingExposure({ public: groups.includes('all'), accounts: userIds }, scope)
 *                                                     // a sharing list (EBS snapshot, AMI, RDS snapshot, function URL)
 *
 * A policy statement is judged as S3's "IsPublic" and IAM Access Analyzer do, on the same
 * condition-aware engine (narrowing.ts): an Allow to everyone is public unless a condition pins
 * it; a condition that pins the account (aws:SourceAccount, aws:PrincipalAccount, the account
 * of aws:SourceArn/aws:PrincipalArn), the organisation (aws:PrincipalOrgID/OrgPaths), a VPC
 * endpoint or VPC, a private IP range or one caller narrows it. A pin to the audited account or
 * organisation, or to a network, closes the statement; a pin to another account or
 * organisation leaves it open to that account: cross-account. An Allow to a named principal of
 * another account is cross-account. Service principals (an AWS service acting for the owner)
 * are not exposure. An unconditional Deny for everyone, or one that exempts only the audited
 * account, organisation or network, removes what it covers.
 *
 * When the audited organisation is unknown, a pin to an organisation is trusted as the
 * audited one: the organisation is the zone of trust Access Analyzer users expect.
 */
import { parseOperator } from './conditions.js';
import { actionMatches, accountOfPrincipal, patternCovers, splitArn } from './match.js';
import { assessNarrowing, PUBLIC_NARROWING_KEYS, type ConditionAssessment, type NarrowingKeyRule } from './narrowing.js';
import { statementRef, toPolicyDocument, type PolicyParseFailure, type PolicyStatement } from './parse.js';
import { denyCoversResources, everyonePrincipal, publicDenies } from './public.js';

export interface ExposureScope {
  /** The audited account: its own principals and pins are inside. */
  accountId: string;
  /** The audited organisation (o-…), when known: a pin to another organisation is then outside. */
  organizationId?: string;
}

/** Worst first: `public` beats `cross-account` beats `none`. */
export type ExposureLevel = 'public' | 'cross-account' | 'none';

/** What a narrowing condition pins the caller to. */
export type PinKind = 'account' | 'organization' | 'network' | 'caller' | 'resource';

export interface ExposedStatement {
  statementIndex: number;
  sid: string | undefined;
  exposure: Exclude<ExposureLevel, 'none'>;
  /** How the principal is written: `*`, `AWS:*`, `NotPrincipal`, or the outside principals. */
  principals: string[];
  /** The Action (or NotAction) patterns still granted after Denies. */
  actions: string[];
  notAction: boolean;
  /** Accounts outside the audited one that this statement opens the resource to. */
  externalAccounts: string[];
  /** Organisations other than the audited one that a condition pins the statement to. */
  externalOrganizations: string[];
  /** Every condition of the statement and why it did or did not narrow. */
  conditions: ConditionAssessment[];
}

export interface NarrowedExposureStatement {
  statementIndex: number;
  sid: string | undefined;
  /** The conditions that keep the statement inside the account, organisation or network. */
  narrowedBy: ConditionAssessment[];
}

export interface RemovedExposureStatement {
  statementIndex: number;
  sid: string | undefined;
  /** The Deny statement that removes the grant, and why it covers every outside caller. */
  deniedBy: { statementIndex: number; sid: string | undefined; reason: string };
}

export interface PolicyExposure {
  ok: true;
  exposure: ExposureLevel;
  /** Union of every exposed statement's outside accounts, sorted. */
  externalAccounts: string[];
  externalOrganizations: string[];
  /** The statements that expose the resource: the evidence. */
  statements: ExposedStatement[];
  /** Statements open in form (everyone, another account) that a condition keeps inside. */
  narrowed: NarrowedExposureStatement[];
  /** Statements open in form whose grant a Deny removes. */
  removed: RemovedExposureStatement[];
}

/** Condition keys beyond the global ones that pin the calling account, as services document them. */
const SERVICE_ACCOUNT_KEYS: Readonly<Record<string, NarrowingKeyRule>> = {
  // KMS: "kms:CallerAccount" pins the account of the principal making the request.
  'kms:calleraccount': { ...PUBLIC_NARROWING_KEYS['aws:principalaccount']!, describes: 'caller account' },
};

const EXPOSURE_KEYS: Readonly<Record<string, NarrowingKeyRule>> = { ...PUBLIC_NARROWING_KEYS, ...SERVICE_ACCOUNT_KEYS };

const ACCOUNT_KEYS = new Set(['aws:sourceaccount', 'aws:sourceowner', 'aws:principalaccount', 'kms:calleraccount']);
const ARN_KEYS = new Set(['aws:sourcearn', 'aws:principalarn']);
const ORGANIZATION_KEYS = new Set(['aws:principalorgid', 'aws:sourceorgid', 'aws:principalorgpaths', 'aws:sourceorgpaths']);
const NETWORK_KEYS = new Set(['aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceip']);

interface Pin {
  kind: PinKind;
  externalAccounts: string[];
  externalOrganizations: string[];
}

/** Where one narrowing condition puts the caller: inside (no externals) or at named outside accounts/organisations. */
function classifyPin(key: string, values: readonly string[], scope: ExposureScope): Pin {
  const lower = key.toLowerCase();
  const outside = (accounts: (string | undefined)[]) => [...new Set(accounts.filter((a): a is string => a !== undefined && a !== scope.accountId))];
  if (ACCOUNT_KEYS.has(lower)) return { kind: 'account', externalAccounts: outside([...values]), externalOrganizations: [] };
  if (ARN_KEYS.has(lower)) {
    // An ARN without an account (an S3 bucket's) names one resource; it pins, but to no account we can name.
    const accounts = values.map((v) => splitArn(v)?.[4]).map((a) => (a && /^\d{12}$/.test(a) ? a : undefined));
    return { kind: accounts.some((a) => a) ? 'account' : 'resource', externalAccounts: outside(accounts), externalOrganizations: [] };
  }
  if (ORGANIZATION_KEYS.has(lower)) {
    const organizations = values.map((v) => v.split('/')[0] ?? v);
    const external = scope.organizationId ? organizations.filter((o) => o !== scope.organizationId) : [];
    return { kind: 'organization', externalAccounts: [], externalOrganizations: [...new Set(external)] };
  }
  if (NETWORK_KEYS.has(lower)) return { kind: 'network', externalAccounts: [], externalOrganizations: [] };
  return { kind: 'caller', externalAccounts: [], externalOrganizations: [] };
}

const isInside = (pin: Pin) => pin.externalAccounts.length === 0 && pin.externalOrganizations.length === 0;

/**
 * A Deny removes outside access when it holds for every public request (no condition, or only
 * negated pins) and what its negated pins exempt is inside the audited account, organisation or network.
 */
function exemptsOnlyInside(deny: PolicyStatement, scope: ExposureScope): boolean {
  for (const [operatorName, byKey] of Object.entries(deny.condition)) {
    if (!parseOperator(operatorName)?.negated) return false;
    for (const [key, values] of Object.entries(byKey)) if (!isInside(classifyPin(key, values, scope))) return false;
  }
  return true;
}

function denyCoversActions(deny: PolicyStatement, allow: PolicyStatement): boolean {
  const denied = deny.action;
  if (!denied) return false; // a NotAction Deny leaves some action allowed; assume it does not remove the grant
  if (allow.notAction) return denied.some((pattern) => patternCovers(pattern, '*', true));
  return (allow.action ?? []).every((pattern) => denied.some((d) => patternCovers(d, pattern, true) || actionMatches(d, pattern)));
}

function outsidePrincipals(statement: PolicyStatement, scope: ExposureScope): { principals: string[]; accounts: string[] } {
  const principal = statement.principal;
  if (!principal || principal === '*') return { principals: [], accounts: [] };
  const principals: string[] = [];
  const accounts = new Set<string>();
  for (const entry of principal.AWS) {
    const account = accountOfPrincipal(entry);
    if (account && account !== scope.accountId) {
      principals.push(entry);
      accounts.add(account);
    }
  }
  return { principals, accounts: [...accounts] };
}

/**
 * Judge a resource policy (JSON text or object). `null`/`undefined` (no policy) is not exposed;
 * malformed text is a `PolicyParseFailure`, which a check reports as `error`.
 */
export function judgePolicyExposure(policy: unknown, scope: ExposureScope): PolicyExposure | PolicyParseFailure {
  if (policy === null || policy === undefined) return noExposure();
  const parsed = toPolicyDocument(policy);
  if (!parsed.ok) return parsed;
  const statements = parsed.document.statements;
  const denies = publicDenies(statements).filter((deny) => exemptsOnlyInside(deny.statement, scope));
  const result = noExposure();

  for (const statement of statements) {
    if (statement.effect !== 'Allow') continue;
    const everyone = everyonePrincipal(statement);
    const named = outsidePrincipals(statement, scope);
    if (!everyone && named.accounts.length === 0) continue;

    const conditions = assessNarrowing(statement.condition, EXPOSURE_KEYS);
    const pins = conditions.filter((c) => c.narrows).map((c) => ({ assessment: c, pin: classifyPin(c.key, c.values, scope) }));
    // Conditions are AND'ed: one pin inside the account, organisation or network closes the statement.
    const inside = pins.filter((p) => isInside(p.pin));
    if (inside.length > 0) {
      result.narrowed.push({ ...statementRef(statement), narrowedBy: inside.map((p) => p.assessment) });
      continue;
    }
    const deny = denies.find((d) => denyCoversActions(d.statement, statement) && denyCoversResources(d.statement, statement.resource ?? ['*']));
    if (deny) {
      result.removed.push({ ...statementRef(statement), deniedBy: { ...statementRef(deny.statement), reason: deny.reason } });
      continue;
    }
    let externalAccounts: string[];
    let externalOrganizations: string[] = [];
    let exposure: ExposedStatement['exposure'];
    if (pins.length > 0) {
      // Every pin names outsiders; AND'ed pins to different accounts admit nobody, so keep their intersection where both name accounts.
      const accountPins = pins.filter((p) => p.pin.externalAccounts.length > 0).map((p) => p.pin.externalAccounts);
      externalAccounts = accountPins.length ? accountPins.reduce((a, b) => a.filter((x) => b.includes(x))) : [];
      if (!everyone) externalAccounts = accountPins.length ? externalAccounts : named.accounts;
      externalOrganizations = [...new Set(pins.flatMap((p) => p.pin.externalOrganizations))];
      if (externalAccounts.length === 0 && externalOrganizations.length === 0) {
        result.narrowed.push({ ...statementRef(statement), narrowedBy: pins.map((p) => p.assessment) });
        continue;
      }
      exposure = 'cross-account';
    } else if (everyone) {
      externalAccounts = [];
      exposure = 'public';
    } else {
      externalAccounts = named.accounts;
      exposure = 'cross-account';
    }
    result.statements.push({
      ...statementRef(statement),
      exposure,
      principals: everyone ? [everyone] : named.principals,
      actions: statement.action ?? statement.notAction ?? [],
      notAction: statement.notAction !== undefined,
      externalAccounts: [...externalAccounts].sort(),
      externalOrganizations: externalOrganizations.sort(),
      conditions,
    });
  }
  result.exposure = result.statements.some((s) => s.exposure === 'public') ? 'public' : result.statements.length ? 'cross-account' : 'none';
  result.externalAccounts = [...new Set(result.statements.flatMap((s) => s.externalAccounts))].sort();
  result.externalOrganizations = [...new Set(result.statements.flatMap((s) => s.externalOrganizations))].sort();
  return result;
}

function noExposure(): PolicyExposure {
  return { ok: true, exposure: 'none', externalAccounts: [], externalOrganizations: [], statements: [], narrowed: [], removed: [] };
}

/** A resource shared by list rather than policy: a snapshot's createVolumePermission, an AMI's launchPermission, an RDS restore attribute. */
export interface SharingList {
  /** Shared with everyone (group "all", restore "all", AuthType NONE). */
  public: boolean;
  /** Account ids the resource is shared with; the audited one is ignored. */
  accounts: readonly string[];
  /** Organisation or OU ARNs it is shared with (AMI launch permissions). */
  organizations?: readonly string[];
}

export interface SharingExposure {
  exposure: ExposureLevel;
  externalAccounts: string[];
  externalOrganizations: string[];
}

export function judgeSharingExposure(sharing: SharingList, scope: ExposureScope): SharingExposure {
  const externalAccounts = [...new Set(sharing.accounts.filter((a) => a !== scope.accountId))].sort();
  // An organisation ARN is arn:aws:organizations::<management account>:organization/o-…; an OU ARN carries the org id too.
  const organizationOf = (arn: string) => /\b(o-[a-z0-9]+)\b/.exec(arn)?.[1] ?? arn;
  const externalOrganizations = [...new Set((sharing.organizations ?? []).filter((arn) => !scope.organizationId || organizationOf(arn) !== scope.organizationId))].sort();
  // Without the audited organisation's id an organisation share cannot be told inside from outside: it is reported.
  const exposure: ExposureLevel = sharing.public ? 'public' : externalAccounts.length || externalOrganizations.length ? 'cross-account' : 'none';
  return { exposure, externalAccounts, externalOrganizations };
}

/** One sentence for a finding: "is public (statement 'Public': sqs:SendMessage)", "is shared with accounts 444455556666". */
export function describeExposure(exposure: PolicyExposure | SharingExposure): string {
  const outside = [
    exposure.externalAccounts.length ? `account${exposure.externalAccounts.length > 1 ? 's' : ''} ${exposure.externalAccounts.join(', ')}` : '',
    exposure.externalOrganizations.length ? `organisation${exposure.externalOrganizations.length > 1 ? 's' : ''} ${exposure.externalOrganizations.join(', ')}` : '',
  ].filter(Boolean);
  const by =
    'statements' in exposure && exposure.statements.length
      ? ` (${exposure.statements
          .slice(0, 3)
          .map((s) => `statement ${s.sid ? `"${s.sid}"` : `#${s.statementIndex}`}: ${s.notAction ? 'all but ' : ''}${s.actions.slice(0, 4).join(', ')}${s.actions.length > 4 ? ', …' : ''}`)
          .join('; ')}${exposure.statements.length > 3 ? '; …' : ''})`
      : '';
  if (exposure.exposure === 'public') return `is public: anyone can use it${by}`;
  if (exposure.exposure === 'cross-account') return `is open to ${outside.join(' and ')} outside the audited account${by}`;
  return 'is not open outside the audited account';
}

/**
 * Effective permissions: what a principal can actually do under ALL of its identity policies
 * (inline, attached managed, and those of its groups), judged by the request evaluator rather than by
 * the shape of one statement.
 *
 * - An explicit Deny in any of the policies beats every Allow (`*` on `*` allowed and `*` on `*`
 *   denied is no administrator).
 * - NotAction and NotResource mean what the evaluator says they mean.
 * - An action counts only on the resources it can apply to: `*` allowed on one bucket's ARN grants
 *   no iam:CreatePolicyVersion, whose resource is a managed policy.
 *
 * The question "is there a resource this action is allowed on" is answered with witnesses: for
 * each resource type the action needs, concrete ARNs built from the intersection of that type's
 * ARN pattern with each Allow statement's Resource patterns, with every free wildcard filled by a
 * probe name no policy mentions. A Deny removes the action only when it covers the witness, which a
 * Deny naming specific resources does not. Conditions whose keys are unknown leave a grant
 * `conditional` (possible), never removed: the conservative side for an auditor.
 */
import { evaluateRequest, type StatementMatch } from './evaluate.js';
import { actionMatches, hasWildcard } from './match.js';
import { toPolicyDocument, type PolicyDocument, type PolicyParseFailure, type PolicyStatement } from './parse.js';

/** A name no real policy uses: it stands for "any value not otherwise named" inside a wildcard. */
export const PROBE = 'zzEffectiveProbe';

export interface EffectiveOptions {
  /** The audited account; ARNs of the account's own resources are built with it (default: any). */
  accountId?: string;
  partition?: string;
}

/** `allowed`: surely, whatever the request context; `conditional`: only when conditions hold. */
export type EffectiveGrant = 'allowed' | 'conditional' | 'denied';

export interface InvalidDocument {
  policyIndex: number;
  error: PolicyParseFailure;
}

export interface GrantingStatement {
  policyIndex: number;
  statementIndex: number;
  sid: string | undefined;
  /** The pattern that grants the action (for NotAction, the statement's exclusion list). */
  pattern: string;
  conditional: boolean;
}

export interface ActionAccess {
  action: string;
  grant: EffectiveGrant;
  /** For each resource type the action needs, the witness ARN it is allowed on (when granted). */
  resources: string[];
  /** The Allow statements that grant it on those resources. */
  statements: GrantingStatement[];
  /** The Deny statements that surely removed it (when denied and some Allow matched). */
  deniedBy: GrantingStatement[];
}

/** A principal's documents, parsed once. */
export interface PolicySetView {
  documents: Array<{ document: PolicyDocument; policyIndex: number }>;
  invalid: InvalidDocument[];
  options: Required<EffectiveOptions>;
}

export function policySetView(policies: readonly unknown[], options: EffectiveOptions = {}): PolicySetView {
  const documents: PolicySetView['documents'] = [];
  const invalid: InvalidDocument[] = [];
  policies.forEach((raw, policyIndex) => {
    const parsed = toPolicyDocument(raw);
    if (parsed.ok) documents.push({ document: parsed.document, policyIndex });
    else invalid.push({ policyIndex, error: parsed });
  });
  return { documents, invalid, options: { accountId: options.accountId ?? '*', partition: options.partition ?? 'aws' } };
}

// ---------------------------------------------------------------- resources an action applies to

/**
 * The resource types an action needs, as ARN patterns (`{account}`, `{partition}` substituted);
 * every one of them must be allowed. `*` means the action takes no resource-level permission:
 * only a statement whose Resource covers `*` grants it. From the Service Authorization Reference.
 */
const ACTION_RESOURCES: Record<string, readonly string[]> = {};
const resources = (actions: string[], arns: string[]): void => {
  for (const action of actions) ACTION_RESOURCES[action.toLowerCase()] = arns;
};
const IAM = 'arn:{partition}:iam::{account}';
resources(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], [`${IAM}:policy/*`]);
resources(['iam:PassRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy'], [`${IAM}:role/*`]);
resources(['iam:PutUserPolicy', 'iam:AttachUserPolicy', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'], [`${IAM}:user/*`]);
resources(['iam:PutGroupPolicy', 'iam:AttachGroupPolicy', 'iam:AddUserToGroup'], [`${IAM}:group/*`]);
resources(['sts:AssumeRole'], ['arn:{partition}:iam::*:role/*']);
resources(['ec2:RunInstances'], [
  'arn:{partition}:ec2:*:{account}:instance/*',
  'arn:{partition}:ec2:*::image/*',
  'arn:{partition}:ec2:*:{account}:network-interface/*',
  'arn:{partition}:ec2:*:{account}:security-group/*',
  'arn:{partition}:ec2:*:{account}:subnet/*',
  'arn:{partition}:ec2:*:{account}:volume/*',
]);
resources(['lambda:CreateFunction', 'lambda:InvokeFunction', 'lambda:UpdateFunctionCode'], ['arn:{partition}:lambda:*:{account}:function:*']);
resources(['lambda:CreateEventSourceMapping'], ['*']);
resources(['glue:CreateDevEndpoint', 'glue:UpdateDevEndpoint'], ['arn:{partition}:glue:*:{account}:devEndpoint/*']);
resources(['cloudformation:CreateStack'], ['arn:{partition}:cloudformation:*:{account}:stack/*/*']);
resources(['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'], ['*']);
resources(['ecs:RegisterTaskDefinition'], ['*']);
resources(['ecs:RunTask'], ['arn:{partition}:ecs:*:{account}:task-definition/*']);
resources(['sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'], ['arn:{partition}:sagemaker:*:{account}:notebook-instance/*']);

/** Where a service's resources live, for "every resource of the service" (default: regional, in the account). */
const SERVICE_RESOURCE: Record<string, string> = {
  s3: 'arn:{partition}:s3:::*',
  iam: `${IAM}:*`,
  sts: 'arn:{partition}:iam::*:role/*',
};

function fill(template: string, options: Required<EffectiveOptions>): string {
  return template.replaceAll('{partition}', options.partition).replaceAll('{account}', options.accountId);
}

/** The ARN patterns of the resource types `action` needs. Unknown actions: a resource of their service. */
export function resourcesOfAction(action: string, options: EffectiveOptions = {}): string[] {
  const full = { accountId: options.accountId ?? '*', partition: options.partition ?? 'aws' };
  const known = ACTION_RESOURCES[action.toLowerCase()];
  if (known) return known.map((t) => fill(t, full));
  return [serviceResource(action.split(':')[0] ?? '*', full)];
}

function serviceResource(service: string, options: Required<EffectiveOptions>): string {
  const lower = service.toLowerCase();
  return fill(SERVICE_RESOURCE[lower] ?? `arn:{partition}:${lower}:*:{account}:*`, options);
}

// ---------------------------------------------------------------- witnesses

type Token = { kind: 'text'; ch: string } | { kind: 'one' } | { kind: 'star' };

/** Wildcards as tokens; a policy variable (`${aws:username}`) can be anything, so it is a `*`. */
function tokens(pattern: string): Token[] {
  const out: Token[] = [];
  const source = pattern.replace(/\$\{[^}]*\}/g, '*');
  for (const ch of source) out.push(ch === '*' ? { kind: 'star' } : ch === '?' ? { kind: 'one' } : { kind: 'text', ch });
  return out;
}

/**
 * A concrete string both patterns match, or undefined when they share none. Characters a wildcard
 * is free to choose are the probe name, so the witness names no resource a Deny could single out.
 * The wildcards of `a` (an ARN pattern of a resource type) never stand for a colon, so the witness
 * keeps the type's ARN shape: `arn:aws:ec2:*::image/*` shares no ARN with `arn:aws:ec2:*:1:instance/*`.
 */
export function patternWitness(a: string, b: string): string | undefined {
  const A = tokens(a);
  const B = tokens(b);
  const width = B.length + 1;
  const seen = new Map<number, { from: number; emit: string }>();
  const start = 0;
  seen.set(start, { from: -1, emit: '' });
  const queue = [start];
  const goal = A.length * width + B.length;
  while (queue.length > 0) {
    const state = queue.shift()!;
    if (state === goal) break;
    const i = Math.floor(state / width);
    const j = state % width;
    const ta = A[i];
    const tb = B[j];
    const moves: Array<[number, number, string]> = [];
    if (ta?.kind === 'star' && tb?.kind === 'star') moves.push([i + 1, j + 1, PROBE], [i + 1, j, PROBE], [i, j + 1, PROBE]);
    if (ta?.kind === 'star') moves.push([i + 1, j, '']);
    if (tb?.kind === 'star') moves.push([i, j + 1, '']);
    if (ta && tb && !(ta.kind === 'star' && tb.kind === 'star')) {
      const ch = ta.kind === 'text' ? ta.ch : tb.kind === 'text' ? tb.ch : PROBE[0]!;
      const compatible = (ta.kind !== 'text' || tb.kind !== 'text' || ta.ch === tb.ch) && (ta.kind === 'text' || ch !== ':');
      if (compatible) moves.push([ta.kind === 'star' ? i : i + 1, tb.kind === 'star' ? j : j + 1, ch]);
    }
    for (const [ni, nj, emit] of moves) {
      const next = ni * width + nj;
      if (seen.has(next)) continue;
      seen.set(next, { from: state, emit });
      queue.push(next);
    }
  }
  if (!seen.has(goal)) return undefined;
  const parts: string[] = [];
  for (let state = goal; state !== start; ) {
    const step = seen.get(state)!;
    parts.push(step.emit);
    state = step.from;
  }
  return parts.reverse().join('');
}

/** The statement's resource patterns as a witness source: NotResource leaves the type's own pattern. */
function resourceCandidates(statement: PolicyStatement, template: string): string[] {
  const own = patternWitness(template, template);
  const fromStatement = (statement.resource ?? []).map((p) => patternWitness(template, p)).filter((w): w is string => w !== undefined);
  return statement.resource ? fromStatement : own === undefined ? [] : [own];
}

function statementGrantsAction(statement: PolicyStatement, action: string): string | undefined {
  if (statement.action) return statement.action.find((pattern) => actionMatches(pattern, action));
  const excluded = (statement.notAction ?? []).some((pattern) => actionMatches(pattern, action));
  return excluded ? undefined : `NotAction ${(statement.notAction ?? []).join(', ')}`;
}

const isConditional = (statement: PolicyStatement): boolean => Object.keys(statement.condition).length > 0;

function granting(view: PolicySetView, matches: StatementMatch[], effect: 'Allow' | 'Deny', action: string): GrantingStatement[] {
  const out: GrantingStatement[] = [];
  for (const match of matches) {
    if (match.effect !== effect) continue;
    const document = view.documents.find((d) => d.policyIndex === match.policyIndex)?.document;
    const statement = document?.statements[match.statementIndex];
    if (!statement) continue;
    out.push({ policyIndex: match.policyIndex, statementIndex: statement.index, sid: statement.sid, pattern: statementGrantsAction(statement, action) ?? '', conditional: isConditional(statement) });
  }
  return out;
}

const RANK: Record<EffectiveGrant, number> = { denied: 0, conditional: 1, allowed: 2 };

/** Whether `action` is allowed on `resource` under every document together (Deny wins). */
function judgeRequest(view: PolicySetView, action: string, resource: string) {
  const result = evaluateRequest({ identityPolicies: view.documents.map((d) => d.document) }, { action, resource, context: {} });
  // evaluateRequest indexes the list it was given; map back to the caller's policy indexes.
  const remap = (m: StatementMatch): StatementMatch => ({ ...m, policyIndex: view.documents[m.policyIndex]?.policyIndex ?? m.policyIndex });
  const matched = result.matchedStatements.map(remap);
  const undecided = result.undecidedStatements.map(remap);
  const possible = result.possibleDecisions;
  const grant: EffectiveGrant = !possible.includes('allowed') ? 'denied' : possible.length === 1 ? 'allowed' : 'conditional';
  return { grant, matched, undecided };
}

/** Whether `resource` (a concrete ARN or `*`) lets `action` through: the best grant over the witnesses. */
function accessOnType(view: PolicySetView, action: string, template: string) {
  const witnesses = new Set<string>();
  if (template === '*') witnesses.add('*');
  else {
    for (const { document } of view.documents) {
      for (const statement of document.statements) {
        if (statement.effect !== 'Allow' || statementGrantsAction(statement, action) === undefined) continue;
        for (const w of resourceCandidates(statement, template)) witnesses.add(w);
      }
    }
  }
  let best: { grant: EffectiveGrant; resource: string; allows: GrantingStatement[]; denies: GrantingStatement[] } = { grant: 'denied', resource: '', allows: [], denies: [] };
  for (const resource of witnesses) {
    const judged = judgeRequest(view, action, resource);
    const allows = granting(view, [...judged.matched, ...judged.undecided], 'Allow', action);
    if (RANK[judged.grant] > RANK[best.grant] || (best.resource === '' && judged.grant === 'denied')) {
      best = { grant: judged.grant, resource, allows, denies: judged.grant === 'denied' ? granting(view, judged.matched, 'Deny', action) : [] };
    }
    if (best.grant === 'allowed') break;
  }
  return best;
}

/** What the documents together let the principal do with one action, on the resources it applies to. */
export function effectiveActionAccess(view: PolicySetView, action: string): ActionAccess {
  const types = resourcesOfAction(action, view.options);
  const perType = types.map((template) => accessOnType(view, action, template));
  const grant = perType.reduce<EffectiveGrant>((worst, t) => (RANK[t.grant] < RANK[worst] ? t.grant : worst), 'allowed');
  const statements = new Map<string, GrantingStatement>();
  for (const t of perType) for (const s of t.allows) statements.set(`${s.policyIndex}/${s.statementIndex}`, s);
  return {
    action,
    grant,
    resources: grant === 'denied' ? [] : perType.map((t) => t.resource),
    statements: grant === 'denied' ? [] : [...statements.values()],
    deniedBy: perType.flatMap((t) => t.denies),
  };
}

// ---------------------------------------------------------------- administrator

/** Excluding this many action patterns still leaves an administrator (as a NotAction of this length does). */
export const ADMIN_EXCLUSION_LIMIT = 5;

export interface EffectiveAdmin {
  grant: Exclude<EffectiveGrant, 'denied'>;
  /** The Allow statements that grant every action on every resource. */
  statements: GrantingStatement[];
  /** Action patterns the policies take back (NotAction, Deny on every resource); at most the limit. */
  exceptions: string[];
  reason: string;
}

/** An action name nobody's policy names, of a service nobody's policy names. */
const PROBE_ACTION = `${PROBE.toLowerCase()}:${PROBE}`;

/** Every action pattern the documents name, made concrete: the boundaries the policies draw. */
function namedActions(view: PolicySetView, service?: string): Map<string, string> {
  const named = new Map<string, string>();
  for (const { document } of view.documents) {
    for (const statement of document.statements) {
      for (const pattern of [...(statement.action ?? []), ...(statement.notAction ?? [])]) {
        const prefix = (pattern.split(':')[0] ?? '').toLowerCase();
        if (!pattern.includes(':') || (service !== undefined && prefix !== service.toLowerCase())) continue;
        if (hasWildcard(prefix)) continue;
        named.set(patternWitness(pattern, pattern) ?? pattern, pattern);
      }
    }
  }
  return named;
}

/**
 * Whether the documents together make the principal an administrator: a never-named action on a
 * never-named resource is allowed (only an every-action, every-resource grant allows that), and
 * of the actions the policies do name, at most ADMIN_EXCLUSION_LIMIT patterns are taken back.
 * `candidates`: only Allow statements of these documents count as the grant (an inline-policy
 * check asks whether the inline policies make the administrator, under every policy's Denies).
 */
export function findEffectiveAdmin(view: PolicySetView, candidates?: ReadonlySet<number>): EffectiveAdmin | undefined {
  const probeResource = `arn:${view.options.partition}:${PROBE.toLowerCase()}:${PROBE}:${view.options.accountId === '*' ? PROBE : view.options.accountId}:${PROBE}`;
  const probe = judgeRequest(view, PROBE_ACTION, probeResource);
  if (probe.grant === 'denied') return undefined;
  const statements = granting(view, [...probe.matched, ...probe.undecided], 'Allow', PROBE_ACTION).filter((s) => !candidates || candidates.has(s.policyIndex));
  if (statements.length === 0) return undefined;
  const exceptions = new Set<string>();
  for (const [action, pattern] of namedActions(view)) {
    if (judgeRequest(view, action, probeResource).grant === 'denied') exceptions.add(pattern);
    if (exceptions.size > ADMIN_EXCLUSION_LIMIT) return undefined;
  }
  const list = [...exceptions];
  return {
    grant: probe.grant,
    statements,
    exceptions: list,
    reason: list.length === 0 ? 'allows every action on every resource' : `allows every action on every resource except ${list.join(', ')}`,
  };
}

// ---------------------------------------------------------------- service wildcards

export interface EffectiveServiceWildcard {
  service: string;
  grant: Exclude<EffectiveGrant, 'denied'>;
  statements: GrantingStatement[];
}

/**
 * Services whose every action is effectively allowed on every one of their resources: an action
 * of the service no policy names, and each one the policies do name, on a resource of the service
 * no policy names. `candidates` as for findEffectiveAdmin.
 */
export function findEffectiveServiceWildcards(view: PolicySetView, services: readonly string[], candidates?: ReadonlySet<number>): EffectiveServiceWildcard[] {
  const found: EffectiveServiceWildcard[] = [];
  for (const service of services) {
    const resource = patternWitness(serviceResource(service, view.options), serviceResource(service, view.options)) ?? '*';
    const probeAction = `${service}:${PROBE}`;
    const probe = judgeRequest(view, probeAction, resource);
    if (probe.grant === 'denied') continue;
    const statements = granting(view, [...probe.matched, ...probe.undecided], 'Allow', probeAction).filter((s) => !candidates || candidates.has(s.policyIndex));
    if (statements.length === 0) continue;
    let grant: EffectiveGrant = probe.grant;
    for (const [action] of namedActions(view, service)) {
      const judged = judgeRequest(view, action, resource).grant;
      if (RANK[judged] < RANK[grant]) grant = judged;
      if (grant === 'denied') break;
    }
    if (grant !== 'denied') found.push({ service, grant, statements });
  }
  return found;
}

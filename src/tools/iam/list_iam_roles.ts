import { z } from 'zod';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { inventoryOperations } from '../../server/inventory-cache.js';
import type { AwsRead } from '../../aws/read-operations.js';
import { findEffectiveAdmin, policySetView, toPolicyDocument } from '../../policy/index.js';
import type { IamManagedPolicy, IamRole } from '../../inventory/snapshot.js';
import { ItemErrorSchema, Truth, cursorVersion, daysSince, iso, itemError, listingArgs, listingFailed, moreText, pageOf, type ItemError } from '../listing.js';

const TrustSchema = z.object({
  effect: z.string(),
  type: z.string().describe('AWS, Service, Federated, CanonicalUser, or * (everyone)'),
  principal: z.string(),
  actions: z.array(z.string()),
  conditions: z.array(z.string()).describe('"Operator key=values", e.g. "StringEquals sts:ExternalId=..."'),
});
const RoleSchema = z.object({
  name: z.string(),
  arn: z.string(),
  path: z.string().optional(),
  created: z.string().nullable(),
  trust: z.array(TrustSchema),
  attachedPolicies: z.array(z.string()).nullable().describe('Managed policy names; null: could not be read'),
  inlinePolicies: z.array(z.string()).nullable().describe('Inline policy names; null: could not be read'),
  lastUsed: z.string().nullable().describe('null: not used within IAM\'s tracking window (or unknown, see errors)'),
  lastUsedRegion: z.string().optional(),
  daysSinceLastUsed: z.number().int().nullable(),
  admin: Truth.describe('Whether its policies together (a Deny in any of them wins) grant "*" on "*" (or the like); unknown when one could not be read'),
  adminVia: z.array(z.string()),
  errors: z.array(ItemErrorSchema),
});
type Role = z.infer<typeof RoleSchema>;

/** The trust policy's statements, one row per principal. */
function trustOf(document: string): Role['trust'] | ItemError {
  const parsed = toPolicyDocument(document);
  if (!parsed.ok) return { read: 'trust policy', code: parsed.code, message: `${parsed.path}: ${parsed.message}` };
  return parsed.document.statements.flatMap((s) => {
    const conditions = Object.entries(s.condition).flatMap(([op, byKey]) => Object.entries(byKey).map(([key, values]) => `${op} ${key}=${values.join(',')}`));
    const base = { effect: s.effect, actions: s.action ?? (s.notAction ?? []).map((a) => `NotAction ${a}`), conditions };
    const principal = s.principal ?? s.notPrincipal;
    const negated = s.notPrincipal ? 'NotPrincipal ' : '';
    if (principal === '*' || principal === undefined) return [{ ...base, type: '*', principal: `${negated}*` }];
    return Object.entries(principal).flatMap(([type, values]) => values.map((v) => ({ ...base, type, principal: `${negated}${v}` })));
  });
}

function describeRole(role: IamRole, managed: Map<string, IamManagedPolicy>, policiesError: boolean, now: Date): Role {
  const errors: ItemError[] = [];
  const trust = trustOf(role.assumeRolePolicyDocument);
  if (!Array.isArray(trust)) errors.push(trust);
  if (role.lastUsed.error) errors.push(itemError('iam:GetRole (last used)', role.lastUsed.error));
  if (role.attachedPolicies.error) errors.push(itemError('iam:ListAttachedRolePolicies', role.attachedPolicies.error));
  if (role.inlinePolicies.error) errors.push(itemError('iam:ListRolePolicies/GetRolePolicy', role.inlinePolicies.error));

  // Administrator under all its policies together (a Deny in one takes another's grant away);
  // unknown when a policy that could grant or deny it was not read.
  let unknown = !!role.attachedPolicies.error || !!role.inlinePolicies.error;
  const documents: Array<{ name: string; document: string }> = [];
  for (const p of role.inlinePolicies.value ?? []) documents.push({ name: `inline ${p.policyName}`, document: p.document });
  for (const a of role.attachedPolicies.value ?? []) {
    const policy = managed.get(a.PolicyArn ?? '');
    if (!policy && !policiesError && a.PolicyArn) errors.push({ read: 'iam:ListPolicies', code: 'PolicyNotCollected', message: `attached policy ${a.PolicyArn} was not among the collected managed policies` });
    if (policy?.document.value === undefined) unknown = true;
    else documents.push({ name: a.PolicyName ?? a.PolicyArn ?? '?', document: policy.document.value });
  }
  const view = policySetView(documents.map((d) => d.document));
  if (view.invalid.length > 0) unknown = true;
  const admin = findEffectiveAdmin(view);
  const adminVia = [...new Set((admin?.statements ?? []).map((s) => documents[s.policyIndex]?.name ?? '?'))];
  const lastUsed = role.lastUsed.value?.lastUsedDate;
  return {
    name: role.roleName,
    arn: role.arn,
    ...(role.path ? { path: role.path } : {}),
    created: iso(role.createDate),
    trust: Array.isArray(trust) ? trust : [],
    attachedPolicies: role.attachedPolicies.value?.map((a) => a.PolicyName ?? a.PolicyArn ?? '?') ?? null,
    inlinePolicies: role.inlinePolicies.value?.map((p) => p.policyName) ?? null,
    lastUsed: iso(lastUsed),
    ...(role.lastUsed.value?.region ? { lastUsedRegion: role.lastUsed.value.region } : {}),
    daysSinceLastUsed: daysSince(lastUsed, now),
    admin: unknown ? 'unknown' : adminVia.length > 0,
    adminVia,
    errors,
  };
}

function roleLine(r: Role): string {
  const used = r.lastUsed ? `last used ${r.lastUsed.slice(0, 10)} (${r.daysSinceLastUsed} days ago)` : r.errors.some((e) => e.read.startsWith('iam:GetRole')) ? 'last use unknown' : 'never used (within IAM tracking)';
  const trust = r.trust.filter((t) => t.effect === 'Allow').map((t) => `${t.type} ${t.principal}${t.conditions.length ? ` if ${t.conditions.join(' & ')}` : ''}`).join('; ');
  const admin = r.admin === true ? `ADMIN via ${r.adminVia.join(', ')}` : r.admin === 'unknown' ? 'admin unknown' : 'not admin';
  return `${r.name}\t${used}\ttrust: ${trust || '-'}\tpolicies: ${r.attachedPolicies?.join(', ') || '-'}\tinline: ${r.inlinePolicies?.join(', ') || '-'}\t${admin}${r.errors.length ? `\terrors: ${r.errors.map((e) => `${e.read} ${e.code}`).join(', ')}` : ''}`;
}

/** Last use, and every policy with its document (admin judgement). */
const READS: AwsRead[] = ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:GetRolePolicy', 'iam:GetPolicyVersion'];

export const listIamRoles = defineTool({
  name: 'list_iam_roles',
  toolset: 'iam',
  title: 'List IAM roles for review',
  description:
    'List the IAM roles with what a reviewer needs: who may assume each (trust principals and conditions), its attached and inline policy names, when it was last used and how many days ago, and whether it has administrator access. ' +
    'Filter by name, unused days, admin or trusted principal. Read-only.',
  inputSchema: z.strictObject({
    nameContains: z.string().max(128).optional().describe('Only roles whose name contains this (case-insensitive)'),
    unusedForDays: z.number().int().min(1).max(3650).optional().describe('Only roles not used for at least this many days (never-used roles count from creation; unknown last use is kept)'),
    admin: z.boolean().optional().describe('true: only administrator roles (and unknown); false: only non-administrator roles'),
    trustContains: z.string().max(256).optional().describe('Only roles trusting a principal containing this, e.g. an account id, "github" or "ec2.amazonaws.com"'),
    ...listingArgs,
  }),
  outputSchema: z.object({ roles: z.array(RoleSchema), total: z.number().int(), nextCursor: z.string().optional(), inventoryCollectedAt: z.string() }),
  annotations: READ_ONLY_LIVE,
  awsOperations: inventoryOperations(READS),
  async handler(args, ctx) {
    const view = await ctx.session.inventory.get({ reads: READS, refresh: args.refresh && !args.cursor, allowStale: !!cursorVersion(args.cursor) });
    const iam = view.snapshot.iam!;
    if (iam.roles.error) throw listingFailed('the IAM roles (iam:ListRoles)', iam.roles.error);
    const managed = new Map((iam.policies.value ?? []).map((p) => [p.arn, p]));
    const now = new Date();
    const name = args.nameContains?.toLowerCase();
    const trusted = args.trustContains?.toLowerCase();
    const roles = iam.roles.value
      .map((r) => describeRole(r, managed, !!iam.policies.error, now))
      .filter((r) => !name || r.name.toLowerCase().includes(name))
      .filter((r) => !trusted || r.trust.some((t) => t.principal.toLowerCase().includes(trusted)))
      .filter((r) => args.admin === undefined || (args.admin ? r.admin !== false : r.admin === false))
      .filter((r) => {
        if (args.unusedForDays === undefined) return true;
        if (r.lastUsed) return (r.daysSinceLastUsed ?? 0) >= args.unusedForDays;
        if (r.errors.some((e) => e.read.startsWith('iam:GetRole'))) return true;
        return (daysSince(r.created, now) ?? Infinity) >= args.unusedForDays;
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = pageOf(roles, 'list_iam_roles', args, view.collectedAt, args.limit);
    return {
      structured: { roles: page.items, total: page.total, nextCursor: page.nextCursor, inventoryCollectedAt: view.collectedAt },
      text: `${page.total} role(s) (inventory read ${view.collectedAt}):\n${page.items.map(roleLine).join('\n')}${moreText(page)}`,
    };
  },
});

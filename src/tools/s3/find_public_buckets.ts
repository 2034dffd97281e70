import { z } from 'zod';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { inventoryOperations } from '../../server/inventory-cache.js';
import { InfraAuditError } from '../../errors.js';
import { evaluateChecks } from '../../audit/evaluate.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checks/types.js';
import { s3_bucket_public_read } from '../../checks/s3/s3_bucket_public_read.js';
import { s3_bucket_public_write } from '../../checks/s3/s3_bucket_public_write.js';
import { PUBLIC_ACCESS_READS } from '../../checks/s3/public-access.js';
import { analyzePublicAccess, S3_ACCESS_LEVEL_ACTIONS } from '../../policy/index.js';
import type { Finding } from '../../findings/model.js';
import type { InventorySnapshot, Read, S3Bucket } from '../../inventory/snapshot.js';
import { ItemErrorSchema, Truth, itemError, listingArgs, listingFailed, moreText, pageOf, cursorVersion, type ItemError } from '../listing.js';

const CHECKS = [s3_bucket_public_read, s3_bucket_public_write];
type Access = 'read' | 'list' | 'write';

const Condition = z.object({ operator: z.string(), key: z.string(), values: z.array(z.string()), whyItDoesNotNarrow: z.string() });
const Grant = z.object({
  via: z.enum(['policy', 'acl']),
  access: z.array(z.enum(['read', 'list', 'write'])).describe('read: anyone can GetObject; list: anyone can list keys; write: anyone can write objects or change access'),
  sid: z.string().optional(),
  statementIndex: z.number().int().optional(),
  principal: z.string().optional(),
  actions: z.array(z.string()).optional(),
  conditions: z.array(Condition).optional().describe("The statement's conditions, none of which keeps out the public"),
  grantee: z.string().optional(),
  permission: z.string().optional(),
});
const Bpa = z.union([z.record(z.string(), z.boolean()), z.null(), z.literal('unknown')]).describe('null: not configured; "unknown": could not be read');
const Bucket = z.object({
  bucket: z.string(),
  arn: z.string(),
  region: z.string().nullable(),
  verdict: z.enum(['public', 'not_public', 'unknown']),
  readable: Truth,
  listable: Truth,
  writable: Truth,
  grants: z.array(Grant).describe('What makes the bucket public, after Block Public Access'),
  notInForce: z.array(z.string()).describe('Grants for everyone that a condition or Block Public Access keeps from being in force'),
  bucketBlockPublicAccess: Bpa,
  errors: z.array(ItemErrorSchema).describe('Reads that failed: the verdict is "unknown" where they matter, never "not_public"'),
  checks: z.array(z.object({ checkId: z.string(), status: z.enum(['pass', 'fail', 'error']), message: z.string() })),
});

const EvidenceChannel = z.object({
  public: z.union([z.boolean(), z.literal('unknown')]),
  detail: z.string(),
  grants: z.array(z.object({ grantee: z.string(), permission: z.string() })).optional(),
  statements: z.array(z.object({ sid: z.string().optional(), statementIndex: z.number(), principal: z.string(), actions: z.array(z.string()) })).optional(),
});
const Evidence = z.object({ acl: EvidenceChannel, policy: EvidenceChannel });

const ACL_ACCESS: Record<string, Access[]> = { READ: ['list'], WRITE: ['write'], WRITE_ACP: ['write'], FULL_CONTROL: ['list', 'write'] };

function evidenceOf(finding: Finding | undefined): z.infer<typeof Evidence> | undefined {
  if (!finding) return undefined;
  const parsed = Evidence.safeParse(finding.evidence);
  if (!parsed.success) throw new InfraAuditError('INTERNAL', `${finding.checkId} evidence for ${finding.resourceId} is not in the expected form`);
  return parsed.data;
}

function accessOfActions(actions: readonly string[]): Access[] {
  const has = (level: 'read' | 'list') => actions.some((a) => S3_ACCESS_LEVEL_ACTIONS[level].includes(a));
  return [...(has('read') ? (['read'] as const) : []), ...(has('list') ? (['list'] as const) : [])];
}

function bpaOf(read: Read<object | null> | undefined): z.infer<typeof Bpa> {
  if (!read || read.error) return 'unknown';
  return read.value as Record<string, boolean> | null;
}

function exposure(bucket: S3Bucket, findings: readonly Finding[]): z.infer<typeof Bucket> {
  const on = (checkId: string) => findings.find((f) => f.checkId === checkId && f.resourceId === bucket.arn);
  const readFinding = on(s3_bucket_public_read.metadata.id);
  const writeFinding = on(s3_bucket_public_write.metadata.id);
  const read = evidenceOf(readFinding);
  const write = evidenceOf(writeFinding);
  const grants = new Map<string, z.infer<typeof Grant>>();
  const add = (key: string, grant: z.infer<typeof Grant>) => {
    const seen = grants.get(key);
    if (!seen) return void grants.set(key, grant);
    seen.access = [...new Set([...seen.access, ...grant.access])];
    if (grant.actions) seen.actions = [...new Set([...(seen.actions ?? []), ...grant.actions])];
  };
  const analysis = bucket.policy.value ? analyzePublicAccess(bucket.policy.value) : undefined;
  const conditionsOf = (index: number) =>
    analysis?.ok ? (analysis.grants.find((g) => g.statementIndex === index)?.conditions ?? []).map((c) => ({ operator: c.operator, key: c.key, values: c.values, whyItDoesNotNarrow: c.reason })) : [];
  for (const [evidence, kind] of [[read, 'read'], [write, 'write']] as const) {
    if (!evidence) continue;
    if (evidence.acl.public === true) {
      for (const g of evidence.acl.grants ?? []) {
        const access = (ACL_ACCESS[g.permission] ?? []).filter((a) => (kind === 'write' ? a === 'write' : a !== 'write'));
        add(`acl ${g.grantee} ${g.permission}`, { via: 'acl', access, grantee: g.grantee, permission: g.permission });
      }
    }
    if (evidence.policy.public === true) {
      for (const s of evidence.policy.statements ?? []) {
        const access: Access[] = kind === 'write' ? ['write'] : accessOfActions(s.actions);
        add(`policy ${s.statementIndex}`, { via: 'policy', access, ...(s.sid ? { sid: s.sid } : {}), statementIndex: s.statementIndex, principal: s.principal, actions: s.actions, conditions: conditionsOf(s.statementIndex) });
      }
    }
  }
  const granted = [...grants.values()];
  const grantsAccess = (a: Access) => granted.some((g) => g.access.includes(a));
  const unknown = (channel: 'acl' | 'policy', evidence = read) => evidence?.[channel].public === 'unknown' || !evidence;
  const readable: Truth = grantsAccess('read') || (unknown('policy') ? 'unknown' : false);
  const listable: Truth = grantsAccess('list') || (unknown('policy') || unknown('acl') ? 'unknown' : false);
  const writable: Truth = grantsAccess('write') || (unknown('policy', write) || unknown('acl', write) ? 'unknown' : false);
  const truths = [readable, listable, writable];
  const verdict = truths.includes(true) ? 'public' : truths.includes('unknown') ? 'unknown' : 'not_public';

  // A channel that is not public although it carries grants for everyone: say what neutralised them.
  const notInForce = new Set<string>();
  for (const evidence of [read, write]) {
    for (const channel of [evidence?.acl, evidence?.policy]) {
      if (channel?.public === false && /neutralised|narrowed/.test(channel.detail)) notInForce.add(channel.detail);
    }
  }
  const errors: ItemError[] = [];
  const reads: Array<[string, Read<unknown>]> = [
    ['s3:GetBucketLocation', bucket.region],
    ['s3:GetBucketPolicy', bucket.policy],
    ['s3:GetBucketAcl', bucket.acl],
    ['s3:GetPublicAccessBlock', bucket.publicAccessBlock],
    ['s3:GetBucketOwnershipControls', bucket.ownershipControls],
  ];
  for (const [what, r] of reads) if (r.error) errors.push(itemError(what, r.error));
  return {
    bucket: bucket.name,
    arn: bucket.arn,
    region: bucket.region.value ?? null,
    verdict,
    readable,
    listable,
    writable,
    grants: granted,
    notInForce: [...notInForce],
    bucketBlockPublicAccess: bpaOf(bucket.publicAccessBlock),
    errors,
    checks: [readFinding, writeFinding].filter((f): f is Finding => !!f).map((f) => ({ checkId: f.checkId, status: f.status, message: f.message })),
  };
}

function grantText(g: z.infer<typeof Grant>): string {
  if (g.via === 'acl') return `ACL ${g.grantee} ${g.permission}`;
  const conditions = g.conditions?.length ? `conditions that do not narrow: ${g.conditions.map((c) => `${c.operator} ${c.key}`).join(', ')}` : 'no condition';
  return `policy ${g.sid ? `"${g.sid}"` : `statement ${g.statementIndex}`} Principal ${g.principal} ${g.actions?.join(',')} (${conditions})`;
}

function bucketLine(b: z.infer<typeof Bucket>): string {
  const where = `${b.bucket} [${b.region ?? '?'}]`;
  if (b.verdict === 'public') {
    const what = (['readable', 'listable', 'writable'] as const).filter((k) => b[k] === true).join('+');
    return `${where} PUBLIC ${what}: ${b.grants.map(grantText).join('; ')}`;
  }
  if (b.verdict === 'unknown') return `${where} UNKNOWN (not shown to be private): ${b.errors.map((e) => `${e.read} ${e.code}`).join(', ') || b.checks.find((c) => c.status === 'error')?.message}`;
  return `${where} not public${b.notInForce.length ? `: ${b.notInForce.join('; ')}` : ''}`;
}

export const findPublicBuckets = defineTool({
  name: 'find_public_buckets',
  toolset: 's3',
  title: 'Find public S3 buckets, with the evidence',
  description:
    'One call for the whole account: which S3 buckets anyone on the internet can read, list or write, and why — the bucket policy statement (Sid, actions, the conditions that did not narrow it) or the ACL grant (grantee, permission) — after bucket- and account-level Block Public Access and disabled ACLs. ' +
    'A bucket whose policy, ACL or Block Public Access could not be read is "unknown", never "not public". Returns public and unknown buckets (includeNotPublic for all, with what neutralised their public grants) and the Terraform fix. Read-only.',
  inputSchema: z.strictObject({
    includeNotPublic: z.boolean().default(false).describe('Also list the buckets that are not public, with the reason'),
    prefix: z.string().max(63).optional().describe('Only buckets whose name starts with this'),
    ...listingArgs,
  }),
  outputSchema: z.object({
    summary: z.object({ buckets: z.number().int(), public: z.number().int(), unknown: z.number().int(), notPublic: z.number().int() }),
    accountBlockPublicAccess: Bpa,
    buckets: z.array(Bucket),
    total: z.number().int(),
    nextCursor: z.string().optional(),
    inventoryCollectedAt: z.string(),
    remediation: z.object({ checkIds: z.array(z.string()), text: z.string(), terraform: z.string() }).optional(),
  }),
  annotations: READ_ONLY_LIVE,
  awsOperations: inventoryOperations(PUBLIC_ACCESS_READS),
  async handler(args, ctx) {
    const view = await ctx.session.inventory.get({ reads: PUBLIC_ACCESS_READS, refresh: args.refresh && !args.cursor, allowStale: !!cursorVersion(args.cursor) });
    const snapshot: InventorySnapshot = view.snapshot;
    const listed = snapshot.s3!.buckets;
    if (listed.error) throw listingFailed('the bucket list (s3:ListBuckets)', listed.error);
    const options = { ...DEFAULT_CHECK_OPTIONS, now: new Date() };
    const findings: Finding[] = [];
    await evaluateChecks([s3_bucket_public_read, s3_bucket_public_write], snapshot, options, (_check, judged) => {
      for (const f of judged) findings.push(f);
    }, { signal: ctx.signal });
    const all = listed.value.filter((b) => !args.prefix || b.name.startsWith(args.prefix)).map((b) => exposure(b, findings));
    const count = (v: string) => all.filter((b) => b.verdict === v).length;
    const order = { public: 0, unknown: 1, not_public: 2 } as const;
    const shown = all.filter((b) => args.includeNotPublic || b.verdict !== 'not_public').sort((a, b) => order[a.verdict] - order[b.verdict] || a.bucket.localeCompare(b.bucket));
    const page = pageOf(shown, 'find_public_buckets', args, view.collectedAt, args.limit);
    const accountBpa = bpaOf(snapshot.s3control?.publicAccessBlock);
    const meta = s3_bucket_public_read.metadata;
    const remediation = all.some((b) => b.verdict === 'public') ? { checkIds: CHECKS.map((c) => c.metadata.id), text: meta.remediation, terraform: meta.remediationTerraform } : undefined;
    const summary = { buckets: all.length, public: count('public'), unknown: count('unknown'), notPublic: count('not_public') };
    const accountLine = accountBpa === 'unknown' ? 'could not be read' : accountBpa === null ? 'not configured' : Object.entries(accountBpa).map(([k, v]) => `${k}=${v}`).join(' ');
    const text = [
      `${summary.buckets} bucket(s): ${summary.public} public, ${summary.unknown} unknown (a read failed), ${summary.notPublic} not public. Account Block Public Access: ${accountLine}. Inventory read ${view.collectedAt}.`,
      ...page.items.map(bucketLine),
      ...(remediation ? [`Fix (Terraform):\n${remediation.terraform}`] : []),
    ].join('\n');
    return {
      structured: { summary, accountBlockPublicAccess: accountBpa, buckets: page.items, total: page.total, nextCursor: page.nextCursor, inventoryCollectedAt: view.collectedAt, ...(remediation ? { remediation } : {}) },
      text: text + moreText(page),
    };
  },
});

/**
 * The least-privilege IAM policy for the enabled tools: the exact actions they declare,
 * grouped by service, never a wildcard action; plus an explicit Deny of the reads that
 * return secrets, so a broader policy attached by mistake still cannot expose them.
 *
 * Data reads (s3:GetObject, s3:ListBucket) are never granted on "*": only on the allowlisted
 * buckets (and their objects), and only when the data tools are enabled. The buckets that
 * hold Terraform state get an explicit Deny, so the tool-level refusal is not the only layer.
 */
import { SECRET_READS } from '../aws/read-operations.js';
import type { ToolSurface } from './registry.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource?: string | string[];
  NotResource?: string[];
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** What the data statements are scoped to. */
export interface DataPolicyScope {
  /** Allowlisted buckets, each with '' or the prefix its objects are allowed under. */
  buckets: ReadonlyArray<{ bucket: string; prefix: string }>;
  /** Buckets holding Terraform state (backend "s3", s3:// state addresses, --protect-bucket). */
  protectedBuckets: readonly string[];
  /** `bucket/key` of each state the server itself loads from S3: the one object of a protected bucket it must read. */
  stateObjects?: readonly string[];
}

/** Object and listing reads: what a Deny on a protected bucket covers. */
const STATE_BUCKET_DENIED = ['s3:GetObject', 's3:GetObjectAttributes', 's3:GetObjectVersion', 's3:ListBucket', 's3:ListBucketVersions'];

function sidFor(service: string): string {
  return `InfraAuditRead${service.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`;
}

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
const uniqueSorted = (values: string[]) => [...new Set(values)].sort();

export function buildIamPolicy(surface: ToolSurface, data?: DataPolicyScope): PolicyDocument {
  const dataActions = new Set(surface.dataActions);
  const byService = new Map<string, string[]>();
  for (const action of surface.actions) {
    if (dataActions.has(action)) continue;
    const service = action.split(':')[0]!;
    byService.set(service, [...(byService.get(service) ?? []), action]);
  }
  const statements: PolicyStatement[] = [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, actions]) => ({ Sid: sidFor(service), Effect: 'Allow', Action: actions.sort(), Resource: '*' }));

  const protectedBuckets = new Set(data?.protectedBuckets ?? []);
  const allowed = (data?.buckets ?? []).filter((b) => !protectedBuckets.has(b.bucket));
  if (allowed.length && dataActions.has('s3:GetObject')) {
    statements.push({ Sid: 'InfraAuditDataReadObjects', Effect: 'Allow', Action: ['s3:GetObject'], Resource: uniqueSorted(allowed.map((b) => `${bucketArn(b.bucket)}/${b.prefix}*`)) });
  }
  if (allowed.length && dataActions.has('s3:ListBucket')) {
    statements.push({ Sid: 'InfraAuditDataListBuckets', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: uniqueSorted(allowed.map((b) => bucketArn(b.bucket))) });
  }
  const stateObjects = uniqueSorted([...(data?.stateObjects ?? [])]);
  if (stateObjects.length) {
    statements.push({ Sid: 'InfraAuditReadTerraformState', Effect: 'Allow', Action: ['s3:GetObject'], Resource: stateObjects.map((o) => `arn:aws:s3:::${o}`) });
  }
  if (protectedBuckets.size) {
    const loadedFrom = new Set(stateObjects.map((o) => o.slice(0, o.indexOf('/'))));
    const sealed = [...protectedBuckets].filter((b) => !loadedFrom.has(b)).sort();
    if (sealed.length) {
      statements.push({ Sid: 'InfraAuditDenyStateBuckets', Effect: 'Deny', Action: STATE_BUCKET_DENIED, Resource: sealed.flatMap((b) => [bucketArn(b), `${bucketArn(b)}/*`]) });
    }
    if (loadedFrom.size) {
      // The server reads its own state object from these buckets, so they cannot be denied
      // outright: listing them is denied, and every object read except the state objects and
      // the allowlisted data is denied (NotResource), which covers the rest of these buckets.
      const buckets = [...loadedFrom].sort();
      statements.push({ Sid: 'InfraAuditDenyStateBucketListing', Effect: 'Deny', Action: ['s3:ListBucket', 's3:ListBucketVersions'], Resource: buckets.map(bucketArn) });
      statements.push({
        Sid: 'InfraAuditDenyObjectsButStateAndData',
        Effect: 'Deny',
        Action: ['s3:GetObject', 's3:GetObjectAttributes', 's3:GetObjectVersion'],
        NotResource: uniqueSorted([...stateObjects.map((o) => `arn:aws:s3:::${o}`), ...allowed.map((b) => `${bucketArn(b.bucket)}/${b.prefix}*`)]),
      });
    }
  }
  statements.push({ Sid: 'InfraAuditDenySecretReads', Effect: 'Deny', Action: Object.keys(SECRET_READS).sort(), Resource: '*' });
  return { Version: '2012-10-17', Statement: statements };
}

/** The same policy as an `aws_iam_policy_document` data source. */
export function policyToHcl(policy: PolicyDocument, name = 'infra_audit_read_only'): string {
  const list = (values: string | string[]) => (Array.isArray(values) ? values : [values]).map((v) => `"${v}"`).join(', ');
  const lines = [`data "aws_iam_policy_document" "${name}" {`];
  for (const s of policy.Statement) {
    lines.push('  statement {', `    sid    = "${s.Sid}"`, `    effect = "${s.Effect}"`, '    actions = [');
    for (const a of s.Action) lines.push(`      "${a}",`);
    lines.push('    ]');
    if (s.Resource !== undefined) lines.push(`    resources = [${list(s.Resource)}]`);
    if (s.NotResource !== undefined) lines.push(`    not_resources = [${list(s.NotResource)}]`);
    lines.push('  }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

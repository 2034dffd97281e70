/**
 * Reading an account file: JSON parse with a located error, schema validation with a JSON
 * path per problem, and normalisation (time anchoring, derived ARNs and ids) so that the
 * service handlers see one complete shape.
 */
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { InfraAuditError } from '../../errors.js';
import { SandboxAccountSchema, type SandboxAccount } from './model.js';

export interface AccountProblem {
  /** JSON path of the offending value, e.g. `$.S3.Buckets[2].Name`. */
  path: string;
  message: string;
}

export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function problemsFromZod(error: z.ZodError): AccountProblem[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return { path: jsonPath(issue.path), message };
  });
}

/** 1-based line and column of a character offset, the way editors count. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: before.length - lastNewline };
}

/** Parse JSON, turning a syntax error into a problem that says where (line and column). */
export function parseAccountJson(text: string): { value?: unknown; problems: AccountProblem[] } {
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { value: JSON.parse(source), problems: [] };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // V8 names a character offset ("... at position 42") except at the end of the input.
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : source.length;
    const { line, column } = lineAndColumn(source, offset);
    const reason = message.replace(/\s*\(line \d+ column \d+\)$/, '');
    return { problems: [{ path: '$', message: `not valid JSON at line ${line}, column ${column}: ${reason}` }] };
  }
}

/** Validate an account document; returns every problem found (empty when valid). */
export function validateAccount(value: unknown): { account?: SandboxAccount; problems: AccountProblem[] } {
  const result = SandboxAccountSchema.safeParse(value);
  if (!result.success) return { problems: problemsFromZod(result.error) };
  const problems = crossReferenceProblems(result.data);
  return problems.length ? { problems } : { account: result.data, problems: [] };
}

/** Checks the schema cannot express: unique names, references that must resolve. */
function crossReferenceProblems(account: SandboxAccount): AccountProblem[] {
  const problems: AccountProblem[] = [];
  const seen = (items: readonly unknown[] | undefined, key: string, base: string) => {
    const names = new Map<string, number>();
    (items ?? []).forEach((item, i) => {
      const name = (item as Record<string, unknown>)[key];
      if (typeof name !== 'string') return;
      const first = names.get(name);
      if (first !== undefined) problems.push({ path: `${base}[${i}].${key}`, message: `duplicate ${key} "${name}" (first at ${base}[${first}])` });
      else names.set(name, i);
    });
  };
  seen(account.S3?.Buckets, 'Name', '$.S3.Buckets');
  seen(account.IAM?.Roles, 'RoleName', '$.IAM.Roles');
  seen(account.IAM?.Users, 'UserName', '$.IAM.Users');
  seen(account.IAM?.Policies, 'PolicyName', '$.IAM.Policies');
  seen(account.IAM?.Groups, 'GroupName', '$.IAM.Groups');
  seen(account.IAM?.ServerCertificates, 'ServerCertificateName', '$.IAM.ServerCertificates');
  seen(
    account.IAM?.OpenIDConnectProviders?.map((p) => ({ Url: oidcProviderHost(p.Url) })),
    'Url',
    '$.IAM.OpenIDConnectProviders',
  );
  const userNames = new Set((account.IAM?.Users ?? []).map((u) => u.UserName));
  account.IAM?.Groups?.forEach((g, i) =>
    g.Users?.forEach((name, j) => {
      if (!userNames.has(name)) problems.push({ path: `$.IAM.Groups[${i}].Users[${j}]`, message: `no user "${name}" in $.IAM.Users` });
    }),
  );
  const accessKeys = (account.IAM?.Users ?? []).flatMap((u, i) => (u.AccessKeys ?? []).map((k, j) => ({ id: k.AccessKeyId, path: `$.IAM.Users[${i}].AccessKeys[${j}]` })));
  const firstKeyPath = new Map<string, string>();
  for (const key of accessKeys) {
    const first = firstKeyPath.get(key.id);
    if (first) problems.push({ path: `${key.path}.AccessKeyId`, message: `duplicate AccessKeyId "${key.id}" (first at ${first})` });
    else firstKeyPath.set(key.id, key.path);
  }
  for (const [region, res] of Object.entries(account.Regions)) {
    const base = `$.Regions[${JSON.stringify(region)}]`;
    seen(res.EC2?.Vpcs, 'VpcId', `${base}.EC2.Vpcs`);
    seen(res.EC2?.Subnets, 'SubnetId', `${base}.EC2.Subnets`);
    seen(res.EC2?.SecurityGroups, 'GroupId', `${base}.EC2.SecurityGroups`);
    seen(res.EC2?.Instances, 'InstanceId', `${base}.EC2.Instances`);
    seen(res.EC2?.VpcEndpoints, 'VpcEndpointId', `${base}.EC2.VpcEndpoints`);
    seen(res.EC2?.KeyPairs, 'KeyName', `${base}.EC2.KeyPairs`);
    seen(res.EC2?.KeyPairs, 'KeyPairId', `${base}.EC2.KeyPairs`);
    seen(res.EC2?.LaunchTemplates, 'LaunchTemplateId', `${base}.EC2.LaunchTemplates`);
    seen(res.EC2?.LaunchTemplates, 'LaunchTemplateName', `${base}.EC2.LaunchTemplates`);
    res.EC2?.LaunchTemplates?.forEach((t, i) => {
      const path = `${base}.EC2.LaunchTemplates[${i}]`;
      const numbers = t.Versions.map((v) => v.VersionNumber);
      const repeated = numbers.find((n, j) => numbers.indexOf(n) !== j);
      if (repeated !== undefined) problems.push({ path: `${path}.Versions`, message: `version ${repeated} is given twice` });
      if (t.DefaultVersionNumber !== undefined && !numbers.includes(t.DefaultVersionNumber))
        problems.push({ path: `${path}.DefaultVersionNumber`, message: `no version ${t.DefaultVersionNumber} in Versions (${numbers.join(', ')})` });
    });
    seen(res.RDS?.DBInstances, 'DBInstanceIdentifier', `${base}.RDS.DBInstances`);
    seen(res.RDS?.DBSnapshots, 'DBSnapshotIdentifier', `${base}.RDS.DBSnapshots`);
    seen(res.RDS?.DBClusters, 'DBClusterIdentifier', `${base}.RDS.DBClusters`);
    seen(res.RDS?.DBClusterSnapshots, 'DBClusterSnapshotIdentifier', `${base}.RDS.DBClusterSnapshots`);
    seen(res.ECR?.Repositories, 'repositoryName', `${base}.ECR.Repositories`);
    seen(res.SecretsManager?.Secrets, 'Name', `${base}.SecretsManager.Secrets`);
    res.SecretsManager?.Secrets?.forEach((secret, i) => {
      const arn = secret.ARN?.split(':');
      if (arn && (arn[3] !== region || arn[4] !== account.AccountId || !arn.slice(6).join(':').startsWith(`${secret.Name}-`)))
        problems.push({ path: `${base}.SecretsManager.Secrets[${i}].ARN`, message: `must be the ARN of secret "${secret.Name}" in ${region} of account ${account.AccountId}` });
    });
  }
  const regions = Object.keys(account.Regions);
  account.S3?.Buckets?.forEach((b, i) => {
    if (b.Region && !regions.includes(b.Region))
      problems.push({ path: `$.S3.Buckets[${i}].Region`, message: `region "${b.Region}" is not one of the account's Regions (${regions.join(', ')})` });
  });
  return problems;
}

/** Read, validate and normalise an account file; a bad file is an error naming every problem. */
export async function loadAccountFile(file: string, now: Date = new Date()): Promise<SandboxAccount> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InfraAuditError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `cannot read account file ${file}: ${code ?? String(err)}`, {
      hint: 'pass the path of a sandbox account JSON file, e.g. --account examples/demo/account.json',
    });
  }
  return loadAccountText(text, file, now);
}

export function loadAccountText(text: string, source: string, now: Date = new Date()): SandboxAccount {
  const parsed = parseAccountJson(text);
  const { account, problems } = parsed.problems.length ? { account: undefined, problems: parsed.problems } : validateAccount(parsed.value);
  if (!account) {
    const shown = problems.slice(0, 20).map((p) => `  ${p.path}: ${p.message}`);
    if (problems.length > shown.length) shown.push(`  ... and ${problems.length - shown.length} more`);
    throw new InfraAuditError('ACCOUNT_FILE_INVALID', `account file ${source} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${shown.join('\n')}`, {
      hint: `run \`infra-audit sandbox --validate ${source}\` for the full list; the format is in docs/sandbox.md`,
    });
  }
  return normaliseAccount(account, now);
}

const TIME_KEY = /(Date|Time|Timestamp|LastModified|Since|PasswordLastUsed|Expiration)$/;
/** Values that are the user's own data, never account timestamps to shift. */
const OPAQUE_KEYS = new Set(['Document', 'PolicyDocument', 'AssumeRolePolicyDocument', 'Policy', 'Metadata', 'Variables']);

/** Shift every timestamp so that TimeAnchor becomes `now`. */
function shiftTimes(value: unknown, offsetMs: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shiftTimes(v, offsetMs));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (TIME_KEY.test(k) && typeof v === 'string' && k !== 'TimeAnchor') {
        const t = Date.parse(v);
        out[k] = Number.isNaN(t) ? v : new Date(t + offsetMs).toISOString();
      } else if (OPAQUE_KEYS.has(k)) {
        out[k] = structuredClone(v); // policy documents and object metadata: never rewrite their dates
      } else out[k] = shiftTimes(v, offsetMs);
    }
    return out;
  }
  return value;
}

function stableId(prefix: string, seed: string, length = 17): string {
  return prefix + createHash('sha256').update(seed).digest('hex').slice(0, length).toUpperCase();
}

/** Fill what AWS would derive: ARNs, unique ids, default versions, default regions. */
export function normaliseAccount(input: SandboxAccount, now: Date = new Date()): SandboxAccount {
  let account = input;
  if (account.TimeAnchor) {
    const offset = now.getTime() - Date.parse(account.TimeAnchor);
    account = shiftTimes(account, offset) as SandboxAccount;
  } else {
    account = structuredClone(account);
  }
  const id = account.AccountId;
  const firstRegion = Object.keys(account.Regions)[0]!;
  for (const b of account.S3?.Buckets ?? []) b.Region ??= firstRegion;
  for (const r of account.IAM?.Roles ?? []) {
    r.Path ??= '/';
    r.Arn ??= `arn:aws:iam::${id}:role${r.Path}${r.RoleName}`;
    r.RoleId ??= stableId('AROA', `${id}/role/${r.RoleName}`);
    r.MaxSessionDuration ??= 3600;
  }
  for (const u of account.IAM?.Users ?? []) {
    u.Path ??= '/';
    u.Arn ??= `arn:aws:iam::${id}:user${u.Path}${u.UserName}`;
    u.UserId ??= stableId('AIDA', `${id}/user/${u.UserName}`);
  }
  for (const c of account.IAM?.ServerCertificates ?? []) {
    c.Path ??= '/';
    c.Arn ??= `arn:aws:iam::${id}:server-certificate${c.Path}${c.ServerCertificateName}`;
    c.ServerCertificateId ??= stableId('ASCA', `${id}/server-certificate/${c.ServerCertificateName}`);
  }
  for (const p of account.IAM?.OpenIDConnectProviders ?? []) {
    p.Arn ??= `arn:aws:iam::${id}:oidc-provider/${oidcProviderHost(p.Url)}`;
  }
  for (const g of account.IAM?.Groups ?? []) {
    g.Path ??= '/';
    g.Arn ??= `arn:aws:iam::${id}:group${g.Path}${g.GroupName}`;
    g.GroupId ??= stableId('AGPA', `${id}/group/${g.GroupName}`);
  }
  for (const p of account.IAM?.Policies ?? []) {
    p.Path ??= '/';
    p.Arn ??= p.AwsManaged ? `arn:aws:iam::aws:policy${p.Path}${p.PolicyName}` : `arn:aws:iam::${id}:policy${p.Path}${p.PolicyName}`;
    p.PolicyId ??= stableId('ANPA', p.Arn);
    p.DefaultVersionId ??= (p.Versions.find((v) => v.IsDefaultVersion) ?? p.Versions[0]!).VersionId;
    p.UpdateDate ??= p.CreateDate;
  }
  account.CallerIdentity ??= {
    Arn: `arn:aws:sts::${id}:assumed-role/InfraAuditReadOnly/infra-audit`,
    UserId: `${stableId('AROA', `${id}/role/InfraAuditReadOnly`)}:infra-audit`,
  };
  for (const [region, res] of Object.entries(account.Regions)) {
    for (const db of res.RDS?.DBInstances ?? []) {
      db.DBInstanceArn ??= `arn:aws:rds:${region}:${id}:db:${db.DBInstanceIdentifier}`;
      db.DBInstanceStatus ??= 'available';
    }
    for (const snap of res.RDS?.DBSnapshots ?? []) {
      snap.DBSnapshotArn ??= `arn:aws:rds:${region}:${id}:snapshot:${snap.DBSnapshotIdentifier}`;
    }
    for (const cluster of res.RDS?.DBClusters ?? []) {
      cluster.DBClusterArn ??= `arn:aws:rds:${region}:${id}:cluster:${cluster.DBClusterIdentifier}`;
      cluster.Status ??= 'available';
    }
    for (const secret of res.SecretsManager?.Secrets ?? []) {
      // AWS appends six random characters; a stable stand-in keeps ARNs the same on every start.
      secret.ARN ??= `arn:aws:secretsmanager:${region}:${id}:secret:${secret.Name}-${createHash('sha256').update(`${id}/${region}/${secret.Name}`).digest('base64url').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 6)}`;
    }
    for (const snap of res.RDS?.DBClusterSnapshots ?? []) {
      snap.DBClusterSnapshotArn ??= `arn:aws:rds:${region}:${id}:cluster-snapshot:${snap.DBClusterSnapshotIdentifier}`;
    }
  }
  return account;
}

/** An OIDC provider's URL as IAM keys it: no scheme, no trailing slash (`token.actions.githubusercontent.com`). */
export function oidcProviderHost(url: string): string {
  return url.replace(/^https:\/\//i, '').replace(/\/+$/, '');
}

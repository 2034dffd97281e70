/** `infra-audit sandbox`: serve an account file, validate one, or generate a synthetic one. */
import { readFile, writeFile } from 'node:fs/promises';
import { InfraAuditError } from '../errors.js';
import { loadAccountFile, parseAccountJson, validateAccount } from '../sandbox/account/load.js';
import { startSandbox, type SandboxOptions } from '../sandbox/server.js';
import type { CommandIO } from './io.js';

/** The server's own options (faults, address), with a file in place of the parsed account. */
export interface SandboxCommandOptions extends Omit<SandboxOptions, 'account' | 'modules' | 'maxBodyBytes'> {
  account?: string;
  validate?: string;
  generate?: string;
  out?: string;
}

export async function runSandboxCommand(opts: SandboxCommandOptions, io: CommandIO): Promise<number> {
  if (opts.validate) return validateCommand(opts.validate, io);
  if (opts.generate) return generateCommand(opts, io);
  if (!opts.account) {
    throw new InfraAuditError('USAGE', 'sandbox needs an account file to serve', {
      hint: 'pass --account examples/demo/account.json, or --validate FILE / --generate SPEC --out FILE',
    });
  }
  if (opts.host && !isLoopback(opts.host)) {
    io.stderr.write(`warning: binding the sandbox to ${opts.host}; it serves without authentication to anyone who can reach it\n`);
  }
  const account = await loadAccountFile(opts.account);
  const sandbox = await startSandbox({
    account,
    host: opts.host,
    port: opts.port,
    latencyMs: opts.latencyMs,
    jitterMs: opts.jitterMs,
    throttleRate: opts.throttleRate,
    errorRate: opts.errorRate,
    deny: opts.deny,
    hang: opts.hang,
    seed: opts.seed,
  });
  // The endpoint is the first line on stdout, so scripts can read it.
  io.stdout.write(`${sandbox.endpoint}\n`);
  const regions = Object.keys(account.Regions);
  const faults = [
    opts.latencyMs ? `latency ${opts.latencyMs} ms` : '',
    opts.jitterMs ? `jitter ${opts.jitterMs} ms` : '',
    opts.throttleRate ? `throttle ${opts.throttleRate}` : '',
    opts.errorRate ? `5xx ${opts.errorRate}` : '',
    opts.deny?.length ? `deny ${opts.deny.join(' ')}` : '',
    opts.hang?.length ? `hang ${opts.hang.join(' ')}` : '',
  ].filter(Boolean);
  io.stderr.write(
    [
      `sandbox: serving account ${account.AccountId} (${regions.join(', ')}) from ${opts.account}, read-only`,
      faults.length ? `sandbox: faults ${faults.join(', ')} (seed ${sandbox.seed})` : `sandbox: no faults (seed ${sandbox.seed})`,
      `sandbox: try  AWS_ENDPOINT_URL=${sandbox.endpoint} AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox aws s3api list-buckets`,
      `sandbox: request counts at ${sandbox.endpoint}/_sandbox/stats; Ctrl-C stops`,
      '',
    ].join('\n'),
  );
  const signal = await io.interrupted;
  await sandbox.close();
  io.stderr.write(`sandbox: stopped (${signal}) after ${sandbox.stats().requests} requests\n`);
  return 0;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

async function validateCommand(file: string, io: CommandIO): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InfraAuditError('FILE_NOT_FOUND', `cannot read account file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      hint: 'pass the path of a sandbox account JSON file',
    });
  }
  const parsed = parseAccountJson(text);
  const problems = parsed.problems.length ? parsed.problems : validateAccount(parsed.value).problems;
  if (problems.length === 0) {
    io.stdout.write(`${file}: valid\n`);
    return 0;
  }
  for (const p of problems) io.stdout.write(`${file}: ${p.path}: ${p.message}\n`);
  io.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file} (format: docs/sandbox.md)\n`);
  return 1;
}

/** How the generate summary names each spec key's resources. */
const GENERATED_KIND_NAMES: Record<string, string> = {
  buckets: 'buckets',
  roles: 'roles',
  users: 'users',
  securityGroups: 'security groups',
  dbInstances: 'DB instances',
  dbClusters: 'DB clusters',
  queues: 'queues',
  functions: 'functions',
  trails: 'trails',
  keys: 'KMS keys',
  instances: 'EC2 instances',
  ebsSnapshots: 'EBS snapshots',
  images: 'AMIs',
  fileSystems: 'EFS file systems',
  topics: 'SNS topics',
  serverCertificates: 'server certificates',
  repositories: 'ECR repositories',
  secrets: 'secrets',
};

async function generateCommand(opts: SandboxCommandOptions, io: CommandIO): Promise<number> {
  if (!opts.out) {
    throw new InfraAuditError('USAGE', '--generate needs --out FILE to write the account to', { hint: 'e.g. --generate buckets=1000,roles=300 --seed 1 --out /tmp/big-account.json' });
  }
  const { generateAccount, parseGenerateSpec } = await import('../sandbox/account/generate.js');
  const spec = parseGenerateSpec(opts.generate!);
  const seed = opts.seed ?? 1;
  const { account, planted } = generateAccount(spec, seed);
  await writeFile(opts.out, JSON.stringify(account));
  const kinds = Object.entries(spec).filter(([key, value]) => typeof value === 'number' && (value > 0 || ['buckets', 'roles', 'users', 'securityGroups', 'dbInstances'].includes(key)));
  const made = kinds.map(([key, value]) => (key === 'baseline' ? 'the security baseline' : `${value} ${GENERATED_KIND_NAMES[key] ?? key}`));
  io.stdout.write(`wrote ${opts.out} (seed ${seed}): ${made.join(', ')}\n`);
  io.stdout.write('planted misconfigurations (check id: resources it must flag):\n');
  for (const [checkId, count] of Object.entries(planted).sort()) io.stdout.write(`  ${checkId}: ${count}\n`);
  return 0;
}

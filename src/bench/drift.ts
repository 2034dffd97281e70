/**
 * `npm run bench -- drift`: `infra-audit drift` on a generated account of about 10,000 resources
 * across the supported types, over a sandbox with 20 ms of latency per request, with a state that
 * manages all of it. Reported next to baselines measured in the same run:
 *   - the same drift with an empty state (the live side alone: collection and enumeration), so
 *     the cost of comparing shows as a ratio;
 *   - the bound calls × latency / concurrency;
 *   - JSON.parse of the state file for memory.
 * Each drift runs as its own CLI process (as a user runs it), so its peak RSS is its own.
 *
 * The state is written from the live side itself (every enumerable type's objects, as Terraform
 * attributes): compared in full, it is what `terraform apply` would have left, so the run shows
 * how many of its instances compare in sync.
 *
 * INFRA_AUDIT_BENCH_DRIFT_SPEC overrides the account (the `sandbox --generate` spec syntax).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AwsSession, DEFAULT_CONCURRENCY } from '../aws/session.js';
import { collectLive } from '../drift/run.js';
import { generateAccount, parseGenerateSpec } from '../sandbox/account/generate.js';
import { enumerableTypes } from '../terraform/live/registry.js';
import type { LiveInventory } from '../terraform/live/types.js';
import { startSandboxProcess } from './sandbox-process.js';
import { fmtMiB, fmtMs, type BenchResult } from './stats.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const CREDENTIALS = { accessKeyId: 'AKIABENCH0000000000', secretAccessKey: 'bench' };
const DEFAULT_SPEC = 'buckets=3000,roles=2000,users=500,security-groups=1500,db-instances=400,db-clusters=100,queues=1000,functions=1000,keys=500,repositories=500,secrets=500,launch-templates=300,vpc-endpoints=300,key-pairs=300';
const AWS_PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
/** Prints the process's peak RSS at exit, for a child whose memory is measured. */
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('bench-maxrss '+process.resourceUsage().maxRSS+'\\n'))`;

export async function benchDrift(options: { spec?: string; latencyMs?: number } = {}): Promise<BenchResult> {
  const specText = options.spec ?? process.env.INFRA_AUDIT_BENCH_DRIFT_SPEC ?? DEFAULT_SPEC;
  const latencyMs = options.latencyMs ?? 20;
  const generated = generateAccount(parseGenerateSpec(specText), 1);
  const sandbox = await startSandboxProcess(generated.account, { latencyMs, seed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'infra-audit-bench-drift-'));
  const rows: Array<[string, string]> = [['account', `${specText}; regions ${Object.keys(generated.account.Regions).join(', ')}`], ['latency', `${latencyMs} ms per request`]];
  try {
    const session = new AwsSession({ endpointUrl: sandbox.endpoint, credentials: CREDENTIALS });
    const { live } = await collectLive(session, {});
    const state = stateFromLive(live);
    const stateFile = join(dir, 'terraform.tfstate');
    writeFileSync(stateFile, state.text);
    const emptyFile = join(dir, 'empty.tfstate');
    writeFileSync(emptyFile, JSON.stringify({ version: 4, terraform_version: '1.9.8', serial: 1, lineage: 'bench-empty', outputs: {}, resources: [] }));
    rows.push(['state', `${state.instances} instances of ${state.types} types written from the live side, ${fmtMiB(statSync(stateFile).size)}`]);

    const empty = await driftProcess(sandbox, emptyFile, dir);
    const full = await driftProcess(sandbox, stateFile, dir);
    const parseRss = await parseOnlyRss(stateFile);
    const bound = (full.calls * latencyMs) / DEFAULT_CONCURRENCY;
    const summary = full.report.summary as Record<string, number>;
    rows.push(
      ['drift, state managing everything', `${fmtMs(full.ms)} wall, ${full.calls} AWS calls, peak RSS ${fmtMiB(full.maxRss)}; exit ${full.code}`],
      ['  compared', `${summary.compared} of ${summary.stateInstances} state instances (${summary.comparedPercent}%), ${summary.inSync} in sync, ${summary.changed} changed, ${summary.missing} missing, ${summary.unmanaged} unmanaged; coverage ${summary.managedPercent}% managed`],
      ['baseline: drift, empty state', `${fmtMs(empty.ms)} wall, ${empty.calls} AWS calls, peak RSS ${fmtMiB(empty.maxRss)}; ${(empty.report.summary as Record<string, number>).unmanaged} unmanaged`],
      ['  ratio', `wall ${(full.ms / empty.ms).toFixed(2)}x, calls ${(full.calls / empty.calls).toFixed(2)}x, peak RSS ${(full.maxRss / empty.maxRss).toFixed(2)}x the live side alone`],
      ['bound', `calls × latency / concurrency = ${full.calls} × ${latencyMs} ms / ${DEFAULT_CONCURRENCY} = ${fmtMs(bound)}; wall is ${(full.ms / bound).toFixed(2)}x it (services overlap, so it can beat it)`],
      ['floor: JSON.parse of the state', `peak RSS ${fmtMiB(parseRss)} (a bare node process parsing the file); drift's is ${(full.maxRss / parseRss).toFixed(2)}x it`],
    );
    return { name: 'Drift on a generated estate (~10,000 resources, 20 ms per AWS call)', rows };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A state holding every enumerable live object, its attributes unflattened from their paths. */
export function stateFromLive(live: LiveInventory): { text: string; instances: number; types: number } {
  const resources: unknown[] = [];
  let instances = 0;
  for (const spec of enumerableTypes()) {
    const objects = spec.enumerate!(live);
    if (objects.length === 0) continue;
    // One resource block per object: instance addresses stay unique whatever the names.
    // Read-only mirrors a provider refreshes only when no split resource manages them stay out,
    // as a state written by a current provider with split resources has them.
    const skipped = new Set(spec.compared.filter((c) => c.optional && c.normalize).map((c) => c.path));
    objects.forEach((object, i) => {
      const attributes: Record<string, unknown> = { ...object.stub };
      for (const [path, value] of Object.entries(object.attributes)) {
        if (value === undefined || skipped.has(path)) continue;
        setPath(attributes, path, asStateValue(spec.type, path, value));
      }
      attributes.id ??= object.importId;
      // As provider v6 records it; regional singletons (the EBS default, a Config recorder) are found by it.
      if (object.region) attributes.region ??= object.region;
      if (object.resourceId.startsWith('arn:')) attributes.arn ??= object.resourceId;
      if (attributes.tags && typeof attributes.tags === 'object') attributes.tags_all ??= attributes.tags;
      resources.push({ mode: 'managed', type: spec.type, name: `r${i}`, provider: AWS_PROVIDER, instances: [{ schema_version: 0, attributes }] });
      instances++;
    });
  }
  const types = new Set(resources.map((r) => (r as { type: string }).type)).size;
  return { text: JSON.stringify({ version: 4, terraform_version: '1.9.8', serial: 1, lineage: 'bench-drift', outputs: {}, resources }), instances, types };
}

/** A compared attribute's live form as the provider writes it in state: rule lines become rule blocks. */
function asStateValue(type: string, path: string, value: unknown): unknown {
  if (path !== 'ingress' && path !== 'egress') return value;
  if (type === 'aws_security_group') return (value as string[]).map(ruleBlock);
  if (type === 'aws_network_acl' || type === 'aws_default_network_acl') return (value as string[]).map(aclRuleBlock);
  return value;
}

/**
 * A network ACL rule line as drift shows it (`100 allow 6 443 10.0.0.0/16`, `110 deny 1 type 8 code 0
 * ::/0`, `120 allow -1 0.0.0.0/0`) as an `ingress`/`egress` block of aws_network_acl.
 */
function aclRuleBlock(line: string): Record<string, unknown> {
  const tokens = line.split(' ');
  const [ruleNo, action, protocol] = [Number(tokens[0]), tokens[1]!, tokens[2]!];
  const source = tokens.at(-1)!;
  const ports = protocol === '6' || protocol === '17' ? tokens[3]!.split('-') : ['0'];
  const icmp = protocol === '1' || protocol === '58' ? [Number(tokens[4]), Number(tokens[6])] : [0, 0];
  return {
    rule_no: ruleNo,
    action,
    protocol,
    from_port: Number(ports[0]),
    to_port: Number(ports[1] ?? ports[0]),
    icmp_type: icmp[0],
    icmp_code: icmp[1],
    cidr_block: source.includes(':') ? '' : source,
    ipv6_cidr_block: source.includes(':') ? source : '',
  };
}

/** A rule atom as diffs show it (`tcp 443 cidr:0.0.0.0/0 "web"`, `all cidr:0.0.0.0/0`) as an inline rule block. */
function ruleBlock(atom: string): Record<string, unknown> {
  const description = /"(.*)"$/.exec(atom)?.[1] ?? '';
  const tokens = atom.replace(/ ".*"$/, '').split(' ');
  const [protocol, ports, source] = tokens[0] === 'all' ? ['-1', '0', tokens[1]!] : [tokens[0]!, tokens[1]!, tokens[2]!];
  const [from, to = from] = ports.split('-');
  const [kind, value] = [source.slice(0, source.indexOf(':')), source.slice(source.indexOf(':') + 1)];
  return {
    protocol,
    from_port: Number(from),
    to_port: Number(to),
    description,
    cidr_blocks: kind === 'cidr' ? [value] : [],
    ipv6_cidr_blocks: kind === 'cidr6' ? [value] : [],
    prefix_list_ids: kind === 'pl' ? [value] : [],
    security_groups: kind === 'sg' ? [value] : [],
    self: false,
  };
}

/** `a.0.b` → { a: [{ b }] }, as Terraform writes nested blocks. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    const nextIsIndex = /^\d+$/.test(parts[i + 1]!);
    const container = node as Record<string, unknown>;
    container[key] ??= nextIsIndex ? [] : {};
    node = container[key] as Record<string, unknown> | unknown[];
  }
  (node as Record<string, unknown>)[parts.at(-1)!] = value;
}

interface DriftRun {
  ms: number;
  calls: number;
  maxRss: number;
  code: number | null;
  report: { summary: unknown };
}

async function driftProcess(sandbox: { endpoint: string; resetStats(): Promise<void>; stats(): Promise<{ requests: number }> }, stateFile: string, dir: string): Promise<DriftRun> {
  await sandbox.resetStats();
  const output = join(dir, 'drift.json');
  const args = ['--import', REPORT_RSS, CLI, 'drift', '--state', stateFile, '--endpoint-url', sandbox.endpoint, '--format', 'json', '--output', output, '--allow-account-mismatch'];
  const started = performance.now();
  const { code, stderr } = await run(args);
  const ms = performance.now() - started;
  if (code !== 0 && code !== 1) throw new Error(`drift exited ${code}: ${stderr.slice(-2000)}`);
  const calls = (await sandbox.stats()).requests;
  return { ms, calls, maxRss: maxRssOf(stderr), code, report: JSON.parse(readFileSync(output, 'utf8')) as { summary: unknown } };
}

async function parseOnlyRss(file: string): Promise<number> {
  const { stderr } = await run(['--import', REPORT_RSS, '-e', `JSON.parse(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`]);
  return maxRssOf(stderr);
}

function maxRssOf(stderr: string): number {
  const match = /bench-maxrss (\d+)/.exec(stderr);
  if (!match) throw new Error(`no peak RSS reported: ${stderr.slice(-500)}`);
  return Number(match[1]) * 1024;
}

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' } });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

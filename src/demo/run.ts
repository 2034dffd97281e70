/**
 * The demo: the whole product, end to end, on the sandbox's demo account. It is the front
 * door, so every step uses the same public paths a user would: the audit engine and its
 * reports, the MCP server over a real transport with its audit log, the data plane, and the
 * agent when a model is configured. Nothing here reaches beyond 127.0.0.1.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadAccountFile } from '../sandbox/account/load.js';
import { startSandbox, type RunningSandbox } from '../sandbox/server.js';
import { runAudit } from '../audit/run.js';
import { toAuditReport } from '../audit/report.js';
import { renderReport } from '../report/render.js';
import { reportSummary } from '../report/findings.js';
import { severityRank, type Finding } from '../findings/model.js';
import { ServerSession } from '../server/session.js';
import { createMcpServer } from '../server/create-server.js';
import { startHttpServer } from '../server/http.js';
import { TokenAuthenticator, newToken } from '../server/auth/tokens.js';
import { AuditLog } from '../audit-log/audit-log.js';
import { verifyChain } from '../audit-log/verify.js';
import { ensureDemoDatabase } from '../dataplane/demo-db.js';
import { DataPlane } from '../dataplane/data-plane.js';
import { DataPlaneScope } from '../dataplane/scope.js';
import { parseDataPlaneConfig } from '../dataplane/config.js';
import { Redactor } from '../redact/redactor.js';
import type { CommandIO } from '../cli/io.js';
import { loadTerraformInputs, runDrift } from '../drift/run.js';
import type { DriftEntry } from '../drift/model.js';
import { renderDriftReport } from '../drift/report/render.js';
import { entryTitle, nameInGroup, summaryLine, unmanagedByType } from '../drift/report/text.js';
import { terminalSafe } from '../report/escape.js';
import { AwsSession } from '../aws/session.js';
import { S3_PUBLIC_AUDIT_TASK } from '../server/prompts.js';

export const DEMO_DIR = fileURLToPath(new URL('../../examples/demo/', import.meta.url));
export const DEMO_ACCOUNT = join(DEMO_DIR, 'account.json');
/** The RDS instance of the demo account whose data the local PostgreSQL stands in for. */
const DEMO_DB_INSTANCE = 'acme-reporting';
/** Names shown per unmanaged type; the rest are counted and left to drift.json. */
const UNMANAGED_NAMES_SHOWN = 4;
const SANDBOX_CREDENTIALS = { accessKeyId: 'AKIASANDBOXDEMO00000', secretAccessKey: 'sandbox-demo' };

export interface DemoOptions {
  account?: string;
  output?: string;
  /** Skip the local PostgreSQL step (it is skipped anyway, with a reason, when unreachable). */
  skipDatabase?: boolean;
}

export interface DemoResult {
  outputDir: string;
  findings: Finding[];
  publicBuckets: string[];
  toolCalls: number;
  auditLogVerified: boolean;
  database: 'shown' | 'skipped';
  drift: DriftEntry[];
  /** The agent's run, when a model is configured; otherwise how to run it was printed. */
  agent: 'ran' | 'explained';
}

class Printer {
  constructor(private readonly io: CommandIO) {}
  heading(n: number, title: string) {
    this.io.stdout.write(`\n${n}. ${title}\n${'─'.repeat(Math.min(78, title.length + 4))}\n`);
  }
  line(text = '') {
    this.io.stdout.write(`${text}\n`);
  }
}

export async function runDemo(options: DemoOptions, io: CommandIO): Promise<DemoResult> {
  const out = new Printer(io);
  const outputDir = resolve(options.output ?? (await mkdtemp(join(tmpdir(), 'infra-audit-demo-'))));
  await mkdir(outputDir, { recursive: true });
  const account = await loadAccountFile(options.account ?? DEMO_ACCOUNT);
  const sandbox = await startSandbox({ account });
  try {
    out.line('infra-audit demo: a read-only audit of a realistic AWS account, end to end, with no AWS account of your own.');
    out.line(`The sandbox serves account ${account.AccountId} (${Object.keys(account.Regions).join(', ')}) at ${sandbox.endpoint}; every AWS call below is a real AWS SDK call over HTTP.`);

    const audit = await auditStep(out, sandbox, outputDir);
    const drift = await driftStep(out, sandbox, outputDir, io);
    const mcp = await mcpStep(out, sandbox, outputDir, options);
    const agent = await agentStep(out, sandbox, outputDir, io);
    out.line();
    out.line(`Reports and the audit log are in ${outputDir}`);
    return { outputDir, findings: audit.findings, publicBuckets: audit.publicBuckets, drift, ...mcp, agent };
  } finally {
    await sandbox.close();
  }
}

async function auditStep(out: Printer, sandbox: RunningSandbox, outputDir: string) {
  out.heading(1, 'Audit the account (no LLM: the same engine as `infra-audit audit` in CI)');
  const before = sandbox.stats().requests;
  const result = await runAudit({ endpointUrl: sandbox.endpoint, credentials: SANDBOX_CREDENTIALS, regions: ['all'] });
  const report = toAuditReport(result);
  const summary = reportSummary(report);
  const fails = report.findings.filter((f) => f.status === 'fail').sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  out.line(`${report.checks.length} checks over ${sandbox.stats().requests - before} read-only AWS calls in ${(result.stats.durationMs / 1000).toFixed(1)} s: ` + `${summary.fail} fail, ${summary.pass} pass, ${summary.error} could not be read.`);
  out.line();
  out.line('The article\'s task: "find all S3 buckets with public read access and generate a remediation plan":');
  const publicRead = fails.filter((f) => f.checkId === 's3_bucket_public_read');
  for (const f of publicRead) {
    out.line(`  • ${f.resourceName ?? f.resourceId}: ${f.message}`);
    out.line(`    fix: ${f.remediation}`);
  }
  out.line();
  out.line('Every other critical and high finding:');
  for (const f of fails.filter((f) => f.checkId !== 's3_bucket_public_read' && severityRank(f.severity) >= severityRank('high'))) {
    out.line(`  [${f.severity}] ${f.checkId}: ${f.message}`);
  }
  const files: Array<[string, Parameters<typeof renderReport>[0]]> = [
    ['audit.html', 'html'],
    ['audit.json', 'json'],
    ['audit.sarif', 'sarif'],
    ['audit.md', 'markdown'],
  ];
  for (const [name, format] of files) await writeFile(join(outputDir, name), renderReport(format, report));
  out.line();
  out.line(`Reports: ${files.map(([name]) => join(outputDir, name)).join(', ')}`);
  return { findings: report.findings, publicBuckets: publicRead.map((f) => f.resourceName ?? f.resourceId) };
}

async function driftStep(out: Printer, sandbox: RunningSandbox, outputDir: string, io: CommandIO): Promise<DriftEntry[]> {
  out.heading(2, 'Terraform ground truth: state, HCL and live AWS compared (`infra-audit drift`)');
  const terraformDir = join(DEMO_DIR, 'terraform');
  const inputs = await loadTerraformInputs({ statePaths: [join(terraformDir, 'terraform.tfstate')], configDir: terraformDir, cwd: io.cwd, env: io.env });
  const session = new AwsSession({ endpointUrl: sandbox.endpoint, credentials: SANDBOX_CREDENTIALS });
  const report = await runDrift(inputs, session, { displayRoot: DEMO_DIR });
  const byKind = (kind: DriftEntry['kind']) => report.entries.filter((e) => e.kind === kind);
  // The headline the `drift` command ends with: counts, instances compared, coverage, unsupported types.
  out.line(summaryLine(report));
  const describe: Record<Exclude<DriftEntry['kind'], 'unmanaged'>, string> = {
    changed: 'changed outside Terraform',
    missing: 'in state, gone from AWS',
    unapplied: 'declared in HCL, never applied',
  };
  for (const kind of ['changed', 'missing', 'unapplied'] as const) {
    for (const e of byKind(kind)) {
      const diffs = e.diffs?.map((d) => d.path).join(', ');
      out.line(`  ${kind.padEnd(9)} ${terminalSafe(entryTitle(e))}: ${describe[kind]}${diffs ? ` (${terminalSafe(diffs)})` : ''}`);
    }
  }
  // Unmanaged resources, counted per type: a handful of names each, the rest in drift.json.
  const groups = unmanagedByType(report);
  if (groups.length) out.line(`  unmanaged: ${byKind('unmanaged').length} live resource(s) of ${groups.length} type(s) in no state:`);
  for (const { type, entries } of groups) {
    const names = entries.slice(0, UNMANAGED_NAMES_SHOWN).map((e) => terminalSafe(nameInGroup(e, entries)));
    const more = entries.length - names.length;
    out.line(`    ${type} (${entries.length}): ${names.join(', ')}${more > 0 ? `, +${more} more (see drift.json)` : ''}`);
  }
  // A role made outside Terraform is the example a security engineer cares about; any unmanaged entry otherwise.
  const importable = byKind('unmanaged').filter((e) => e.importBlocks);
  const example = importable.find((e) => e.resourceType === 'aws_iam_role') ?? importable[0];
  if (example?.importBlocks) {
    const lines = example.importBlocks.split('\n');
    const end = lines.findIndex((l) => l === '}');
    out.line(`  To bring ${terminalSafe(entryTitle(example))} under Terraform, an import block to review and paste (all of them in drift.json):`);
    for (const l of lines.slice(0, end < 0 ? 4 : end + 1)) out.line(`    ${terminalSafe(l)}`);
  }
  await writeFile(join(outputDir, 'drift.json'), renderDriftReport('json', report, {}));
  out.line(`The state's secrets (a DB password, access-key secrets, sensitive outputs) were compared by equality and are never shown. Report: ${join(outputDir, 'drift.json')}`);
  return report.entries;
}

async function mcpStep(out: Printer, sandbox: RunningSandbox, outputDir: string, options: DemoOptions) {
  out.heading(3, 'The MCP server: what an agent sees (Streamable HTTP, authenticated, every call audited)');
  const db = options.skipDatabase ? { config: undefined, reason: 'skipped (--skip-database)' } : await ensureDemoDatabase();
  const dataConfig = parseDataPlaneConfig(
    { buckets: ['acme-marketing-site', 'acme-app-uploads'], databases: db.config ? [{ ...db.config, id: DEMO_DB_INSTANCE }] : [] },
    '<demo data-plane config>',
  );
  const dataPlane = new DataPlane(DataPlaneScope.fromConfig(dataConfig));
  const logFile = join(outputDir, 'audit-log.jsonl');
  let session: ServerSession | undefined;
  const redactor = new Redactor();
  const audit = await AuditLog.open({ target: logFile, identity: () => session!.identity(), region: 'us-east-1', redact: (v) => redactor.redact(v) });
  session = new ServerSession({
    redactor,
    aws: { endpointUrl: sandbox.endpoint, credentials: SANDBOX_CREDENTIALS, region: 'us-east-1' },
    protectedBuckets: ['acme-terraform-state'],
    awsCallRecorder: audit,
    dataPlane,
  });
  const { token, entry } = newToken('demo-user');
  const http = await startHttpServer({
    authenticator: new TokenAuthenticator([entry]),
    buildServer: (principal) => createMcpServer(session!, { defaultCaller: { principal: principal.name, transport: 'http' }, onToolCall: audit.onToolCall }),
  });
  const client = new Client({ name: 'infra-audit-demo', version: '1.0.0' });
  let toolCalls = 0;
  let databaseShown: 'shown' | 'skipped' = 'skipped';
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    const { tools } = await client.listTools();
    out.line(`${http.url} exposes ${tools.length} tools, every one annotated readOnlyHint: true. There is no write tool and no apply.`);
    out.line(`  ${tools.map((t) => t.name).join(', ')}`);
    const call = async (name: string, args: Record<string, unknown>) => {
      toolCalls++;
      return client.callTool({ name, arguments: args });
    };
    const who = (await call('whoami', {})).structuredContent as { arn: string; requiredActions: string[] };
    out.line(`whoami: running as ${who.arn}; the enabled tools need exactly ${who.requiredActions.length} IAM read actions (\`infra-audit iam-policy\`).`);
    const found = (await call('find_public_buckets', {})).structuredContent as { summary: { buckets: number; public: number }; buckets: Array<{ bucket: string; verdict: string }> };
    out.line(
      `find_public_buckets (one call for the whole account): ${found.summary.public} of ${found.summary.buckets} buckets public: ` +
        found.buckets.filter((b) => b.verdict === 'public').map((b) => b.bucket).join(', '),
    );
    const policy = await call('get_bucket_policy', { bucket: 'acme-marketing-site' });
    const statements = ((policy.structuredContent as { policy?: { Statement?: Array<{ Sid?: string; Principal?: unknown }> } }).policy?.Statement ?? []).map((s) => `${s.Sid ?? '(no Sid)'} → ${JSON.stringify(s.Principal)}`);
    out.line(`get_bucket_policy acme-marketing-site: ${statements.join('; ')}`);
    const refused = await call('read_file', { bucket: 'acme-terraform-state', key: 'prod/terraform.tfstate' });
    out.line(`read_file on the Terraform state bucket: refused (${firstLine(refused)})`);

    if (db.config) {
      const tables = await call('list_tables', { database: DEMO_DB_INSTANCE });
      const names = ((tables.structuredContent as { tables?: Array<{ name: string }> }).tables ?? []).map((t) => t.name);
      out.line(`list_tables ${DEMO_DB_INSTANCE} (local PostgreSQL standing in for RDS): ${names.join(', ')}`);
      const rows = await call('query_db', { database: DEMO_DB_INSTANCE, sql: 'SELECT name, plan, notes FROM customers ORDER BY id' });
      out.line(`query_db: ${(rows.structuredContent as { rowCount?: number }).rowCount ?? '?'} rows; a customer note holding a prompt injection comes back fenced as data:`);
      const text = (rows.content as Array<{ text: string }>)[0]?.text ?? '';
      for (const l of text.split('\n').filter((l) => /untrusted-data|IGNORE PREVIOUS/.test(l)).slice(0, 4)) out.line(`    ${l.slice(0, 140)}`);
      const write = await call('query_db', { database: DEMO_DB_INSTANCE, sql: 'DELETE FROM orders' });
      // The database's own message comes back fenced as data (it may quote rows): show its one line.
      const refusal = ((write.content as Array<{ text: string }>)[0]?.text ?? '').split('\n').find((l) => /read-only transaction/.test(l)) ?? firstLine(write);
      out.line(`query_db "DELETE FROM orders": refused by the database itself (${refusal.trim().slice(0, 160)})`);
      databaseShown = 'shown';
    } else {
      out.line(`query_db: skipped: ${db.reason}`);
    }
  } finally {
    await client.close().catch(() => undefined);
    await http.close();
    session.close();
    await dataPlane.close();
    await audit.close();
  }
  const verdict = await verifyChain([logFile]);
  out.line();
  out.line(`Audit log: ${verdict.records} records (one per tool call and per AWS call), hash-chained; \`infra-audit log verify ${logFile}\`: ${verdict.ok ? 'intact' : `FAILED: ${verdict.failure?.message ?? ''}`}`);
  return { toolCalls, auditLogVerified: verdict.ok, database: databaseShown };
}

async function agentStep(out: Printer, sandbox: RunningSandbox, outputDir: string, io: CommandIO): Promise<DemoResult['agent']> {
  out.heading(4, 'The agent: read and report, never apply');
  const state = join(DEMO_DIR, 'terraform', 'terraform.tfstate');
  const config = join(DEMO_DIR, 'terraform');
  const provider = io.env.ANTHROPIC_API_KEY ? 'anthropic' : io.env.OPENAI_BASE_URL ? 'openai' : undefined;
  if (!provider) {
    out.line('The agent calls the same tools through the MCP server and returns a findings report with a remediation proposal (a Terraform patch) per finding.');
    out.line('Set ANTHROPIC_API_KEY (or OPENAI_BASE_URL for a local model) and rerun the demo to watch it work, or run it yourself:');
    out.line('  infra-audit sandbox --account examples/demo/account.json --port 4566 &');
    out.line(`  infra-audit agent "${S3_PUBLIC_AUDIT_TASK}" \\`);
    out.line('    --endpoint-url http://127.0.0.1:4566 --state examples/demo/terraform/terraform.tfstate --config examples/demo/terraform');
    return 'explained';
  }
  out.line(`Running the agent (${provider}) on the article's task: "${S3_PUBLIC_AUDIT_TASK}"`);
  const { runAgent } = await import('../agent/run.js');
  const result = await runAgent({
    task: S3_PUBLIC_AUDIT_TASK,
    provider,
    serve: { endpointUrl: sandbox.endpoint, state: [state], config, auditLog: join(outputDir, 'agent', 'audit.jsonl') },
    output: join(outputDir, 'agent'),
    cwd: io.cwd,
    env: { ...io.env, AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' },
    progress: io.stderr,
  });
  out.line(`The agent's report (${result.status}): ${result.report.findings.length} findings, written with its proposals to ${result.outputDir}`);
  for (const f of result.report.findings) out.line(`  [${f.severity}]${f.verified ? '' : ' (unverified)'} ${f.title}`);
  return 'ran';
}

function firstLine(result: Record<string, unknown>): string {
  const text = ((result.content as Array<{ text?: string }> | undefined) ?? [])[0]?.text ?? '';
  return text.split('\n')[0]!.slice(0, 160);
}

/**
 * `infra-audit audit`: run the security checks against live AWS (or the sandbox) and report.
 *
 * Exit codes (docs/findings.md): 0 when no unsuppressed `fail` is at or above --fail-on
 * (default: high, so high and critical fail a CI job and medium and below inform), 1 when one
 * is, 2 when the audit itself failed (bad input, no credentials, unreachable endpoint).
 * Findings with status `error` (a read was denied or timed out) make the run exit 2 when more
 * than --error-threshold (default half) of the checks could not run at all, or with
 * --fail-on-error when there is any; every report shows them, and stderr counts them.
 */
import path from 'node:path';
import { InfraAuditError } from '../errors.js';
import { checkAwsSettings } from '../aws/preflight.js';
import { decideCompleteness, decideFailOn, EXIT_FAILED, parseErrorThreshold, parseSeverityThreshold } from '../findings/fail-on.js';
import type { Severity } from '../findings/model.js';
import { applySuppressions, loadSuppressionsFile, refuseUnknownChecks } from '../findings/suppressions.js';
import { summarizeFindings } from '../findings/summary.js';
import { renderReport } from '../report/render.js';
import { REPORT_FORMATS } from '../report/types.js';
import { CHECKS } from '../checks/registry.js';
import { runAudit, type AuditProgress } from '../audit/run.js';
import { selectChecks } from '../audit/select.js';
import { toAuditReport } from '../audit/report.js';
import { evaluateCompliance } from '../compliance/evaluate.js';
import { parseComplianceFramework } from '../compliance/frameworks.js';
import { complianceLine } from '../report/compliance-text.js';
import { loadTerraformInputs } from '../drift/run.js';
import { linkFindings } from '../drift/link.js';
import type { CommandIO } from './io.js';
import { resolveOutputs, sarifRoot, writeOutputs, type OutputFlags } from './outputs.js';

export const DEFAULT_FAIL_ON: Severity = 'high';

export interface AuditCommandOptions extends OutputFlags {
  endpointUrl?: string;
  region?: string[];
  profile?: string;
  assumeRole?: string[];
  /** SARIF paths are relative to this directory (default: the git work tree's root). */
  sarifRoot?: string;
  failOn?: string;
  /** Repeatable; each comma-separated. */
  checks?: string | string[];
  skipChecks?: string | string[];
  /** Services whose checks run (Prowler's --services); repeatable, each comma-separated. */
  services?: string | string[];
  /** A compliance framework (cis-3.0, cis-5.0): the reports add its control table and score. */
  compliance?: string;
  suppressions?: string;
  idleDays?: number;
  maxAttempts?: number;
  concurrency?: number;
  /** Seconds. */
  connectTimeout?: number;
  requestTimeout?: number;
  failOnError?: boolean;
  errorThreshold?: string;
  listChecks?: boolean;
  /** Terraform state(s): findings on managed resources name their address. */
  state?: string[];
  /** Terraform root module: findings also name the declaring file and line. */
  config?: string;
}

/** The audit's report formats, plus OCSF as JSON Lines (one event per line, for Security Lake / Firehose). */
export const AUDIT_FORMATS = [...REPORT_FORMATS, 'ocsf-jsonl'] as const;
type AuditFormat = (typeof AUDIT_FORMATS)[number];

function listChecks(io: CommandIO, format: string | undefined): number {
  const fmt = (format ?? 'table').trim().toLowerCase();
  if (fmt === 'json') {
    const catalog = CHECKS.map(({ metadata: m }) => ({ id: m.id, service: m.service, severity: m.severity, title: m.title, failTitle: m.failTitle, cis: m.cis ?? [] }));
    io.stdout.write(`${JSON.stringify(catalog, null, 2)}\n`);
    return 0;
  }
  if (fmt !== 'table') throw new InfraAuditError('USAGE', `--list-checks prints table or json, not "${format}"`, { hint: 'e.g. infra-audit audit --list-checks --format json' });
  for (const { metadata: m } of CHECKS) {
    io.stdout.write(`${m.id.padEnd(36)} ${m.severity.padEnd(8)} ${(m.cis?.length ? `CIS ${m.cis.join(', ')}` : '').padEnd(14)} ${m.title}\n`);
  }
  return 0;
}

function progressPrinter(io: CommandIO): ((e: AuditProgress) => void) | undefined {
  // Progress is for a person watching a terminal; in CI and pipes stderr stays clean.
  if (!io.stderr.isTTY) return undefined;
  return (e) => io.stderr.write(`audit: ${e.accountId ? `${e.accountId} ` : ''}${e.phase}${e.detail ? ` ${e.detail}` : ''}\n`);
}

export async function runAuditCommand(opts: AuditCommandOptions, io: CommandIO): Promise<number> {
  if (opts.listChecks) return listChecks(io, opts.format);
  // Every input is checked before the first AWS call, so a typo costs nothing.
  const outputs = resolveOutputs<AuditFormat>(opts, { formats: AUDIT_FORMATS, defaultFormat: 'table', basename: 'audit', cwd: io.cwd });
  checkAwsSettings({ regions: opts.region, profile: opts.profile, env: io.env });
  const sourceRoot = sarifRoot(opts.sarifRoot, opts.config ?? '.', io.cwd);
  const failOn = parseSeverityThreshold(opts.failOn ?? DEFAULT_FAIL_ON);
  const errorThreshold = opts.errorThreshold === undefined ? undefined : parseErrorThreshold(opts.errorThreshold);
  const framework = opts.compliance === undefined ? undefined : parseComplianceFramework(opts.compliance);
  const suppressions = opts.suppressions ? await loadSuppressionsFile(opts.suppressions) : [];
  refuseUnknownChecks(suppressions, CHECKS.map((c) => c.metadata.id));
  const checks = asList(opts.checks);
  const skipChecks = asList(opts.skipChecks);
  const services = asList(opts.services);
  // An unknown --checks id or service is refused before the first AWS call too.
  selectChecks(CHECKS, checks, skipChecks, services);
  if (opts.config && !opts.state?.length) {
    throw new InfraAuditError('USAGE', '--config needs --state: findings are linked to Terraform through the state', { hint: 'add --state terraform.tfstate (or another state source)' });
  }
  const terraform = opts.state?.length
    ? await loadTerraformInputs({ statePaths: opts.state, configDir: opts.config ? path.resolve(io.cwd, opts.config) : undefined, cwd: io.cwd, env: io.env, stdin: io.stdin })
    : undefined;

  const result = await runAudit({
    endpointUrl: opts.endpointUrl ?? (io.env.AWS_ENDPOINT_URL || undefined),
    profile: opts.profile,
    regions: opts.region,
    assumeRoles: opts.assumeRole,
    checks,
    skipChecks,
    services,
    idleDays: opts.idleDays,
    maxAttempts: opts.maxAttempts,
    concurrency: opts.concurrency,
    connectTimeoutMs: secondsToMs(opts.connectTimeout),
    requestTimeoutMs: secondsToMs(opts.requestTimeout),
    signal: io.signal,
    onProgress: progressPrinter(io),
  });
  if (terraform) {
    let linked = 0;
    for (const snapshot of result.snapshots) linked += linkFindings(result.findings, result.checks, terraform, snapshot, { displayRoot: io.cwd });
    io.stderr.write(`audit: ${linked} finding(s) linked to Terraform resources\n`);
    // Anything in a finding equal to a secret the state or configuration holds leaves as the marker.
    result.findings = terraform.redactor.redact(result.findings);
  }
  const finished = new Date();
  const suppressed = applySuppressions(result.findings, suppressions, finished);
  result.findings = suppressed.findings;
  for (const warning of suppressed.warnings) io.stderr.write(`audit: ${warning}\n`);

  const report = toAuditReport(result, finished);
  if (framework) report.compliance = evaluateCompliance(framework, CHECKS.map((c) => c.metadata), result.checks, result.findings);
  const color = io.stdout.isTTY === true && !io.env.NO_COLOR;
  await writeOutputs(
    outputs,
    (t) =>
      t.format === 'ocsf-jsonl'
        ? renderReport('ocsf', report, { jsonLines: true })
        : renderReport(t.format, report, { color: color && t.file === undefined, sourceRoot, baseDir: io.cwd }),
    io.stdout,
  );
  const files = outputs.filter((t) => t.file !== undefined).map((t) => t.display);

  const summary = summarizeFindings(result.findings);
  const decision = decideFailOn(result.findings, failOn);
  const completeness = decideCompleteness(result.findings, result.stats.checksRun * result.accounts.length, { failOnError: opts.failOnError, errorThreshold });
  io.stderr.write(
    `audit: account ${result.accounts.map((a) => a.accountId).join(', ')}: ${result.stats.checksRun} checks, ${summary.fail} fail` +
      `${summary.suppressed ? ` (+${summary.suppressed} suppressed)` : ''}, ${summary.pass} pass, ${summary.error} error; ` +
      `${result.stats.apiCalls} AWS calls in ${(result.stats.durationMs / 1000).toFixed(1)} s${files.length > 0 ? `; report${files.length === 1 ? '' : 's'} in ${files.join(', ')}` : ''}` +
      `${completeness.failure ? `; INCOMPLETE: ${completeness.failure}, exit 2` : ''}\n`,
  );
  if (report.compliance) io.stderr.write(`audit: ${complianceLine(report.compliance)}\n`);
  if (summary.error > 0) io.stderr.write(`audit: ${summary.error} verdict${summary.error === 1 ? '' : 's'} could not be reached (a read was denied or failed); see the findings with status "error"\n`);
  if (decision.blocking.length > 0) io.stderr.write(`audit: ${decision.blocking.length} finding${decision.blocking.length === 1 ? '' : 's'} at or above --fail-on ${failOn}\n`);
  // An audit that could not look is not a pass, and its failures are not the whole story either.
  return completeness.failure ? EXIT_FAILED : decision.exitCode;
}

function asList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

export function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

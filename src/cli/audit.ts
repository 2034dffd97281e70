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
import type { Finding, Severity } from '../findings/model.js';
import { applySuppressions, loadSuppressionsFile, refuseUnknownChecks } from '../findings/suppressions.js';
import { summarizeFindings } from '../findings/summary.js';
import { streamReport } from '../report/render.js';
import { passCount } from '../findings/passed.js';
import { REPORT_FORMATS } from '../report/types.js';
import { CHECKS } from '../checks/registry.js';
import { runAudit, type AuditProgress } from '../audit/run.js';
import { selectChecks } from '../audit/select.js';
import { toAuditReport } from '../audit/report.js';
import { evaluateCompliance } from '../compliance/evaluate.js';
import { parseComplianceFramework } from '../compliance/frameworks.js';
import { complianceLine } from '../report/compliance-text.js';
import { loadTerraformInputs } from '../drift/run.js';
import { findingLinker } from '../drift/link.js';
import type { CommandIO } from './io.js';
import { resolveOutputs, sarifRoot, writeOutputs, type OutputFlags } from './outputs.js';
import { capConcurrency, ProgressReporter, verbosityOf } from './progress.js';

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
  /** Nothing on stderr but errors. */
  quiet?: boolean;
  /** Every phase and completed service/region on stderr, and the calls per operation at the end. */
  verbose?: boolean;
  /** Milliseconds between progress lines when stderr is not a terminal (hidden; tests shorten the 10 s). */
  progressInterval?: number;
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

/** The engine's events as the progress display shows them: phases on its line, the rest with --verbose. */
function progressEvents(progress: ProgressReporter): (e: AuditProgress) => void {
  return (e) => {
    const who = e.accountId ? `${e.accountId}: ` : '';
    if (e.phase === 'collected' || e.phase === 'done') progress.detail(`${who}${e.phase} ${e.detail ?? ''}`.trimEnd());
    else if (e.phase === 'collecting') {
      // The line stays short; the parts being read are a detail.
      progress.setPhase(`${who}collecting`);
      progress.detail(`${who}reading ${e.detail ?? ''}`.trimEnd());
    } else progress.setPhase(`${who}${e.phase === 'identity' ? 'identity of' : e.phase}${e.detail ? ` ${e.detail}` : ''}`);
  };
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
  const progress = new ProgressReporter({ command: 'audit', stderr: io.stderr, verbosity: verbosityOf(opts), intervalMs: opts.progressInterval });
  try {
    return await audit(opts, io, { outputs, sourceRoot, failOn, errorThreshold, framework, suppressions, checks, skipChecks, services }, progress);
  } finally {
    progress.finish();
  }
}

interface CheckedInputs {
  outputs: ReturnType<typeof resolveOutputs<AuditFormat>>;
  sourceRoot: string;
  failOn: Severity;
  errorThreshold: number | undefined;
  framework: ReturnType<typeof parseComplianceFramework> | undefined;
  suppressions: Awaited<ReturnType<typeof loadSuppressionsFile>>;
  checks: string[] | undefined;
  skipChecks: string[] | undefined;
  services: string[] | undefined;
}

async function audit(opts: AuditCommandOptions, io: CommandIO, inputs: CheckedInputs, progress: ProgressReporter): Promise<number> {
  const { outputs, sourceRoot, failOn, errorThreshold, framework, suppressions, checks, skipChecks, services } = inputs;
  const concurrency = capConcurrency(opts.concurrency, progress);
  if (opts.state?.length) progress.setPhase('reading the Terraform state');
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
    concurrency,
    connectTimeoutMs: secondsToMs(opts.connectTimeout),
    requestTimeoutMs: secondsToMs(opts.requestTimeout),
    signal: io.signal,
    onProgress: progressEvents(progress),
    onSession: (session) => progress.watch(() => ({ ...session.stats, peakInFlight: session.peakInFlight() })),
  });
  progress.setPhase('writing the reports');
  let preparePass: ((pass: Finding) => Finding) | undefined;
  if (terraform) {
    const linkers = result.snapshots.map((snapshot) => findingLinker(result.checks, terraform, snapshot, { displayRoot: io.cwd }));
    let linked = 0;
    for (const finding of result.findings) if (linkers.some((link) => link(finding))) linked++;
    progress.info(`${linked} failing or unreadable finding(s) linked to Terraform resources; passes are linked as the reports are written`);
    // Anything in a finding equal to a secret the state or configuration holds leaves as the marker.
    result.findings = terraform.redactor.redact(result.findings);
    preparePass = (pass) => {
      linkers.some((link) => link(pass));
      return terraform.redactor.redact(pass);
    };
  }
  const finished = new Date();
  const suppressed = applySuppressions(result.findings, suppressions, finished);
  result.findings = suppressed.findings;
  for (const warning of suppressed.warnings) progress.info(warning);

  const report = toAuditReport(result, finished);
  if (preparePass) report.preparePass = preparePass;
  if (framework) report.compliance = evaluateCompliance(framework, CHECKS.map((c) => c.metadata), result.checks, result.findings, result.passed);
  const color = io.stdout.isTTY === true && !io.env.NO_COLOR;
  await writeOutputs(
    outputs,
    (t) =>
      t.format === 'ocsf-jsonl'
        ? streamReport('ocsf', report, { jsonLines: true })
        : streamReport(t.format, report, { color: color && t.file === undefined, sourceRoot, baseDir: io.cwd }),
    io.stdout,
  );
  const files = outputs.filter((t) => t.file !== undefined).map((t) => t.display);

  const summary = summarizeFindings(result.findings, passCount(result.passed));
  const decision = decideFailOn(result.findings, failOn);
  const completeness = decideCompleteness(result.findings, result.stats.checksRun * result.accounts.length, { failOnError: opts.failOnError, errorThreshold, passed: result.passed });
  progress.finish();
  const incomplete = completeness.failure ? `INCOMPLETE: ${completeness.failure}, exit 2` : undefined;
  progress.info(
    `account ${result.accounts.map((a) => a.accountId).join(', ')}: ${result.stats.checksRun} checks, ${summary.fail} fail` +
      `${summary.suppressed ? ` (+${summary.suppressed} suppressed)` : ''}, ${summary.pass} pass, ${summary.error} error; ` +
      `${result.stats.apiCalls} AWS calls in ${(result.stats.durationMs / 1000).toFixed(1)} s${files.length > 0 ? `; report${files.length === 1 ? '' : 's'} in ${files.join(', ')}` : ''}` +
      `${incomplete ? `; ${incomplete}` : ''}`,
  );
  // --quiet keeps the errors: an audit that could not look, and verdicts that could not be reached.
  if (incomplete && progress.quiet) io.stderr.write(`audit: ${incomplete}\n`);
  if (report.compliance) progress.info(complianceLine(report.compliance));
  if (summary.error > 0) io.stderr.write(`audit: ${summary.error} verdict${summary.error === 1 ? '' : 's'} could not be reached (a read was denied or failed); see the findings with status "error"\n`);
  if (decision.blocking.length > 0) progress.info(`${decision.blocking.length} finding${decision.blocking.length === 1 ? '' : 's'} at or above --fail-on ${failOn}`);
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

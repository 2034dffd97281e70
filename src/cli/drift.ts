/**
 * `infra-audit drift`: compare Terraform state (and optionally the configuration) with the live
 * account, read-only, and report what changed, what is missing, what is unmanaged and what was
 * never applied.
 *
 * Exit codes, as driftctl's: 0 in sync, 1 drift found, 2 the comparison itself failed (no state,
 * a broken state, an unreachable endpoint, bad arguments).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InfraAuditError } from '../errors.js';
import { checkAwsSettings } from '../aws/preflight.js';
import { AwsSession } from '../aws/session.js';
import { DriftIgnore } from '../drift/driftignore.js';
import { loadTerraformInputs, runDrift } from '../drift/run.js';
import { DRIFT_FORMATS, renderDriftReport, type DriftFormat } from '../drift/report/render.js';
import { summaryLine, unresolvedModulesLine } from '../drift/report/text.js';
import { secondsToMs } from './audit.js';
import type { CommandIO } from './io.js';
import { resolveOutputs, sarifRoot, writeOutputs, type OutputFlags } from './outputs.js';
import { capConcurrency, ProgressReporter, verbosityOf } from './progress.js';

export interface DriftCommandOptions extends OutputFlags {
  state?: string[];
  config?: string;
  endpointUrl?: string;
  region?: string[];
  profile?: string;
  /** SARIF paths are relative to this directory (default: the git work tree's root). */
  sarifRoot?: string;
  driftignore?: string;
  allowAccountMismatch?: boolean;
  onlyManaged?: boolean;
  onlyUnmanaged?: boolean;
  concurrency?: number;
  maxAttempts?: number;
  /** Seconds. */
  connectTimeout?: number;
  requestTimeout?: number;
  /** Nothing on stderr but errors. */
  quiet?: boolean;
  /** Every phase and completed service/region on stderr, and the calls per operation at the end. */
  verbose?: boolean;
  /** Milliseconds between progress lines when stderr is not a terminal (hidden; tests shorten the 10 s). */
  progressInterval?: number;
}

export async function runDriftCommand(opts: DriftCommandOptions, io: CommandIO): Promise<number> {
  // Every argument is checked before anything is read.
  const outputs = resolveOutputs(opts, { formats: DRIFT_FORMATS, defaultFormat: 'table', basename: 'drift', cwd: io.cwd, noun: 'drift report' });
  checkAwsSettings({ regions: opts.region, profile: opts.profile, env: io.env });
  const sourceRoot = sarifRoot(opts.sarifRoot, opts.config ?? '.', io.cwd);
  if (!opts.state?.length) {
    throw new InfraAuditError('USAGE', 'drift needs a Terraform state: --state is required', {
      hint: 'e.g. infra-audit drift --state terraform.tfstate --config .  (also: -, s3://bucket/key, https://…, tfc://org/workspace)',
    });
  }
  if (opts.onlyManaged && opts.onlyUnmanaged) {
    throw new InfraAuditError('USAGE', '--only-managed and --only-unmanaged exclude each other', { hint: 'pass one of them, or neither for every kind of drift' });
  }
  const only = opts.onlyManaged ? 'managed' : opts.onlyUnmanaged ? 'unmanaged' : undefined;
  const ignore = await loadIgnore(opts.driftignore, io.cwd);
  const progress = new ProgressReporter({ command: 'drift', stderr: io.stderr, verbosity: verbosityOf(opts), intervalMs: opts.progressInterval });
  try {
    return await drift(opts, opts.state, io, { outputs, sourceRoot, only, ignore }, progress);
  } finally {
    progress.finish();
  }
}

async function drift(
  opts: DriftCommandOptions,
  statePaths: string[],
  io: CommandIO,
  { outputs, sourceRoot, only, ignore }: { outputs: ReturnType<typeof resolveOutputs<DriftFormat>>; sourceRoot: string; only: 'managed' | 'unmanaged' | undefined; ignore: DriftIgnore | undefined },
  progress: ProgressReporter,
): Promise<number> {
  const concurrency = capConcurrency(opts.concurrency, progress);
  // Loading messages are phases ("reading state …"); per-region reads are details (--verbose).
  const onProgress = (message: string) => (message.startsWith('read ') ? progress.detail(message) : progress.setPhase(message));
  progress.setPhase('reading the Terraform state');
  // Files in the report are relative to the configuration directory (the working directory
  // without one): the same report on every machine, as SARIF and reviewers need.
  const configDir = opts.config ? path.resolve(io.cwd, opts.config) : undefined;
  const inputs = await loadTerraformInputs({
    statePaths,
    configDir,
    cwd: io.cwd,
    env: io.env,
    stdin: io.stdin,
    onProgress,
  });
  const session = new AwsSession({
    endpointUrl: opts.endpointUrl ?? (io.env.AWS_ENDPOINT_URL || undefined),
    profile: opts.profile,
    concurrency,
    retry: { maxAttempts: opts.maxAttempts },
    connectTimeoutMs: secondsToMs(opts.connectTimeout),
    requestTimeoutMs: secondsToMs(opts.requestTimeout),
    signal: io.signal,
  });
  progress.watch(() => ({ ...session.stats, peakInFlight: session.peakInFlight() }));
  const report = await runDrift(inputs, session, { regions: opts.region, ignore, onProgress, displayRoot: configDir ?? io.cwd, allowAccountMismatch: opts.allowAccountMismatch, only });
  // A cancelled run's inventory is partial: no report is written from it.
  io.signal.throwIfAborted();
  progress.setPhase('writing the reports');

  const color = io.stdout.isTTY === true && !io.env.NO_COLOR;
  await writeOutputs(outputs, (t) => renderDriftReport(t.format, report, { color: color && t.file === undefined, sourceRoot, baseDir: configDir ?? io.cwd }), io.stdout);
  const files = outputs.filter((t) => t.file !== undefined).map((t) => t.display);

  progress.finish();
  progress.info(`${summaryLine(report).replace(/^Drift: /, '')}; ${session.stats.apiCalls} AWS calls${files.length > 0 ? `; report${files.length === 1 ? '' : 's'} in ${files.join(', ')}` : ''}`);
  // What could not be compared prints even with --quiet, as failed reads do.
  const unresolved = unresolvedModulesLine(report);
  if (unresolved) io.stderr.write(`drift: ${unresolved}\n`);
  if (report.errors.length > 0) io.stderr.write(`drift: ${report.errors.length} read(s) failed; drift there may be hidden (see the report)\n`);
  return report.entries.length > 0 ? 1 : 0;
}

/** --driftignore FILE, else a .driftignore in the working directory, as driftctl reads it. */
async function loadIgnore(file: string | undefined, cwd: string): Promise<DriftIgnore | undefined> {
  if (file) return DriftIgnore.load(path.resolve(cwd, file));
  const fallback = path.join(cwd, '.driftignore');
  return existsSync(fallback) ? DriftIgnore.load(fallback) : undefined;
}

/**
 * `infra-audit audit`: run the security checks against live AWS (or the sandbox) and report.
 *
 * Exit codes: 0 when no unsuppressed `fail` is at or above --fail-on (default: high), 1 when one
 * is, 2 when the audit itself failed (bad input, no credentials, unreachable endpoint).
 * Findings with status `error` (a read was denied) do not fail the run; they are counted on
 * stderr, because an audit that could not see something must say so.
 */
import { writeFile } from 'node:fs/promises';
import { InfraAuditError } from '../errors.js';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../findings/model.js';
import { CHECKS } from '../checks/registry.js';
import { runAudit, type AuditProgress, type AuditResult } from '../audit/run.js';
import { applySuppressions, loadSuppressions } from '../audit/suppressions.js';
import type { CommandIO } from './io.js';

export const AUDIT_FORMATS = ['table', 'json', 'markdown', 'sarif', 'ocsf', 'html'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];
export const DEFAULT_FAIL_ON: Severity = 'high';

export interface AuditCommandOptions {
  endpointUrl?: string;
  region?: string[];
  profile?: string;
  assumeRole?: string[];
  format?: string;
  output?: string;
  failOn?: string;
  checks?: string;
  skipChecks?: string;
  suppressions?: string;
  idleDays?: number;
  maxAttempts?: number;
  concurrency?: number;
  listChecks?: boolean;
}

function parseFormat(value: string | undefined): AuditFormat {
  const format = value ?? 'table';
  if (!(AUDIT_FORMATS as readonly string[]).includes(format)) {
    throw new InfraAuditError('USAGE', `--format "${format}" is not a report format`, { hint: `use one of ${AUDIT_FORMATS.join(', ')}` });
  }
  return format as AuditFormat;
}

function parseFailOn(value: string | undefined): Severity | 'none' {
  const failOn = value ?? DEFAULT_FAIL_ON;
  if (failOn === 'none' || (SEVERITIES as readonly string[]).includes(failOn)) return failOn as Severity | 'none';
  throw new InfraAuditError('USAGE', `--fail-on "${failOn}" is not a severity`, { hint: `use one of ${SEVERITIES.join(', ')}, or none` });
}

/** The findings that fail the run: unsuppressed `fail` at or above the threshold. */
export function failingFindings(findings: readonly Finding[], failOn: Severity | 'none'): Finding[] {
  if (failOn === 'none') return [];
  return findings.filter((f) => f.status === 'fail' && !f.suppressed && severityRank(f.severity) >= severityRank(failOn));
}

function listChecks(io: CommandIO): number {
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

async function render(format: AuditFormat, result: AuditResult): Promise<string> {
  // Report renderers live in src/report (renderReport); until that module is present, JSON is the one format.
  if (format !== 'json' && format !== 'table') {
    throw new InfraAuditError('USAGE', `--format ${format} is not available in this build`, { hint: 'use --format json' });
  }
  const { snapshots: _snapshots, ...report } = result;
  void _snapshots;
  return `${JSON.stringify(report, null, 2)}\n`;
}

export async function runAuditCommand(opts: AuditCommandOptions, io: CommandIO): Promise<number> {
  if (opts.listChecks) return listChecks(io);
  const format = parseFormat(opts.format);
  const failOn = parseFailOn(opts.failOn);
  const suppressions = opts.suppressions ? await loadSuppressions(opts.suppressions, CHECKS.map((c) => c.metadata.id)) : [];
  const now = new Date();
  const result = await runAudit({
    endpointUrl: opts.endpointUrl ?? (io.env.AWS_ENDPOINT_URL || undefined),
    profile: opts.profile,
    regions: opts.region,
    assumeRoles: opts.assumeRole,
    checks: opts.checks ? [opts.checks] : undefined,
    skipChecks: opts.skipChecks ? [opts.skipChecks] : undefined,
    idleDays: opts.idleDays,
    maxAttempts: opts.maxAttempts,
    concurrency: opts.concurrency,
    now,
    onProgress: progressPrinter(io),
  });
  const expired = applySuppressions(result.findings, suppressions, now);
  for (const s of expired) io.stderr.write(`audit: suppression for ${s.checkId}${s.resource ? ` on ${s.resource}` : ''} expired on ${s.expires}; it no longer applies\n`);

  const text = await render(format, result);
  if (opts.output) {
    try {
      await writeFile(opts.output, text);
    } catch (err) {
      throw new InfraAuditError('FILE_UNREADABLE', `cannot write ${opts.output}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { hint: 'check the directory exists and is writable' });
    }
  } else io.stdout.write(text);

  const failing = failingFindings(result.findings, failOn);
  const count = (status: Finding['status']) => result.findings.filter((f) => f.status === status).length;
  const suppressed = result.findings.filter((f) => f.suppressed).length;
  io.stderr.write(
    `audit: ${result.accounts.map((a) => a.accountId).join(', ')}: ${result.stats.checksRun} checks, ${count('fail')} fail${suppressed ? ` (${suppressed} suppressed)` : ''}, ${count('pass')} pass, ${count('error')} error; ` +
      `${result.stats.apiCalls} AWS calls in ${(result.stats.durationMs / 1000).toFixed(1)} s\n`,
  );
  if (count('error') > 0) io.stderr.write(`audit: ${count('error')} verdicts could not be reached (reads denied or failed); see the findings with status "error"\n`);
  if (failing.length > 0 && failOn !== 'none') io.stderr.write(`audit: ${failing.length} finding${failing.length === 1 ? '' : 's'} at or above --fail-on ${failOn}\n`);
  return failing.length > 0 ? 1 : 0;
}

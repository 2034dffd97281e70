/**
 * Suppressions: accepted risks, written down with a reason and an expiry date, kept in the
 * repository beside the Terraform they excuse. A suppressed failure is still reported (marked
 * `suppressed`) but no longer fails the run. An expired suppression stops suppressing, and the
 * run says so, so that accepted risk is revisited rather than forgotten.
 *
 * File format (YAML; JSON is valid YAML too), documented in docs/findings.md:
 *
 *   suppressions:
 *     - checkId: ec2_sg_open_ssh
 *       resource: arn:aws:ec2:*:123456789012:security-group/sg-0fedcba9876543210
 *       reason: Bastion host; replacement by SSM tracked in SEC-412
 *       expires: 2026-06-30
 */
import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { InfraAuditError } from '../errors.js';
import type { Finding } from './model.js';

export interface Suppression {
  /** A check id, or a glob over check ids (`*` any characters, `?` one). */
  checkId: string;
  /** A glob over the finding's resourceId (the ARN): `*` matches any characters, `/` and `:` included. */
  resource: string;
  reason: string;
  /** YYYY-MM-DD (valid through that day, UTC) or a full ISO-8601 time. */
  expires: string;
  /** Where it came from, for messages: `suppressions[index]` of `file`. */
  source: { file: string; index: number };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const EntrySchema = z.strictObject({
  checkId: z.string().trim().min(1, 'checkId must name a check, e.g. s3_bucket_public_read (or a glob such as s3_*)'),
  resource: z.string().trim().min(1, 'resource must be an ARN or an ARN glob, e.g. arn:aws:s3:::my-bucket or arn:aws:s3:::logs-*'),
  reason: z.string().trim().min(1, 'reason is required: say why this risk is accepted (and where it is tracked)'),
  expires: z
    .string({
      error: (issue) =>
        issue.input === undefined ? 'expires is required: a date such as 2026-06-30' : 'expires must be a date YYYY-MM-DD or an ISO-8601 time, e.g. 2026-06-30',
    })
    .refine((v) => (DATE.test(v) || DATE_TIME.test(v)) && !Number.isNaN(expiryInstant(v)), 'expires must be a date YYYY-MM-DD or an ISO-8601 time, e.g. 2026-06-30'),
});

const FileSchema = z.strictObject({ suppressions: z.array(z.unknown()) });

/** The first instant at which a suppression no longer applies. */
export function expiryInstant(expires: string): number {
  if (DATE.test(expires)) {
    const day = Date.parse(`${expires}T00:00:00Z`);
    // Round-trip check rejects impossible dates such as 2026-02-30.
    if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== expires) return Number.NaN;
    return day + 24 * 60 * 60 * 1000;
  }
  return Date.parse(expires);
}

function invalid(file: string, where: string, problem: string, fix: string): InfraAuditError {
  return new InfraAuditError('INVALID_INPUT', `suppressions file ${file}: ${where}: ${problem}`, { hint: fix });
}

/** Parses and validates a suppressions file's text; `file` names it in every error. */
export function parseSuppressions(text: string, file: string): Suppression[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, lineCounter });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0];
    // prettyErrors appends " at line L, column C:" and a code excerpt; keep the first clause.
    const problem = yamlError.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'not valid YAML';
    throw invalid(file, line ? `line ${line.line}, column ${line.col}` : 'syntax', problem, 'fix the YAML syntax (indentation, quotes, a missing ":")');
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return [];
  const top = FileSchema.safeParse(data);
  if (!top.success) {
    throw invalid(file, 'top level', 'expected a mapping with one key, "suppressions", holding a list', 'start the file with "suppressions:" and list entries under it, each with checkId, resource, reason and expires');
  }

  return top.data.suppressions.map((raw, index) => {
    const entry = EntrySchema.safeParse(raw);
    if (!entry.success) {
      // An unknown key is usually a typo of a required one: report it rather than the "missing".
      const issue = entry.error.issues.find((i) => i.code === 'unrecognized_keys') ?? entry.error.issues[0];
      const field = issue?.path[0];
      const node = doc.getIn(['suppressions', index], true);
      const line = isNode(node) && node.range ? ` (line ${lineCounter.linePos(node.range[0]).line})` : '';
      const entryName = `suppressions[${index}]${line}`;
      const where = `${entryName}${field === undefined ? '' : ` ${String(field)}`}`;
      if (issue?.code === 'unrecognized_keys') {
        throw invalid(file, entryName, `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`, 'each entry has exactly checkId, resource, reason and expires');
      }
      if (issue?.code === 'invalid_type' && field === undefined) {
        throw invalid(file, where, 'each entry must be a mapping', 'write entries as "- checkId: ...", with resource, reason and expires indented beneath');
      }
      if (issue?.code === 'invalid_type' && raw && typeof raw === 'object' && field !== undefined && !(String(field) in raw)) {
        throw invalid(file, where, `${String(field)} is missing`, fieldHint(String(field)));
      }
      throw invalid(file, where, issue?.message ?? 'invalid entry', fieldHint(String(field ?? '')));
    }
    return { ...entry.data, source: { file, index } };
  });
}

function fieldHint(field: string): string {
  switch (field) {
    case 'checkId':
      return 'set checkId to the check id shown in the report, e.g. s3_bucket_public_read';
    case 'resource':
      return 'set resource to the ARN from the report; use * to match several, e.g. arn:aws:s3:::logs-*';
    case 'reason':
      return 'set reason to why the risk is accepted, e.g. "Public by design: static website (SEC-123)"';
    case 'expires':
      return 'set expires to a date within a few months, e.g. expires: "2026-06-30"';
    default:
      return 'each entry has checkId, resource, reason and expires';
  }
}

/** Reads and parses a suppressions file. */
export async function loadSuppressionsFile(path: string): Promise<Suppression[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InfraAuditError('FILE_NOT_FOUND', `suppressions file ${path} does not exist`, { hint: 'check the --suppressions path' });
    throw new InfraAuditError('FILE_UNREADABLE', `suppressions file ${path} could not be read (${code ?? 'error'})`, { hint: 'check the file permissions', cause: err });
  }
  return parseSuppressions(text, path);
}

/**
 * Refuses a suppression whose checkId (a check id or a glob) matches no known check: a typo
 * would otherwise excuse nothing while looking like an accepted risk.
 */
export function refuseUnknownChecks(suppressions: readonly Suppression[], knownIds: readonly string[]): void {
  for (const s of suppressions) {
    const re = globToRegExp(s.checkId);
    if (knownIds.some((id) => re.test(id))) continue;
    const prefix = s.checkId.split(/[_*?]/)[0] ?? '';
    const near = knownIds.filter((id) => prefix !== '' && id.startsWith(prefix)).slice(0, 4);
    throw invalid(
      s.source.file,
      `suppressions[${s.source.index}] checkId`,
      `"${s.checkId}" matches no check`,
      `${near.length ? `e.g. ${near.join(', ')}; ` : ''}\`infra-audit audit --list-checks\` lists the check ids`,
    );
  }
}

/** Compiles a glob to an anchored regular expression: `*` any run of characters, `?` one. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

export interface SuppressionOutcome {
  findings: Finding[];
  /** One line per expired suppression, naming its file, entry, expiry and what it no longer hides. */
  warnings: string[];
}

/**
 * Marks each `fail` finding that an unexpired suppression matches. Passing and error findings are
 * never suppressed: there is nothing to accept, and an unreadable resource must stay visible.
 * The input findings are not modified.
 */
export function applySuppressions(findings: readonly Finding[], suppressions: readonly Suppression[], now: Date = new Date()): SuppressionOutcome {
  const compiled = suppressions.map((s) => ({ s, check: globToRegExp(s.checkId), resource: globToRegExp(s.resource), expired: now.getTime() >= expiryInstant(s.expires) }));
  const expiredMatches = new Map<Suppression, number>();
  const out = findings.map((finding) => {
    if (finding.status !== 'fail') return finding;
    const matching = compiled.filter((c) => c.check.test(finding.checkId) && c.resource.test(finding.resourceId));
    for (const c of matching) if (c.expired) expiredMatches.set(c.s, (expiredMatches.get(c.s) ?? 0) + 1);
    const active = matching.find((c) => !c.expired);
    // Without an active match the finding is left as it came (including a suppression applied
    // earlier, e.g. from a second file).
    if (!active) return finding;
    return { ...finding, suppressed: { reason: active.s.reason, expires: active.s.expires } };
  });

  const warnings = compiled
    .filter((c) => c.expired)
    .map((c) => {
      const n = expiredMatches.get(c.s) ?? 0;
      const effect = n > 0 ? `${n} failing finding${n === 1 ? ' is' : 's are'} no longer suppressed` : 'it matches no current failure';
      return `suppression expired on ${c.s.expires} (${c.s.source.file} suppressions[${c.s.source.index}]: ${c.s.checkId} on ${c.s.resource}): ${effect}; renew it with a new date and reason, or fix the finding`;
    });
  return { findings: out, warnings };
}

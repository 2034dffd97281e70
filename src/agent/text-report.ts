/**
 * A model that answers with its findings in text instead of calling submit_report (local
 * models above all) still produced findings. They are kept, from a final JSON block or from
 * Markdown that names resources, validated against the finding schema as far as they can
 * be, and labelled unverified: they did not pass submit_report's checks and their evidence
 * is not linked to audit records.
 */
import { SEVERITIES, type Severity } from '../findings/model.js';
import { SubmittedFinding, describeIssues } from './report-schema.js';

/** A finding read from text: the submitted shape without evidence. */
export const TextFinding = SubmittedFinding.omit({ evidence: true });
export type TextFinding = ReturnType<typeof TextFinding.parse>;

export interface TextReport {
  format: 'json' | 'markdown';
  summary: string;
  findings: TextFinding[];
  /** Candidates found in the text, kept or not. */
  found: number;
  /** Why candidates were dropped, one line each. */
  problems: string[];
}

export interface ExtractContext {
  /** Texts of the run's successful tool results: a name counts as a resource only if a tool returned it. */
  toolResults: ReadonlyArray<string>;
}

const MAX_TEXT = 200_000;

export function extractTextReport(text: string, context: ExtractContext): TextReport | undefined {
  const answer = text.slice(0, MAX_TEXT);
  return fromJson(answer) ?? fromMarkdown(answer, context);
}

// ---------------------------------------------------------------- JSON

function fromJson(text: string): TextReport | undefined {
  const candidates: string[] = [];
  for (const m of text.matchAll(/```[a-zA-Z]*[ \t]*\n([\s\S]*?)```/g)) candidates.push(m[1]!);
  const open = text.search(/[{[]/);
  if (open >= 0) candidates.push(text.slice(open, Math.max(text.lastIndexOf('}'), text.lastIndexOf(']')) + 1));
  // The final block wins: a model that corrects itself ends with the version it means.
  for (const candidate of candidates.reverse()) {
    let value: unknown;
    try {
      value = JSON.parse(candidate);
    } catch {
      continue;
    }
    const list = Array.isArray(value) ? value : value && typeof value === 'object' && Array.isArray((value as Record<string, unknown>).findings) ? ((value as Record<string, unknown>).findings as unknown[]) : undefined;
    if (!list) continue;
    const summaryField = !Array.isArray(value) ? (value as Record<string, unknown>).summary : undefined;
    const findings: TextFinding[] = [];
    const problems: string[] = [];
    list.slice(0, 500).forEach((raw, i) => {
      const parsed = TextFinding.safeParse(normalize(raw));
      if (parsed.success) findings.push(parsed.data);
      else problems.push(`findings.${i}: ${describeIssues(parsed.error).replace(/^- /gm, '').split('\n').join('; ')}`);
    });
    const summary = typeof summaryField === 'string' && summaryField.trim().length >= 3 ? summaryField.trim().slice(0, 8000) : proseOutside(text, candidate);
    return { format: 'json', summary, findings, found: list.length, problems };
  }
  return undefined;
}

/** The names models use for the fields of a finding, mapped onto the schema's. */
function normalize(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r = raw as Record<string, unknown>;
  const pick = (...keys: string[]) => keys.map((k) => r[k]).find((v) => v !== undefined && v !== null && v !== '');
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);
  let resource = pick('resource', 'resourceId', 'resource_id', 'arn', 'bucket', 'resourceArn', 'resource_arn');
  if (typeof resource === 'string') resource = { id: resource };
  else if (resource && typeof resource === 'object') {
    const o = resource as Record<string, unknown>;
    const { id, arn, name, ...rest } = o;
    resource = { id: id ?? arn ?? name, ...rest };
  }
  const severity = str(pick('severity', 'risk', 'level'))?.toLowerCase();
  const out: Record<string, unknown> = {
    severity,
    title: str(pick('title', 'issue', 'finding', 'name', 'summary')),
    checkId: str(pick('checkId', 'check_id', 'check')),
    resource,
    description: str(pick('description', 'details', 'detail', 'why', 'impact')) ?? str(pick('title', 'issue', 'finding')),
    remediation: str(pick('remediation', 'recommendation', 'fix', 'remediation_step', 'remediationStep', 'mitigation')),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

function proseOutside(text: string, block: string): string {
  const rest = text.replace(block, ' ').replace(/```[a-zA-Z]*\s*```/g, ' ').replace(/\s+/g, ' ').trim();
  return (rest.length >= 3 ? rest : 'The model answered with a JSON block instead of calling submit_report.').slice(0, 8000);
}

// ---------------------------------------------------------------- Markdown

interface Section {
  heading?: string;
  items: string[];
  body: string[];
}

const ARN = /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s`*|,;)"'\]]+/;
const SEVERITY = new RegExp(`\\b(${SEVERITIES.join('|')}|informational)\\b`, 'i');
const REMEDIATION = /\b(?:remediation|recommendation|recommended action|fix|mitigation|to fix)\b\s*[:\-–—]\s*/i;

function fromMarkdown(text: string, context: ExtractContext): TextReport | undefined {
  const sections = splitSections(text);
  const findings: TextFinding[] = [];
  const problems: string[] = [];
  let found = 0;
  for (const section of sections) {
    const named = section.items.filter((item) => resourceIn(item, context));
    const units = named.length ? named : section.heading && resourceIn(section.heading, context) ? [`${section.heading}\n${[...section.body, ...section.items].join('\n')}`] : [];
    for (const unit of units) {
      found++;
      const finding = findingFrom(unit, section.heading, context);
      const parsed = TextFinding.safeParse(finding);
      if (parsed.success) findings.push(parsed.data);
      else problems.push(`"${plain(unit).slice(0, 60)}": ${describeIssues(parsed.error).replace(/^- /gm, '').split('\n').join('; ')}`);
    }
  }
  if (!found) return undefined;
  const intro = sections[0] && !sections[0].heading ? plain(sections[0].body.join(' ')) : '';
  const summary = (intro.length >= 3 ? intro : `The model answered in text, naming ${found} finding(s), instead of calling submit_report.`).slice(0, 8000);
  return { format: 'markdown', summary, findings, found, problems };
}

/** Headings start sections; list items and table rows (with their continuation lines) are items. */
function splitSections(text: string): Section[] {
  const sections: Section[] = [{ items: [], body: [] }];
  let current = sections[0]!;
  let item: string[] | undefined;
  const flush = () => {
    if (item) current.items.push(item.join('\n'));
    item = undefined;
  };
  for (const line of text.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      current = { heading: heading[1]!.trim(), items: [], body: [] };
      sections.push(current);
      continue;
    }
    if (/^\s{0,3}(?:[-*+]|\d+[.)])\s+/.test(line)) {
      flush();
      item = [line];
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(line)) {
      flush();
      if (!/^\s*\|[\s:|-]+\|\s*$/.test(line)) current.items.push(line);
      continue;
    }
    if (item && line.trim() && /^\s+/.test(line)) {
      item.push(line);
      continue;
    }
    flush();
    if (line.trim()) current.body.push(line);
  }
  flush();
  return sections;
}

function resourceIn(text: string, context: ExtractContext): string | undefined {
  const arn = ARN.exec(text);
  if (arn) return arn[0];
  // Quoted names first (`name`, **name**), then bare identifiers; a name counts only if a tool returned it.
  const quoted = [...text.matchAll(/`([^`\s]{3,200})`|\*\*([^*\s]{3,200})\*\*/g)].map((m) => m[1] ?? m[2]!);
  const bare = text.match(/[A-Za-z0-9][A-Za-z0-9._-]{2,200}/g) ?? [];
  for (const candidate of [...quoted, ...bare]) {
    const name = candidate.replace(/[.:,;]+$/, '');
    if (!/[-_.\d]/.test(name) || NOT_A_RESOURCE.test(name) || isCheckId(name)) continue;
    if (context.toolResults.some((t) => containsToken(t, name))) return name;
  }
  return undefined;
}

/** Numbers, dates, regions and versions show up in tool results too, and name no resource. */
const NOT_A_RESOURCE = /^(?:\d+(?:\.\d+)*|\d{4}-\d{2}-\d{2}.*|[a-z]{2}(?:-gov)?-[a-z]+-\d|v?\d+(?:\.\d+)+)$/;

function isCheckId(name: string): boolean {
  return /^[a-z0-9]+(?:_[a-z0-9]+){2,}$/.test(name);
}

function containsToken(haystack: string, token: string): boolean {
  let at = haystack.indexOf(token);
  while (at >= 0) {
    const before = haystack[at - 1] ?? ' ';
    const after = haystack[at + token.length] ?? ' ';
    if (!/[A-Za-z0-9_-]/.test(before) && !/[A-Za-z0-9_-]/.test(after)) return true;
    at = haystack.indexOf(token, at + 1);
  }
  return false;
}

function findingFrom(unit: string, heading: string | undefined, context: ExtractContext): Record<string, unknown> {
  const text = plain(unit);
  const id = resourceIn(unit, context)!;
  const severityWord = (SEVERITY.exec(text) ?? (heading ? SEVERITY.exec(heading) : null))?.[1]?.toLowerCase();
  const severity: Severity = severityWord === 'informational' ? 'info' : ((severityWord as Severity | undefined) ?? 'medium');
  const fix = REMEDIATION.exec(text);
  const remediation = fix ? text.slice(fix.index + fix[0].length).trim() : '';
  const described = fix ? text.slice(0, fix.index).trim() : text;
  const checkId = (unit.match(/\b[a-z0-9]+(?:_[a-z0-9]+){2,}\b/g) ?? []).find((c) => context.toolResults.some((t) => containsToken(t, c)));
  const title = described.split(/(?<=[.!?])\s/)[0]!.slice(0, 200);
  return {
    severity,
    title: title.length >= 3 ? title : `Finding on ${id}`.slice(0, 200),
    ...(checkId ? { checkId } : {}),
    resource: { id },
    description: `${described}${severityWord ? '' : ' (The text states no severity; medium is assumed.)'}`.slice(0, 4000),
    remediation: (remediation.length >= 3 ? remediation : 'Not stated in the model\'s text answer.').slice(0, 4000),
  };
}

/** Markdown to one plain line: list markers, emphasis, code ticks and table pipes dropped. */
function plain(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^\s{0,3}(?:[-*+]|\d+[.)])\s+/, '').replace(/^\s*\|/, '').replace(/\|\s*$/, ''))
    .join(' ')
    .replace(/\s*\|\s*/g, ' | ')
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

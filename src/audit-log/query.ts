/** Filters and a table view over audit records, for `infra-audit log query|tail`. */
import type { AuditRecord, Outcome } from './record.js';
import { InfraAuditError } from '../errors.js';

export interface RecordFilter {
  caller?: string;
  tool?: string;
  since?: number;
  until?: number;
  outcome?: Outcome;
  /** An MCP request id: that request's record and the AWS calls made for it. */
  requestId?: string;
  kind?: 'mcp' | 'aws' | 'http' | 'all';
}

function globMatch(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

export function matches(record: AuditRecord, filter: RecordFilter): boolean {
  if (filter.caller && !globMatch(filter.caller, record.actor?.user?.name)) return false;
  if (filter.tool && !globMatch(filter.tool, record.api?.operation)) return false;
  if (filter.since !== undefined && record.time < filter.since) return false;
  if (filter.until !== undefined && record.time > filter.until) return false;
  if (filter.outcome && record.unmapped?.outcome !== filter.outcome) return false;
  if (filter.requestId && record.metadata?.correlation_uid !== filter.requestId && record.api?.request?.uid !== filter.requestId) return false;
  if (filter.kind && filter.kind !== 'all' && !String(record.unmapped?.record_type ?? '').startsWith(`${filter.kind}.`)) return false;
  return true;
}

/** An ISO 8601 time, or a duration back from now: 90s, 15m, 2h, 7d. */
export function parseTime(flag: string, value: string, now = Date.now()): number {
  const relative = /^(\d+)(s|m|h|d)$/.exec(value);
  if (relative) return now - Number(relative[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InfraAuditError('USAGE', `${flag} expects an ISO time or a duration like 2h, got "${value}"`, { hint: `e.g. ${flag} 2024-05-01T00:00:00Z or ${flag} 7d` });
  return t;
}

export function parseOutcome(value: string | undefined): Outcome | undefined {
  if (value === undefined) return undefined;
  if (value === 'success' || value === 'error' || value === 'denied') return value;
  throw new InfraAuditError('USAGE', `--outcome expects success, error or denied, got "${value}"`);
}

export const TABLE_HEADER = ['TIME', 'OUTCOME', 'CALLER', 'OPERATION', 'MS', 'REQUEST', 'DETAIL'];

export function tableRow(record: AuditRecord): string[] {
  const type = String(record.unmapped?.record_type ?? '');
  const operation = type === 'aws.api_call' ? `  aws ${String(record.api.service?.name ?? '').replace(/\.amazonaws\.com$/, '')}:${record.api.operation}` : type === 'mcp.tools/call' ? record.api.operation : `${type.replace(/^(mcp|http)\./, '')} ${record.api.operation}`;
  const detail = record.api.response?.error
    ? `${record.api.response.error}: ${record.api.response.error_message ?? ''}`
    : (record.resources ?? []).map((r) => r.name ?? r.uid).filter(Boolean).join(', ');
  return [
    new Date(record.time).toISOString(),
    String(record.unmapped?.outcome ?? ''),
    record.actor?.user?.name ?? '',
    operation,
    String(record.duration ?? ''),
    (record.metadata?.correlation_uid ?? '').slice(0, 8),
    detail.length > 80 ? `${detail.slice(0, 79)}…` : detail,
  ];
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

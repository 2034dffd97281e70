/** `infra-audit log verify|query|tail`: the audit log for people (and for auditors). */
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { hmacKeyFromEnv } from '../audit-log/chain.js';
import { InfraAuditError } from '../errors.js';
import { verifyChain } from '../audit-log/verify.js';
import { parseRecord, readLines } from '../audit-log/read.js';
import { TABLE_HEADER, formatTable, matches, parseOutcome, parseTime, tableRow, type RecordFilter } from '../audit-log/query.js';
import type { AuditRecord } from '../audit-log/record.js';
import type { CommandIO } from './io.js';

export interface LogVerifyOptions {
  allowContinuation?: boolean;
  format?: string;
}

export async function runLogVerifyCommand(files: string[], opts: LogVerifyOptions, io: CommandIO): Promise<number> {
  const key = hmacKeyFromEnv(io.env);
  const result = await verifyChain(files, { ...(key ? { hmacKey: key } : {}), ...(opts.allowContinuation ? { allowContinuation: true } : {}) });
  if (opts.format === 'json') {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return result.ok ? 0 : 1;
  }
  for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (result.torn) io.stderr.write(`note: ${result.torn.file}:${result.torn.line}: a torn final line (${result.torn.bytes} bytes) from an interrupted write is not counted; its call was never answered\n`);
  if (!result.ok && result.records === 0 && result.torn) {
    io.stdout.write(`NOT INTACT: ${result.failure!.message}\n`);
    return 1;
  }
  if (!result.ok) {
    io.stdout.write(`TAMPERED: ${result.failure!.message}\n`);
    io.stdout.write(`  ${result.records} record(s) before it verified (${result.failure!.kind} at ${result.failure!.file}:${result.failure!.line}${result.failure!.recordId ? `, record ${result.failure!.recordId}` : ''})\n`);
    return 1;
  }
  const span = result.records ? `seq ${result.firstSeq}..${result.lastSeq}, ${new Date(result.firstTime!).toISOString()} to ${new Date(result.lastTime!).toISOString()}` : 'empty';
  io.stdout.write(`intact: ${result.records} record(s) in ${files.length} file(s), ${span}\n`);
  if (result.lastHash) io.stdout.write(`  chain: ${result.alg}; last hash ${result.lastHash} (anchor it elsewhere to detect truncation)\n`);
  return 0;
}

export interface LogQueryOptions {
  caller?: string;
  tool?: string;
  since?: string;
  until?: string;
  outcome?: string;
  requestId?: string;
  kind?: string;
  format?: string;
  lines?: number;
  follow?: boolean;
  pollMs?: number;
}

function filterFrom(opts: LogQueryOptions): RecordFilter {
  return {
    ...(opts.caller ? { caller: opts.caller } : {}),
    ...(opts.tool ? { tool: opts.tool } : {}),
    ...(opts.since ? { since: parseTime('--since', opts.since) } : {}),
    ...(opts.until ? { until: parseTime('--until', opts.until) } : {}),
    ...(opts.outcome ? { outcome: parseOutcome(opts.outcome) } : {}),
    ...(opts.requestId ? { requestId: opts.requestId } : {}),
    ...(opts.kind ? { kind: opts.kind as RecordFilter['kind'] } : {}),
  };
}

function printer(io: CommandIO, format: string | undefined) {
  return (records: AuditRecord[], withHeader: boolean): void => {
    if (format === 'json') {
      for (const r of records) io.stdout.write(`${JSON.stringify(r)}\n`);
      return;
    }
    if (records.length === 0) return;
    const table = formatTable([TABLE_HEADER, ...records.map(tableRow)]).split('\n');
    io.stdout.write(`${(withHeader ? table : table.slice(1)).join('\n')}\n`);
  };
}

/**
 * `--request-id` takes the full id or a unique prefix of it (the table shows 8 characters).
 * Exact ids (an MCP request's, or an AWS request id) are used as they are.
 */
async function resolveRequestId(files: string[], wanted: string): Promise<string> {
  const candidates = new Set<string>();
  for (const file of files) {
    for await (const line of readLines(file)) {
      if (!line.complete) continue;
      const record = parseRecord(line.text);
      if (!record) continue;
      const ids = [record.metadata?.correlation_uid, record.api?.request?.uid];
      if (ids.includes(wanted)) return wanted;
      const mcpId = record.metadata?.correlation_uid;
      if (mcpId?.startsWith(wanted)) candidates.add(mcpId);
    }
  }
  if (candidates.size > 1) {
    const shown = [...candidates].slice(0, 5);
    throw new InfraAuditError('USAGE', `--request-id ${wanted} matches ${candidates.size} requests: ${shown.join(', ')}${candidates.size > shown.length ? ', …' : ''}`, {
      hint: 'give more characters of the id (the REQUEST column shows the first 8)',
    });
  }
  return candidates.size === 1 ? [...candidates][0]! : wanted;
}

export async function runLogQueryCommand(files: string[], opts: LogQueryOptions, io: CommandIO): Promise<number> {
  if (opts.requestId) opts = { ...opts, requestId: await resolveRequestId(files, opts.requestId) };
  const filter = filterFrom(opts);
  const print = printer(io, opts.format);
  const found: AuditRecord[] = [];
  let skipped = 0;
  for (const file of files) {
    for await (const line of readLines(file)) {
      if (!line.complete) continue;
      const record = parseRecord(line.text);
      if (!record) skipped += 1;
      else if (matches(record, filter)) found.push(record);
    }
  }
  print(found, true);
  if (opts.format !== 'json') io.stderr.write(`${found.length} record(s)${skipped ? `; ${skipped} line(s) are not records (run \`infra-audit log verify\`)` : ''}\n`);
  return 0;
}

/** Print the last records, then follow the file (bounded polling) until interrupted. */
export async function runLogTailCommand(file: string, opts: LogQueryOptions, io: CommandIO): Promise<number> {
  if (opts.requestId) opts = { ...opts, requestId: await resolveRequestId([file], opts.requestId) };
  const filter = filterFrom(opts);
  const print = printer(io, opts.format);
  const keep = opts.lines ?? 10;
  const last: AuditRecord[] = [];
  let offset = 0;
  for await (const line of readLines(file)) {
    if (!line.complete) break;
    offset = line.end;
    const record = parseRecord(line.text);
    if (record && matches(record, filter)) {
      last.push(record);
      if (last.length > keep) last.shift();
    }
  }
  print(last, true);
  if (opts.follow === false) return 0;
  let headerShown = last.length > 0 || opts.format === 'json';
  let stopped = false;
  void io.interrupted.then(() => (stopped = true));
  let identity = await stat(file).then((s) => s.ino, () => undefined);
  // Ends when the user interrupts; each pass sleeps a fixed interval.
  while (!stopped) {
    await Promise.race([sleep(opts.pollMs ?? 500), io.interrupted]);
    if (stopped) break;
    const info = await stat(file).catch(() => undefined);
    if (!info) continue;
    if (info.ino !== identity || info.size < offset) {
      // Rotated or replaced: the new file is read from its start.
      identity = info.ino;
      offset = 0;
    }
    if (info.size === offset) continue;
    const fresh: AuditRecord[] = [];
    for await (const line of readLines(file, offset)) {
      if (!line.complete) break;
      offset = line.end;
      const record = parseRecord(line.text);
      if (record && matches(record, filter)) fresh.push(record);
    }
    print(fresh, !headerShown);
    if (fresh.length) headerShown = true;
  }
  return 0;
}

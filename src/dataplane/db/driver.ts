/**
 * What a database driver offers the data tools, and the parts every engine shares: the
 * result shape, row and byte caps, and turning a database's refusal into the product error.
 */
import { InfraAuditError, type ErrorCode } from '../../errors.js';
import { sanitizeString } from '../../server/untrusted.js';
import { toJsonSafe, type JsonValue } from './values.js';

export interface ResolvedLimits {
  statementTimeoutMs: number;
  maxRows: number;
  maxBytes: number;
}

/** maxBytes keeps a full result inside the server's text cap (60,000 characters), so the model sees every row returned. */
export const DEFAULT_LIMITS: ResolvedLimits = { statementTimeoutMs: 10_000, maxRows: 500, maxBytes: 48_000 };

export interface Column {
  name: string;
  type: string;
}

export interface QueryResult {
  columns: Column[];
  rows: JsonValue[][];
  /** Rows returned here (after the cap). */
  rowCount: number;
  /** Set when rows were left off: which cap stopped the read. */
  truncated?: { by: 'maxRows' | 'maxBytes'; limit: number };
  /** The statement's command tag (SELECT, SHOW, …) when the engine reports one. */
  command?: string;
  durationMs: number;
}

export interface TableInfo {
  schema: string;
  name: string;
  type: string;
  /** The engine's estimate (PostgreSQL reltuples, MySQL TABLE_ROWS); null when unknown. */
  rowEstimate: number | null;
}

export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
}

export interface TableDescription extends TableInfo {
  columns: ColumnInfo[];
  primaryKey: string[];
}

export interface DatabaseDriver {
  /** Run one statement of the agent's in a read-only transaction that is always rolled back. */
  query(sql: string, limits: ResolvedLimits, signal?: AbortSignal): Promise<QueryResult>;
  listTables(schema: string | undefined, limits: ResolvedLimits): Promise<TableInfo[]>;
  describeTable(schema: string | undefined, table: string, limits: ResolvedLimits): Promise<TableDescription | undefined>;
  close(): Promise<void>;
}

/** Collects rows until a cap is reached; the caller stops reading when `full` turns true. */
export class RowCollector {
  readonly rows: JsonValue[][] = [];
  bytes = 0;
  truncated: QueryResult['truncated'];

  constructor(private readonly limits: ResolvedLimits) {}

  get full(): boolean {
    return this.truncated !== undefined;
  }

  /** Add one row; returns false (and records why) when it does not fit. */
  add(values: unknown[]): boolean {
    if (this.truncated) return false;
    if (this.rows.length >= this.limits.maxRows) {
      this.truncated = { by: 'maxRows', limit: this.limits.maxRows };
      return false;
    }
    const row = values.map((v) => toJsonSafe(v));
    const size = JSON.stringify(row).length + 1;
    if (this.bytes + size > this.limits.maxBytes) {
      this.truncated = { by: 'maxBytes', limit: this.limits.maxBytes };
      return false;
    }
    this.bytes += size;
    this.rows.push(row);
    return true;
  }
}

/**
 * A database's message for an error result (which the server also fences): its first line,
 * control characters removed, fence look-alikes defused, length capped.
 */
export function databaseMessage(message: string): string {
  return sanitizeString(message.split('\n')[0] ?? '', 500);
}

export function databaseError(code: ErrorCode, database: string, message: string, hint: string, cause?: unknown): InfraAuditError {
  return new InfraAuditError(code, `database "${database}" refused the statement: ${databaseMessage(message)}`, { hint, cause, untrusted: true });
}

export const READ_ONLY_HINT = 'query_db runs every statement in a read-only transaction that is rolled back; it can only read';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);

/** A failure to connect or log in: the network (unreachable) or the login (the config). */
export function connectionError(database: string, err: unknown): InfraAuditError {
  if (err instanceof InfraAuditError) return err;
  const e = err as { code?: string; message?: string };
  const network = NETWORK_CODES.has(e.code ?? '') || /timeout/i.test(e.message ?? '');
  return new InfraAuditError(network ? 'AWS_UNREACHABLE' : 'CONFIG_INVALID', `cannot connect to database "${database}": ${databaseMessage(e.message || e.code || String(err))}`, {
    hint: network
      ? 'check host and port in the data-plane config, and that this host reaches the database (security group, VPC)'
      : 'check user, database, and the password variable or IAM authentication in the data-plane config',
    cause: err,
  });
}

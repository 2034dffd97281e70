/**
 * PostgreSQL, read-only by construction. Every call: BEGIN READ ONLY; per-transaction
 * statement, lock and idle timeouts set by a query (so a snapshot exists and a later
 * SET TRANSACTION READ WRITE is refused); the agent's statement as an unnamed prepared
 * statement through the extended protocol (the server itself rejects two commands); rows
 * fetched in batches up to the caps; then ROLLBACK and DISCARD ALL, so nothing the statement
 * did to the session (advisory locks, prepared statements, settings) outlives the call.
 * The connection also starts with default_transaction_read_only=on.
 */
import pg from 'pg';
import Cursor from 'pg-cursor';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { InfraAuditError } from '../../errors.js';
import type { AllowedDatabase } from '../scope.js';
import { defaultPort, passwordSource, type CredentialOptions } from './credentials.js';
import { screenStatement } from './statement.js';
import {
  READ_ONLY_HINT,
  RowCollector,
  connectionError,
  databaseError,
  databaseMessage,
  type Column,
  type DatabaseDriver,
  type QueryResult,
  type ResolvedLimits,
  type TableDescription,
  type TableInfo,
} from './driver.js';

// Dates and times stay in PostgreSQL's text form: a JS Date drops microseconds and the zone.
const TEXT_TYPES = new Set([1082, 1083, 1114, 1184, 1186, 1266]);
const INT8 = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (TEXT_TYPES.has(oid)) return (v: string) => v;
    // bigint (count(*) among others): a number when exact, else its digits.
    if (oid === INT8) return (v: string) => (Number.isSafeInteger(Number(v)) ? Number(v) : v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

const BATCH = 1_000;

export function tlsOptions(ssl: AllowedDatabase['ssl']): ConnectionOptions | undefined {
  if (ssl === undefined || ssl === false) return undefined;
  if (ssl === true) return { rejectUnauthorized: true };
  return { rejectUnauthorized: ssl.rejectUnauthorized ?? true, ...(ssl.ca ? { ca: readFileSync(ssl.ca, 'utf8') } : {}) };
}

interface PgError {
  code?: string;
  message?: string;
}

export class PostgresDriver implements DatabaseDriver {
  private readonly pool: pg.Pool;
  private privilegeCheck: Promise<void> | undefined;
  private readonly typeNames = new Map<number, string>();

  constructor(
    private readonly db: AllowedDatabase,
    credentials: CredentialOptions = {},
  ) {
    const password = passwordSource(db, credentials);
    const ssl = tlsOptions(db.ssl ?? (db.iamAuth ? true : undefined));
    this.pool = new pg.Pool({
      host: db.host,
      port: db.port ?? defaultPort('postgres'),
      database: db.database,
      user: db.user,
      ...(password ? { password } : {}),
      ...(ssl ? { ssl } : {}),
      max: db.maxConnections ?? 2,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
      application_name: 'infra-audit-mcp',
      options: '-c default_transaction_read_only=on',
      allowExitOnIdle: true,
    });
    // An idle connection the server drops must not crash the server process.
    this.pool.on('error', () => undefined);
  }

  /** Refuse a user that can act outside a transaction (COPY TO PROGRAM, server files), unless the config allows it. */
  private checkPrivileges(client: pg.PoolClient): Promise<void> {
    this.privilegeCheck ??= (async () => {
      const res = await client.query<{ rolsuper: boolean; files: boolean | null; program: boolean | null }>(
        `SELECT r.rolsuper,
                pg_has_role(current_user, to_regrole('pg_write_server_files'), 'MEMBER') AS files,
                pg_has_role(current_user, to_regrole('pg_execute_server_program'), 'MEMBER') AS program
           FROM pg_roles r WHERE r.rolname = current_user`,
      );
      const row = res.rows[0];
      const powers = [row?.rolsuper && 'superuser', row?.files && 'pg_write_server_files', row?.program && 'pg_execute_server_program'].filter(Boolean);
      if (powers.length && !this.db.allowPrivilegedUser) {
        throw new InfraAuditError('READ_ONLY_VIOLATION', `database "${this.db.id}": user "${this.db.user}" is ${powers.join(', ')}; a read-only transaction does not stop such a user (COPY ... TO PROGRAM, server files), so it is refused`, {
          hint: 'connect as a SELECT-only role (docs/data-plane.md has the SQL), or set allowPrivilegedUser: true for this database knowingly',
        });
      }
    })();
    return this.privilegeCheck.catch((err: unknown) => {
      this.privilegeCheck = undefined;
      throw err;
    });
  }

  /** Run `work` inside a read-only transaction that is always rolled back. */
  private async readOnly<T>(limits: ResolvedLimits, signal: AbortSignal | undefined, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw connectionError(this.db.id, err);
    }
    let released = false;
    /** This call cut the connection (time limit or the caller gave up). */
    let cutOff = false;
    const destroy = () => {
      if (released) return;
      released = true;
      client.removeListener('error', destroy);
      client.release(true);
    };
    const cut = () => {
      if (!released) cutOff = true;
      destroy();
    };
    // A connection that dies while checked out emits 'error' on the client: unhandled, that ends the process.
    client.on('error', destroy);
    // A server that stops answering is cut off; statement_timeout is the limit that normally applies.
    const deadline = setTimeout(cut, limits.statementTimeoutMs + 5_000);
    signal?.addEventListener('abort', cut, { once: true });
    try {
      await this.checkPrivileges(client);
      await client.query('BEGIN READ ONLY');
      await client.query(
        `SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $1, true), set_config('idle_in_transaction_session_timeout', $2, true)`,
        [String(limits.statementTimeoutMs), String(limits.statementTimeoutMs + 10_000)],
      );
      return await work(client);
    } catch (err) {
      if (cutOff) throw new InfraAuditError('LIMIT_EXCEEDED', `database "${this.db.id}" did not answer within the time limit; the connection was closed`, { hint: 'narrow the query' });
      throw this.mapError(err, limits);
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', cut);
      if (!released) {
        try {
          await client.query('ROLLBACK');
          await client.query('DISCARD ALL');
          released = true;
          client.removeListener('error', destroy);
          client.release();
        } catch {
          destroy();
        }
      }
    }
  }

  private mapError(err: unknown, limits: ResolvedLimits): InfraAuditError {
    if (err instanceof InfraAuditError) return err;
    const e = err as PgError;
    const message = e.message ?? String(err);
    switch (e.code) {
      case '25006': // read_only_sql_transaction
        return databaseError('READ_ONLY_VIOLATION', this.db.id, message, READ_ONLY_HINT, err);
      case '57014': // query_canceled: statement_timeout
        return databaseError('LIMIT_EXCEEDED', this.db.id, `${message} (limit ${limits.statementTimeoutMs} ms)`, 'narrow the query (filters, LIMIT, an index)', err);
      case '55P03': // lock_not_available: lock_timeout
        return databaseError('LIMIT_EXCEEDED', this.db.id, message, 'a lock the statement needs is held by another session', err);
      case '42501': // insufficient_privilege
        return databaseError('INVALID_INPUT', this.db.id, message, 'the database role lacks this privilege; the audit role is meant to be SELECT-only', err);
      case '42601': // syntax_error, including two commands in one prepared statement
        return databaseError('INVALID_INPUT', this.db.id, message, 'send exactly one SQL statement per call', err);
      case '57P01': // admin_shutdown: pg_terminate_backend, a restart
      case '57P02':
      case '57P03':
        return new InfraAuditError('AWS_UNREACHABLE', `database "${this.db.id}" ended the connection: ${databaseMessage(message)}`, { hint: 'the server or an administrator closed it; try again', cause: err });
      case undefined:
        return connectionError(this.db.id, err);
      default:
        return databaseError('INVALID_INPUT', this.db.id, `${message} (SQLSTATE ${e.code})`, 'fix the statement; list_tables and describe_table show the schema', err);
    }
  }

  private async columnTypes(client: pg.PoolClient, oids: number[]): Promise<void> {
    const missing = [...new Set(oids)].filter((o) => !this.typeNames.has(o));
    if (!missing.length) return;
    const res = await client.query<{ oid: number; name: string }>('SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::oid[])', [missing]);
    for (const r of res.rows) this.typeNames.set(r.oid, r.name);
  }

  async query(sql: string, limits: ResolvedLimits, signal?: AbortSignal): Promise<QueryResult> {
    screenStatement(sql, 'postgres', this.db.id);
    const started = Date.now();
    return this.readOnly(limits, signal, async (client) => {
      const cursor = client.query(new Cursor<unknown[]>(sql, undefined, { rowMode: 'array', types }));
      const collector = new RowCollector(limits);
      let fields: pg.FieldDef[] = [];
      let command: string | undefined;
      // Bounded: each batch either fills the collector or ends the portal.
      for (let done = false; !done && !collector.full; ) {
        const { rows, result } = await new Promise<{ rows: unknown[][]; result: pg.QueryResult }>((resolve, reject) =>
          cursor.read(BATCH, (err, rows, result) => (err ? reject(err) : resolve({ rows, result }))),
        );
        fields = result.fields ?? fields;
        command = result.command ?? command;
        for (const row of rows) if (!collector.add(row)) break;
        done = rows.length < BATCH;
      }
      await cursor.close();
      await this.columnTypes(client, fields.map((f) => f.dataTypeID)).catch(() => undefined);
      const columns: Column[] = fields.map((f) => ({ name: f.name, type: this.typeNames.get(f.dataTypeID) ?? `oid ${f.dataTypeID}` }));
      return {
        columns,
        rows: collector.rows,
        rowCount: collector.rows.length,
        ...(collector.truncated ? { truncated: collector.truncated } : {}),
        ...(command ? { command } : {}),
        durationMs: Date.now() - started,
      };
    });
  }

  async listTables(schema: string | undefined, limits: ResolvedLimits): Promise<TableInfo[]> {
    return this.readOnly(limits, undefined, async (client) => {
      const res = await client.query<{ schema: string; name: string; type: string; row_estimate: string | null }>(
        `SELECT t.table_schema AS schema, t.table_name AS name, t.table_type AS type, c.reltuples::bigint AS row_estimate
           FROM information_schema.tables t
           LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = t.table_schema
           LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.table_name
          WHERE t.table_schema NOT IN ('pg_catalog', 'information_schema') AND ($1::text IS NULL OR t.table_schema = $1)
          ORDER BY 1, 2 LIMIT 10000`,
        [schema ?? null],
      );
      return res.rows.map((r) => ({ schema: r.schema, name: r.name, type: r.type, rowEstimate: estimate(r.row_estimate) }));
    });
  }

  async describeTable(schema: string | undefined, table: string, limits: ResolvedLimits): Promise<TableDescription | undefined> {
    return this.readOnly(limits, undefined, async (client) => {
      const tables = await client.query<{ schema: string; name: string; type: string; row_estimate: string | null }>(
        `SELECT t.table_schema AS schema, t.table_name AS name, t.table_type AS type, c.reltuples::bigint AS row_estimate
           FROM information_schema.tables t
           LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = t.table_schema
           LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.table_name
          WHERE t.table_name = $2 AND t.table_schema = COALESCE($1, t.table_schema)
            AND t.table_schema NOT IN ('pg_catalog', 'information_schema')
          ORDER BY (t.table_schema = ANY(current_schemas(false))) DESC, 1 LIMIT 1`,
        [schema ?? null, table],
      );
      const t = tables.rows[0];
      if (!t) return undefined;
      const columns = await client.query<{ name: string; type: string; nullable: string; default: string | null }>(
        `SELECT column_name AS name,
                CASE WHEN data_type IN ('USER-DEFINED', 'ARRAY') THEN udt_name ELSE data_type END AS type,
                is_nullable AS nullable, column_default AS default
           FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [t.schema, t.name],
      );
      const pk = await client.query<{ name: string }>(
        `SELECT k.column_name AS name
           FROM information_schema.table_constraints c
           JOIN information_schema.key_column_usage k
             ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name
          WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = $1 AND c.table_name = $2
          ORDER BY k.ordinal_position`,
        [t.schema, t.name],
      );
      return {
        schema: t.schema,
        name: t.name,
        type: t.type,
        rowEstimate: estimate(t.row_estimate),
        columns: columns.rows.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable === 'YES', default: c.default })),
        primaryKey: pk.rows.map((r) => r.name),
      };
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** reltuples is -1 for a table never analyzed (PostgreSQL 14+), and absent for views. */
function estimate(value: string | number | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

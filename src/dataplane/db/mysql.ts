/**
 * MySQL and MariaDB, read-only by construction. Every call: a session time limit (MariaDB's
 * max_statement_time or MySQL's max_execution_time, detected once), START TRANSACTION READ
 * ONLY, the agent's statement over a connection that never negotiated multiple statements
 * or LOCAL INFILE (the server rejects both), rows streamed up to the caps, ROLLBACK, and a
 * COM_RESET_CONNECTION on release so no lock, variable or temporary table outlives the call.
 */
import mysql from 'mysql2';
import type { FieldPacket, Pool, PoolConnection } from 'mysql2';
import { InfraAuditError } from '../../errors.js';
import type { AllowedDatabase } from '../scope.js';
import { defaultPort, passwordSource, type CredentialOptions } from './credentials.js';
import { screenStatement } from './statement.js';
import {
  READ_ONLY_HINT,
  RowCollector,
  connectionError,
  databaseError,
  type DatabaseDriver,
  type QueryResult,
  type ResolvedLimits,
  type TableDescription,
  type TableInfo,
} from './driver.js';
import { tlsOptions } from './postgres.js';

const TYPE_NAMES = new Map<number, string>(Object.entries(mysql.Types as unknown as Record<string, number>).map(([name, id]) => [id, name]));

/**
 * Global privileges that act outside a transaction: files on the server host, global
 * settings, other sessions, users and replication. Held directly or through any role the
 * user can enable (a default role is enabled at login; SET ROLE enables the others).
 */
const PRIVILEGED = new Set([
  'ALL PRIVILEGES', 'FILE', 'SUPER', 'PROCESS', 'RELOAD', 'SHUTDOWN', 'CREATE USER', 'GRANT OPTION', 'SET USER',
  'CONNECTION ADMIN', 'READ_ONLY ADMIN', 'BINLOG ADMIN', 'BINLOG REPLAY', 'FEDERATED ADMIN', 'REPLICATION MASTER ADMIN',
  'REPLICATION SLAVE ADMIN', 'SYSTEM_VARIABLES_ADMIN', 'CONNECTION_ADMIN', 'SESSION_VARIABLES_ADMIN', 'BINLOG_ADMIN', 'ROLE_ADMIN',
]);

/** The global privileges named by SHOW GRANTS lines (`GRANT FILE, PROCESS ON *.* TO ...`). */
export function globalPrivileges(grantLines: string[]): string[] {
  const out = new Set<string>();
  for (const line of grantLines) {
    const m = /^GRANT (.+?) ON \*\.\* TO /i.exec(line);
    if (m) for (const p of m[1]!.split(',')) out.add(p.trim().toUpperCase());
    if (/ WITH GRANT OPTION/i.test(line) && / ON \*\.\* /i.test(line)) out.add('GRANT OPTION');
  }
  return [...out];
}

interface MysqlError {
  errno?: number;
  code?: string;
  message?: string;
  sqlMessage?: string;
  fatal?: boolean;
}

export class MysqlDriver implements DatabaseDriver {
  private pool: Promise<Pool> | undefined;
  private flavour: Promise<'mariadb' | 'mysql'> | undefined;
  private privilegeCheck: Promise<void> | undefined;

  constructor(
    private readonly db: AllowedDatabase,
    private readonly credentials: CredentialOptions = {},
  ) {}

  /** The pool, made on first use: a password from the environment is read then, not at start. */
  private createPool(): Promise<Pool> {
    this.pool ??= (async () => {
      const db = this.db;
      const password = passwordSource(db, this.credentials);
      const ssl = tlsOptions(db.ssl ?? (db.iamAuth ? true : undefined));
      const pool = mysql.createPool({
        host: db.host,
        port: db.port ?? defaultPort('mysql'),
        database: db.database,
        user: db.user,
        // Refused at the protocol level: no "a; b" and no LOAD DATA LOCAL reading this host's files.
        flags: ['-MULTI_STATEMENTS', '-LOCAL_FILES'],
        multipleStatements: false,
        connectionLimit: db.maxConnections ?? 2,
        maxIdle: db.maxConnections ?? 2,
        idleTimeout: 30_000,
        queueLimit: 20,
        connectTimeout: 5_000,
        resetOnRelease: true,
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: true,
        ...(ssl ? { ssl: ssl as never } : {}),
        ...(db.iamAuth
          ? // An IAM token expires after 15 minutes: each new connection signs a fresh one (RDS asks for it in clear text over TLS).
            { authPlugins: { mysql_clear_password: () => async () => Buffer.from(`${await password!()}\0`) } }
          : password
            ? { password: await password() }
            : {}),
      });
      pool.on('connection', (c) => c.on('error', () => undefined));
      return pool;
    })();
    return this.pool.catch((err: unknown) => {
      this.pool = undefined;
      throw err;
    });
  }

  private async connection(): Promise<PoolConnection> {
    const pool = await this.createPool();
    return new Promise((resolve, reject) => pool.getConnection((err, conn) => (err ? reject(connectionError(this.db.id, err)) : resolve(conn))));
  }

  private run<T = unknown>(conn: PoolConnection, sql: string, values?: unknown[]): Promise<T> {
    return new Promise((resolve, reject) => conn.query(sql, values ?? [], (err, rows) => (err ? reject(err) : resolve(rows as T))));
  }

  private async checkServer(conn: PoolConnection): Promise<'mariadb' | 'mysql'> {
    this.flavour ??= this.run<Array<{ v: string }>>(conn, 'SELECT VERSION() AS v').then((r) => (/mariadb/i.test(r[0]?.v ?? '') ? 'mariadb' : 'mysql'));
    this.privilegeCheck ??= this.grantLines(conn).then((lines) => {
      const powers = globalPrivileges(lines).filter((p) => PRIVILEGED.has(p));
      if (powers.length && !this.db.allowPrivilegedUser) {
        throw new InfraAuditError('READ_ONLY_VIOLATION', `database "${this.db.id}": user "${this.db.user}" holds ${powers.sort().join(', ')} (directly or through a role); a read-only transaction does not stop SELECT ... INTO OUTFILE, LOAD_FILE, KILL or SET GLOBAL, so this user is refused`, {
          hint: 'connect as a SELECT-only user (docs/data-plane.md has the SQL), or set allowPrivilegedUser: true for this database knowingly',
        });
      }
    });
    try {
      await this.privilegeCheck;
      return await this.flavour;
    } catch (err) {
      this.flavour = undefined;
      this.privilegeCheck = undefined;
      throw err;
    }
  }

  /**
   * Every grant the session holds: on MariaDB, SHOW GRANTS lists the user's and those of the
   * roles enabled at login (the default role and the roles granted to it). Other roles cannot
   * be enabled through query_db: SET ROLE is not a query, so the statement screen refuses it.
   */
  private async grantLines(conn: PoolConnection): Promise<string[]> {
    const rows = await this.run<Array<Record<string, string>>>(conn, 'SHOW GRANTS');
    return rows.map((r) => Object.values(r)[0] ?? '');
  }

  /**
   * Stop a statement on the server: KILL QUERY from a second connection (a user may kill its
   * own statements without any privilege). Closing our socket alone would leave the statement
   * running on the server.
   */
  private async killQuery(threadId: number | null): Promise<void> {
    if (!threadId) return;
    const pool = await this.createPool();
    const killer = await new Promise<PoolConnection>((resolve, reject) => pool.getConnection((err, c) => (err ? reject(err) : resolve(c))));
    try {
      await this.run(killer, `KILL QUERY ${Number(threadId)}`);
    } finally {
      killer.destroy();
    }
  }

  /** Run `work` inside a read-only transaction that is always rolled back. */
  private async readOnly<T>(limits: ResolvedLimits, signal: AbortSignal | undefined, work: (conn: PoolConnection, destroy: () => void) => Promise<T>): Promise<T> {
    const conn = await this.connection();
    let destroyed = false;
    let timedOut = false;
    const destroy = () => {
      if (destroyed) return;
      destroyed = true;
      conn.destroy();
    };
    // The server's own limit should stop the statement first; this is the backstop for one it
    // does not cover: kill the statement on the server, then drop the connection.
    const deadline = setTimeout(() => {
      timedOut = true;
      void this.killQuery(conn.threadId).catch(() => undefined).finally(destroy);
    }, limits.statementTimeoutMs + 2_000);
    signal?.addEventListener('abort', destroy, { once: true });
    try {
      const flavour = await this.checkServer(conn);
      if (flavour === 'mariadb') await this.run(conn, `SET SESSION max_statement_time = ${(limits.statementTimeoutMs / 1000).toFixed(3)}`);
      else await this.run(conn, `SET SESSION max_execution_time = ${Math.round(limits.statementTimeoutMs)}`);
      // The session, not only the transaction, is read-only: a transaction that ends early
      // (an implicit commit) leaves the next one read-only too.
      await this.run(conn, 'SET SESSION TRANSACTION READ ONLY');
      await this.run(conn, 'START TRANSACTION READ ONLY');
      const started = Date.now();
      const result = await work(conn, destroy);
      // MariaDB's max_statement_time can cut a statement without an error (BENCHMARK returns 0,
      // SLEEP returns 1): a statement that ran for the whole limit was cut, and says so.
      if (!timedOut && Date.now() - started >= limits.statementTimeoutMs) {
        throw new InfraAuditError('LIMIT_EXCEEDED', `database "${this.db.id}": the statement was stopped at the time limit (${limits.statementTimeoutMs} ms); its result is incomplete and withheld`, { hint: 'narrow the query (filters, LIMIT, an index)' });
      }
      if (timedOut) throw new InfraAuditError('LIMIT_EXCEEDED', `database "${this.db.id}": the statement was stopped at the time limit (${limits.statementTimeoutMs} ms); its result is incomplete and withheld`, { hint: 'narrow the query' });
      if (!destroyed) {
        // Anything that switched the session out of read-only mode means the statement left the
        // transaction: its result is withheld and the connection is not reused.
        // MariaDB before 11.1 knows only tx_read_only; MySQL 8 only transaction_read_only.
        const [state] = await this.run<Array<{ ro: number | string }>>(conn, `SELECT @@session.${flavour === 'mariadb' ? 'tx_read_only' : 'transaction_read_only'} AS ro`);
        if (Number(state?.ro) !== 1) {
          destroy();
          throw new InfraAuditError('READ_ONLY_VIOLATION', `database "${this.db.id}": the statement switched the session out of read-only mode; result withheld, connection closed`, { hint: READ_ONLY_HINT });
        }
      }
      return result;
    } catch (err) {
      if (timedOut && !(err instanceof InfraAuditError && err.code === 'READ_ONLY_VIOLATION')) {
        throw new InfraAuditError('LIMIT_EXCEEDED', `database "${this.db.id}": the statement was stopped at the time limit (${limits.statementTimeoutMs} ms) and killed on the server`, { hint: 'narrow the query (filters, LIMIT, an index)' });
      }
      if (destroyed && !(err instanceof InfraAuditError)) {
        throw new InfraAuditError('LIMIT_EXCEEDED', `database "${this.db.id}" did not answer within the time limit; the connection was closed`, { hint: 'narrow the query' });
      }
      throw this.mapError(err, limits);
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', destroy);
      if (!destroyed) {
        try {
          await this.run(conn, 'ROLLBACK');
          conn.release();
        } catch {
          destroy();
        }
      }
    }
  }

  private mapError(err: unknown, limits: ResolvedLimits): InfraAuditError {
    if (err instanceof InfraAuditError) return err;
    const e = err as MysqlError;
    const message = e.sqlMessage ?? e.message ?? String(err);
    switch (e.errno) {
      case 1792: // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
      case 1290: // ER_OPTION_PREVENTS_STATEMENT (--read-only, --secure-file-priv)
        return databaseError('READ_ONLY_VIOLATION', this.db.id, message, READ_ONLY_HINT, err);
      case 1969: // MariaDB ER_STATEMENT_TIMEOUT
      case 3024: // MySQL ER_QUERY_TIMEOUT
      case 1317: // ER_QUERY_INTERRUPTED: killed at the deadline
        return databaseError('LIMIT_EXCEEDED', this.db.id, `${message} (limit ${limits.statementTimeoutMs} ms)`, 'narrow the query (filters, LIMIT, an index)', err);
      case 1205: // ER_LOCK_WAIT_TIMEOUT
        return databaseError('LIMIT_EXCEEDED', this.db.id, message, 'a lock the statement needs is held by another session', err);
      case 1064: // ER_PARSE_ERROR, including a second statement: the connection did not negotiate multiple statements
        return databaseError('INVALID_INPUT', this.db.id, message, 'send exactly one SQL statement per call', err);
      case 1044:
      case 1142:
      case 1143:
      case 1227:
      case 1370:
        return databaseError('INVALID_INPUT', this.db.id, message, 'the database user lacks this privilege; the audit user is meant to be SELECT-only', err);
      case undefined:
        return connectionError(this.db.id, err);
      default:
        return databaseError('INVALID_INPUT', this.db.id, `${message} (error ${e.errno})`, 'fix the statement; list_tables and describe_table show the schema', err);
    }
  }

  async query(sql: string, limits: ResolvedLimits, signal?: AbortSignal): Promise<QueryResult> {
    screenStatement(sql, 'mysql', this.db.id);
    const started = Date.now();
    return this.readOnly(limits, signal, (conn, destroy) =>
      new Promise<QueryResult>((resolve, reject) => {
        const collector = new RowCollector(limits);
        let fields: FieldPacket[] = [];
        let command: string | undefined;
        const finish = () =>
          resolve({
            columns: fields.map((f) => ({ name: f.name, type: TYPE_NAMES.get(f.columnType ?? f.type ?? -1) ?? 'UNKNOWN' })),
            rows: collector.rows,
            rowCount: collector.rows.length,
            ...(collector.truncated ? { truncated: collector.truncated } : {}),
            ...(command ? { command } : {}),
            durationMs: Date.now() - started,
          });
        // A statement without a result set (LOCK TABLES, SET, DO) sends no field list.
        const q = conn.query({ sql, rowsAsArray: true });
        q.on('fields', (f: FieldPacket[] | undefined) => (fields = f ?? []));
        q.on('result', (row: unknown) => {
          if (Array.isArray(row)) {
            if (collector.full) return;
            if (!collector.add(row)) {
              // The rest of the result is not wanted: the protocol cannot skip it, so the
              // connection goes (the server rolls its transaction back when it does).
              destroy();
              finish();
            }
          } else command = 'OK';
        });
        q.on('error', (err: unknown) => (collector.full ? undefined : reject(err)));
        q.on('end', () => (collector.full ? undefined : finish()));
      }),
    );
  }

  async listTables(schema: string | undefined, limits: ResolvedLimits): Promise<TableInfo[]> {
    return this.readOnly(limits, undefined, async (conn) => {
      const rows = await this.run<Array<{ s: string; n: string; t: string; r: string | number | null }>>(
        conn,
        `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS n, TABLE_TYPE AS t, TABLE_ROWS AS r FROM information_schema.TABLES
          WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) ORDER BY 1, 2 LIMIT 10000`,
        [schema ?? null],
      );
      return rows.map((r) => ({ schema: r.s, name: r.n, type: r.t, rowEstimate: r.r === null ? null : Number(r.r) }));
    });
  }

  async describeTable(schema: string | undefined, table: string, limits: ResolvedLimits): Promise<TableDescription | undefined> {
    return this.readOnly(limits, undefined, async (conn) => {
      const tables = await this.run<Array<{ s: string; n: string; t: string; r: string | number | null }>>(
        conn,
        `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS n, TABLE_TYPE AS t, TABLE_ROWS AS r FROM information_schema.TABLES
          WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?`,
        [schema ?? null, table],
      );
      const t = tables[0];
      if (!t) return undefined;
      const columns = await this.run<Array<{ n: string; t: string; nl: string; d: string | null }>>(
        conn,
        `SELECT COLUMN_NAME AS n, COLUMN_TYPE AS t, IS_NULLABLE AS nl, COLUMN_DEFAULT AS d FROM information_schema.COLUMNS
          WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
        [t.s, t.n],
      );
      const pk = await this.run<Array<{ n: string }>>(
        conn,
        `SELECT COLUMN_NAME AS n FROM information_schema.KEY_COLUMN_USAGE
          WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
        [t.s, t.n],
      );
      return {
        schema: t.s,
        name: t.n,
        type: t.t,
        rowEstimate: t.r === null ? null : Number(t.r),
        columns: columns.map((c) => ({ name: c.n, type: c.t, nullable: c.nl === 'YES', default: c.d })),
        primaryKey: pk.map((r) => r.n),
      };
    });
  }

  async close(): Promise<void> {
    const pending = this.pool;
    this.pool = undefined;
    const pool = await pending?.catch(() => undefined);
    if (pool) await new Promise<void>((resolve) => pool.end(() => resolve()));
  }
}

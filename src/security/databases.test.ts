/**
 * Issue 14 items 3, 4, 5 and 10 (the database part), over Streamable HTTP with the real MCP
 * client, against the real MariaDB and PostgreSQL; the roles, procedures and grants are
 * created here with unique names and dropped afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpHarness, type McpHarness } from '../test-support/mcp.js';
import { MY, PG, mysqlAdmin, pgAdmin, uniqueName } from '../test-support/databases.js';
import { DataPlane } from '../dataplane/data-plane.js';
import { DataPlaneScope } from '../dataplane/scope.js';
import { parseDataPlaneConfig } from '../dataplane/config.js';

// No AWS call is made by the database tools; the session still needs an endpoint.
const NO_AWS = 'http://127.0.0.1:9';

describe('MariaDB: roles, procedures, time limits, file functions (14.3, 14.4, 14.5)', () => {
  const db = uniqueName('ia_sec_my');
  const app = uniqueName('ia_app');
  const fileUser = uniqueName('ia_file');
  const outer = uniqueName('ia_role_a');
  const inner = uniqueName('ia_role_b');
  let mcp: McpHarness;

  const rows = async () => mysqlAdmin(async (c) => Number(((await c.query(`SELECT COUNT(*) AS n FROM ${db}.audit_target`)) as unknown as Array<Array<{ n: number }>>)[0]![0]!.n));

  beforeAll(async () => {
    await mysqlAdmin(async (c) => {
      await c.query(`CREATE DATABASE ${db}`);
      await c.query(`CREATE TABLE ${db}.audit_target (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(32)) ENGINE=InnoDB`);
      await c.query(`INSERT INTO ${db}.audit_target (v) VALUES ('one')`);
      // The application user owns its database (so only the transaction can stop a write).
      await c.query(`CREATE USER '${app}'@'%'`);
      await c.query(`GRANT ALL PRIVILEGES ON ${db}.* TO '${app}'@'%'`);
      await c.query(`CREATE PROCEDURE ${db}.escape_rw() SQL SECURITY INVOKER BEGIN COMMIT; SET SESSION TRANSACTION READ WRITE; INSERT INTO ${db}.audit_target (v) VALUES ('escaped'); END`);
      // A "SELECT-only" user that holds FILE through a nested default role.
      await c.query(`CREATE ROLE ${inner}`);
      await c.query(`GRANT FILE ON *.* TO ${inner}`);
      await c.query(`CREATE ROLE ${outer}`);
      await c.query(`GRANT ${inner} TO ${outer}`);
      await c.query(`CREATE USER '${fileUser}'@'%'`);
      await c.query(`GRANT SELECT ON ${db}.* TO '${fileUser}'@'%'`);
      await c.query(`GRANT ${outer} TO '${fileUser}'@'%'`);
      await c.query(`SET DEFAULT ROLE ${outer} FOR '${fileUser}'@'%'`);
    });
    const base = { engine: 'mysql', host: MY.host, port: MY.port, database: db };
    const config = parseDataPlaneConfig(
      {
        databases: [
          { ...base, id: 'app', user: app },
          { ...base, id: 'file_by_role', user: fileUser },
          { ...base, id: 'root', user: MY.superuser, allowPrivilegedUser: true },
        ],
        limits: { statementTimeoutMs: 1_000 },
      },
      'test',
    );
    mcp = await startMcpHarness(NO_AWS, { session: { dataPlane: new DataPlane(DataPlaneScope.fromConfig(config)) } });
  });

  afterAll(async () => {
    await mcp?.close();
    await mysqlAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${db}`);
      for (const u of [app, fileUser]) await c.query(`DROP USER IF EXISTS '${u}'@'%'`);
      for (const r of [outer, inner]) await c.query(`DROP ROLE IF EXISTS ${r}`);
    });
  });

  it('14.3: a user holding FILE through a nested default role is refused', async () => {
    const res = await mcp.call('query_db', { database: 'file_by_role', sql: 'SELECT COUNT(*) FROM audit_target' });
    expect(res.isError).toBe(true);
    expect(res.text).toMatch(/READ_ONLY_VIOLATION[\s\S]*holds FILE \(directly or through a role\)/);
  });

  it('14.3: INTO OUTFILE/DUMPFILE, LOAD_FILE and LOAD DATA are refused whatever the privileges', async () => {
    const statements = [
      "SELECT LOAD_FILE('/etc/hostname')",
      "SELECT `load_file`('/etc/hostname')",
      "SELECT /* x */ LOAD_FILE /* y */ ('/etc/hostname')",
      `SELECT v FROM audit_target INTO OUTFILE '/tmp/${db}.txt'`,
      `SELECT v FROM audit_target INTO DUMPFILE '/tmp/${db}.bin'`,
      `LOAD DATA INFILE '/etc/hostname' INTO TABLE audit_target`,
    ];
    for (const sql of statements) {
      const res = await mcp.call('query_db', { database: 'root', sql });
      expect(res.isError, sql).toBe(true);
      expect(res.text, sql).toMatch(/statement refused/);
    }
  });

  it('14.4: a procedure that commits and switches the session to READ WRITE cannot be called, in any disguise', async () => {
    const before = await rows();
    for (const sql of [
      'CALL escape_rw()',
      'call escape_rw',
      '/*! CALL escape_rw() */',
      "EXECUTE IMMEDIATE 'CALL escape_rw()'",
      `BEGIN NOT ATOMIC COMMIT; SET SESSION TRANSACTION READ WRITE; INSERT INTO audit_target (v) VALUES ('block'); END`,
      'SET SESSION TRANSACTION READ WRITE',
    ]) {
      const res = await mcp.call('query_db', { database: 'app', sql });
      expect(res.isError, sql).toBe(true);
      expect(res.text, sql).toContain('READ_ONLY_VIOLATION');
    }
    expect(await rows()).toBe(before);
    // An ordinary query still works, on a session that is read-only.
    const ok = await mcp.call<{ rows: unknown[][] }>('query_db', { database: 'app', sql: 'SELECT COUNT(*) FROM audit_target' });
    expect(ok.isError, ok.text).toBe(false);
    expect(Number(ok.structured.rows[0]![0])).toBe(before);
  });

  it('14.5: SET STATEMENT cannot lift the time limit, and a statement stopped at the limit is an error that says so', async () => {
    const lifted = await mcp.call('query_db', { database: 'app', sql: 'SET STATEMENT max_statement_time = 0 FOR SELECT BENCHMARK(500000000, SHA2(\'x\', 512))' });
    expect(lifted.isError).toBe(true);
    expect(lifted.text).toContain('SET STATEMENT');
    const started = Date.now();
    const slow = await mcp.call('query_db', { database: 'app', sql: 'SELECT BENCHMARK(500000000, SHA2(\'x\', 512))' });
    expect(slow.isError).toBe(true);
    expect(slow.text).toMatch(/LIMIT_EXCEEDED[\s\S]*(max_statement_time|time limit)/);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Nothing of ours is still running on the server.
    const running = await mysqlAdmin(async (c) => (await c.query(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ? AND COMMAND = 'Query'`, [app])) as unknown as Array<Array<{ n: number }>>);
    expect(Number(running[0]![0]!.n)).toBe(0);
  });
});

describe('PostgreSQL: maintenance commands are refused (14.10)', () => {
  const db = uniqueName('ia_sec_pg');
  let mcp: McpHarness;
  const stats = () => pgAdmin(db, async (c) => (await c.query("SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'big'")).rows[0]!.n as string);

  beforeAll(async () => {
    await pgAdmin('postgres', (c) => c.query(`CREATE DATABASE ${db}`));
    await pgAdmin(db, async (c) => {
      await c.query('CREATE TABLE big (id int PRIMARY KEY)');
      await c.query('INSERT INTO big SELECT generate_series(1, 5000)');
    });
    const config = parseDataPlaneConfig({ databases: [{ id: 'pg', engine: 'postgres', host: PG.host, port: PG.port, database: db, user: PG.superuser, allowPrivilegedUser: true }] }, 'test');
    mcp = await startMcpHarness(NO_AWS, { session: { dataPlane: new DataPlane(DataPlaneScope.fromConfig(config)) } });
  });

  afterAll(async () => {
    await mcp?.close();
    await pgAdmin('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
  });

  it('ANALYZE, VACUUM, CLUSTER and REINDEX are refused and the planner statistics are unchanged', async () => {
    const before = await stats();
    for (const sql of ['ANALYZE big', 'analyse', '/* x */ ANALYZE VERBOSE big', 'VACUUM big', 'CLUSTER big USING big_pkey', 'REINDEX TABLE big']) {
      const res = await mcp.call('query_db', { database: 'pg', sql });
      expect(res.isError, sql).toBe(true);
      expect(res.text, sql).toMatch(/READ_ONLY_VIOLATION[\s\S]*statement refused/);
    }
    expect(await stats()).toBe(before);
    const explain = await mcp.call('query_db', { database: 'pg', sql: 'EXPLAIN (ANALYZE) SELECT count(*) FROM big' });
    expect(explain.isError, explain.text).toBe(false);
  });
});

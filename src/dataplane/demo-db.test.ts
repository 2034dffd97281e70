import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoDatabase } from './demo-db.js';
import { DataPlane } from './data-plane.js';
import { DataPlaneScope } from './scope.js';
import { PG, pgAdmin, uniqueName } from '../test-support/databases.js';

const database = uniqueName('ia_demo');
const role = uniqueName('ia_demo_ro');

afterAll(async () => {
  await pgAdmin('postgres', async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.query(`DROP ROLE IF EXISTS ${role}`);
  });
});

describe('demo database', () => {
  it('is created once, stays the same when ensured again, and is readable by its SELECT-only role only', async () => {
    const first = await ensureDemoDatabase({ database, auditRole: role });
    expect(first.reason).toBeUndefined();
    expect(first.config).toEqual({ id: database, engine: 'postgres', host: PG.host, port: PG.port, database, user: role });
    const second = await ensureDemoDatabase({ database, auditRole: role });
    expect(second.config).toEqual(first.config);
    const counts = await pgAdmin(database, (c) => c.query('SELECT (SELECT count(*) FROM customers)::int AS c, (SELECT count(*) FROM orders)::int AS o'));
    expect(counts.rows[0]).toEqual({ c: 4, o: 6 });

    const plane = new DataPlane(DataPlaneScope.fromConfig({ buckets: [], databases: [first.config!] }));
    try {
      const driver = plane.driver(database);
      const read = await driver.query('SELECT c.name, sum(o.total) AS spent FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name ORDER BY spent DESC LIMIT 1', plane.limits);
      expect(read.rows).toEqual([['Umbrella Labs', '17610.99']]);
      // Refused by the transaction, and by the role's grants behind it.
      await expect(driver.query('DELETE FROM orders', plane.limits)).rejects.toMatchObject({ code: 'READ_ONLY_VIOLATION' });
      const privileges = await pgAdmin(database, (c) =>
        c.query(`SELECT has_table_privilege($1, 'orders', 'DELETE') AS del, has_table_privilege($1, 'orders', 'SELECT') AS sel`, [role]),
      );
      expect(privileges.rows[0]).toEqual({ del: false, sel: true });
    } finally {
      await plane.close();
    }
  });

  it('returns a reason instead of throwing when PostgreSQL is not reachable', async () => {
    const started = Date.now();
    const res = await ensureDemoDatabase({ port: 1, database, auditRole: role });
    expect(res.config).toBeUndefined();
    expect(res.reason).toMatch(/^PostgreSQL at 127\.0\.0\.1:1 is not usable for the demo: ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await ensureDemoDatabase({ database: 'Bad-Name' })).reason).toMatch(/lowercase identifiers/);
  });
});

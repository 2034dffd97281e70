/**
 * Issue 14 item 7: structuredContent and the text form describe the same data. Over
 * Streamable HTTP with the real MCP client, against the sandbox and the real PostgreSQL:
 * a 16 KiB page of an object is 16 KiB in both forms, following nextOffset rebuilds the
 * object exactly, and a long database value is not cut inside the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support/sandbox.js';
import { startMcpHarness, type McpHarness } from '../test-support/mcp.js';
import { PG, pgAdmin, uniqueName } from '../test-support/databases.js';
import { DataPlane } from '../dataplane/data-plane.js';
import { DataPlaneScope } from '../dataplane/scope.js';
import { parseDataPlaneConfig } from '../dataplane/config.js';

const BODY = Array.from({ length: 2_000 }, (_, i) => `line ${String(i).padStart(5, '0')} of the export\n`).join('');
const db = uniqueName('ia_pages');

describe('one page, one truth (14.7)', () => {
  const env = useSandbox({
    AccountId: '111122223333',
    Regions: { 'us-east-1': {} },
    S3: { Buckets: [{ Name: 'acme-exports', CreationDate: '2024-01-01T00:00:00Z', Objects: [{ Key: 'export.txt', Body: BODY, ContentType: 'text/plain' }] }] },
  });
  let mcp: McpHarness;
  beforeAll(async () => {
    await pgAdmin('postgres', (c) => c.query(`CREATE DATABASE ${db}`));
    const config = parseDataPlaneConfig({ buckets: ['acme-exports'], databases: [{ id: 'pg', engine: 'postgres', host: PG.host, port: PG.port, database: db, user: PG.superuser, allowPrivilegedUser: true }] }, 'test');
    mcp = await startMcpHarness(env.endpoint, { session: { dataPlane: new DataPlane(DataPlaneScope.fromConfig(config)) } });
  });
  afterAll(async () => {
    await mcp?.close();
    await pgAdmin('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
  });

  it('read_file pages of 16 KiB: structured text, range and nextOffset agree, and following nextOffset loses nothing', async () => {
    let offset = 0;
    let rebuilt = '';
    for (let i = 0; i < 20 && offset < BODY.length; i++) {
      const res = await mcp.call<{ text: string; range: { start: number; end: number }; nextOffset?: number }>('read_file', { bucket: 'acme-exports', key: 'export.txt', offset, length: 16_384 });
      expect(res.isError, res.text).toBe(false);
      const { text, range, nextOffset } = res.structured;
      expect(range.start).toBe(offset);
      expect(text.length).toBe(range.end - range.start + 1);
      expect(res.text).toContain(text);
      rebuilt += text;
      if (nextOffset === undefined) break;
      expect(nextOffset).toBe(range.end + 1);
      offset = nextOffset;
    }
    expect(rebuilt).toBe(BODY);
  });

  it('query_db: a 10,000-character value is whole in structuredContent and in the text', async () => {
    const res = await mcp.call<{ rows: string[][] }>('query_db', { database: 'pg', sql: "SELECT repeat('x', 10000) AS v" });
    expect(res.isError, res.text).toBe(false);
    expect(res.structured.rows[0]![0]).toHaveLength(10_000);
    expect(res.text).toContain('x'.repeat(10_000));
  });
});

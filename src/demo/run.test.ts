import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo, DEMO_DIR } from './run.js';
import { bufferIO } from '../cli/io.js';

interface ExpectedFinding {
  checkId: string;
  resourceId: string;
  implied?: boolean;
}

describe('the demo (the README front door)', () => {
  it('audits the demo account, drives the MCP server and verifies its audit log', async () => {
    const output = mkdtempSync(join(tmpdir(), 'infra-audit-demo-test-'));
    // No model configured: the demo explains how to run the agent instead of calling one.
    const io = bufferIO({ env: { ...process.env, ANTHROPIC_API_KEY: '', OPENAI_BASE_URL: '' } });
    const result = await runDemo({ output }, io);
    expect(result.agent).toBe('explained');
    const expected = JSON.parse(readFileSync(join(DEMO_DIR, 'expected-findings.json'), 'utf8')) as ExpectedFinding[];

    const expectedPublic = expected.filter((e) => e.checkId === 's3_bucket_public_read').map((e) => e.resourceId.replace('arn:aws:s3:::', ''));
    expect(result.publicBuckets.sort()).toEqual(expectedPublic.sort());
    const fails = result.findings.filter((f) => f.status === 'fail').map((f) => `${f.checkId} ${f.resourceId}`);
    const planted = expected.filter((e) => !e.implied).map((e) => `${e.checkId} ${e.resourceId}`);
    expect(fails.sort()).toEqual(planted.sort());
    expect(result.findings.filter((f) => f.status === 'error')).toEqual([]);

    const expectedDrift = JSON.parse(readFileSync(join(DEMO_DIR, 'expected-drift.json'), 'utf8')) as Array<{ kind: string; resourceType: string }>;
    expect(result.drift.map((d) => `${d.kind} ${d.resourceType}`).sort()).toEqual(expectedDrift.map((d) => `${d.kind} ${d.resourceType}`).sort());
    expect(io.out()).toMatch(/find_public_buckets \(one call for the whole account\): 2 of \d+ buckets public/);

    expect(result.auditLogVerified).toBe(true);
    expect(result.toolCalls).toBeGreaterThanOrEqual(3);
    expect(readdirSync(output).sort()).toEqual(expect.arrayContaining(['audit-log.jsonl', 'audit.html', 'audit.json', 'audit.md', 'audit.sarif']));

    const stdout = io.out();
    for (const bucket of expectedPublic) expect(stdout).toContain(bucket);
    expect(stdout).toContain('refused');
    expect(stdout).not.toContain('CANARY-');
    if (result.database === 'shown') {
      expect(stdout).toContain('cannot execute DELETE in a read-only transaction');
      expect(stdout).toMatch(/<untrusted-data>\n\s+\[.*IGNORE PREVIOUS INSTRUCTIONS/);
    } else {
      expect(stdout).toContain('query_db: skipped:');
    }
  });
});

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

    // The drift section: the `drift` command's headline with its coverage numbers, every line naming a type,
    // unmanaged resources counted per type (each type once, the counts adding up), a few names each.
    const section = io.out().slice(io.out().indexOf('2. Terraform ground truth'), io.out().indexOf('3. The MCP server'));
    expect(section).toMatch(/^Drift: \d+ changed, \d+ missing, \d+ unmanaged, \d+ unapplied \(\d+ managed resource\(s\) compared, \d+ in sync; 100% of \d+ state instance\(s\) of supported types; coverage [\d.]+% managed\)$/m);
    const groups = [...section.matchAll(/^ {4}(aws_[a-z0-9_]+) \((\d+)\): (.+)$/gm)].map((m) => ({ type: m[1]!, count: Number(m[2]), names: m[3]! }));
    const unmanaged = result.drift.filter((d) => d.kind === 'unmanaged');
    expect(groups.map((g) => g.type).sort()).toEqual([...new Set(unmanaged.map((d) => d.resourceType))].sort());
    for (const g of groups) expect(g.count, g.type).toBe(unmanaged.filter((d) => d.resourceType === g.type).length);
    expect(section).toContain('aws_cloudwatch_metric_alarm (14): ');
    expect(section).toMatch(/aws_cloudwatch_metric_alarm \(14\): (cis-[a-z-]+, ){4}\+10 more \(see drift\.json\)/);
    // Each region's recorder is "default": the region tells them apart.
    expect(section).toContain('aws_config_configuration_recorder (2): default (eu-west-1), default (us-east-1)');
    expect(section).not.toContain('in AWS, in no state');
    for (const line of section.split('\n').filter((l) => /^ {2}(changed|missing|unapplied) /.test(l))) expect(line).toMatch(/^ {2}\w+ +aws_[a-z0-9_]+\./);
    expect(section).toContain('To bring aws_iam_role datadog-integration under Terraform');
    expect(section).toMatch(/import \{\n\s+to = aws_iam_role\.datadog_integration\n\s+id = "datadog-integration"\n\s+\}/);

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

/**
 * schemas/agent-report.schema.json is generated from the zod report schema and committed;
 * this keeps it current. Regenerate deliberately with UPDATE_SCHEMAS=1.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { agentReportJsonSchema, submitReportInputSchema } from './report-schema.js';
import { validateReport } from './loop.js';

const file = fileURLToPath(new URL('../../schemas/agent-report.schema.json', import.meta.url));

describe('agent report schema', () => {
  it('schemas/agent-report.schema.json is current', () => {
    const current = `${JSON.stringify(agentReportJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(file, current);
    expect(readFileSync(file, 'utf8')).toBe(current);
  });

  it('offers the model a submit_report schema that requires evidence and a remediation per finding', () => {
    const schema = submitReportInputSchema() as { properties: { findings: { items: { required: string[] } } } };
    expect(schema.properties.findings.items.required).toEqual(expect.arrayContaining(['severity', 'title', 'resource', 'evidence', 'remediation']));
    expect(schema).not.toHaveProperty('$schema');
  });

  const finding = { severity: 'high', title: 'Public bucket', resource: { id: 'arn:aws:s3:::b' }, description: 'Anyone can read it.', evidence: [{ callId: 'c1' }], remediation: 'Block public access.' };
  const calls = [{ callId: 'c1', tool: 'get_bucket_policy', arguments: { bucket: 'b' }, outcome: 'success' as const, durationMs: 3 }];

  it('accepts a report whose evidence cites a successful call of the run', () => {
    expect(validateReport({ summary: 'One public bucket.', findings: [finding] }, calls)).toMatchObject({ ok: true });
  });

  it('refuses evidence citing a call that failed or never happened, naming the calls that exist', () => {
    const failed = [{ ...calls[0]!, outcome: 'error' as const }];
    const v1 = validateReport({ summary: 'One public bucket.', findings: [finding] }, failed);
    expect(v1).toMatchObject({ ok: false });
    const v2 = validateReport({ summary: 'x y z', findings: [{ ...finding, evidence: [{ callId: 'toolu_made_up' }] }] }, calls);
    expect(v2.ok ? '' : v2.message).toMatch(/findings\.0\.evidence\.0\.callId: "toolu_made_up" is neither the call id nor the audit request id of a successful tool call[\s\S]*Successful calls of this run: c1/);
  });

  it('accepts the audit request id of a successful call as evidence, and reports it as that call', () => {
    const v = validateReport({ summary: 'One public bucket.', findings: [{ ...finding, evidence: [{ callId: 'req-7' }] }] }, [{ ...calls[0]!, auditRequestId: 'req-7' }]);
    expect(v.ok && v.report.findings[0]!.evidence[0]!.callId).toBe('c1');
  });

  it('names the path of each schema problem', () => {
    const { remediation: _dropped, ...noRemediation } = finding;
    const v = validateReport({ summary: 'x y z', findings: [{ ...noRemediation, severity: 'catastrophic' }] }, calls);
    expect(v.ok).toBe(false);
    const message = v.ok ? '' : v.message;
    expect(message).toContain('findings.0.severity');
    expect(message).toContain('findings.0.remediation');
  });
});

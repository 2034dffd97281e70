import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { jsonReportJsonSchema } from './json-contract.js';
import { renderReport } from './render.js';
import { loadReportFixture } from '../test-support/report-fixture.js';

const SCHEMA_FILE = new URL('../../schemas/findings.schema.json', import.meta.url);

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
}

describe('json report', () => {
  it('committed schema equals the one generated from the zod contract (UPDATE_SCHEMAS=1 rewrites it)', () => {
    const generated = `${JSON.stringify(jsonReportJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMAS) writeFileSync(SCHEMA_FILE, generated);
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated);
  });

  it('rendered output validates against schemas/findings.schema.json', () => {
    const validate = validator();
    const output = JSON.parse(renderReport('json', loadReportFixture()));
    const ok = validate(output);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema rejects a report whose finding has an unknown status or a missing resourceId', () => {
    const validate = validator();
    const output = JSON.parse(renderReport('json', loadReportFixture()));
    output.findings[0].status = 'warn';
    expect(validate(output)).toBe(false);
    const missing = JSON.parse(renderReport('json', loadReportFixture()));
    delete missing.findings[1].resourceId;
    expect(validate(missing)).toBe(false);
    expect(validate.errors?.[0]?.params).toEqual({ missingProperty: 'resourceId' });
  });

  it('summary counts every finding once, suppressed failures apart from open ones', () => {
    const report = loadReportFixture();
    const output = JSON.parse(renderReport('json', report));
    const open = report.findings.filter((f) => f.status === 'fail' && !f.suppressed);
    expect(output.summary).toEqual({
      total: 12,
      pass: 3,
      fail: open.length,
      error: 1,
      suppressed: 1,
      bySeverity: { critical: 2, high: 3, medium: 1, low: 1, info: 0 },
    });
    expect(output.summary.pass + output.summary.fail + output.summary.error + output.summary.suppressed).toBe(output.findings.length);
  });

  it('keeps every model field, adds a stable uid, and sorts worst first', () => {
    const report = loadReportFixture();
    const first = JSON.parse(renderReport('json', report));
    const reordered = JSON.parse(renderReport('json', { ...report, findings: [...report.findings].reverse(), generatedAt: '2026-04-01T00:00:00Z' }));
    expect(reordered.findings).toEqual(first.findings);
    expect(first.findings[0].severity).toBe('critical');
    const bucket = first.findings.find((f: { resourceId: string; status: string }) => f.resourceId === 'arn:aws:s3:::acme-marketing-assets');
    expect(bucket.uid).toMatch(/^[0-9a-f]{32}$/);
    expect(bucket).toMatchObject({ terraformFile: 'terraform/s3.tf', terraformLine: 42, cis: ['2.1.4'] });
    expect(new Set(first.findings.map((f: { uid: string }) => f.uid)).size).toBe(first.findings.length);
  });
});

import { describe, expect, it } from 'vitest';
import { InfraAuditError } from '../errors.js';
import { loadReportFixture } from '../test-support/report-fixture.js';
import { parseReportFormat, renderReport } from './render.js';
import type { AuditReport, ReportFormat } from './types.js';
import { REPORT_FORMATS } from './types.js';

const EMPTY: AuditReport = {
  tool: { name: 'infra-audit', version: '0.1.0' },
  generatedAt: '2026-03-14T09:26:53.000Z',
  accounts: [{ accountId: '123456789012', regions: ['us-east-1'] }],
  findings: [],
  checks: [],
};

describe('renderReport', () => {
  it('renders an audit with no findings in every format', () => {
    expect(renderReport('table', EMPTY)).toContain('Summary: 0 findings in 123456789012');
    expect(JSON.parse(renderReport('json', EMPTY)).summary.total).toBe(0);
    expect(renderReport('markdown', EMPTY)).toContain('No open failures.');
    expect(JSON.parse(renderReport('sarif', EMPTY)).runs[0].results).toEqual([]);
    expect(JSON.parse(renderReport('ocsf', EMPTY))).toEqual([]);
    expect(renderReport('ocsf', EMPTY, { jsonLines: true })).toBe('');
    expect(renderReport('html', EMPTY)).toContain('No open failures');
  });

  it('is deterministic: the same report renders byte for byte the same in every format', () => {
    for (const format of REPORT_FORMATS) {
      expect(renderReport(format, loadReportFixture()), format).toBe(renderReport(format, loadReportFixture()));
    }
  });

  it('rejects an unknown format with a usage error listing the formats', () => {
    let error: unknown;
    try {
      renderReport('pdf' as ReportFormat, EMPTY);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InfraAuditError);
    expect((error as InfraAuditError).code).toBe('USAGE');
    expect(() => parseReportFormat('yaml')).toThrow(/unknown report format "yaml"/);
    expect(parseReportFormat(' SARIF ')).toBe('sarif');
  });
});

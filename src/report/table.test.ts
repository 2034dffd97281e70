import { describe, expect, it } from 'vitest';
import { loadReportFixture } from '../test-support/report-fixture.js';
import { renderReport } from './render.js';

const ESC = '\u001b';

describe('table report', () => {
  it('groups by severity, worst first, then by resource', () => {
    const out = renderReport('table', loadReportFixture());
    const headings = out.split('\n').filter((l) => /^ [A-Z]+ /.test(l)).map((l) => l.trim().split(' ')[0]);
    expect(headings).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
    const critical = out.slice(out.indexOf(' CRITICAL '), out.indexOf(' HIGH '));
    // Two resources under CRITICAL, each a heading line followed by its findings.
    expect(critical).toContain('acme-marketing-assets');
    expect(critical).toContain('orders-legacy');
    // Within a severity, resources in a stable (code-point) order: rds before s3.
    expect(critical.indexOf('arn:aws:s3')).toBeGreaterThan(critical.indexOf('arn:aws:rds'));
  });

  it('aligns the status and check columns across all rows', () => {
    const out = renderReport('table', loadReportFixture());
    const rows = out.split('\n').filter((l) => /^ {4}(FAIL|ERROR|SUPPRESSED) /.test(l));
    expect(rows.length).toBe(9);
    const checkStart = new Set(rows.map((r) => /^ {4}\S+\s+/.exec(r)?.[0].length));
    const messageStart = new Set(rows.map((r) => /^ {4}\S+\s+\S+\s+/.exec(r)?.[0].length));
    expect(checkStart).toEqual(new Set(['    SUPPRESSED  '.length]));
    expect(messageStart).toEqual(new Set(['    SUPPRESSED  rds_instance_storage_encrypted  '.length]));
  });

  it('shows no passing rows by default, and lists them with showPassed', () => {
    const report = loadReportFixture();
    expect(renderReport('table', report)).not.toMatch(/^\s+PASS\s/m);
    const withPassed = renderReport('table', report, { showPassed: true });
    expect(withPassed.match(/^\s+PASS\s/gm)).toHaveLength(3);
  });

  it('ends with a summary line of counts by status and by severity', () => {
    const lines = renderReport('table', loadReportFixture()).trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      'Summary: 12 findings in 123456789012: 7 fail, 3 pass, 1 error, 1 suppressed | open failures by severity: critical 2, high 3, medium 1, low 1, info 0',
    );
  });

  it('lists unreadable scopes and marks suppressed findings with reason and expiry', () => {
    const out = renderReport('table', loadReportFixture());
    expect(out).toContain('Could not read:\n  cloudwatch eu-west-1: AccessDenied');
    expect(out).toMatch(/SUPPRESSED\s+ec2_security_group_ssh_open\s+Security group allows SSH from the internet: Ingress rule allows tcp\/22 from 0\.0\.0\.0\/0\.\s+\[suppressed until 2026-06-30: Bastion host/);
  });

  it('emits colour only when asked', () => {
    const report = loadReportFixture();
    expect(renderReport('table', report, { color: false })).not.toContain(ESC);
    const colored = renderReport('table', report, { color: true });
    expect(colored).toContain(`${ESC}[1;97;41m CRITICAL ${ESC}[0m`);
    // Colour must not change what is shown, only how.
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderReport('table', report, { color: false }));
  });

  it('strips terminal control sequences and bidi overrides from untrusted strings', () => {
    const report = loadReportFixture();
    const bucket = report.findings[0]!;
    bucket.resourceName = 'evil\u001b[2J\u001b]0;pwned\u0007\u202ename';
    bucket.resourceId = 'arn:aws:s3:::evil\u009b31m';
    bucket.message = 'line one\nline two\r\u001b[1Aoverwrite';
    const out = renderReport('table', report, { color: false });
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain('evil [2J ]0;pwned name');
    expect(out).toContain('line one line two  [1Aoverwrite');
    // With colour on, the only escapes are our own SGR sequences.
    const colored = renderReport('table', report, { color: true });
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

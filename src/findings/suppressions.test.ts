import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InfraAuditError } from '../errors.js';
import { loadReportFixture } from '../test-support/report-fixture.js';
import { decideFailOn } from './fail-on.js';
import type { Finding } from './model.js';
import { summarizeFindings } from './summary.js';
import { applySuppressions, expiryInstant, globToRegExp, loadSuppressionsFile, parseSuppressions } from './suppressions.js';

const FIXTURE = new URL('../test-support/fixtures/report-suppressions.yaml', import.meta.url).pathname;
const NOW = new Date('2026-03-14T09:30:00Z');

/** The fixture's findings as the audit engine emits them: nothing suppressed yet. */
function rawFindings(): Finding[] {
  return loadReportFixture().findings.map(({ suppressed: _ignored, ...f }) => f);
}

function key(f: Finding): string {
  return `${f.checkId} ${f.resourceId}`;
}

function thrown(fn: () => unknown): InfraAuditError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InfraAuditError) return err;
    throw err;
  }
  throw new Error('expected an InfraAuditError');
}

describe('applying suppressions', () => {
  it('suppresses the matching failures and nothing else', async () => {
    const suppressions = await loadSuppressionsFile(FIXTURE);
    expect(suppressions).toHaveLength(3);
    const { findings, warnings } = applySuppressions(rawFindings(), suppressions, NOW);
    const suppressed = findings.filter((f) => f.suppressed).map(key).sort();
    expect(suppressed).toEqual([
      'ec2_security_group_ssh_open arn:aws:ec2:us-east-1:123456789012:security-group/sg-0fedcba9876543210',
      'rds_instance_idle arn:aws:rds:us-east-1:123456789012:db:orders-legacy',
      'rds_instance_public arn:aws:rds:us-east-1:123456789012:db:orders-legacy',
      'rds_instance_storage_encrypted arn:aws:rds:us-east-1:123456789012:db:orders-legacy',
    ]);
    const bastion = findings.find((f) => f.resourceId.endsWith('sg-0fedcba9876543210'));
    expect(bastion?.suppressed).toEqual({ reason: 'Bastion host behind fail2ban; replacement by SSM tracked in SEC-412', expires: '2026-06-30' });
    // The near miss: same check on the other security group stays open.
    expect(findings.find((f) => f.resourceId.endsWith('sg-0a1b2c3d4e5f67890'))?.suppressed).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  it('an expired suppression stops suppressing and says so', async () => {
    const { findings, warnings } = applySuppressions(rawFindings(), await loadSuppressionsFile(FIXTURE), NOW);
    expect(findings.find((f) => f.checkId === 's3_bucket_public_read' && f.status === 'fail')?.suppressed).toBeUndefined();
    expect(warnings[0]).toBe(
      `suppression expired on 2026-01-31T00:00:00Z (${FIXTURE} suppressions[2]: s3_bucket_public_read on arn:aws:s3:::acme-marketing-assets): 1 failing finding is no longer suppressed; renew it with a new date and reason, or fix the finding`,
    );
  });

  it('a date-only expiry holds through that whole day (UTC) and not a moment longer', () => {
    const s = parseSuppressions('suppressions:\n  - {checkId: iam_user_console_mfa, resource: "arn:aws:iam::*:user/jenkins", reason: r, expires: 2026-03-14}\n', 's.yaml');
    const lastMoment = applySuppressions(rawFindings(), s, new Date('2026-03-14T23:59:59.999Z'));
    expect(lastMoment.findings.filter((f) => f.suppressed)).toHaveLength(1);
    expect(lastMoment.warnings).toEqual([]);
    const nextDay = applySuppressions(rawFindings(), s, new Date('2026-03-15T00:00:00Z'));
    expect(nextDay.findings.filter((f) => f.suppressed)).toHaveLength(0);
    expect(nextDay.warnings[0]).toContain('1 failing finding is no longer suppressed');
  });

  it('never suppresses passing or error findings', () => {
    const s = parseSuppressions('suppressions:\n  - {checkId: "*", resource: "*", reason: everything, expires: 2099-01-01}\n', 's.yaml');
    const { findings } = applySuppressions(rawFindings(), s, NOW);
    expect(findings.filter((f) => f.suppressed).length).toBe(findings.filter((f) => f.status === 'fail').length);
    expect(findings.filter((f) => f.status !== 'fail' && f.suppressed)).toEqual([]);
  });

  it('does not modify its input', async () => {
    const input = rawFindings();
    const before = JSON.stringify(input);
    applySuppressions(input, await loadSuppressionsFile(FIXTURE), NOW);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('feeds the summary and the exit decision: suppressed failures do not fail the run', async () => {
    const { findings } = applySuppressions(rawFindings(), await loadSuppressionsFile(FIXTURE), NOW);
    expect(summarizeFindings(findings)).toMatchObject({ fail: 4, suppressed: 4, bySeverity: { critical: 1, high: 3, medium: 0, low: 0 } });
    expect(decideFailOn(findings, 'medium').blocking.map(key)).not.toContain('rds_instance_storage_encrypted arn:aws:rds:us-east-1:123456789012:db:orders-legacy');
  });
});

describe('ARN globs', () => {
  it('* spans ":" and "/"; ? is one character; other characters are literal', () => {
    expect(globToRegExp('arn:aws:s3:::logs-*').test('arn:aws:s3:::logs-2026')).toBe(true);
    expect(globToRegExp('arn:aws:s3:::logs-*').test('arn:aws:s3:::app-logs-2026')).toBe(false);
    expect(globToRegExp('arn:aws:ec2:*:123456789012:security-group/*').test('arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1')).toBe(true);
    expect(globToRegExp('arn:aws:ec2:*:123456789012:security-group/*').test('arn:aws:ec2:eu-west-1:999999999999:security-group/sg-1')).toBe(false);
    expect(globToRegExp('sg-0?').test('sg-01')).toBe(true);
    expect(globToRegExp('sg-0?').test('sg-012')).toBe(false);
    expect(globToRegExp('a.b(c)').test('aXb(c)')).toBe(false);
    expect(globToRegExp('a.b(c)').test('a.b(c)')).toBe(true);
  });
});

describe('broken suppressions files', () => {
  it('names the file, the entry and the fix for a missing reason', () => {
    const err = thrown(() => parseSuppressions('suppressions:\n  - checkId: a\n    resource: b\n    reason: ok\n    expires: 2026-01-01\n  - checkId: a\n    resource: b\n    expires: 2026-01-01\n', 'infra/suppressions.yaml'));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe('suppressions file infra/suppressions.yaml: suppressions[1] (line 6) reason: reason is missing');
    expect(err.hint).toContain('set reason to why the risk is accepted');
  });

  it('rejects a missing or impossible expiry date', () => {
    const missing = thrown(() => parseSuppressions('suppressions:\n  - {checkId: a, resource: b, reason: c}\n', 's.yaml'));
    expect(missing.message).toBe('suppressions file s.yaml: suppressions[0] (line 2) expires: expires is missing');
    const impossible = thrown(() => parseSuppressions('suppressions:\n  - {checkId: a, resource: b, reason: c, expires: 2026-02-30}\n', 's.yaml'));
    expect(impossible.message).toContain('expires must be a date YYYY-MM-DD or an ISO-8601 time');
    const number = thrown(() => parseSuppressions('suppressions:\n  - {checkId: a, resource: b, reason: c, expires: 2026}\n', 's.yaml'));
    expect(number.message).toContain('expires must be a date');
    expect(Number.isNaN(expiryInstant('2026-13-01'))).toBe(true);
  });

  it('rejects unknown fields, so a typo cannot silently widen or narrow a suppression', () => {
    const err = thrown(() => parseSuppressions('suppressions:\n  - {checkId: a, resources: b, reason: c, expires: 2026-01-01}\n', 's.yaml'));
    expect(err.message).toContain('unknown field "resources"');
  });

  it('reports YAML syntax errors with their line', () => {
    const err = thrown(() => parseSuppressions('suppressions:\n  - checkId: a\n   resource: [b\n', 's.yaml'));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/^suppressions file s\.yaml: line \d+, column \d+: /);
  });

  it('rejects a file without the suppressions list, and accepts an empty file', () => {
    const err = thrown(() => parseSuppressions('- checkId: a\n', 's.yaml'));
    expect(err.message).toContain('top level');
    expect(err.hint).toContain('suppressions:');
    expect(parseSuppressions('', 's.yaml')).toEqual([]);
    expect(parseSuppressions('suppressions: []\n', 's.yaml')).toEqual([]);
  });

  it('accepts JSON, which is YAML', () => {
    const s = parseSuppressions(JSON.stringify({ suppressions: [{ checkId: 'a', resource: 'b', reason: 'c', expires: '2026-01-01' }] }), 's.json');
    expect(s[0]).toMatchObject({ checkId: 'a', source: { file: 's.json', index: 0 } });
  });

  it('a missing file is FILE_NOT_FOUND naming the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suppr-'));
    await expect(loadSuppressionsFile(join(dir, 'nope.yaml'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('nope.yaml') });
    writeFileSync(join(dir, 'ok.yaml'), 'suppressions: []\n');
    await expect(loadSuppressionsFile(join(dir, 'ok.yaml'))).resolves.toEqual([]);
  });
});

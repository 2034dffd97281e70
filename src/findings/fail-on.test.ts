import { describe, expect, it } from 'vitest';
import { InfraAuditError } from '../errors.js';
import { loadReportFixture } from '../test-support/report-fixture.js';
import { decideFailOn, parseSeverityThreshold } from './fail-on.js';
import type { Finding } from './model.js';

function finding(overrides: Partial<Finding>): Finding {
  const base = loadReportFixture().findings[0]!;
  const { suppressed: _s, ...rest } = base;
  return { ...rest, ...overrides };
}

describe('fail-on', () => {
  it('fails at the threshold and passes just below it', () => {
    const high = [finding({ severity: 'high' })];
    expect(decideFailOn(high, 'high').exitCode).toBe(1);
    expect(decideFailOn(high, 'medium').exitCode).toBe(1);
    expect(decideFailOn(high, 'critical').exitCode).toBe(0);
  });

  it('ignores suppressed failures, passes and errors', () => {
    const critical = { severity: 'critical' as const };
    expect(decideFailOn([finding({ ...critical, suppressed: { reason: 'accepted', expires: '2099-01-01' } })], 'info').exitCode).toBe(0);
    expect(decideFailOn([finding({ ...critical, status: 'pass' })], 'info').exitCode).toBe(0);
    expect(decideFailOn([finding({ ...critical, status: 'error' })], 'info').exitCode).toBe(0);
    expect(decideFailOn([], 'info').exitCode).toBe(0);
  });

  it('lists the blocking findings worst first, on the report fixture', () => {
    const findings = loadReportFixture().findings;
    const decision = decideFailOn(findings, 'high');
    expect(decision.exitCode).toBe(1);
    expect(decision.blocking.map((f) => f.severity)).toEqual(['critical', 'critical', 'high', 'high', 'high']);
    expect(decision.blocking.some((f) => f.suppressed)).toBe(false);
  });

  it('parses thresholds case-insensitively and rejects others with a usage error', () => {
    expect(parseSeverityThreshold('HIGH')).toBe('high');
    expect(parseSeverityThreshold(' low ')).toBe('low');
    let error: unknown;
    try {
      parseSeverityThreshold('severe');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InfraAuditError);
    expect((error as InfraAuditError).code).toBe('USAGE');
    expect((error as InfraAuditError).hint).toContain('critical, high, medium, low, info');
  });
});

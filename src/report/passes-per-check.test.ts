/**
 * The HTML report's passed section reads the passes per check from the aggregates (one finding
 * built per check), and says what reading every pass in report order would: the same counts, the
 * same first pass per check, the checks in the same order.
 */
import { describe, expect, it } from 'vitest';
import { PassAggregator } from '../findings/passed.js';
import type { Finding } from '../findings/model.js';
import { loadReportFixture } from '../test-support/report-fixture.js';
import { passesPerCheck, reportFindings } from './findings.js';
import { renderReport } from './render.js';
import type { AuditReport } from './types.js';

/** The fixture's passes copied `copies` times over two regions, aggregated, with one pass left held. */
function aggregated(copies: number): AuditReport {
  const report = loadReportFixture();
  const passes = report.findings.filter((f) => f.status === 'pass');
  const aggregator = new PassAggregator(new Map(report.checks.map((c) => [c.id, c.resourceType])));
  // Arrival order unlike report order: resources counted down, regions alternating.
  for (let i = copies - 1; i >= 0; i--) for (const f of passes) aggregator.add({ ...f, resourceId: `${f.resourceId}-${String(i).padStart(3, '0')}`, region: i % 2 ? 'eu-west-1' : f.region });
  report.findings = [...report.findings.filter((f) => f.status !== 'pass'), passes[0]!];
  report.passed = aggregator.result();
  return report;
}

function byReading(report: AuditReport): Array<{ first: Finding; count: number }> {
  const byCheck = new Map<string, { first: Finding; count: number }>();
  for (const f of reportFindings(report)) {
    if (f.status !== 'pass') continue;
    const group = byCheck.get(f.checkId);
    if (group) group.count++;
    else byCheck.set(f.checkId, { first: f, count: 1 });
  }
  return [...byCheck.values()];
}

describe('passes per check', () => {
  it('match reading every pass in report order', () => {
    for (const copies of [1, 2, 40]) {
      const report = aggregated(copies);
      const groups = passesPerCheck(report);
      expect(groups.length).toBeGreaterThan(1);
      expect(groups).toEqual(byReading(report));
      const fixturePasses = loadReportFixture().findings.filter((f) => f.status === 'pass').length;
      expect(groups.reduce((n, g) => n + g.count, 0)).toBe(copies * fixturePasses + 1);
    }
  });

  it('are what the HTML report lists, a row per check with its count', () => {
    const report = aggregated(40);
    const html = renderReport('html', report);
    const section = html.slice(html.indexOf('<details class="section" id="passed">'));
    const rows = [...section.slice(0, section.indexOf('</details>')).matchAll(/<code class="check">([^<]+)<\/code><\/td><td>[^<]*<\/td><td class="num">(\d+)</g)].map((m) => [m[1], Number(m[2])]);
    expect(rows).toEqual(passesPerCheck(report).map((g) => [g.first.checkId, g.count]));
    expect(section).toContain(`Passed (${passesPerCheck(report).reduce((n, g) => n + g.count, 0)})`);
  });
});

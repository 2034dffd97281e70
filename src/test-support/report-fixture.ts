/** Loads the report fixture for the report tests (a fresh copy each time: tests may mutate it). */
import { readFileSync } from 'node:fs';
import type { AuditReport } from '../report/types.js';

const FIXTURE = new URL('./fixtures/report-audit.json', import.meta.url);

export function loadReportFixture(): AuditReport {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as AuditReport;
}

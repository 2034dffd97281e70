/** An audit result as the report renderers take it (src/report). */
import type { AuditReport } from '../report/types.js';
import type { AuditResult } from './run.js';
import { PRODUCT_VERSION } from '../version.js';

export const TOOL = { name: 'infra-audit', version: PRODUCT_VERSION };

export function toAuditReport(result: AuditResult, generatedAt: Date = new Date()): AuditReport {
  return {
    tool: TOOL,
    generatedAt: generatedAt.toISOString(),
    accounts: result.accounts.map((a) => ({
      accountId: a.accountId,
      regions: a.regions,
      allRegions: a.allRegions,
      globalServices: a.globalServices,
      ...(a.bucketsOutsideRegions !== undefined ? { bucketsOutsideRegions: a.bucketsOutsideRegions } : {}),
    })),
    findings: result.findings,
    passed: result.passed,
    checks: result.checks,
    errors: result.errors.map((e) => ({
      scope: `${e.accountId} ${e.service}:${e.operation} ${e.region}${e.resource ? ` ${e.resource}` : ''}`,
      message: `${e.code}: ${e.message}`,
    })),
    durationMs: result.stats.durationMs,
  };
}

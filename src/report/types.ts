/**
 * What every report format renders: one audit run over one or more AWS accounts.
 * The audit engine builds it; `renderReport` turns it into text for people, CI and SIEMs.
 */
import type { ComplianceReport } from '../compliance/types.js';
import type { CheckMetadata, Finding } from '../findings/model.js';
import type { PassedResources } from '../findings/passed.js';

export const REPORT_FORMATS = ['table', 'json', 'markdown', 'sarif', 'ocsf', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface AuditReport {
  tool: { name: string; version: string };
  /** ISO-8601 time the run finished. */
  generatedAt: string;
  accounts: Array<{
    accountId: string;
    /** The regions read (with `allRegions`, the account's enabled regions; empty when no regional service was read). */
    regions: string[];
    /** `--region all` (the default). */
    allRegions?: boolean;
    /** Services read account-wide whatever `--region` says: IAM, the S3 account settings. */
    globalServices?: string[];
    /** With named regions: the S3 buckets listed but not audited because they are in another region. */
    bucketsOutsideRegions?: number;
  }>;
  /** The findings held as objects: an audit's failures and errors (a caller may put passes here too). */
  findings: Finding[];
  /** An audit's passes, aggregated per check and account (findings/passed.ts): counted and listed with the findings. */
  passed?: PassedResources[];
  /** Applied to each aggregated pass as it is built for a report: what was applied to `findings` (Terraform links, redaction). */
  preparePass?: (pass: Finding) => Finding;
  /** The catalog of checks that ran (one SARIF rule each, even when nothing failed). */
  checks: CheckMetadata[];
  /** Whole scopes that could not be read (a region, a service), beyond per-check `error` findings. */
  errors?: Array<{ scope: string; message: string }>;
  durationMs?: number;
  /** `audit --compliance`: the run judged per control of one framework. */
  compliance?: ComplianceReport;
}

export interface RenderOptions {
  /** table: emit ANSI colour. Callers pass `stdout.isTTY` (and honour NO_COLOR). */
  color?: boolean;
  /** table and markdown: list passing checks too, not only their count. */
  showPassed?: boolean;
  /** ocsf: one JSON object per line (for Security Lake / Firehose) instead of a JSON array. */
  jsonLines?: boolean;
  /**
   * sarif: the repository root that absolute `terraformFile` paths are made relative to.
   * GitHub resolves artifact URIs against the repository root.
   */
  sourceRoot?: string;
  /** sarif: the directory relative `terraformFile` paths are relative to (the working directory). */
  baseDir?: string;
}

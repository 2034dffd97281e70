/** Compliance frameworks and the report of one audit against one of them. */

export type AssessmentType = 'automated' | 'manual';

export interface ComplianceControl {
  id: string;
  /** The benchmark section the control belongs to, e.g. "2 Storage". */
  section: string;
  title: string;
  /** Automated: a tool can decide it. Manual: a person must; the report never says it passed. */
  type: AssessmentType;
}

/**
 * - pass: every check behind the control ran and nothing failed
 * - fail: a check behind it failed on at least one resource (not suppressed)
 * - error: nothing failed, but a check could not read what it needed; never a pass
 * - manual: a person must assess it (checks that inform it are still listed)
 * - not applicable: its checks ran and found no resource to judge, or none of them was selected
 * - not covered: automated, but no check implements it yet; never a pass
 */
export const CONTROL_STATUSES = ['fail', 'error', 'not covered', 'pass', 'not applicable', 'manual'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

export interface ControlCheckResult {
  checkId: string;
  /** False when --checks, --skip-checks or --services left the check out of this run. */
  ran: boolean;
  pass: number;
  fail: number;
  error: number;
  suppressed: number;
}

export interface ControlResource {
  checkId: string;
  accountId: string;
  region: string;
  resourceId: string;
  resourceName?: string;
  message: string;
}

export interface ControlResult {
  id: string;
  section: string;
  title: string;
  type: AssessmentType;
  status: ControlStatus;
  /** Why the status, in a few words, where the status alone does not say it. */
  reason?: string;
  /** The same control in the other CIS version this product maps (v3.0.0 <-> v5.0.0); empty when there is none. */
  counterparts: string[];
  checks: ControlCheckResult[];
  /** Resources that failed a check behind the control (suppressed failures excluded). */
  failing: ControlResource[];
  /** Resources whose check could not read them. */
  errors: ControlResource[];
}

export interface ComplianceReport {
  framework: { id: string; name: string; version: string };
  /** Controls per status. */
  counts: Record<ControlStatus, number>;
  /**
   * Passed automated controls over the automated controls that were assessed or should have
   * been (pass + fail + error + not covered), as a whole percentage; null when there are none.
   */
  score: { passed: number; total: number; percent: number | null };
  controls: ControlResult[];
}

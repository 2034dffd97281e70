/**
 * OCSF 1.1.0 Detection Finding events (class 2004, category 2 Findings) with the Cloud profile,
 * for Amazon Security Lake custom sources and OCSF-native SIEMs. One event per failing finding
 * (suppressed ones carry status Suppressed) and, so that a SIEM can close what was fixed, one per
 * passing finding with status Resolved. Errors are not detections: they stay in the JSON report.
 *
 * Attribute names follow the OCSF schema (events/findings/detection_finding.json, finding.json,
 * objects finding_info, resource_details, cloud, remediation). `compliance` is an attribute of
 * Compliance Finding (2003), not Detection Finding, so the CIS mapping, like every field OCSF has
 * no place for, travels in `unmapped`.
 */
import { findingHeadline, type Finding, type Severity } from '../findings/model.js';
import { reportFindings } from './findings.js';
import { jsonArrayChunks } from './stream.js';
import { arnPartition, findingUid } from './identity.js';
import type { AuditReport, RenderOptions } from './types.js';

export const OCSF_VERSION = '1.1.0';
export const DETECTION_FINDING_CLASS_UID = 2004;
export const FINDINGS_CATEGORY_UID = 2;
export const ACTIVITY_CREATE = 1;

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
export const SEVERITY_ID: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

/** Finding status_id: 1 New, 3 Suppressed, 4 Resolved. */
function findingStatus(finding: Finding): { id: number; name: string } {
  if (finding.status === 'pass') return { id: 4, name: 'Resolved' };
  return finding.suppressed ? { id: 3, name: 'Suppressed' } : { id: 1, name: 'New' };
}

export interface OcsfDetectionFinding {
  class_uid: number;
  class_name: string;
  category_uid: number;
  category_name: string;
  activity_id: number;
  activity_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  status_code: string;
  time: number;
  message: string;
  metadata: {
    version: string;
    product: { name: string; vendor_name: string; version: string };
    profiles: string[];
    event_code: string;
    uid: string;
  };
  finding_info: { uid: string; title: string; desc: string; types: string[]; created_time: number };
  resources: Array<{ uid: string; name?: string; type: string; region: string; cloud_partition: string }>;
  cloud: { provider: 'AWS'; account: { uid: string; type: string; type_id: number }; region: string };
  remediation: { desc: string };
  unmapped: Record<string, unknown>;
}

export function buildOcsfEvents(report: AuditReport): OcsfDetectionFinding[] {
  return [...ocsfEvents(report)];
}

/** The events in report order, each built as it is reached (aggregated passes included). */
export function* ocsfEvents(report: AuditReport): Generator<OcsfDetectionFinding> {
  const time = Date.parse(report.generatedAt);
  const risk = new Map(report.checks.map((c) => [c.id, c.risk]));
  const controls = controlsByCheck(report);
  for (const f of reportFindings(report)) if (f.status !== 'error') yield event(f, report, Number.isNaN(time) ? 0 : time, risk.get(f.checkId), controls);
}

/** With `--compliance`, the framework's own control ids per check (v5.0.0 ids for cis-5.0). */
function controlsByCheck(report: AuditReport): { standard: string; byCheck: Map<string, string[]> } | undefined {
  if (!report.compliance) return undefined;
  const byCheck = new Map<string, string[]>();
  for (const control of report.compliance.controls) for (const c of control.checks) byCheck.set(c.checkId, [...(byCheck.get(c.checkId) ?? []), control.id]);
  return { standard: `${report.compliance.framework.name} v${report.compliance.framework.version}`, byCheck };
}

function event(finding: Finding, report: AuditReport, time: number, risk: string | undefined, controls: ReturnType<typeof controlsByCheck>): OcsfDetectionFinding {
  const severity = SEVERITY_ID[finding.severity];
  const status = findingStatus(finding);
  const uid = findingUid(finding);
  const unmapped: Record<string, unknown> = { check_id: finding.checkId, finding_status: finding.status };
  const requirements = controls ? (controls.byCheck.get(finding.checkId) ?? []) : (finding.cis ?? []);
  if (requirements.length > 0) {
    // Shaped as OCSF's compliance object, so a mapper to Compliance Finding can move it as is.
    unmapped.compliance = { standards: [controls?.standard ?? 'CIS AWS Foundations Benchmark v3.0.0'], requirements, status: finding.status === 'pass' ? 'Pass' : 'Fail' };
  }
  if (finding.evidence) unmapped.evidence = finding.evidence;
  if (finding.remediationTerraform) unmapped.remediation_terraform = finding.remediationTerraform;
  if (finding.terraformAddress || finding.terraformFile) {
    unmapped.terraform = {
      ...(finding.terraformAddress ? { address: finding.terraformAddress } : {}),
      ...(finding.terraformFile ? { file: finding.terraformFile } : {}),
      ...(finding.terraformLine ? { line: finding.terraformLine } : {}),
    };
  }
  if (finding.suppressed) unmapped.suppression = finding.suppressed;

  return {
    class_uid: DETECTION_FINDING_CLASS_UID,
    class_name: 'Detection Finding',
    category_uid: FINDINGS_CATEGORY_UID,
    category_name: 'Findings',
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    type_uid: DETECTION_FINDING_CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Detection Finding: Create',
    severity_id: severity.id,
    severity: severity.name,
    status_id: status.id,
    status: status.name,
    status_code: finding.status.toUpperCase(),
    time,
    message: finding.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: report.tool.name, vendor_name: report.tool.name, version: report.tool.version },
      profiles: ['cloud'],
      event_code: finding.checkId,
      uid: `${uid}-${time}`,
    },
    finding_info: {
      uid,
      title: findingHeadline(finding),
      desc: risk ?? finding.message,
      types: ['Software and Configuration Checks/AWS Security Best Practices'],
      created_time: time,
    },
    resources: [
      {
        uid: finding.resourceId,
        ...(finding.resourceName ? { name: finding.resourceName } : {}),
        type: finding.resourceType,
        region: finding.region,
        cloud_partition: arnPartition(finding.resourceId),
      },
    ],
    cloud: { provider: 'AWS', account: { uid: finding.accountId, type: 'AWS Account', type_id: 10 }, region: finding.region },
    remediation: { desc: finding.remediation },
    unmapped,
  };
}

/** The events as text, one at a time: a JSON array, or JSON Lines with `jsonLines`. */
export function* streamOcsf(report: AuditReport, options: RenderOptions = {}): Generator<string> {
  if (options.jsonLines) {
    for (const e of ocsfEvents(report)) yield `${JSON.stringify(e)}\n`;
    return;
  }
  yield* jsonArrayChunks(ocsfEvents(report), (e) => e, 0);
  yield '\n';
}

export function renderOcsf(report: AuditReport, options: RenderOptions = {}): string {
  return [...streamOcsf(report, options)].join('');
}

/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).
 *
 * GitHub rejects a result whose location has no `physicalLocation.artifactLocation.uri`
 * ("locationFromSarifResult: expected artifact location"; SARIF validator rule GH1001) and needs
 * `region.startLine` to place it (GH1003). A finding whose Terraform file and line are known
 * points there. Any other finding points at a pseudo-file that names the resource,
 * `aws/<account>/<region>/<service>/<resource>` at line 1, documented in docs/findings.md, and
 * carries the ARN as a logical location. The pseudo path never changes for a resource, so the
 * alert stays the same alert from run to run.
 */
import { posix } from 'node:path';
import type { ComplianceReport } from '../compliance/types.js';
import type { CheckMetadata, Finding, Severity } from '../findings/model.js';
import { compareFindings } from '../findings/summary.js';
import { findingUid } from './identity.js';
import { jsonArrayChunks, jsonObjectChunks } from './stream.js';
import type { AuditReport, RenderOptions } from './types.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** GitHub reads `security-severity` (0.0–10.0) to rank alerts as critical/high/medium/low. */
export const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  // Informational checks carry no security severity; GitHub then ranks them by level (note).
  info: undefined,
};

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** The key under which each result carries its stable identity. */
export const FINGERPRINT_KEY = 'infraAuditFinding/v1';

/** What the log holds, in key order, apart from the results: those are streamed, one failure at a time. */
function sarifParts(report: AuditReport) {
  const rules = rulesFor(report);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  // Failures only: a pass is no alert (report.passed never reaches SARIF; a pass in findings is left out too).
  const failures = report.findings.filter((f) => f.status === 'fail').sort(compareFindings);
  const notifications = [
    ...report.findings
      .filter((f) => f.status === 'error')
      .sort(compareFindings)
      .map((f) => ({
        level: 'error' as const,
        message: { text: `${f.checkId} could not check ${f.resourceId}: ${f.message}` },
        associatedRule: { id: f.checkId, index: ruleIndex.get(f.checkId) ?? -1 },
      })),
    ...(report.errors ?? []).map((e) => ({ level: 'error' as const, message: { text: `${e.scope}: ${e.message}` } })),
  ];
  const accounts = report.accounts.map((a) => a.accountId).sort();
  return {
    failures,
    ruleIndex,
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: 'https://github.com/infra-audit-mcp/infra-audit-mcp',
        rules,
      },
    },
    // GitHub keeps one analysis per category (the id up to its last "/"): one per account set.
    automationDetails: accounts.length > 0 ? { id: `infra-audit/aws/${accounts.join('+')}/${report.generatedAt}` } : undefined,
    invocations: [
      {
        executionSuccessful: notifications.length === 0,
        endTimeUtc: report.generatedAt,
        ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
      },
    ],
    properties: report.compliance ? { compliance: sarifCompliance(report.compliance) } : undefined,
  };
}

/** The whole log as one object (tests, and callers that want the value rather than the text). */
export function buildSarifLog(report: AuditReport, options: RenderOptions = {}) {
  const { failures, ruleIndex, tool, automationDetails, invocations, properties } = sarifParts(report);
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool,
        ...(automationDetails ? { automationDetails } : {}),
        invocations,
        results: failures.map((f) => result(f, ruleIndex.get(f.checkId) ?? 0, options)),
        ...(properties ? { properties } : {}),
      },
    ],
  };
}

/**
 * The log as text, chunk by chunk: the same bytes as `JSON.stringify(buildSarifLog(report), null, 2)`
 * and a newline, with each result built, written and dropped in turn.
 */
export function* streamSarif(report: AuditReport, options: RenderOptions = {}): Generator<string> {
  const { failures, ruleIndex, tool, automationDetails, invocations, properties } = sarifParts(report);
  const run = jsonObjectChunks(
    [
      ['tool', tool],
      ['automationDetails', automationDetails],
      ['invocations', invocations],
      ['results', jsonArrayChunks(failures, (f) => result(f, ruleIndex.get(f.checkId) ?? 0, options), 3)],
      ['properties', properties],
    ],
    2,
  );
  yield* jsonObjectChunks([
    ['$schema', SARIF_SCHEMA_URI],
    ['version', '2.1.0'],
    ['runs', jsonArrayChunks([run], (r) => r, 1)],
  ]);
  yield '\n';
}

export function renderSarif(report: AuditReport, options: RenderOptions = {}): string {
  return [...streamSarif(report, options)].join('');
}

function rulesFor(report: AuditReport) {
  // With --compliance, each rule is also tagged with the framework's own control ids.
  const frameworkTags = new Map<string, string[]>();
  if (report.compliance) {
    const prefix = `CIS-AWS-${report.compliance.framework.version}`;
    for (const control of report.compliance.controls) for (const c of control.checks) frameworkTags.set(c.checkId, [...(frameworkTags.get(c.checkId) ?? []), `${prefix}/${control.id}`]);
  }
  const catalog = new Map(report.checks.map((c) => [c.id, c]));
  // A finding from a check missing from the catalog still needs a rule for its ruleIndex.
  for (const f of report.findings) {
    if (!catalog.has(f.checkId)) {
      catalog.set(f.checkId, {
        id: f.checkId,
        title: f.title,
        failTitle: f.failTitle ?? f.title,
        severity: f.severity,
        service: f.service,
        resourceType: f.resourceType,
        risk: f.title,
        remediation: f.remediation,
        remediationTerraform: f.remediationTerraform ?? '',
        terraformTypes: [],
        ...(f.cis ? { cis: f.cis } : {}),
      });
    }
  }
  return [...catalog.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((check) => rule(check, frameworkTags.get(check.id) ?? []));
}

function rule(check: CheckMetadata, frameworkTags: readonly string[]) {
  const securitySeverity = SECURITY_SEVERITY[check.severity];
  const cisTags = [...new Set([...(check.cis ?? []).map((id) => `CIS-AWS-3.0.0/${id}`), ...frameworkTags])];
  const helpMarkdown = [
    `**Risk:** ${check.risk}`,
    '',
    `**Remediation:** ${check.remediation}`,
    ...(check.remediationTerraform ? ['', '```hcl', check.remediationTerraform, '```'] : []),
    ...(check.cis && check.cis.length > 0 ? ['', `CIS AWS Foundations Benchmark v3.0.0: ${check.cis.join(', ')}`] : []),
    ...(check.references && check.references.length > 0 ? ['', ...check.references.map((r) => `- ${r}`)] : []),
  ].join('\n');
  return {
    id: check.id,
    name: check.id
      .split('_')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    // Every SARIF result is a failure, so the rule is described by what the failure is.
    shortDescription: { text: check.failTitle },
    fullDescription: { text: check.risk },
    ...(check.references?.[0] ? { helpUri: check.references[0] } : {}),
    help: { text: `${check.risk}\n\nRemediation: ${check.remediation}`, markdown: helpMarkdown },
    defaultConfiguration: { level: LEVEL[check.severity] },
    properties: {
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
      precision: 'very-high',
      tags: ['security', 'aws', check.service, ...cisTags],
      resourceType: check.resourceType,
    },
  };
}

/** The control table in the run's property bag: id, status and the checks behind each control. */
function sarifCompliance(compliance: ComplianceReport) {
  return {
    framework: compliance.framework,
    score: compliance.score,
    counts: compliance.counts,
    controls: compliance.controls.map((c) => ({ id: c.id, status: c.status, checks: c.checks.map((k) => k.checkId), failing: c.failing.map((r) => r.resourceId) })),
  };
}

function result(finding: Finding, ruleIndex: number, options: RenderOptions) {
  const uid = findingUid(finding);
  const fileUri = finding.terraformFile ? repositoryRelativeUri(finding.terraformFile, options.sourceRoot, options.baseDir) : undefined;
  const physical =
    fileUri !== undefined
      ? { artifactLocation: { uri: fileUri }, region: { startLine: finding.terraformLine ?? 1 } }
      : { artifactLocation: { uri: pseudoFileUri(finding) }, region: { startLine: 1 } };
  const name = finding.resourceName ? `${finding.resourceName} (${finding.resourceId})` : finding.resourceId;
  return {
    ruleId: finding.checkId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: `${name}: ${finding.message}` },
    locations: [
      {
        physicalLocation: physical,
        logicalLocations: [{ fullyQualifiedName: finding.resourceId, kind: 'resource', ...(finding.resourceName ? { name: finding.resourceName } : {}) }],
      },
    ],
    // GitHub matches alerts across runs on these; ours depend only on check and resource, so an
    // alert survives line moves and message wording changes.
    partialFingerprints: { [FINGERPRINT_KEY]: uid, primaryLocationLineHash: `${uid.slice(0, 16)}:1` },
    ...(finding.suppressed
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: `${finding.suppressed.reason} (expires ${finding.suppressed.expires})`,
            },
          ],
        }
      : {}),
    properties: {
      accountId: finding.accountId,
      region: finding.region,
      resourceId: finding.resourceId,
      resourceType: finding.resourceType,
      severity: finding.severity,
      ...(finding.terraformAddress ? { terraformAddress: finding.terraformAddress } : {}),
      ...(finding.evidence ? { evidence: finding.evidence } : {}),
    },
  };
}

/**
 * A relative URI GitHub can resolve against the repository root, or undefined when the path
 * cannot be expressed that way (absolute and outside `sourceRoot`).
 */
export function repositoryRelativeUri(file: string, sourceRoot?: string, baseDir?: string): string | undefined {
  let path = file.replace(/\\/g, '/');
  const root = sourceRoot?.replace(/\\/g, '/');
  // A path relative to the working directory is relative to the repository root only when the two are the same.
  if (baseDir && root && !posix.isAbsolute(path) && !/^[A-Za-z]:\//.test(path)) path = posix.resolve(baseDir.replace(/\\/g, '/'), path);
  if (posix.isAbsolute(path) || /^[A-Za-z]:\//.test(path)) {
    if (!root) return undefined;
    const relative = posix.relative(root, path);
    if (relative.startsWith('..') || posix.isAbsolute(relative)) return undefined;
    path = relative;
  }
  path = posix.normalize(path).replace(/^\.\//, '');
  if (path.startsWith('..')) return undefined;
  return path.split('/').map(encodeURIComponent).join('/');
}

/** `aws/<account>/<region>/<service>/<resource part of the ARN>`, each segment percent-encoded. */
export function pseudoFileUri(finding: Pick<Finding, 'accountId' | 'region' | 'service' | 'resourceId'>): string {
  // arn:partition:service:region:account:resource — the resource part may itself hold ":" or "/".
  const arn = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.+)$/.exec(finding.resourceId);
  const resource = arn?.[1] ?? finding.resourceId;
  const segments = ['aws', finding.accountId || 'unknown-account', finding.region || 'global', finding.service, ...resource.split('/')];
  return segments.map((s) => encodeURIComponent(s) || '_').join('/');
}

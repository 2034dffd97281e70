/**
 * Drift as SARIF 2.1.0, for GitHub code scanning: one rule per kind of drift, one result per
 * drifted resource. A resource declared in the configuration points at its file and line; any
 * other at the pseudo-file `aws/<account>/<region>/<service>/<resource>` (as the audit's SARIF
 * does), so GitHub accepts every result and follows it from run to run.
 */
import { createHash } from 'node:crypto';
import type { AwsService } from '../../findings/model.js';
import { pseudoFileUri, repositoryRelativeUri, SARIF_SCHEMA_URI } from '../../report/sarif.js';
import { DRIFT_KINDS, type DriftEntry, type DriftKind, type DriftReport } from '../model.js';
import { diffRows, displayValue, entryTitle, KIND_LABEL, KIND_MEANING } from './text.js';

/** The AWS service of a resource type, for the pseudo-file path (only a path segment there). */
function serviceOf(resourceType: string): AwsService {
  if (resourceType.startsWith('aws_s3_')) return 's3';
  if (resourceType.startsWith('aws_iam_')) return 'iam';
  if (resourceType.startsWith('aws_db_')) return 'rds';
  return 'ec2';
}

const LEVEL: Record<DriftKind, 'warning' | 'note'> = { changed: 'warning', missing: 'warning', unmanaged: 'warning', unapplied: 'note' };

const ruleId = (kind: DriftKind) => `terraform-drift/${kind}`;

export function renderDriftSarif(report: DriftReport, options: { sourceRoot?: string; baseDir?: string } = {}): string {
  const rules = DRIFT_KINDS.map((kind) => ({
    id: ruleId(kind),
    name: `TerraformDrift${KIND_LABEL[kind]}`,
    shortDescription: { text: `${KIND_LABEL[kind]} resource: ${KIND_MEANING[kind]}` },
    fullDescription: { text: `A resource ${KIND_MEANING[kind]}. Review it, then bring the account and the Terraform back in line (apply, import, or update the code).` },
    defaultConfiguration: { level: LEVEL[kind] },
    properties: { tags: ['terraform', 'drift', 'aws'] },
  }));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, informationUri: 'https://github.com/infra-audit-mcp/infra-audit-mcp', rules } },
        automationDetails: { id: `infra-audit-drift/aws/${report.accountId}/${report.generatedAt}` },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            endTimeUtc: report.generatedAt,
            ...(report.errors.length + report.unchecked.length > 0
              ? {
                  toolExecutionNotifications: [
                    ...report.errors.map((e) => ({ level: 'error', message: { text: `${e.scope}: ${e.message}` } })),
                    ...report.unchecked.map((u) => ({ level: 'warning', message: { text: `${u.terraformAddress} could not be checked: ${u.reason}` } })),
                  ],
                }
              : {}),
          },
        ],
        results: report.entries.map((entry) => result(entry, report, options)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function message(entry: DriftEntry): string {
  const head = `${entryTitle(entry)} (${entry.resourceId}) is ${entry.kind}: ${KIND_MEANING[entry.kind]}.`;
  if (!entry.diffs?.length) return head;
  return `${head} ${entry.diffs
    .flatMap(diffRows)
    .map((d) => `${d.label}: state ${displayValue(d.state, 160)}, live ${displayValue(d.live, 160)}`)
    .join('; ')}`;
}

function result(entry: DriftEntry, report: DriftReport, options: { sourceRoot?: string; baseDir?: string }) {
  const fileUri = entry.file ? repositoryRelativeUri(entry.file, options.sourceRoot, options.baseDir) : undefined;
  const service = serviceOf(entry.resourceType);
  const physicalLocation = fileUri
    ? { artifactLocation: { uri: fileUri }, region: { startLine: entry.line ?? 1 } }
    : { artifactLocation: { uri: pseudoFileUri({ accountId: report.accountId, region: entry.region ?? 'global', service, resourceId: entry.resourceId }) }, region: { startLine: 1 } };
  const uid = createHash('sha256').update([entry.kind, report.accountId, entry.terraformAddress ?? '', entry.resourceId].join('\u0000')).digest('hex').slice(0, 32);
  return {
    ruleId: ruleId(entry.kind),
    ruleIndex: DRIFT_KINDS.indexOf(entry.kind),
    level: LEVEL[entry.kind],
    message: { text: message(entry) },
    locations: [{ physicalLocation, logicalLocations: [{ fullyQualifiedName: entry.terraformAddress ?? entry.resourceId, kind: 'resource' }] }],
    partialFingerprints: { 'infraAuditDrift/v1': uid },
    properties: {
      kind: entry.kind,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      ...(entry.terraformAddress ? { terraformAddress: entry.terraformAddress } : {}),
      ...(entry.diffs ? { diffs: entry.diffs } : {}),
      ...(entry.importBlocks ? { importBlocks: entry.importBlocks } : {}),
    },
  };
}

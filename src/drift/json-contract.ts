/**
 * The drift report's JSON contract, as a zod schema: the single source for
 * `schemas/drift-report.schema.json` (JSON Schema 2020-12, checked for drift by a test) and a
 * compile-time check that it describes every field of the model (`model.ts`).
 *
 * Compatibility rule (docs/drift.md): within a `schemaVersion` major, fields are only ever added;
 * consumers must ignore fields they do not know.
 */
import { z } from 'zod';
import { DRIFT_KINDS, type AttributeDiff, type DriftEntry, type DriftReport, type DriftSummary } from './model.js';

export const DRIFT_SCHEMA_VERSION = '1.0.0';
/** Names the contract; the file ships in the npm package as schemas/drift-report.schema.json. */
export const DRIFT_SCHEMA_ID = 'urn:infra-audit:schemas:drift-report:1';

const Count = z.number().int().nonnegative();
const Percent = z.number().min(0).max(100);

const StatementDiffSchema = z.object({
  statement: z.string().describe('The Sid, else the position (`#2`) in the policy that has the statement.'),
  change: z.enum(['added', 'removed', 'changed']),
  state: z.unknown().optional().describe('The statement as the state has it (absent when added).'),
  live: z.unknown().optional().describe('The statement as it is live (absent when removed).'),
});

const AttributeDiffSchema = z
  .object({
    path: z.string().describe('Terraform attribute path: policy, tags.Owner, versioning_configuration.0.status.'),
    config: z
      .unknown()
      .optional()
      .describe('The configuration value: absent without --config, null when the configuration does not set it, {"unknown": expression} when it needs a plan.'),
    state: z.unknown(),
    live: z.unknown(),
    sensitive: z.boolean().optional().describe('A secret: compared by equality, both sides shown as the redaction marker.'),
    statements: z.array(z.string()).optional().describe('Policies: statements only live (+ Sid), only in state (- Sid), changed in place (~ Sid).'),
    statementDiffs: z.array(StatementDiffSchema).optional(),
  })
  .describe('One attribute that differs.');

const EntrySchema = z
  .object({
    kind: z.enum(DRIFT_KINDS).describe('changed, missing (in a state, gone live), unmanaged (live, in no state), unapplied (declared, in no state).'),
    resourceType: z.string().describe('Terraform resource type, e.g. aws_s3_bucket.'),
    resourceId: z.string().describe('The ARN where the resource has one, else its AWS id.'),
    terraformAddress: z.string().optional().describe('Absent for unmanaged resources.'),
    name: z.string().optional(),
    region: z.string().optional(),
    state: z.string().optional().describe('The state that holds the resource.'),
    file: z.string().optional().describe('The configuration file that declares it, relative to the --config directory (never an absolute path).'),
    line: z.number().int().positive().optional(),
    diffs: z.array(AttributeDiffSchema).optional(),
    importBlocks: z.string().optional().describe('unmanaged: import {} blocks and a resource stub, ready to paste.'),
    importId: z.string().optional().describe('The id `terraform import` takes.'),
    note: z.string().optional(),
  })
  .describe('One drifted resource.');

const SummarySchema = z.object({
  compared: Count.describe('State instances of supported types that were compared.'),
  inSync: Count,
  changed: Count,
  missing: Count,
  unmanaged: Count,
  unapplied: Count,
  ignored: Count.describe('Entries and attribute differences left out by .driftignore.'),
  unchecked: Count,
  unsupported: Count.describe('State instances of types drift does not compare.'),
  stateInstances: Count,
  comparedPercent: Percent.describe('Share of the state instances of a supported type.'),
  managedPercent: Percent.describe("driftctl's coverage: managed / (managed + unmanaged) live resources of enumerable types."),
});

export const DriftReportSchema = z
  .object({
    schemaVersion: z.string().regex(/^1\.\d+\.\d+$/).describe('Version of this contract; the major changes only when a field is removed or renamed.'),
    tool: z.object({ name: z.string(), version: z.string() }),
    generatedAt: z.iso.datetime({ offset: true }),
    accountId: z.string(),
    regions: z.array(z.string()),
    states: z.array(
      z.object({
        location: z.string().describe('As the user would type it: a path relative to the working directory, -, s3://…, https://… or tfc://….'),
        kind: z.string(),
        serial: z.number().int(),
        lineage: z.string(),
        terraformVersion: z.string(),
        resources: Count,
      }),
    ),
    config: z
      .object({
        files: Count,
        unresolvedModules: z
          .array(z.object({ address: z.string(), source: z.string(), file: z.string(), line: z.number().int().positive() }))
          .optional()
          .describe('Module calls whose source (registry, git, …) was not downloaded: run terraform init to read them from .terraform/modules.'),
      })
      .optional(),
    summary: SummarySchema,
    entries: z.array(EntrySchema),
    unchecked: z.array(z.object({ terraformAddress: z.string(), resourceType: z.string(), reason: z.string() })).describe('Managed resources a failed read kept from being compared.'),
    unsupportedTypes: z.array(z.object({ type: z.string(), count: Count })),
    errors: z.array(z.object({ scope: z.string(), message: z.string() })).describe('Reads that failed, which may hide drift.'),
  })
  .describe('infra-audit drift report');

// The contract must carry every field of the model: these fail to compile when model.ts gains a
// field the schema does not describe.
type Contract = z.infer<typeof DriftReportSchema>;
type Missing<M, C> = Exclude<keyof M, keyof C>;
const covers: [Missing<DriftReport, Contract>, Missing<DriftEntry, Contract['entries'][number]>, Missing<AttributeDiff, z.infer<typeof AttributeDiffSchema>>, Missing<DriftSummary, Contract['summary']>] extends [never, never, never, never]
  ? true
  : false = true;
void covers;

/** The JSON Schema (2020-12) committed as schemas/drift-report.schema.json. */
export function driftReportJsonSchema(): Record<string, unknown> {
  // io 'input' leaves objects open, so a consumer's validation survives added fields.
  const generated = z.toJSONSchema(DriftReportSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return { $schema: generated.$schema, $id: DRIFT_SCHEMA_ID, title: 'infra-audit drift report', ...generated };
}

/**
 * The drift report: the contract between the drift engine, its renderers, the `drift` command
 * and the MCP tools. Its JSON form is public (docs/drift.md): add fields, never rename them.
 */

import type { StatementDiff } from './compare.js';

export type { StatementDiff } from './compare.js';

export const DRIFT_KINDS = ['changed', 'missing', 'unmanaged', 'unapplied'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

/** A configuration value that needs a plan to be known (a resource attribute, a data source). */
export interface UnknownConfigValue {
  unknown: string;
}

export interface AttributeDiff {
  /** Terraform attribute path: `policy`, `tags.Owner`, `versioning_configuration.0.status`. */
  path: string;
  /**
   * The configuration's value: absent when no configuration was given, null when the
   * configuration does not set it, `{ unknown: expression }` when it cannot be known statically.
   */
  config?: unknown;
  state: unknown;
  live: unknown;
  /** The values are secrets: shown as the redaction marker, compared by equality only. */
  sensitive?: boolean;
  /** For policies, statements only live (`+ Sid`), only in state (`- Sid`, `- #2` without a Sid), changed in place (`~ Sid`). */
  statements?: string[];
  /** For policies, each statement that differs, as the state and the account have it: what a reviewer reads instead of two whole documents. */
  statementDiffs?: StatementDiff[];
}

export interface DriftEntry {
  kind: DriftKind;
  resourceType: string;
  /** The ARN where the resource has one; else its AWS id (`role/policy-arn` for an attachment). */
  resourceId: string;
  /** Absent for unmanaged resources. */
  terraformAddress?: string;
  /** A readable name: bucket, role, group or DB identifier. */
  name?: string;
  region?: string;
  /** The state that holds the resource (changed, missing). */
  state?: string;
  /** Where the configuration declares it (when --config was given). */
  file?: string;
  line?: number;
  /** changed: the attributes that differ. */
  diffs?: AttributeDiff[];
  /** unmanaged: `import {}` blocks and a minimal resource stub, ready to paste. */
  importBlocks?: string;
  /** The id `terraform import` takes (unmanaged). */
  importId?: string;
  note?: string;
}

/** A managed resource whose live counterpart could not be determined (a read failed). */
export interface UncheckedResource {
  terraformAddress: string;
  resourceType: string;
  reason: string;
}

export interface DriftSummary {
  /** State instances of supported types that were compared. */
  compared: number;
  inSync: number;
  changed: number;
  missing: number;
  unmanaged: number;
  unapplied: number;
  /** Entries and attribute differences left out by .driftignore. */
  ignored: number;
  unchecked: number;
  /** State instances of types drift does not compare (listed by type in `unsupportedTypes`). */
  unsupported: number;
  /** Managed AWS resource instances in the states. */
  stateInstances: number;
  /** Share of `stateInstances` of a supported type (compared, or looked up and left unchecked): how much of the state drift can see. */
  comparedPercent: number;
  /** driftctl's coverage: live resources of the enumerable types that a state manages, of all of them (managed + unmanaged). */
  managedPercent: number;
}

export interface DriftReport {
  /** The JSON contract's version (src/drift/json-contract.ts, schemas/drift-report.schema.json). */
  schemaVersion: string;
  tool: { name: string; version: string };
  generatedAt: string;
  accountId: string;
  regions: string[];
  states: Array<{ location: string; kind: string; serial: number; lineage: string; terraformVersion: string; resources: number }>;
  config?: {
    files: number;
    /** Module calls whose source (registry, git, …) was not downloaded: their resources are not in the configuration view. */
    unresolvedModules?: Array<{ address: string; source: string; file: string; line: number }>;
  };
  summary: DriftSummary;
  entries: DriftEntry[];
  unchecked: UncheckedResource[];
  unsupportedTypes: Array<{ type: string; count: number }>;
  /** Reads that failed, which may hide drift. */
  errors: Array<{ scope: string; message: string }>;
}

export function hasDrift(report: DriftReport): boolean {
  return report.entries.length > 0;
}

/**
 * The compliance frameworks `audit --compliance` reports against. A check joins a control
 * through the CIS v3.0.0 ids in its metadata (`cis`); v5.0.0 is reached through the v3 -> v5 map,
 * so a check added later joins both reports without touching this file.
 */
import { InfraAuditError } from '../errors.js';
import type { CheckMetadata } from '../findings/model.js';
import { CIS_AWS_V3 } from './cis-aws-v3.js';
import { CIS_AWS_V5 } from './cis-aws-v5.js';
import type { ComplianceControl } from './types.js';

export interface ComplianceFramework {
  id: string;
  name: string;
  version: string;
  controls: readonly ComplianceControl[];
  /** The framework's control ids a check's metadata maps to. */
  controlsOf(meta: Pick<CheckMetadata, 'cis'>): string[];
  /** The same control in the other CIS version: v3 -> [v5], v5 -> the v3 ids that became it. */
  counterparts(controlId: string): string[];
}

const V3_TO_V5 = new Map(CIS_AWS_V3.map((c) => [c.id, c.v5]));

const CIS_3: ComplianceFramework = {
  id: 'cis-3.0',
  name: 'CIS Amazon Web Services Foundations Benchmark',
  version: '3.0.0',
  controls: CIS_AWS_V3,
  controlsOf: (meta) => meta.cis ?? [],
  counterparts: (id) => {
    const v5 = V3_TO_V5.get(id);
    return v5 ? [v5] : [];
  },
};

const CIS_5: ComplianceFramework = {
  id: 'cis-5.0',
  name: 'CIS Amazon Web Services Foundations Benchmark',
  version: '5.0.0',
  controls: CIS_AWS_V5,
  controlsOf: (meta) => [...new Set((meta.cis ?? []).map((id) => V3_TO_V5.get(id)).filter((id): id is string => typeof id === 'string'))],
  counterparts: (id) => CIS_AWS_V3.filter((c) => c.v5 === id).map((c) => c.id),
};

export const COMPLIANCE_FRAMEWORKS: readonly ComplianceFramework[] = [CIS_3, CIS_5];

/** Parses `--compliance`: one of the framework ids, case-insensitive. */
export function parseComplianceFramework(value: string): ComplianceFramework {
  const wanted = value.trim().toLowerCase();
  const match = COMPLIANCE_FRAMEWORKS.find((f) => f.id === wanted);
  if (!match) {
    throw new InfraAuditError('USAGE', `--compliance: unknown framework "${value}"`, { hint: `use one of: ${COMPLIANCE_FRAMEWORKS.map((f) => f.id).join(', ')}` });
  }
  return match;
}

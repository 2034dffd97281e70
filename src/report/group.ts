/** Grouping shared by the formats a person reads (Markdown, HTML). */
import type { Finding } from '../findings/model.js';
import { compareFindings } from '../findings/summary.js';

export interface ResourceGroup {
  accountId: string;
  region: string;
  resourceId: string;
  resourceName?: string;
  resourceType: string;
  terraformAddress?: string;
  findings: Finding[];
}

/**
 * Findings grouped by the resource they concern, worst resource first; within a resource,
 * worst finding first. Input order does not matter.
 */
export function groupByResource(findings: readonly Finding[]): ResourceGroup[] {
  const groups = new Map<string, ResourceGroup>();
  for (const finding of [...findings].sort(compareFindings)) {
    const key = [finding.accountId, finding.region, finding.resourceId].join('\u0000');
    let group = groups.get(key);
    if (!group) {
      group = {
        accountId: finding.accountId,
        region: finding.region,
        resourceId: finding.resourceId,
        resourceType: finding.resourceType,
        findings: [],
        ...(finding.resourceName === undefined ? {} : { resourceName: finding.resourceName }),
      };
      groups.set(key, group);
    }
    group.terraformAddress ??= finding.terraformAddress;
    group.findings.push(finding);
  }
  // Map iteration keeps first-insertion order, which is already worst-first by compareFindings.
  return [...groups.values()];
}

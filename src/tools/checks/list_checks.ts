import { z } from 'zod';
import { defineTool, READ_ONLY_LOCAL } from '../../server/tool.js';
import { selectCatalog } from '../../server/check-runs.js';
import { pageOf } from '../listing.js';
import { findingFilterArgs } from './findings-view.js';

const CheckSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.string(),
  service: z.string(),
  resourceType: z.string(),
  cis: z.array(z.string()),
  terraformTypes: z.array(z.string()),
  risk: z.string().optional(),
  remediation: z.string().optional(),
  remediationTerraform: z.string().optional(),
});

export const listChecks = defineTool({
  name: 'list_checks',
  toolset: 'checks',
  title: 'List the audit checks',
  description:
    'The catalog of audit checks with their metadata: id, title, severity, service, resource type, CIS AWS Foundations controls and the Terraform resource types each concerns; includeDetails adds the risk and the fix (words and Terraform). ' +
    'Local: no AWS call. Use the ids with run_checks and list_findings.',
  inputSchema: z.strictObject({
    ...findingFilterArgs,
    query: z.string().max(100).optional().describe('Only checks whose id or title contains this (case-insensitive)'),
    cisOnly: z.boolean().default(false).describe('Only checks mapped to a CIS control'),
    includeDetails: z.boolean().default(false).describe('Add risk, remediation and the Terraform fix'),
    limit: z.number().int().min(1).max(200).default(100).describe('Page size'),
    cursor: z.string().optional().describe('nextCursor from a previous call with the same arguments'),
  }),
  outputSchema: z.object({ checks: z.array(CheckSchema), total: z.number().int(), nextCursor: z.string().optional() }),
  annotations: READ_ONLY_LOCAL,
  awsOperations: [],
  async handler(args) {
    const needle = args.query?.toLowerCase();
    const all = selectCatalog(args)
      .map((c) => c.metadata)
      .filter((m) => (!needle || m.id.includes(needle) || m.title.toLowerCase().includes(needle)) && (!args.cisOnly || (m.cis?.length ?? 0) > 0))
      .map((m) => ({
        id: m.id,
        title: m.title,
        severity: m.severity,
        service: m.service,
        resourceType: m.resourceType,
        cis: m.cis ?? [],
        terraformTypes: m.terraformTypes,
        ...(args.includeDetails ? { risk: m.risk, remediation: m.remediation, remediationTerraform: m.remediationTerraform } : {}),
      }));
    const page = pageOf(all, 'list_checks', args, 'catalog', args.limit);
    const lines = page.items.map((c) => `${c.id}\t${c.severity}\t${c.service}\t${c.cis.length ? `CIS ${c.cis.join(',')}` : '-'}\t${c.title}`);
    const more = page.nextCursor ? `\n(${page.total} in all: call again with cursor for more)` : '';
    return {
      structured: { checks: page.items, total: page.total, nextCursor: page.nextCursor },
      text: `${page.total} check(s):\n${lines.join('\n')}${more}`,
    };
  },
});

import { z } from 'zod';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { paginate, queryKey } from '../../server/pagination.js';
import { DRIFT_OPERATIONS, driftReport, terraformInputs } from './context.js';

const Unmanaged = z.object({
  resourceType: z.string(),
  resourceId: z.string(),
  name: z.string().optional(),
  region: z.string().optional(),
  importId: z.string().optional().describe('The id terraform import takes'),
  importBlocks: z.string().optional().describe('import {} blocks and a minimal resource stub, ready to paste (Terraform 1.5+)'),
});

export const listUnmanagedResources = defineTool({
  name: 'list_unmanaged_resources',
  toolset: 'terraform',
  title: 'List live resources no Terraform state manages',
  description:
    "Live S3 buckets, IAM roles (and their inline policies and attachments), customer-managed IAM policies, IAM users, security groups and DB instances that none of the server's Terraform states manages, " +
    'each with Terraform import {} blocks and a minimal resource stub to bring it under management. A proposal for a human: nothing is imported or changed. ' +
    'AWS-owned objects (service-linked roles, default security groups) are never listed. Shares get_drift\'s report (reused for two minutes unless refresh).',
  inputSchema: z.strictObject({
    type: z.string().max(100).optional().describe('Only this resource type, e.g. aws_iam_role'),
    refresh: z.boolean().default(false).describe('Read the account again instead of reusing a report from the last two minutes'),
    limit: z.number().int().min(1).max(500).default(50).describe('Page size'),
    cursor: z.string().optional().describe('nextCursor from a previous call with the same arguments'),
  }),
  outputSchema: z.object({ resources: z.array(Unmanaged), total: z.number().int(), nextCursor: z.string().optional() }),
  annotations: READ_ONLY_LIVE,
  awsOperations: DRIFT_OPERATIONS,
  async handler(args, ctx) {
    const { redactor } = await terraformInputs(ctx.session);
    const report = await driftReport(ctx.session, args.refresh);
    const unmanaged = report.entries
      .filter((e) => e.kind === 'unmanaged' && (!args.type || e.resourceType === args.type))
      .map((e) => ({ resourceType: e.resourceType, resourceId: e.resourceId, name: e.name, region: e.region, importId: e.importId, importBlocks: e.importBlocks }));
    const { refresh: _refresh, ...pageArgs } = args;
    void _refresh;
    const page = paginate(unmanaged, queryKey('list_unmanaged_resources', pageArgs), args.cursor, args.limit);
    const blocks = page.items.map((r) => `# ${r.resourceType} ${r.name ?? r.resourceId} (${r.resourceId})\n${r.importBlocks ?? ''}`);
    const more = page.nextCursor ? `\n(${page.total - page.items.length} more: call again with cursor)` : '';
    return {
      structured: redactor.redact({ resources: page.items, total: page.total, nextCursor: page.nextCursor }),
      text: redactor.redactText(`${page.total} unmanaged resource(s) in account ${report.accountId}:\n\n${blocks.join('\n\n')}${more}`),
    };
  },
});

import { z } from 'zod';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { dataSourcesOf } from '../../dataplane/scope.js';

export const whoami = defineTool({
  name: 'whoami',
  toolset: 'account',
  title: 'Who the server runs as',
  description:
    'The AWS identity (account, ARN) this server runs as, the caller as the server sees it, the exact IAM actions its enabled tools need, ' +
    'and which data (S3 objects, database rows) the data tools can reach: none unless the operator enabled them. ' +
    'Use it to state the scope of an audit. Read-only: no tool of this server can modify anything.',
  inputSchema: z.strictObject({}),
  outputSchema: z.object({
    accountId: z.string(),
    arn: z.string(),
    caller: z.object({ principal: z.string(), transport: z.string() }),
    requiredActions: z.array(z.string()),
    tools: z.array(z.string()),
    dataAccess: z.object({
      enabled: z.boolean().describe('false: no object contents or rows are reachable'),
      buckets: z.array(z.string()).describe('bucket or bucket/prefix/ the data tools may read'),
      databases: z.array(z.string()),
      protectedBuckets: z.array(z.string()).describe('buckets holding Terraform state: never read'),
    }),
  }),
  annotations: READ_ONLY_LIVE,
  awsOperations: [{ service: 'sts', operation: 'GetCallerIdentity' }],
  async handler(_args, ctx) {
    const identity = await ctx.session.identity();
    const surface = ctx.session.toolSurface();
    const plane = ctx.session.options.dataPlane;
    const sources = plane ? dataSourcesOf(plane.scope, ctx.session.protectedBuckets) : { buckets: [], databases: [] };
    const protectedBuckets = [...ctx.session.protectedBuckets].sort();
    const dataLine = plane
      ? `Data tools on: buckets ${sources.buckets.join(', ') || '(none)'}; databases ${sources.databases.join(', ') || '(none)'}.`
      : 'Data tools off: no object contents or rows are reachable.';
    return {
      structured: {
        accountId: identity.accountId,
        arn: identity.arn,
        caller: { principal: ctx.caller.principal, transport: ctx.caller.transport },
        requiredActions: surface.actions,
        tools: surface.tools,
        dataAccess: { enabled: plane !== undefined, ...sources, protectedBuckets },
      },
      text:
        `AWS account ${identity.accountId} as ${identity.arn}; caller ${ctx.caller.principal} over ${ctx.caller.transport}.\n` +
        `Enabled tools (${surface.tools.length}): ${surface.tools.join(', ')}\nIAM actions they need: ${surface.actions.join(', ') || '(none)'}\n` +
        `${dataLine}${protectedBuckets.length ? ` Protected (never read): ${protectedBuckets.join(', ')}.` : ''}`,
    };
  },
});

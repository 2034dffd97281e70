import { z } from 'zod';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';

export const whoami = defineTool({
  name: 'whoami',
  toolset: 'account',
  title: 'Who the server runs as',
  description:
    'The AWS identity (account, ARN) this server runs as, the caller as the server sees it, and the exact IAM actions its enabled tools need. ' +
    'Use it to state the scope of an audit. Read-only: no tool of this server can modify anything.',
  inputSchema: z.object({}),
  outputSchema: z.object({
    accountId: z.string(),
    arn: z.string(),
    caller: z.object({ principal: z.string(), transport: z.string() }),
    requiredActions: z.array(z.string()),
    tools: z.array(z.string()),
  }),
  annotations: READ_ONLY_LIVE,
  awsOperations: [{ service: 'sts', operation: 'GetCallerIdentity' }],
  async handler(_args, ctx) {
    const identity = await ctx.session.identity();
    const surface = ctx.session.toolSurface();
    return {
      structured: {
        accountId: identity.accountId,
        arn: identity.arn,
        caller: { principal: ctx.caller.principal, transport: ctx.caller.transport },
        requiredActions: surface.actions,
        tools: surface.tools,
      },
      text:
        `AWS account ${identity.accountId} as ${identity.arn}; caller ${ctx.caller.principal} over ${ctx.caller.transport}.\n` +
        `Enabled tools (${surface.tools.length}): ${surface.tools.join(', ')}\nIAM actions they need: ${surface.actions.join(', ') || '(none)'}`,
    };
  },
});

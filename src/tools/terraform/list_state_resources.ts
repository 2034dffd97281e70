import { z } from 'zod';
import { defineTool, READ_ONLY_LOCAL } from '../../server/tool.js';
import { paginate, queryKey } from '../../server/pagination.js';
import { terraformInputs } from './context.js';

const Resource = z.object({
  address: z.string(),
  type: z.string(),
  name: z.string(),
  mode: z.enum(['managed', 'data']),
  module: z.string().describe("Module address; '' for the root module"),
  state: z.string().describe('The state holding it'),
  status: z.enum(['ready', 'tainted']),
  deposed: z.string().optional().describe('Set for a deposed object (create_before_destroy)'),
  file: z.string().optional().describe('File declaring it, when the server has the configuration'),
  line: z.number().int().optional(),
});

export const listStateResources = defineTool({
  name: 'list_state_resources',
  toolset: 'terraform',
  title: 'List Terraform state resources',
  description:
    'List the resource instances in the Terraform state(s) this server was started with, by address, with the file and line that declare them when the configuration is known. ' +
    'Filter by resource type, module, or address prefix. Reads only the local state: no AWS call. Use get_state_resource for one resource\'s attributes (secrets redacted).',
  inputSchema: z.strictObject({
    type: z.string().max(100).optional().describe('Only this resource type, e.g. aws_s3_bucket'),
    module: z.string().max(500).optional().describe("Only resources in this module and its children, e.g. module.buckets; '' for the root module only"),
    addressPrefix: z.string().max(500).optional().describe('Only addresses starting with this'),
    includeData: z.boolean().default(false).describe('Include data sources'),
    limit: z.number().int().min(1).max(1000).default(200).describe('Page size'),
    cursor: z.string().optional().describe('nextCursor from a previous call with the same arguments'),
  }),
  outputSchema: z.object({ resources: z.array(Resource), total: z.number().int(), nextCursor: z.string().optional() }),
  annotations: READ_ONLY_LOCAL,
  awsOperations: [],
  async handler(args, ctx) {
    const { states, config, redactor } = await terraformInputs(ctx.session);
    const inModule = (moduleAddress: string) =>
      args.module === undefined || (args.module === '' ? moduleAddress === '' : moduleAddress === args.module || moduleAddress.startsWith(`${args.module}.`) || moduleAddress.startsWith(`${args.module}[`));
    const all: Array<z.infer<typeof Resource>> = [];
    for (const r of states.index.instances()) {
      if (args.type && r.type !== args.type) continue;
      if (!args.includeData && r.mode === 'data') continue;
      if (args.addressPrefix && !r.address.startsWith(args.addressPrefix)) continue;
      if (!inModule(r.moduleAddress)) continue;
      const declared = config?.byAddress.get(r.address);
      all.push({
        address: r.address,
        type: r.type,
        name: r.name,
        mode: r.mode,
        module: r.moduleAddress,
        state: r.source.location,
        status: r.status,
        ...(r.deposedKey ? { deposed: r.deposedKey } : {}),
        ...(declared ? { file: declared.file, line: declared.line } : {}),
      });
    }
    const page = paginate(all, queryKey('list_state_resources', args), args.cursor, args.limit);
    const lines = page.items.map((r) => `${r.address}${r.deposed ? ` (deposed ${r.deposed})` : ''}${r.status === 'tainted' ? ' (tainted)' : ''}${r.file ? `\t${r.file}:${r.line}` : ''}`);
    const more = page.nextCursor ? `\n(${page.total - page.items.length} more: call again with cursor)` : '';
    return {
      structured: redactor.redact({ resources: page.items, total: page.total, nextCursor: page.nextCursor }),
      text: redactor.redactText(`${page.total} resource instance(s)${page.items.length < page.total ? `, showing ${page.items.length}` : ''} in ${states.states.length} state(s):\n${lines.join('\n')}${more}`),
    };
  },
});

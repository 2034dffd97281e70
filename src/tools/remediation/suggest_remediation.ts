import { z } from 'zod';
import { defineTool, READ_ONLY_LOCAL } from '../../server/tool.js';
import { loadTerraformFiles } from './terraform-files.js';
import { FIXES, proposeRemediation, SUPPORTED_CHECK_IDS } from './recipes.js';
import { CHECKS } from '../../checks/registry.js';

const SuggestRemediationOutput = z.object({
  checkId: z.string(),
  resource: z.string(),
  kind: z.enum(['patch', 'import', 'none', 'snippet']),
  managed: z.boolean(),
  terraformAddress: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  patch: z.string().optional(),
  imports: z.string().optional(),
  snippet: z.string().optional(),
  fix: z.string().optional(),
  summary: z.string(),
  review: z.array(z.string()),
  planCommand: z.string(),
  configDir: z.string().optional(),
});

/** What the tool returns as structured content (the agent reads it to write proposals). */
export type SuggestRemediationOutput = z.infer<typeof SuggestRemediationOutput>;

export const suggestRemediation = defineTool({
  name: 'suggest_remediation',
  toolset: 'checks',
  title: 'Propose a Terraform remediation',
  description:
    'For a failed check on one resource, return the Terraform change that fixes it, for a human to review and apply: a unified diff of the .tf file that declares the resource ' +
    '(as terraform fmt writes it), or, for a resource Terraform does not manage, an import {} block and a minimal resource. ' +
    'Read-only and local: it reads the server\'s Terraform configuration, writes nothing and runs nothing. ' +
    `Patches for checks: ${SUPPORTED_CHECK_IDS.join(', ')} (s3_bucket_public_read and _write: fix block_public_access by default, or remove_public_policy_statements); ` +
    'for other checks, the catalog\'s Terraform snippet.',
  inputSchema: z.strictObject({
    checkId: z.string().regex(/^[a-z0-9_]+$/, 'a check id such as s3_bucket_public_access_block').describe('The failed check'),
    resource: z.string().min(1).max(2048).describe('The affected resource: a bucket name or ARN, a DB instance identifier or ARN'),
    terraformAddress: z.string().max(512).optional().describe('Its Terraform address, when known (root module only)'),
    fix: z.enum(FIXES as [string, ...string[]]).optional().describe('Which fix, for a check that has several (default: the first)'),
  }),
  outputSchema: SuggestRemediationOutput,
  annotations: READ_ONLY_LOCAL,
  awsOperations: [],
  async handler(args, ctx) {
    const configDir = ctx.session.options.configDir;
    const files = configDir ? loadTerraformFiles(configDir) : [];
    const catalog = CHECKS.map((c) => c.metadata);
    const proposal = proposeRemediation({ checkId: args.checkId, resource: args.resource, terraformAddress: args.terraformAddress, fix: args.fix, files }, catalog);
    const dir = configDir ?? '<your Terraform root module>';
    const planCommand = `terraform -chdir=${shellQuote(dir)} plan`;
    const review = configDir ? proposal.review : [...proposal.review, 'The server was given no Terraform configuration (--config): if this resource is managed by Terraform, change its declaration instead of importing it.'];
    const structured = { checkId: args.checkId, resource: args.resource, ...proposal, review, planCommand, ...(configDir ? { configDir } : {}) };
    const change = proposal.patch ?? proposal.imports ?? proposal.snippet ?? '(no change: see the summary)';
    return {
      structured,
      text: `${proposal.summary}\n\n${change}\nReview before applying:\n${review.map((r) => `- ${r}`).join('\n')}\nThen: ${planCommand}\nNothing has been applied.`,
    };
  },
});

function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

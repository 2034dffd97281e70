import { z } from 'zod';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { paginate, queryKey } from '../../server/pagination.js';
import { DRIFT_KINDS } from '../../drift/model.js';
import { diffRows, displayValue, entryTitle, location, summaryLine } from '../../drift/report/text.js';
import { DRIFT_OPERATIONS, driftReport, terraformInputs } from './context.js';

const Diff = z.object({
  path: z.string(),
  config: z.unknown().optional().describe('Declared value; null: not set; {unknown: expression}: needs a plan; absent: no configuration given'),
  state: z.unknown(),
  live: z.unknown(),
  sensitive: z.boolean().optional(),
  statements: z.array(z.string()).optional().describe('Policy statements only live (+), only in state (-), or changed in place (~)'),
  statementDiffs: z
    .array(z.object({ statement: z.string(), change: z.enum(['added', 'removed', 'changed']), state: z.unknown().optional(), live: z.unknown().optional() }))
    .optional()
    .describe('For policies: each statement that differs, as the state and the account have it'),
});

export const DriftEntrySchema = z.object({
  kind: z.enum(DRIFT_KINDS),
  resourceType: z.string(),
  resourceId: z.string(),
  terraformAddress: z.string().optional(),
  name: z.string().optional(),
  region: z.string().optional(),
  state: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  diffs: z.array(Diff).optional(),
  importBlocks: z.string().optional(),
  importId: z.string().optional(),
});

export const getDrift = defineTool({
  name: 'get_drift',
  toolset: 'terraform',
  title: 'Terraform drift against the live account',
  description:
    "Compare the server's Terraform state(s) (and configuration, when given) with the live AWS account, read-only: " +
    'changed (attributes differ: each diff has the config, state and live value), missing (in state, gone live), unmanaged (live, in no state; with import blocks), unapplied (declared, never applied). ' +
    'Policies compare as policies (statement order and formatting do not count). Secrets are compared, never shown. Reads the whole account once (S3, IAM, EC2, RDS), then reuses the result for two minutes unless refresh is set.',
  inputSchema: z.strictObject({
    kind: z.array(z.enum(DRIFT_KINDS)).optional().describe('Only these kinds'),
    type: z.string().max(100).optional().describe('Only this resource type, e.g. aws_s3_bucket_policy'),
    refresh: z.boolean().default(false).describe('Read the account again instead of reusing a report from the last two minutes'),
    limit: z.number().int().min(1).max(500).default(50).describe('Page size'),
    cursor: z.string().optional().describe('nextCursor from a previous call with the same arguments'),
  }),
  outputSchema: z.object({
    accountId: z.string(),
    summary: z.object({
      compared: z.number().int(),
      inSync: z.number().int(),
      changed: z.number().int(),
      missing: z.number().int(),
      unmanaged: z.number().int(),
      unapplied: z.number().int(),
      ignored: z.number().int(),
      unchecked: z.number().int(),
      unsupported: z.number().int(),
    }),
    entries: z.array(DriftEntrySchema),
    total: z.number().int(),
    nextCursor: z.string().optional(),
    unchecked: z.array(z.object({ terraformAddress: z.string(), resourceType: z.string(), reason: z.string() })),
    errors: z.array(z.object({ scope: z.string(), message: z.string() })),
  }),
  annotations: READ_ONLY_LIVE,
  awsOperations: DRIFT_OPERATIONS,
  async handler(args, ctx) {
    const { redactor } = await terraformInputs(ctx.session);
    const report = await driftReport(ctx.session, args.refresh);
    const kinds = args.kind?.length ? new Set(args.kind) : undefined;
    const matching = report.entries.filter((e) => (!kinds || kinds.has(e.kind)) && (!args.type || e.resourceType === args.type));
    const { refresh: _refresh, ...pageArgs } = args;
    void _refresh;
    const page = paginate(matching, queryKey('get_drift', pageArgs), args.cursor, args.limit);
    const lines = page.items.map((e) => {
      const where = location(e);
      const head = `${e.kind.toUpperCase()} ${entryTitle(e)} (${e.resourceId})${where ? ` ${where}` : ''}`;
      const diffs = (e.diffs ?? [])
        .flatMap(diffRows)
        .map((d) => `  ${d.label}: state ${displayValue(d.state, 300)} | live ${displayValue(d.live, 300)}${d.hasConfig ? ` | config ${displayValue(d.config, 200)}` : ''}`);
      return [head, ...diffs].join('\n');
    });
    const more = page.nextCursor ? `\n(${page.total - page.items.length} more: call again with cursor)` : '';
    const structured = redactor.redact({
      accountId: report.accountId,
      summary: report.summary,
      entries: page.items,
      total: page.total,
      nextCursor: page.nextCursor,
      unchecked: report.unchecked,
      errors: report.errors,
    });
    return { structured, text: redactor.redactText(`${summaryLine(report)}\n${lines.join('\n')}${more}`) };
  },
});

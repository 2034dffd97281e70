import { z } from 'zod';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { inventoryOperations } from '../../server/inventory-cache.js';
import { CHECKS } from '../../checks/registry.js';
import { selectCatalog } from '../../server/check-runs.js';
import { regionsArg } from '../listing.js';
import { CollectionErrorSchema, FindingSchema, RunSchema, SummarySchema, findingFilterArgs, findingsPage, pageArgs, runInfo, runOfCursor } from './findings-view.js';

const MAX_READ_ERRORS = 20;

export const runChecks = defineTool({
  name: 'run_checks',
  toolset: 'checks',
  title: 'Run the audit checks',
  description:
    'Run the audit engine\'s checks over the live account, narrowed by service, check id, severity and region, and return a summary plus the findings (fail and error; includePass for all). ' +
    'The inventory is read once per session and reused for 5 minutes (refresh: true re-reads it); the run becomes the latest one list_findings filters. Read-only.',
  inputSchema: z.strictObject({
    ...findingFilterArgs,
    regions: regionsArg,
    includePass: z.boolean().default(false).describe('Also return the checks that passed, one per resource, after the failures and errors (a pass\'s message is the check\'s title; it carries no evidence)'),
    refresh: z.boolean().default(false).describe('Re-read the inventory from AWS instead of the copy cached for this session; ignored with a cursor'),
    ...pageArgs,
  }),
  outputSchema: z.object({
    run: RunSchema,
    summary: SummarySchema,
    findings: z.array(FindingSchema),
    total: z.number().int(),
    nextCursor: z.string().optional(),
    readErrors: z.array(CollectionErrorSchema).describe(`The first ${MAX_READ_ERRORS} AWS reads that failed`),
  }),
  annotations: READ_ONLY_LIVE,
  awsOperations: inventoryOperations(CHECKS.flatMap((c) => c.reads)),
  async handler(args, ctx) {
    const inventory = ctx.session.inventory;
    const checks = selectCatalog(args);
    const run = runOfCursor(inventory, args.cursor) ?? (await inventory.runs.run(checks, { regions: args.regions, refresh: args.refresh, signal: ctx.signal }));
    // Every verdict of the run; passes by reference into its aggregates, built only for the page.
    const scoped = { held: run.findings, passes: run.passOrder };
    const shown = args.includePass ? scoped : { held: run.findings, passes: [] };
    const { page, summary, text } = findingsPage('run_checks', args, run, scoped, shown);
    const readErrors = run.errors.slice(0, MAX_READ_ERRORS).map((e) => ({ service: e.service, region: e.region, operation: e.operation, resource: e.resource, code: e.code, message: e.message }));
    const errorsText = readErrors.length ? `\nReads that failed: ${readErrors.map((e) => `${e.service}:${e.operation}${e.resource ? ` ${e.resource}` : ''} ${e.code}`).join('; ')}` : '';
    return {
      structured: { run: runInfo(run), summary, findings: page.items, total: page.total, nextCursor: page.nextCursor, readErrors },
      text: text + errorsText,
    };
  },
});

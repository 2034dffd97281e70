import { z } from 'zod';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { inventoryOperations } from '../../server/inventory-cache.js';
import { selectCatalog, type CheckRun } from '../../server/check-runs.js';
import { CHECKS } from '../../checks/registry.js';
import { GLOBAL_REGION } from '../../checks/finding.js';
import { regionsArg } from '../listing.js';
import { FindingSchema, RunSchema, STATUSES, SummarySchema, findingFilterArgs, findingsPage, pageArgs, passesWhere, runInfo, runOfCursor } from './findings-view.js';

/** Does `run` hold verdicts for every check and region asked about? */
function covers(run: CheckRun, checkIds: readonly string[], regions: readonly string[] | undefined): boolean {
  const ran = new Set(run.checks.map((c) => c.id));
  if (!checkIds.every((id) => ran.has(id))) return false;
  return run.allRegions || (!!regions?.length && regions.every((r) => run.regions.includes(r)));
}

export const listFindings = defineTool({
  name: 'list_findings',
  toolset: 'checks',
  title: 'List the findings of the latest run',
  description:
    'Filter the findings of the latest check run of this session by severity, check, service, region, resource (substring of ARN or name) and status (default fail and error). ' +
    'If no run yet covers the checks asked about, it runs the whole catalog first; refresh: true re-reads the inventory and re-runs. The run\'s timestamp says how fresh the answer is. Read-only.',
  inputSchema: z.strictObject({
    ...findingFilterArgs,
    regions: regionsArg,
    statuses: z.array(z.enum(STATUSES)).min(1).default(['fail', 'error']).describe('Finding statuses to return (passes come after failures and errors; a pass\'s message is the check\'s title, with no evidence)'),
    resource: z.string().min(1).max(2048).optional().describe('Only findings whose resource ARN or name contains this (case-insensitive)'),
    refresh: z.boolean().default(false).describe('Re-read the inventory and re-run every check; ignored with a cursor'),
    ...pageArgs,
  }),
  outputSchema: z.object({
    run: RunSchema,
    reran: z.boolean().describe('True when this call ran the checks (no covering run yet, or refresh)'),
    summary: SummarySchema,
    findings: z.array(FindingSchema),
    total: z.number().int(),
    nextCursor: z.string().optional(),
  }),
  annotations: READ_ONLY_LIVE,
  awsOperations: inventoryOperations(CHECKS.flatMap((c) => c.reads)),
  async handler(args, ctx) {
    const inventory = ctx.session.inventory;
    const wanted = selectCatalog(args).map((c) => c.metadata.id);
    let run = runOfCursor(inventory, args.cursor);
    let reran = false;
    if (!run) {
      const latest = inventory.runs.latest();
      if (latest && !args.refresh && covers(latest, wanted, args.regions)) run = latest;
      else {
        run = await inventory.runs.run(CHECKS, { refresh: args.refresh, signal: ctx.signal });
        reran = true;
      }
    }
    const ids = new Set(wanted);
    const regions = args.regions?.length ? new Set([...args.regions, GLOBAL_REGION]) : undefined;
    const needle = args.resource?.toLowerCase();
    const matches = (region: string, resourceId: string, resourceName: string) =>
      (!regions || regions.has(region)) && (!needle || resourceId.toLowerCase().includes(needle) || resourceName.toLowerCase().includes(needle));
    // Passes are filtered by reference into the run's aggregates: no finding is built for a pass off the page.
    const scoped = {
      held: run.findings.filter((f) => ids.has(f.checkId) && matches(f.region, f.resourceId, f.resourceName ?? '')),
      passes: passesWhere(run, (checkId) => ids.has(checkId), regions || needle ? matches : undefined),
    };
    const statuses = new Set(args.statuses);
    const shown = { held: scoped.held.filter((f) => statuses.has(f.status)), passes: statuses.has('pass') ? scoped.passes : [] };
    const { page, summary, text } = findingsPage('list_findings', args, run, scoped, shown);
    return {
      structured: { run: runInfo(run), reran, summary, findings: page.items, total: page.total, nextCursor: page.nextCursor },
      text: `${reran ? 'Ran the checks now. ' : 'From the latest run. '}${text}`,
    };
  },
});

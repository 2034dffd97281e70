import { z } from 'zod';
import { defineTool } from '../../server/tool.js';
import { paginate, queryKey } from '../../server/pagination.js';
import { dataPlaneOf } from '../../dataplane/data-plane.js';
import { DatabaseId, READ_ONLY_DATABASE } from './query_db.js';

const Table = z.object({ schema: z.string(), name: z.string(), type: z.string(), rowEstimate: z.number().nullable() });

export const listTables = defineTool({
  name: 'list_tables',
  toolset: 'data',
  readsData: true,
  title: 'List the tables of an allowed database',
  description:
    'List the tables and views of an allowed database (see list_data_sources) that its user can see, from information_schema, with the engine\'s row estimate. ' +
    'PostgreSQL: every non-system schema unless one is given; MySQL/MariaDB: the configured database unless one is given. Read-only.',
  inputSchema: z.strictObject({
    database: DatabaseId,
    schema: z.string().min(1).max(128).optional().describe('Only this schema (MySQL: database)'),
    limit: z.number().int().min(1).max(1000).default(200).describe('Page size'),
    cursor: z.string().optional().describe('nextCursor from a previous call with the same arguments'),
  }),
  outputSchema: z.object({ database: z.string(), tables: z.array(Table), total: z.number(), nextCursor: z.string().optional() }),
  annotations: READ_ONLY_DATABASE,
  awsOperations: [],
  async handler(args, ctx) {
    const plane = dataPlaneOf(ctx.session);
    const db = plane.scope.database(args.database);
    const tables = await plane.driver(db.id).listTables(args.schema, plane.limits);
    const page = paginate(tables, queryKey('list_tables', args), args.cursor, args.limit);
    const lines = page.items.map((t) => `${t.schema}.${t.name}\t${t.type}\t~${t.rowEstimate ?? '?'} rows`);
    const more = page.nextCursor ? `\n(${page.total - page.items.length} more: call again with cursor)` : '';
    return {
      structured: { database: db.id, tables: page.items, total: page.total, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
      text: `database "${db.id}": ${page.total} table(s)${lines.length ? `:\n${lines.join('\n')}` : ''}${more}`,
    };
  },
});

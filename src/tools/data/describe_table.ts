import { z } from 'zod';
import { defineTool } from '../../server/tool.js';
import { InfraAuditError } from '../../errors.js';
import { dataPlaneOf } from '../../dataplane/data-plane.js';
import { DatabaseId, READ_ONLY_DATABASE } from './query_db.js';

export const describeTable = defineTool({
  name: 'describe_table',
  toolset: 'data',
  readsData: true,
  title: 'Describe a table of an allowed database',
  description:
    'The columns (name, type, nullable, default), primary key and row estimate of one table or view of an allowed database, from information_schema. ' +
    'Call it before query_db to write a correct query. Read-only.',
  inputSchema: z.strictObject({
    database: DatabaseId,
    table: z.string().min(1).max(128).describe('Table name, as listed by list_tables'),
    schema: z.string().min(1).max(128).optional().describe('Schema (MySQL: database); default: the search path, or the configured database'),
  }),
  outputSchema: z.object({
    database: z.string(),
    schema: z.string(),
    name: z.string(),
    type: z.string(),
    rowEstimate: z.number().nullable(),
    columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean(), default: z.string().nullable() })),
    primaryKey: z.array(z.string()),
  }),
  annotations: READ_ONLY_DATABASE,
  awsOperations: [],
  async handler(args, ctx) {
    const plane = dataPlaneOf(ctx.session);
    const db = plane.scope.database(args.database);
    const t = await plane.driver(db.id).describeTable(args.schema, args.table, plane.limits);
    if (!t) {
      throw new InfraAuditError('NOT_FOUND', `table "${args.schema ? `${args.schema}.` : ''}${args.table}" not found in database "${db.id}" (or not visible to its user)`, {
        hint: 'call list_tables for the names',
      });
    }
    const cols = t.columns.map((c) => `  ${c.name}\t${c.type}${c.nullable ? '' : ' NOT NULL'}${c.default !== null ? ` DEFAULT ${c.default}` : ''}${t.primaryKey.includes(c.name) ? '\tPK' : ''}`);
    return {
      structured: { database: db.id, ...t },
      text: `${t.schema}.${t.name} (${t.type}, ~${t.rowEstimate ?? '?'} rows) in database "${db.id}":\n${cols.join('\n')}\nprimary key: ${t.primaryKey.length ? t.primaryKey.join(', ') : '(none)'}`,
    };
  },
});

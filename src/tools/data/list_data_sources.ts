import { z } from 'zod';
import { defineTool, READ_ONLY_LOCAL } from '../../server/tool.js';
import { dataPlaneOf } from '../../dataplane/data-plane.js';

export const listDataSources = defineTool({
  name: 'list_data_sources',
  toolset: 'data',
  title: 'List the readable buckets and databases',
  description:
    'The S3 buckets (optionally narrowed to a prefix) and databases the data tools may read: the data-plane allowlist from the config and the Terraform-managed ones, ' +
    'with where each came from. Start here before list_files, read_file, list_tables or query_db. Read-only; makes no network call.',
  inputSchema: z.strictObject({}),
  outputSchema: z.object({
    buckets: z.array(z.object({ bucket: z.string(), prefix: z.string(), origin: z.string(), address: z.string().optional(), protected: z.boolean() })),
    databases: z.array(z.object({ id: z.string(), engine: z.string(), host: z.string(), port: z.number().optional(), database: z.string(), user: z.string(), origin: z.string(), address: z.string().optional() })),
    skipped: z.array(z.object({ address: z.string(), reason: z.string() })),
    limits: z.object({ maxRows: z.number(), maxBytes: z.number(), statementTimeoutMs: z.number() }),
  }),
  annotations: READ_ONLY_LOCAL,
  awsOperations: [],
  async handler(_args, ctx) {
    const plane = dataPlaneOf(ctx.session);
    const { scope } = plane;
    const buckets = scope.buckets.map((b) => ({
      bucket: b.bucket,
      prefix: b.prefix,
      origin: b.origin,
      ...(b.address ? { address: b.address } : {}),
      protected: ctx.session.protectedBuckets.has(b.bucket),
    }));
    const databases = scope.databases.map((d) => ({
      id: d.id,
      engine: d.engine,
      host: d.host,
      ...(d.port ? { port: d.port } : {}),
      database: d.database,
      user: d.user,
      origin: d.origin,
      ...(d.address ? { address: d.address } : {}),
    }));
    const lines = [
      `Buckets (${buckets.length}):`,
      ...buckets.map((b) => `  ${b.bucket}${b.prefix ? `/${b.prefix}` : ''}\t${b.origin}${b.protected ? '\tREFUSED: holds Terraform state' : ''}`),
      `Databases (${databases.length}):`,
      ...databases.map((d) => `  ${d.id}\t${d.engine}\t${d.user}@${d.host}:${d.port ?? ''}/${d.database}\t${d.origin}`),
      ...(scope.skipped.length ? ['Terraform resources not readable:', ...scope.skipped.map((s) => `  ${s.address}: ${s.reason}`)] : []),
      `query_db limits: ${plane.limits.maxRows} rows, ${plane.limits.maxBytes} bytes, ${plane.limits.statementTimeoutMs} ms per statement`,
    ];
    return { structured: { buckets, databases, skipped: [...scope.skipped], limits: { ...plane.limits } }, text: lines.join('\n') };
  },
});

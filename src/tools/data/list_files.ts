import { z } from 'zod';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { queryKey } from '../../server/pagination.js';
import { dataPlaneOf } from '../../dataplane/data-plane.js';
import { listObjects } from '../../dataplane/objects.js';

export const listFiles = defineTool({
  name: 'list_files',
  toolset: 'data',
  readsData: true,
  title: 'List objects in an allowed S3 bucket',
  description:
    'List the objects (key, size, last modified) of one bucket from the data-plane allowlist (see list_data_sources), one folder level at a time unless recursive. ' +
    'Read-only. The bucket holding Terraform state is always refused. Page with nextCursor.',
  inputSchema: z.strictObject({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name').describe('Bucket name from list_data_sources'),
    prefix: z.string().max(1024).optional().describe('Only keys starting with this, e.g. "logs/2024/"'),
    recursive: z.boolean().default(false).describe('List every key under the prefix instead of one folder level'),
    limit: z.number().int().min(1).max(1000).default(200).describe('Page size'),
    cursor: z.string().optional().describe('nextCursor from a previous call with the same arguments'),
  }),
  outputSchema: z.object({
    bucket: z.string(),
    prefix: z.string(),
    objects: z.array(z.object({ key: z.string(), size: z.number(), lastModified: z.string().optional(), storageClass: z.string().optional() })),
    folders: z.array(z.string()),
    nextCursor: z.string().optional(),
  }),
  annotations: READ_ONLY_LIVE,
  awsOperations: [{ service: 's3', operation: 'ListObjectsV2' }],
  async handler(args, ctx) {
    const { scope } = dataPlaneOf(ctx.session);
    const listing = await listObjects(ctx.session, scope, args, queryKey('list_files', args));
    const lines = [
      ...listing.folders.map((f) => `${f}\t(folder)`),
      ...listing.objects.map((o) => `${o.key}\t${o.size}\t${o.lastModified ?? ''}`),
    ];
    const where = `s3://${listing.bucket}/${listing.prefix}`;
    const more = listing.nextCursor ? '\n(more: call again with cursor)' : '';
    return {
      structured: listing,
      text: `${where}: ${listing.folders.length} folder(s), ${listing.objects.length} object(s)${lines.length ? `:\n${lines.join('\n')}` : ''}${more}`,
    };
  },
});

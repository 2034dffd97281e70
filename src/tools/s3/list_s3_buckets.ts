import { z } from 'zod';
import { paginateListBuckets } from '@aws-sdk/client-s3';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { paginate, queryKey } from '../../server/pagination.js';
import { awsErrorToInfraAuditError } from '../../aws/errors.js';

const Bucket = z.object({ name: z.string(), created: z.string().optional(), region: z.string().optional() });

export const listS3Buckets = defineTool({
  name: 'list_s3_buckets',
  toolset: 's3',
  title: 'List S3 buckets',
  description:
    'List every S3 bucket visible to the audit role, with creation date and region. Read-only. ' +
    'To find which buckets are public and why, prefer find_public_buckets (one call for the whole account).',
  inputSchema: z.strictObject({
    prefix: z.string().max(63).optional().describe('Only buckets whose name starts with this'),
    limit: z.number().int().min(1).max(1000).default(200).describe('Page size'),
    cursor: z.string().optional().describe('nextCursor from a previous call with the same arguments'),
  }),
  outputSchema: z.object({ buckets: z.array(Bucket), total: z.number().int(), nextCursor: z.string().optional() }),
  annotations: READ_ONLY_LIVE,
  awsOperations: [{ service: 's3', operation: 'ListBuckets' }],
  async handler(args, ctx) {
    const s3 = ctx.session.client('s3');
    const buckets: Array<z.infer<typeof Bucket>> = [];
    try {
      for await (const page of paginateListBuckets({ client: s3, pageSize: 1000 }, { Prefix: args.prefix })) {
        for (const b of page.Buckets ?? []) {
          buckets.push({ name: b.Name ?? '', created: b.CreationDate?.toISOString(), region: b.BucketRegion });
        }
      }
    } catch (err) {
      throw awsErrorToInfraAuditError(err, 's3:ListBuckets');
    }
    const page = paginate(buckets, queryKey('list_s3_buckets', args), args.cursor, args.limit);
    const lines = page.items.map((b) => `${b.name}\t${b.region ?? ''}\t${b.created ?? ''}`);
    const more = page.nextCursor ? `\n(${page.total - page.items.length} more: call again with cursor)` : '';
    return {
      structured: { buckets: page.items, total: page.total, nextCursor: page.nextCursor },
      text: `${page.total} bucket(s)${page.items.length < page.total ? `, showing ${page.items.length}` : ''}:\n${lines.join('\n')}${more}`,
    };
  },
});

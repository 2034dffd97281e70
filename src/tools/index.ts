/**
 * Every MCP tool of the product, in one explicit flat list. A tool that is not here does
 * not exist; a change here changes the agent's authority and shows in the tool snapshots.
 */
import type { ToolDefinition } from '../server/tool.js';
import { whoami } from './account/whoami.js';
import { listS3Buckets } from './s3/list_s3_buckets.js';
import { getBucketPolicy } from './s3/get_bucket_policy.js';

export const ALL_TOOLS: ReadonlyArray<ToolDefinition> = [whoami, listS3Buckets, getBucketPolicy] as unknown as ToolDefinition[];

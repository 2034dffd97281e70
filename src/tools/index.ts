/**
 * Every MCP tool of the product, in one explicit flat list. A tool that is not here does
 * not exist; a change here changes the agent's authority and shows in the tool snapshots.
 */
import type { ToolDefinition } from '../server/tool.js';
import { whoami } from './account/whoami.js';
import { listS3Buckets } from './s3/list_s3_buckets.js';
import { getBucketPolicy } from './s3/get_bucket_policy.js';
import { findPublicBuckets } from './s3/find_public_buckets.js';
import { getResource } from './account/get_resource.js';
import { runChecks } from './checks/run_checks.js';
import { listFindings } from './checks/list_findings.js';
import { listChecks } from './checks/list_checks.js';
import { listIamRoles } from './iam/list_iam_roles.js';
import { listIamUsers } from './iam/list_iam_users.js';
import { listSecurityGroups } from './ec2/list_security_groups.js';
import { listDbInstances } from './rds/list_db_instances.js';
import { listDataSources } from './data/list_data_sources.js';
import { listFiles } from './data/list_files.js';
import { readFile } from './data/read_file.js';
import { queryDb } from './data/query_db.js';
import { listTables } from './data/list_tables.js';
import { describeTable } from './data/describe_table.js';
import { suggestRemediation } from './remediation/suggest_remediation.js';
import { listStateResources } from './terraform/list_state_resources.js';
import { getStateResource } from './terraform/get_state_resource.js';
import { getDrift } from './terraform/get_drift.js';
import { listUnmanagedResources } from './terraform/list_unmanaged_resources.js';

export const ALL_TOOLS: ReadonlyArray<ToolDefinition> = [
  whoami,
  listS3Buckets,
  getBucketPolicy,
  findPublicBuckets,
  getResource,
  runChecks,
  listFindings,
  listChecks,
  listIamRoles,
  listIamUsers,
  listSecurityGroups,
  listDbInstances,
  listDataSources,
  listFiles,
  readFile,
  queryDb,
  listTables,
  describeTable,
  suggestRemediation,
  listStateResources,
  getStateResource,
  getDrift,
  listUnmanagedResources,
] as unknown as ToolDefinition[];

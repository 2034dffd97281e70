/**
 * The demo account's promise: every planted problem (examples/demo/expected-findings.json) is
 * found as `fail`, and nothing else fails. Entries marked "implied" follow from an admin policy;
 * our escalation and service-wildcard checks stay silent on administrators (iam_policy_admin_star
 * reports them), which PLANTED.md allows.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support/sandbox.js';
import { auditSandbox } from '../test-support/audit.js';
import { CHECKS } from '../checks/registry.js';

const DEMO = fileURLToPath(new URL('../../examples/demo/', import.meta.url));
const expected = JSON.parse(readFileSync(`${DEMO}expected-findings.json`, 'utf8')) as Array<{ checkId: string; resourceId: string; implied?: boolean }>;
const key = (f: { checkId: string; resourceId: string }) => `${f.checkId} ${f.resourceId}`;

describe('the demo account', () => {
  const env = useSandbox(JSON.parse(readFileSync(`${DEMO}account.json`, 'utf8')));
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint);
  });

  it('audits both regions of account 210987654321 with every check, and every read succeeds', () => {
    expect(audit.accounts).toEqual([expect.objectContaining({ accountId: '210987654321', regions: ['eu-west-1', 'us-east-1'] })]);
    expect(audit.stats.checksRun).toBe(CHECKS.length);
    expect(audit.errors).toEqual([]);
    expect(audit.findings.filter((f) => f.status === 'error')).toEqual([]);
  });

  it('finds every planted problem as fail', () => {
    const failed = new Set(audit.findings.filter((f) => f.status === 'fail').map(key));
    const missing = expected.filter((e) => !e.implied && !failed.has(key(e))).map(key);
    expect(missing).toEqual([]);
  });

  it('fails nothing that is not planted', () => {
    const planted = new Set(expected.map(key));
    const extra = audit.findings.filter((f) => f.status === 'fail' && !planted.has(key(f))).map((f) => `${key(f)}: ${f.message}`);
    expect(extra).toEqual([]);
  });

  it('passes the near misses PLANTED.md names', () => {
    expect(audit.verdict('s3_bucket_public_read', 'acme-build-artifacts').status).toBe('pass');
    expect(audit.verdict('s3_bucket_public_read', 'acme-partner-static').status).toBe('pass');
    expect(audit.verdict('ec2_sg_open_ssh', 'sg-0e4a6c8b2d0f31975').status).toBe('fail');
    expect(audit.verdict('rds_instance_public_access', 'acme-app-prod').status).toBe('pass');
    expect(audit.verdict('rds_instance_idle', 'acme-app-prod').status).toBe('pass');
    expect(audit.verdict('iam_role_trust_open', 'ci-deploy').status).toBe('pass');
    expect(audit.verdict('iam_access_key_rotation', 'svc-metrics').status).toBe('pass');
    expect(audit.verdict('sqs_queue_public', 'acme-order-events').status).toBe('pass');
    expect(audit.verdict('sqs_queue_public', 'acme-order-events-dlq').status).toBe('pass');
    expect(audit.verdict('ecr_repository_public', 'acme/api').status).toBe('pass');
    expect(audit.verdict('ecr_repository_public', 'acme/api').evidence).toMatchObject({ narrowed: [expect.objectContaining({ sid: 'PullFromAcmeOrg' })] });
    expect(audit.verdict('ecr_repository_tag_immutability', 'acme/api').status).toBe('pass');
    expect(audit.verdict('ecr_repository_scan_on_push', 'acme/web-frontend').status).toBe('pass');
    expect(audit.verdict('secretsmanager_secret_public', 'acme/prod/db-app').status).toBe('pass');
    expect(audit.verdict('secretsmanager_secret_public', 'acme/prod/db-app').evidence).toMatchObject({ narrowed: [expect.objectContaining({ sid: 'ReadFromAcmeOrg' })] });
    expect(audit.verdict('secretsmanager_rotation_enabled', 'acme/prod/partner-api-key').status).toBe('pass');
    expect(audit.verdict('lambda_function_public', 'acme-thumbnailer').status).toBe('pass');
    expect(audit.verdict('lambda_function_url_public', 'acme-internal-admin-api').status).toBe('pass');
    expect(audit.verdict('cloudtrail_multi_region_enabled', '210987654321').status).toBe('pass');
    expect(audit.verdict('cloudtrail_s3_data_events_write', '210987654321').status).toBe('pass');
    expect(audit.verdict('cloudtrail_bucket_access_logging', 'acme-eu-data-access').status).toBe('pass');
    expect(audit.verdict('cloudtrail_log_file_validation', 'acme-management').status).toBe('pass');
    expect(audit.verdict('cloudtrail_kms_encryption', 'acme-management').status).toBe('pass');
    expect(audit.verdict('rds_instance_auto_minor_version_upgrade', 'acme-app-prod').status).toBe('pass');
    expect(audit.verdict('ec2_nacl_open_admin_ports', 'acl-0b2d4f6a8c0e13579').status).toBe('pass');
    expect(audit.verdict('vpc_flow_logs_enabled', 'acme-prod').status).toBe('pass');
    expect(audit.verdict('ec2_ebs_volume_encrypted', 'vol-0a1b2c3d4e5f60718').status).toBe('pass');
    expect(audit.verdict('ec2_ebs_snapshot_public', 'snap-0b8e4d0f2c6a35791').status).toBe('pass');
    expect(audit.verdict('ec2_ami_public', 'ami-0d0a6f2b4e8c57913').status).toBe('pass');
    expect(audit.verdict('efs_encrypted', 'acme-shared-home').status).toBe('pass');
    expect(audit.verdict('rds_instance_multi_az', 'acme-app-prod').status).toBe('pass');
    expect(audit.verdict('rds_cluster_storage_encrypted', 'acme-analytics').status).toBe('pass');
    expect(audit.verdict('rds_cluster_snapshot_public', 'acme-analytics-pre-migration').status).toBe('pass');
    expect(audit.verdict('config_recorder_enabled', 'arn:aws:config:us-east-1:210987654321:configuration-recorder/default').status).toBe('pass');
    expect(audit.verdict('kms_key_policy_public', 'acme-cloudtrail').status).toBe('pass');
    expect(audit.verdict('kms_key_policy_public', 'acme-rds').status).toBe('pass');
    expect(audit.verdict('kms_key_rotation_enabled', 'acme-app-data').status).toBe('pass');
    expect(audit.verdict('sns_topic_public', 'acme-security-alerts').status).toBe('pass');
    expect(audit.verdict('sns_topic_public', 'acme-orders').status).toBe('pass');
    // The CIS 4.x chains that are whole: 12 of 15 controls pass on the account.
    expect(audit.findings.filter((f) => f.checkId.startsWith('cloudwatch_alarm_') && f.status === 'pass')).toHaveLength(12);
    // Asymmetric and AWS managed keys are not the rotation check's concern: no verdict at all.
    expect(audit.findings.filter((f) => f.checkId === 'kms_key_rotation_enabled' && /acme-release-signing|aws\/s3/.test(f.resourceName ?? ''))).toEqual([]);
  });

  it('explains the RDS exposure part by part', () => {
    const f = audit.verdict('rds_instance_public_access', 'acme-reporting');
    expect(f.evidence).toMatchObject({ publiclyAccessible: true, reachableFromInternet: true, securityGroupOpen: { holds: true }, subnetRoutedToInternet: { holds: true } });
  });
});

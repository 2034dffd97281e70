import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { SEVERITIES } from '../findings/model.js';
import { CHECKS } from './registry.js';
import { isCollectedRead } from '../inventory/reads.js';

const CHECKS_DIR = fileURLToPath(new URL('.', import.meta.url));

/** The catalog the demo's expected-findings.json and users' suppressions refer to: ids never change. */
const CATALOG = [
  's3_bucket_public_read', 's3_bucket_public_write', 's3_bucket_public_access_block', 's3_account_public_access_block',
  's3_bucket_secure_transport', 's3_bucket_default_encryption', 's3_bucket_versioning', 's3_bucket_access_logging', 's3_bucket_acls_disabled',
  'iam_policy_admin_star', 'iam_inline_policy_admin_star', 'iam_policy_sensitive_wildcard', 'iam_policy_privilege_escalation', 'iam_role_trust_open',
  'iam_root_access_keys', 'iam_root_mfa', 'iam_user_console_mfa', 'iam_credentials_unused', 'iam_access_key_rotation', 'iam_user_attached_policies',
  'iam_password_policy', 'iam_role_unused', 'iam_root_hardware_mfa', 'iam_root_usage', 'iam_user_single_active_key', 'iam_support_role', 'iam_server_certificate_expired', 'account_security_contact', 'accessanalyzer_enabled', 'securityhub_enabled', 'guardduty_enabled', 'ec2_sg_open_ssh', 'ec2_sg_open_rdp', 'ec2_sg_open_db_ports', 'ec2_sg_open_all_ports',
  'ec2_default_sg_rules', 'ec2_instance_imdsv2', 'ec2_launch_template_imdsv2', 'ec2_nacl_open_admin_ports', 'vpc_flow_logs_enabled', 'ec2_ebs_default_encryption', 'ec2_ebs_volume_encrypted', 'ec2_ebs_snapshot_public', 'ec2_ami_public', 'efs_encrypted', 'rds_instance_public_access', 'rds_instance_storage_encrypted', 'rds_snapshot_public',
  'rds_instance_backups', 'rds_instance_deletion_protection', 'rds_instance_idle',
  'rds_instance_auto_minor_version_upgrade', 'rds_instance_multi_az', 'rds_cluster_storage_encrypted', 'rds_cluster_snapshot_public',
  'sqs_queue_public', 'lambda_function_public', 'lambda_function_url_public',
  'ecr_repository_public', 'ecr_repository_scan_on_push', 'ecr_repository_tag_immutability', 'secretsmanager_secret_public', 'secretsmanager_rotation_enabled',
  'cloudtrail_multi_region_enabled', 'cloudtrail_log_file_validation', 'config_recorder_enabled', 'cloudtrail_bucket_access_logging', 'cloudtrail_kms_encryption', 'cloudtrail_s3_data_events_write', 'cloudtrail_s3_data_events_read',
  'kms_key_rotation_enabled', 'kms_key_policy_public',
  'cloudwatch_alarm_unauthorized_api_calls', 'cloudwatch_alarm_console_signin_without_mfa', 'cloudwatch_alarm_root_account_usage', 'cloudwatch_alarm_iam_policy_changes', 'cloudwatch_alarm_cloudtrail_config_changes', 'cloudwatch_alarm_console_auth_failures', 'cloudwatch_alarm_cmk_disable_or_deletion', 'cloudwatch_alarm_s3_bucket_policy_changes', 'cloudwatch_alarm_config_changes', 'cloudwatch_alarm_security_group_changes', 'cloudwatch_alarm_nacl_changes', 'cloudwatch_alarm_network_gateway_changes', 'cloudwatch_alarm_route_table_changes', 'cloudwatch_alarm_vpc_changes', 'cloudwatch_alarm_organizations_changes',
  'sns_topic_public',
];

describe('check registry', () => {
  it('holds exactly the catalog, each id once', () => {
    const ids = CHECKS.map((c) => c.metadata.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...CATALOG].sort());
  });

  it('registers every check file, and each file exports the check named by its id', () => {
    const services = readdirSync(CHECKS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    const files = services.flatMap((service) =>
      readdirSync(join(CHECKS_DIR, service))
        .filter((f) => /^[a-z0-9]+_[a-z0-9_]+\.ts$/.test(f) && !f.endsWith('.test.ts'))
        .map((f) => ({ service, id: f.replace(/\.ts$/, ''), text: readFileSync(join(CHECKS_DIR, service, f), 'utf8') })),
    );
    expect(files.map((f) => f.id).sort()).toEqual(CHECKS.map((c) => c.metadata.id).sort());
    for (const file of files) {
      const check = CHECKS.find((c) => c.metadata.id === file.id)!;
      expect(check.metadata.service, file.id).toBe(file.service);
      expect(file.text, file.id).toContain(`export const ${file.id}: Check`);
      expect(file.text, file.id).toContain(`id: '${file.id}'`);
    }
  });

  it('gives every check complete metadata', () => {
    for (const { metadata: m, reads } of CHECKS) {
      expect(m.title.length, m.id).toBeGreaterThan(10);
      expect(SEVERITIES, m.id).toContain(m.severity);
      expect(m.resourceType, m.id).toMatch(/^AWS::[A-Za-z0-9]*::[A-Za-z]+$/);
      expect(m.risk.length, m.id).toBeGreaterThan(40);
      expect(m.remediation.length, m.id).toBeGreaterThan(20);
      expect(m.remediationTerraform, m.id).toMatch(/resource "aws_|aws_[a-z_]+\.|terraform apply/);
      expect(m.terraformTypes.length, m.id).toBeGreaterThan(0);
      for (const t of m.terraformTypes) expect(t, m.id).toMatch(/^aws_[a-z0-9_]+$/);
      for (const c of m.cis ?? []) expect(c, m.id).toMatch(/^\d+\.\d+(\.\d+)?$/);
      expect(reads.length, m.id).toBeGreaterThan(0);
      for (const r of reads) expect(isCollectedRead(r), `${m.id} ${r}`).toBe(true);
      expect(m.references?.every((r) => r.startsWith('https://')), m.id).toBe(true);
    }
  });

  it('gives every check a failure title that reads as a failure, not as its pass title', () => {
    const failTitles = new Set<string>();
    for (const { metadata: m } of CHECKS) {
      expect(typeof m.failTitle, m.id).toBe('string');
      expect(m.failTitle.length, m.id).toBeGreaterThan(10);
      expect(m.failTitle, m.id).not.toBe(m.title);
      // A headline, not a sentence: one line, no final full stop.
      expect(m.failTitle, m.id).toMatch(/^[A-Z][^\n]*[^.\s]$/);
      // "No X does Y" is how a pass reads; a failure names the one resource that does.
      expect(m.failTitle, m.id).not.toMatch(/^No /);
      failTitles.add(m.failTitle);
    }
    expect(failTitles.size).toBe(CHECKS.length);
  });

  it('maps the CIS v3.0 controls the field agrees on', () => {
    const cis = Object.fromEntries(CHECKS.map((c) => [c.metadata.id, c.metadata.cis ?? []]));
    expect(cis.iam_root_access_keys).toEqual(['1.4']);
    expect(cis.iam_root_mfa).toEqual(['1.5']);
    expect(cis.iam_root_hardware_mfa).toEqual(['1.6']);
    expect(cis.account_security_contact).toEqual(['1.2']);
    expect(cis.accessanalyzer_enabled).toEqual(['1.20']);
    expect(cis.securityhub_enabled).toEqual(['4.16']);
    expect(cis.guardduty_enabled).toEqual([]);
    expect(cis.iam_root_usage).toEqual(['1.7']);
    expect(cis.iam_user_single_active_key).toEqual(['1.13']);
    expect(cis.iam_support_role).toEqual(['1.17']);
    expect(cis.iam_server_certificate_expired).toEqual(['1.19']);
    expect(cis.iam_password_policy).toEqual(['1.8', '1.9']);
    expect(cis.iam_user_console_mfa).toEqual(['1.10']);
    expect(cis.iam_credentials_unused).toEqual(['1.12']);
    expect(cis.iam_access_key_rotation).toEqual(['1.14']);
    expect(cis.iam_user_attached_policies).toEqual(['1.15']);
    expect(cis.iam_policy_admin_star).toEqual(['1.16']);
    expect(cis.s3_bucket_secure_transport).toEqual(['2.1.1']);
    expect(cis.s3_bucket_public_access_block).toEqual(['2.1.4']);
    expect(cis.rds_instance_storage_encrypted).toEqual(['2.3.1']);
    expect(cis.rds_instance_public_access).toEqual(['2.3.3']);
    expect(cis.ec2_sg_open_ssh).toEqual(['5.2', '5.3']);
    expect(cis.ec2_default_sg_rules).toEqual(['5.4']);
    expect(cis.ec2_instance_imdsv2).toEqual(['5.6']);
    expect(cis.kms_key_rotation_enabled).toEqual(['3.6']);
    expect(cis.cloudwatch_alarm_unauthorized_api_calls).toEqual(['4.1']);
    expect(cis.cloudwatch_alarm_organizations_changes).toEqual(['4.15']);
  });
});

/**
 * Every check, listed explicitly: adding a check is adding a line here (and a file named
 * after its id). The order is the catalog's order: by service, then by concern.
 */
import type { Check } from './types.js';
import { accessanalyzer_enabled } from './accessanalyzer/accessanalyzer_enabled.js';
import { account_security_contact } from './account/account_security_contact.js';
import { securityhub_enabled } from './securityhub/securityhub_enabled.js';
import { guardduty_enabled } from './guardduty/guardduty_enabled.js';
import { s3_bucket_public_read } from './s3/s3_bucket_public_read.js';
import { s3_bucket_public_write } from './s3/s3_bucket_public_write.js';
import { s3_bucket_public_access_block } from './s3/s3_bucket_public_access_block.js';
import { s3_account_public_access_block } from './s3/s3_account_public_access_block.js';
import { s3_bucket_secure_transport } from './s3/s3_bucket_secure_transport.js';
import { s3_bucket_default_encryption } from './s3/s3_bucket_default_encryption.js';
import { s3_bucket_versioning } from './s3/s3_bucket_versioning.js';
import { s3_bucket_access_logging } from './s3/s3_bucket_access_logging.js';
import { s3_bucket_acls_disabled } from './s3/s3_bucket_acls_disabled.js';
import { iam_policy_admin_star } from './iam/iam_policy_admin_star.js';
import { iam_inline_policy_admin_star } from './iam/iam_inline_policy_admin_star.js';
import { iam_policy_sensitive_wildcard } from './iam/iam_policy_sensitive_wildcard.js';
import { iam_policy_privilege_escalation } from './iam/iam_policy_privilege_escalation.js';
import { iam_role_trust_open } from './iam/iam_role_trust_open.js';
import { iam_root_access_keys } from './iam/iam_root_access_keys.js';
import { iam_root_mfa } from './iam/iam_root_mfa.js';
import { iam_user_console_mfa } from './iam/iam_user_console_mfa.js';
import { iam_credentials_unused } from './iam/iam_credentials_unused.js';
import { iam_access_key_rotation } from './iam/iam_access_key_rotation.js';
import { iam_user_attached_policies } from './iam/iam_user_attached_policies.js';
import { iam_password_policy } from './iam/iam_password_policy.js';
import { iam_role_unused } from './iam/iam_role_unused.js';
import { iam_root_hardware_mfa } from './iam/iam_root_hardware_mfa.js';
import { iam_root_usage } from './iam/iam_root_usage.js';
import { iam_user_single_active_key } from './iam/iam_user_single_active_key.js';
import { iam_support_role } from './iam/iam_support_role.js';
import { iam_server_certificate_expired } from './iam/iam_server_certificate_expired.js';
import { ec2_sg_open_ssh } from './ec2/ec2_sg_open_ssh.js';
import { ec2_sg_open_rdp } from './ec2/ec2_sg_open_rdp.js';
import { ec2_sg_open_db_ports } from './ec2/ec2_sg_open_db_ports.js';
import { ec2_sg_open_all_ports } from './ec2/ec2_sg_open_all_ports.js';
import { ec2_default_sg_rules } from './ec2/ec2_default_sg_rules.js';
import { ec2_instance_imdsv2 } from './ec2/ec2_instance_imdsv2.js';
import { ec2_launch_template_imdsv2 } from './ec2/ec2_launch_template_imdsv2.js';
import { ec2_nacl_open_admin_ports } from './ec2/ec2_nacl_open_admin_ports.js';
import { vpc_flow_logs_enabled } from './ec2/vpc_flow_logs_enabled.js';
import { ec2_ebs_default_encryption } from './ec2/ec2_ebs_default_encryption.js';
import { ec2_ebs_volume_encrypted } from './ec2/ec2_ebs_volume_encrypted.js';
import { ec2_ebs_snapshot_public } from './ec2/ec2_ebs_snapshot_public.js';
import { ec2_ami_public } from './ec2/ec2_ami_public.js';
import { efs_encrypted } from './efs/efs_encrypted.js';
import { rds_instance_public_access } from './rds/rds_instance_public_access.js';
import { rds_instance_storage_encrypted } from './rds/rds_instance_storage_encrypted.js';
import { rds_snapshot_public } from './rds/rds_snapshot_public.js';
import { rds_instance_backups } from './rds/rds_instance_backups.js';
import { rds_instance_deletion_protection } from './rds/rds_instance_deletion_protection.js';
import { rds_instance_idle } from './rds/rds_instance_idle.js';
import { rds_instance_auto_minor_version_upgrade } from './rds/rds_instance_auto_minor_version_upgrade.js';
import { rds_instance_multi_az } from './rds/rds_instance_multi_az.js';
import { rds_cluster_storage_encrypted } from './rds/rds_cluster_storage_encrypted.js';
import { rds_cluster_snapshot_public } from './rds/rds_cluster_snapshot_public.js';
import { sqs_queue_public } from './sqs/sqs_queue_public.js';
import { lambda_function_public } from './lambda/lambda_function_public.js';
import { lambda_function_url_public } from './lambda/lambda_function_url_public.js';
import { ecr_repository_public } from './ecr/ecr_repository_public.js';
import { ecr_repository_scan_on_push } from './ecr/ecr_repository_scan_on_push.js';
import { ecr_repository_tag_immutability } from './ecr/ecr_repository_tag_immutability.js';
import { secretsmanager_secret_public } from './secretsmanager/secretsmanager_secret_public.js';
import { secretsmanager_rotation_enabled } from './secretsmanager/secretsmanager_rotation_enabled.js';
import { cloudtrail_multi_region_enabled } from './cloudtrail/cloudtrail_multi_region_enabled.js';
import { cloudtrail_log_file_validation } from './cloudtrail/cloudtrail_log_file_validation.js';
import { config_recorder_enabled } from './config/config_recorder_enabled.js';
import { cloudtrail_bucket_access_logging } from './cloudtrail/cloudtrail_bucket_access_logging.js';
import { cloudtrail_kms_encryption } from './cloudtrail/cloudtrail_kms_encryption.js';
import { cloudtrail_s3_data_events_write } from './cloudtrail/cloudtrail_s3_data_events_write.js';
import { cloudtrail_s3_data_events_read } from './cloudtrail/cloudtrail_s3_data_events_read.js';
import { kms_key_rotation_enabled } from './kms/kms_key_rotation_enabled.js';
import { kms_key_policy_public } from './kms/kms_key_policy_public.js';
import { cloudwatch_alarm_unauthorized_api_calls } from './cloudwatch/cloudwatch_alarm_unauthorized_api_calls.js';
import { cloudwatch_alarm_console_signin_without_mfa } from './cloudwatch/cloudwatch_alarm_console_signin_without_mfa.js';
import { cloudwatch_alarm_root_account_usage } from './cloudwatch/cloudwatch_alarm_root_account_usage.js';
import { cloudwatch_alarm_iam_policy_changes } from './cloudwatch/cloudwatch_alarm_iam_policy_changes.js';
import { cloudwatch_alarm_cloudtrail_config_changes } from './cloudwatch/cloudwatch_alarm_cloudtrail_config_changes.js';
import { cloudwatch_alarm_console_auth_failures } from './cloudwatch/cloudwatch_alarm_console_auth_failures.js';
import { cloudwatch_alarm_cmk_disable_or_deletion } from './cloudwatch/cloudwatch_alarm_cmk_disable_or_deletion.js';
import { cloudwatch_alarm_s3_bucket_policy_changes } from './cloudwatch/cloudwatch_alarm_s3_bucket_policy_changes.js';
import { cloudwatch_alarm_config_changes } from './cloudwatch/cloudwatch_alarm_config_changes.js';
import { cloudwatch_alarm_security_group_changes } from './cloudwatch/cloudwatch_alarm_security_group_changes.js';
import { cloudwatch_alarm_nacl_changes } from './cloudwatch/cloudwatch_alarm_nacl_changes.js';
import { cloudwatch_alarm_network_gateway_changes } from './cloudwatch/cloudwatch_alarm_network_gateway_changes.js';
import { cloudwatch_alarm_route_table_changes } from './cloudwatch/cloudwatch_alarm_route_table_changes.js';
import { cloudwatch_alarm_vpc_changes } from './cloudwatch/cloudwatch_alarm_vpc_changes.js';
import { cloudwatch_alarm_organizations_changes } from './cloudwatch/cloudwatch_alarm_organizations_changes.js';
import { sns_topic_public } from './sns/sns_topic_public.js';

export const CHECKS: readonly Check[] = [
  s3_bucket_public_read,
  s3_bucket_public_write,
  s3_bucket_public_access_block,
  s3_account_public_access_block,
  s3_bucket_secure_transport,
  s3_bucket_default_encryption,
  s3_bucket_versioning,
  s3_bucket_access_logging,
  s3_bucket_acls_disabled,
  iam_policy_admin_star,
  iam_inline_policy_admin_star,
  iam_policy_sensitive_wildcard,
  iam_policy_privilege_escalation,
  iam_role_trust_open,
  iam_root_access_keys,
  iam_root_mfa,
  iam_user_console_mfa,
  iam_credentials_unused,
  iam_access_key_rotation,
  iam_user_attached_policies,
  iam_password_policy,
  iam_role_unused,
  iam_root_hardware_mfa,
  iam_root_usage,
  iam_user_single_active_key,
  iam_support_role,
  iam_server_certificate_expired,
  account_security_contact,
  accessanalyzer_enabled,
  ec2_sg_open_ssh,
  ec2_sg_open_rdp,
  ec2_sg_open_db_ports,
  ec2_sg_open_all_ports,
  ec2_default_sg_rules,
  ec2_instance_imdsv2,
  ec2_launch_template_imdsv2,
  ec2_nacl_open_admin_ports,
  vpc_flow_logs_enabled,
  ec2_ebs_default_encryption,
  ec2_ebs_volume_encrypted,
  ec2_ebs_snapshot_public,
  ec2_ami_public,
  efs_encrypted,
  rds_instance_public_access,
  rds_instance_storage_encrypted,
  rds_snapshot_public,
  rds_instance_backups,
  rds_instance_deletion_protection,
  rds_instance_idle,
  rds_instance_auto_minor_version_upgrade,
  rds_instance_multi_az,
  rds_cluster_storage_encrypted,
  rds_cluster_snapshot_public,
  sqs_queue_public,
  lambda_function_public,
  lambda_function_url_public,
  ecr_repository_public,
  ecr_repository_scan_on_push,
  ecr_repository_tag_immutability,
  secretsmanager_secret_public,
  secretsmanager_rotation_enabled,
  cloudtrail_multi_region_enabled,
  cloudtrail_log_file_validation,
  config_recorder_enabled,
  cloudtrail_bucket_access_logging,
  cloudtrail_kms_encryption,
  cloudtrail_s3_data_events_write,
  cloudtrail_s3_data_events_read,
  kms_key_rotation_enabled,
  kms_key_policy_public,
  securityhub_enabled,
  guardduty_enabled,
  cloudwatch_alarm_unauthorized_api_calls,
  cloudwatch_alarm_console_signin_without_mfa,
  cloudwatch_alarm_root_account_usage,
  cloudwatch_alarm_iam_policy_changes,
  cloudwatch_alarm_cloudtrail_config_changes,
  cloudwatch_alarm_console_auth_failures,
  cloudwatch_alarm_cmk_disable_or_deletion,
  cloudwatch_alarm_s3_bucket_policy_changes,
  cloudwatch_alarm_config_changes,
  cloudwatch_alarm_security_group_changes,
  cloudwatch_alarm_nacl_changes,
  cloudwatch_alarm_network_gateway_changes,
  cloudwatch_alarm_route_table_changes,
  cloudwatch_alarm_vpc_changes,
  cloudwatch_alarm_organizations_changes,
  sns_topic_public,
];

import type { CheckMetadata } from '../../findings/model.js';
import { finding, firstError, notCollected, readError } from '../finding.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'config_recorder_enabled',
  title: 'AWS Config records all resource types in the region and delivers them',
  failTitle: 'AWS Config is not recording all resources in the region',
  severity: 'medium',
  service: 'config',
  resourceType: 'AWS::Config::ConfigurationRecorder',
  risk: 'Without AWS Config recording, there is no history of what each resource looked like and when it changed: after an incident nobody can say which security group was open when, and compliance rules have nothing to evaluate.',
  remediation: 'In every region: create a configuration recorder recording all supported resource types, a delivery channel to an S3 bucket, and start the recorder.',
  remediationTerraform: `resource "aws_config_configuration_recorder" "this" {
  name     = "default"
  role_arn = aws_iam_role.<config_role>.arn
  recording_group {
    all_supported                 = true
    include_global_resource_types = true # in one region only
  }
}

resource "aws_config_delivery_channel" "this" {
  name           = "default"
  s3_bucket_name = aws_s3_bucket.<config_bucket>.id
  depends_on     = [aws_config_configuration_recorder.this]
}

resource "aws_config_configuration_recorder_status" "this" {
  name       = aws_config_configuration_recorder.this.name
  is_enabled = true
  depends_on = [aws_config_delivery_channel.this]
}`,
  cis: ['3.3'],
  terraformTypes: ['aws_config_configuration_recorder', 'aws_config_delivery_channel', 'aws_config_configuration_recorder_status'],
  references: ['https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html'],
};

export const config_recorder_enabled: Check = {
  metadata,
  reads: ['config:DescribeConfigurationRecorders', 'config:DescribeConfigurationRecorderStatus', 'config:DescribeDeliveryChannels'],
  run(snapshot) {
    if (!snapshot.config) return [notCollected(metadata, snapshot, 'config')];
    return Object.entries(snapshot.config).map(([region, config]) => {
      // One verdict per region, named after the region's recorder (the account has one per region).
      const recorder = config.recorders.value?.[0];
      const base = `arn:${snapshot.partition}:config:${region}:${snapshot.accountId}:configuration-recorder`;
      const subject = { region, resourceId: recorder?.name ? `${base}/${recorder.name}` : base, resourceName: `AWS Config in ${region}` };
      const error = firstError(config.recorders, config.recorderStatus, config.deliveryChannels);
      if (error) return readError(metadata, snapshot, subject, `the AWS Config recorder in ${region}`, error);
      const status = recorder && config.recorderStatus.value!.find((s) => s.name === recorder.name);
      const channel = config.deliveryChannels.value![0];
      const group = recorder?.recordingGroup;
      const allSupported = group?.allSupported === true || group?.recordingStrategy?.useOnly === 'ALL_SUPPORTED_RESOURCE_TYPES';
      const evidence = {
        recorder: recorder?.name ?? null,
        allSupported,
        recording: status?.recording ?? false,
        lastStatus: status?.lastStatus ?? null,
        deliveryChannel: channel?.name ?? null,
      };
      const problems = [
        !recorder && 'no configuration recorder',
        recorder && !allSupported && 'the recorder records only some resource types',
        recorder && !status?.recording && 'the recorder is stopped',
        status?.recording && status.lastStatus === 'Failure' && `the last recording failed (${status.lastErrorCode ?? 'no error code'})`,
        !channel && 'no delivery channel',
      ].filter((p): p is string => typeof p === 'string');
      if (problems.length) return finding(metadata, snapshot, subject, 'fail', `AWS Config in ${region}: ${problems.join('; ')}.`, evidence);
      return finding(metadata, snapshot, subject, 'pass', `AWS Config in ${region} records all supported resource types and delivers to ${channel!.name}.`, evidence);
    });
  },
};

import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'ec2_instance_imdsv2',
  title: 'EC2 instances require IMDSv2',
  failTitle: 'EC2 instance allows IMDSv1 (IMDSv2 not required)',
  severity: 'high',
  service: 'ec2',
  resourceType: 'AWS::EC2::Instance',
  risk: 'With IMDSv1 allowed, one server-side request forgery in any app on the instance returns the instance role’s credentials to an attacker.',
  remediation: 'Set the instance metadata option HttpTokens to required (after checking that its software uses an SDK that supports IMDSv2), or disable the endpoint.',
  remediationTerraform: `resource "aws_instance" "<name>" {
  # ...
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}`,
  cis: ['5.6'],
  terraformTypes: ['aws_instance', 'aws_launch_template'],
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html'],
};

export const ec2_instance_imdsv2: Check = {
  metadata,
  reads: ['ec2:DescribeInstances'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ec2, 'ec2', (ec2) => ec2.instances, 'the instances (ec2:DescribeInstances)', (instance, region) => {
      const state = instance.State?.Name;
      if (state === 'terminated' || state === 'shutting-down') return undefined;
      const subject = {
        region,
        resourceId: `arn:${snapshot.partition}:ec2:${region}:${snapshot.accountId}:instance/${instance.InstanceId}`,
        resourceName: instance.Tags?.find((t) => t.Key === 'Name')?.Value ?? instance.InstanceId,
      };
      const options = instance.MetadataOptions;
      const evidence = { httpTokens: options?.HttpTokens ?? 'optional', httpEndpoint: options?.HttpEndpoint ?? 'enabled', state };
      if (options?.HttpEndpoint === 'disabled') return finding(metadata, snapshot, subject, 'pass', `Instance ${instance.InstanceId} has the metadata endpoint disabled.`, evidence);
      if (options?.HttpTokens === 'required') return finding(metadata, snapshot, subject, 'pass', `Instance ${instance.InstanceId} requires IMDSv2.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `Instance ${instance.InstanceId} accepts IMDSv1 (HttpTokens ${options?.HttpTokens ?? 'optional'}).`, evidence);
    }),
};

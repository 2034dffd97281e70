import type { InstanceMetadataDefaultsResponse } from '@aws-sdk/client-ec2';
import type { CheckMetadata } from '../../findings/model.js';
import type { Read } from '../../inventory/snapshot.js';
import { finding, readError } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'ec2_launch_template_imdsv2',
  title: 'EC2 launch templates require IMDSv2',
  failTitle: 'EC2 launch template launches instances that allow IMDSv1',
  severity: 'medium',
  service: 'ec2',
  resourceType: 'AWS::EC2::LaunchTemplate',
  risk: 'Every instance launched from the template’s default version (by an Auto Scaling group, a person, a script that names no version) accepts IMDSv1: one server-side request forgery in any app on it returns the instance role’s credentials. Fixing running instances alone does not last: the next launch brings IMDSv1 back.',
  remediation:
    'Make a version whose metadata options set HttpTokens to required (or disable the endpoint) and make it the default version; launches that pin an older version keep that version’s options. Where templates leave the option unset, the region’s account-level default (EC2 ModifyInstanceMetadataDefaults, or `aws_ec2_instance_metadata_defaults`) with HttpTokens required covers them too.',
  remediationTerraform: `resource "aws_launch_template" "<name>" {
  # ...
  update_default_version = true
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}

# Or, for every template and launch in the region that leaves it unset:
resource "aws_ec2_instance_metadata_defaults" "imdsv2" {
  http_tokens = "required"
}`,
  // CIS AWS Foundations 5.6 names instances, not launch templates: no CIS mapping.
  terraformTypes: ['aws_launch_template', 'aws_ec2_instance_metadata_defaults'],
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html'],
};

const NOT_READ: Read<InstanceMetadataDefaultsResponse> = { error: { code: 'NotCollected', message: 'ec2:GetInstanceMetadataDefaults was not read' } };

/**
 * A launch's metadata options, as EC2 settles them: the template's own value where it sets one,
 * else the region's account-level default (GetInstanceMetadataDefaults), else EC2's (endpoint
 * enabled, tokens optional: IMDSv1 allowed unless the AMI requires IMDSv2). Undefined where the
 * template leaves the option unset and the account default could not be read.
 */
function settle(own: string | undefined, account: Read<InstanceMetadataDefaultsResponse>, pick: (d: InstanceMetadataDefaultsResponse) => string | undefined, fallback: string) {
  if (own) return { value: own, from: 'template' as const };
  if (account.error) return undefined;
  const value = pick(account.value);
  return value ? { value, from: 'account' as const } : { value: fallback, from: 'ec2' as const };
}

export const ec2_launch_template_imdsv2: Check = {
  metadata,
  reads: ['ec2:DescribeLaunchTemplateVersions', 'ec2:GetInstanceMetadataDefaults'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ec2, 'ec2', (ec2) => ec2.launchTemplates, 'the launch templates (ec2:DescribeLaunchTemplates)', ({ template, versions }, region, ec2) => {
      const id = template.LaunchTemplateId ?? 'unknown';
      const subject = { region, resourceId: `arn:${snapshot.partition}:ec2:${region}:${snapshot.accountId}:launch-template/${id}`, resourceName: template.LaunchTemplateName ?? id };
      if (versions.error) return readError(metadata, snapshot, subject, `the default version of launch template ${id}`, versions.error);
      const version = versions.value.find((v) => v.version.VersionNumber === template.DefaultVersionNumber);
      if (!version) return readError(metadata, snapshot, subject, `the default version of launch template ${id}`, { code: 'VersionNotReturned', message: `DescribeLaunchTemplateVersions did not return version ${template.DefaultVersionNumber}` });
      const options = version.version.LaunchTemplateData?.MetadataOptions;
      const account = ec2.instanceMetadataDefaults ?? NOT_READ;
      const endpoint = settle(options?.HttpEndpoint, account, (d) => d.HttpEndpoint, 'enabled');
      const tokens = settle(options?.HttpTokens, account, (d) => d.HttpTokens, 'optional');
      const evidence = {
        defaultVersion: template.DefaultVersionNumber,
        httpTokens: options?.HttpTokens ?? null,
        httpEndpoint: options?.HttpEndpoint ?? null,
        accountDefaults: account.error ? { error: account.error.code } : { httpTokens: account.value.HttpTokens ?? null, httpEndpoint: account.value.HttpEndpoint ?? null },
      };
      const name = `Launch template ${template.LaunchTemplateName ?? id}`;
      const accountSays = `the account-level default in ${region} (GetInstanceMetadataDefaults)`;
      if (endpoint?.value === 'disabled')
        return finding(metadata, snapshot, subject, 'pass', endpoint.from === 'template' ? `${name} launches instances with the metadata endpoint disabled.` : `${name} leaves the metadata endpoint unset, and ${accountSays} disables it.`, evidence);
      if (tokens?.value === 'required')
        return finding(
          metadata,
          snapshot,
          subject,
          'pass',
          tokens.from === 'template'
            ? `${name} requires IMDSv2 (default version ${template.DefaultVersionNumber}).`
            : `${name} leaves HttpTokens unset in default version ${template.DefaultVersionNumber}, and ${accountSays} requires IMDSv2, so instances launched from it require IMDSv2.`,
          evidence,
        );
      // The template leaves an option unset and the account default that would settle it is unknown: never a pass.
      if (!endpoint || !tokens) return readError(metadata, snapshot, subject, `the account-level instance metadata defaults in ${region}, which launch template ${id} leaves ${!tokens ? 'HttpTokens' : 'the metadata endpoint'} to`, account.error!);
      const why =
        tokens.from === 'template'
          ? `HttpTokens ${tokens.value}`
          : tokens.from === 'account'
            ? `no HttpTokens, and ${accountSays} is ${tokens.value}`
            : `no HttpTokens, and ${accountSays} sets none, so IMDSv1 is allowed unless the AMI requires IMDSv2`;
      return finding(metadata, snapshot, subject, 'fail', `${name}'s default version ${template.DefaultVersionNumber} allows IMDSv1 (${why}).`, evidence);
    }),
};

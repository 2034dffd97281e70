import type { CheckMetadata } from '../../findings/model.js';
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
  remediation: 'Make a version whose metadata options set HttpTokens to required (or disable the endpoint) and make it the default version; launches that pin an older version keep that version’s options.',
  remediationTerraform: `resource "aws_launch_template" "<name>" {
  # ...
  update_default_version = true
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}`,
  // CIS AWS Foundations 5.6 names instances, not launch templates: no CIS mapping.
  terraformTypes: ['aws_launch_template'],
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html'],
};

export const ec2_launch_template_imdsv2: Check = {
  metadata,
  reads: ['ec2:DescribeLaunchTemplateVersions'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ec2, 'ec2', (ec2) => ec2.launchTemplates, 'the launch templates (ec2:DescribeLaunchTemplates)', ({ template, versions }, region) => {
      const id = template.LaunchTemplateId ?? 'unknown';
      const subject = { region, resourceId: `arn:${snapshot.partition}:ec2:${region}:${snapshot.accountId}:launch-template/${id}`, resourceName: template.LaunchTemplateName ?? id };
      if (versions.error) return readError(metadata, snapshot, subject, `the default version of launch template ${id}`, versions.error);
      const version = versions.value.find((v) => v.version.VersionNumber === template.DefaultVersionNumber);
      if (!version) return readError(metadata, snapshot, subject, `the default version of launch template ${id}`, { code: 'VersionNotReturned', message: `DescribeLaunchTemplateVersions did not return version ${template.DefaultVersionNumber}` });
      const options = version.version.LaunchTemplateData?.MetadataOptions;
      // Unset options launch with the account's (or the AMI's) default, which allows IMDSv1 unless someone changed it.
      const evidence = { defaultVersion: template.DefaultVersionNumber, httpTokens: options?.HttpTokens ?? null, httpEndpoint: options?.HttpEndpoint ?? null };
      const name = `Launch template ${template.LaunchTemplateName ?? id}`;
      if (options?.HttpEndpoint === 'disabled') return finding(metadata, snapshot, subject, 'pass', `${name} launches instances with the metadata endpoint disabled.`, evidence);
      if (options?.HttpTokens === 'required') return finding(metadata, snapshot, subject, 'pass', `${name} requires IMDSv2 (default version ${template.DefaultVersionNumber}).`, evidence);
      const why = options?.HttpTokens ? `HttpTokens ${options.HttpTokens}` : 'no metadata options, so the account default (IMDSv1 allowed unless changed) applies';
      return finding(metadata, snapshot, subject, 'fail', `${name}'s default version ${template.DefaultVersionNumber} allows IMDSv1 (${why}).`, evidence);
    }),
};

/**
 * ec2_launch_template_imdsv2 with the region's account-level IMDS defaults
 * (GetInstanceMetadataDefaults): a template that leaves HttpTokens unset launches with the
 * account default, so a region that requires IMDSv2 covers it (the finding says so); a template's
 * own setting wins over the default; a default that could not be read never makes a pass.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const CHECK = 'ec2_launch_template_imdsv2';
const T0 = '2026-01-01T00:00:00Z';
let next = 0;
const template = (name: string, MetadataOptions?: Record<string, unknown>) => ({
  LaunchTemplateId: `lt-0a00000000000${String(++next).padStart(4, '0')}`,
  LaunchTemplateName: name,
  CreateTime: T0,
  Versions: [{ VersionNumber: 1, LaunchTemplateData: { InstanceType: 't3.micro', ...(MetadataOptions ? { MetadataOptions } : {}) } }],
});

const account = {
  AccountId: '111122223333',
  Regions: {
    // The account requires IMDSv2 for new instances in this region.
    'us-east-1': {
      EC2: {
        InstanceMetadataDefaults: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
        LaunchTemplates: [
          template('unset-covered'),
          // The template's own setting wins over the account default.
          template('explicit-optional', { HttpTokens: 'optional', HttpEndpoint: 'enabled' }),
          template('explicit-required', { HttpTokens: 'required', HttpEndpoint: 'enabled' }),
        ],
      },
    },
    // No account-level preference: EC2's own default (IMDSv1 allowed).
    'eu-west-1': { EC2: { LaunchTemplates: [template('unset-bare'), template('endpoint-off', { HttpEndpoint: 'disabled' })] } },
    // The account default turns the endpoint off; tokens are left optional.
    'eu-central-1': { EC2: { InstanceMetadataDefaults: { HttpEndpoint: 'disabled', HttpTokens: 'optional' }, LaunchTemplates: [template('unset-endpoint-default-off')] } },
  },
};
const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1'];

describe('ec2_launch_template_imdsv2 and the account-level IMDS defaults', () => {
  const env = useSandbox(account);
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { regions: REGIONS, checks: [CHECK] });
  });

  it('judges each template with its own options, else the region default', () => {
    expect(audit.statuses(CHECK)).toEqual({
      'unset-covered': 'pass',
      'explicit-optional': 'fail',
      'explicit-required': 'pass',
      'unset-bare': 'fail',
      'endpoint-off': 'pass',
      'unset-endpoint-default-off': 'pass',
    });
  });

  it('a pass that rests on the account default says so, with the default in the evidence', () => {
    const covered = audit.verdict(CHECK, 'unset-covered');
    expect(covered.message).toMatch(/leaves HttpTokens unset .* account-level default in us-east-1 \(GetInstanceMetadataDefaults\) requires IMDSv2/);
    expect(covered.evidence).toMatchObject({ httpTokens: null, accountDefaults: { httpTokens: 'required' } });
    expect(audit.verdict(CHECK, 'unset-endpoint-default-off').message).toMatch(/leaves the metadata endpoint unset, and the account-level default in eu-central-1 .* disables it/);
  });

  it('a failure names why: the template’s own setting, or no default anywhere', () => {
    expect(audit.verdict(CHECK, 'explicit-optional').message).toContain('allows IMDSv1 (HttpTokens optional)');
    expect(audit.verdict(CHECK, 'unset-bare').message).toMatch(/no HttpTokens, and the account-level default in eu-west-1 .* sets none/);
  });
});

describe('ec2_launch_template_imdsv2 when the account-level defaults cannot be read', () => {
  const env = useSandbox(account, { deny: ['GetInstanceMetadataDefaults:*'] });
  it('a template that leaves an option to the default is an error, never a pass; one that settles both is judged', async () => {
    const audit = await auditSandbox(env.endpoint, { regions: REGIONS, checks: [CHECK] });
    expect(audit.statuses(CHECK)).toEqual({
      'unset-covered': 'error',
      'explicit-optional': 'fail',
      'explicit-required': 'pass',
      'unset-bare': 'error',
      'endpoint-off': 'pass',
      'unset-endpoint-default-off': 'error',
    });
    expect(audit.verdict(CHECK, 'unset-covered').message).toMatch(/Could not read the account-level instance metadata defaults in us-east-1.*UnauthorizedOperation/);
  });
});

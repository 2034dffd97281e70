/**
 * The sandbox's GetInstanceMetadataDefaults (EC2 Query protocol) through the real SDK client: the
 * account-level IMDS defaults per region, an empty accountLevel where the account file sets none,
 * and EC2's error shapes (UnauthorizedOperation when denied, AuthFailure in a region not enabled,
 * DryRunOperation).
 */
import { describe, expect, it } from 'vitest';
import { EC2Client, GetInstanceMetadataDefaultsCommand } from '@aws-sdk/client-ec2';
import { rejection, useSandbox } from '../../test-support/sandbox.js';

const account = {
  AccountId: '111122223333',
  Regions: {
    'us-east-1': { EC2: { InstanceMetadataDefaults: { HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled', InstanceMetadataTags: 'disabled' } } },
    'eu-west-1': { EC2: { InstanceMetadataDefaults: { HttpTokens: 'optional' } } },
    'eu-central-1': { EC2: {} },
  },
};

describe('sandbox EC2 GetInstanceMetadataDefaults', () => {
  const env = useSandbox(account);
  const ec2 = (region = 'us-east-1') => new EC2Client(env.config('ec2', { region }));

  it('answers the region’s account-level defaults', async () => {
    expect((await ec2().send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel).toEqual({
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: 'enabled',
      InstanceMetadataTags: 'disabled',
      ManagedBy: 'account',
    });
    expect((await ec2('eu-west-1').send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel).toEqual({ HttpTokens: 'optional', ManagedBy: 'account' });
  });

  it('leaves every option out where the account has no preference', async () => {
    const level = (await ec2('eu-central-1').send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel;
    expect(level?.HttpTokens).toBeUndefined();
    expect(level?.HttpEndpoint).toBeUndefined();
  });

  it('answers AuthFailure in a region the account has not enabled, and DryRunOperation for a dry run', async () => {
    expect((await rejection(ec2('ap-southeast-2').send(new GetInstanceMetadataDefaultsCommand({})))).name).toBe('AuthFailure');
    const dry = await rejection(ec2().send(new GetInstanceMetadataDefaultsCommand({ DryRun: true })));
    expect(dry.name).toBe('DryRunOperation');
    expect(dry.$metadata.httpStatusCode).toBe(412);
  });
});

describe('sandbox EC2 GetInstanceMetadataDefaults --deny', () => {
  const env = useSandbox(account, { deny: ['GetInstanceMetadataDefaults:*'] });
  it('answers UnauthorizedOperation (403)', async () => {
    const err = await rejection(new EC2Client(env.config('ec2')).send(new GetInstanceMetadataDefaultsCommand({})));
    expect(err.name).toBe('UnauthorizedOperation');
    expect(err.$metadata.httpStatusCode).toBe(403);
  });
});

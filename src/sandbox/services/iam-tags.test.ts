/**
 * IAM tag reads through the real IAMClient: ListPolicyTags (and GetPolicy's Tags), with IAM's
 * Marker/MaxItems pages, NoSuchEntity for what does not exist, and AccessDenied by resource.
 */
import { describe, expect, it } from 'vitest';
import { GetPolicyCommand, IAMClient, ListPoliciesCommand, ListPolicyTagsCommand, TagPolicyCommand, paginateListPolicyTags } from '@aws-sdk/client-iam';
import { rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const T0 = '2026-01-01T00:00:00Z';
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
const DOCUMENT = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
const managed = (PolicyName: string, extra: Record<string, unknown> = {}) => ({ PolicyName, CreateDate: T0, Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: T0, Document: DOCUMENT }], ...extra });
const MANY = Array.from({ length: 5 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));

const account = {
  AccountId: ACCOUNT,
  Regions: { 'us-east-1': {} },
  IAM: {
    Policies: [
      managed('tagged', { Tags: [{ Key: 'team', Value: 'platform' }, { Key: 'Environment', Value: 'prod' }] }),
      managed('untagged'),
      managed('many', { Tags: MANY }),
      managed('locked', { Tags: [{ Key: 'team', Value: 'secret' }] }),
    ],
  },
};

describe('sandbox IAM tag reads', () => {
  const env = useSandbox(account, { deny: ['ListPolicyTags:locked'] });
  const iam = () => new IAMClient(env.config('iam'));

  it('ListPolicyTags returns a policy its tags, none for an untagged one; GetPolicy has them, ListPolicies does not', async () => {
    expect((await iam().send(new ListPolicyTagsCommand({ PolicyArn: policyArn('tagged') }))).Tags).toEqual([
      { Key: 'team', Value: 'platform' },
      { Key: 'Environment', Value: 'prod' },
    ]);
    const untagged = await iam().send(new ListPolicyTagsCommand({ PolicyArn: policyArn('untagged') }));
    expect([untagged.Tags, untagged.IsTruncated]).toEqual([[], false]);
    expect((await iam().send(new GetPolicyCommand({ PolicyArn: policyArn('tagged') }))).Policy?.Tags).toEqual([
      { Key: 'team', Value: 'platform' },
      { Key: 'Environment', Value: 'prod' },
    ]);
    const listed = (await iam().send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? [];
    expect(listed.map((p) => p.Tags)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('ListPolicyTags pages with Marker and MaxItems', async () => {
    const first = await iam().send(new ListPolicyTagsCommand({ PolicyArn: policyArn('many'), MaxItems: 2 }));
    expect([first.Tags?.length, first.IsTruncated, typeof first.Marker]).toEqual([2, true, 'string']);
    const all = [];
    for await (const page of paginateListPolicyTags({ client: iam(), pageSize: 2 }, { PolicyArn: policyArn('many') })) all.push(...(page.Tags ?? []));
    expect(all).toEqual(MANY);
  });

  it('answers NoSuchEntity for an unknown policy, AccessDenied where denied, and refuses TagPolicy', async () => {
    const missing = await rejection(iam().send(new ListPolicyTagsCommand({ PolicyArn: policyArn('nope') })));
    expect([missing.name, missing.$metadata.httpStatusCode, missing.message]).toEqual(['NoSuchEntityException', 404, `Policy ${policyArn('nope')} does not exist or is not attachable.`]);
    const denied = await rejection(iam().send(new ListPolicyTagsCommand({ PolicyArn: policyArn('locked') })));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(denied.message).toContain(`iam:ListPolicyTags on resource: ${policyArn('locked')}`);
    const write = await rejection(iam().send(new TagPolicyCommand({ PolicyArn: policyArn('untagged'), Tags: [{ Key: 'a', Value: 'b' }] })));
    expect(write.name).toBe('AccessDenied');
  });
});

/**
 * IAM tag reads through the real IAMClient: ListPolicyTags (and GetPolicy's Tags),
 * ListInstanceProfileTags and ListServerCertificateTags, with IAM's Marker/MaxItems pages,
 * NoSuchEntity for what does not exist, and AccessDenied by resource.
 */
import { describe, expect, it } from 'vitest';
import {
  GetPolicyCommand,
  IAMClient,
  ListInstanceProfilesCommand,
  ListInstanceProfileTagsCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListServerCertificatesCommand,
  ListServerCertificateTagsCommand,
  TagInstanceProfileCommand,
  TagPolicyCommand,
  TagServerCertificateCommand,
  paginateListInstanceProfileTags,
  paginateListPolicyTags,
  paginateListServerCertificateTags,
} from '@aws-sdk/client-iam';
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
    InstanceProfiles: [
      { InstanceProfileName: 'web', Path: '/apps/', CreateDate: T0, Tags: [{ Key: 'team', Value: 'web' }] },
      { InstanceProfileName: 'bare', CreateDate: T0 },
      { InstanceProfileName: 'many', CreateDate: T0, Tags: MANY },
      { InstanceProfileName: 'locked', CreateDate: T0, Tags: [{ Key: 'team', Value: 'secret' }] },
    ],
    ServerCertificates: [
      { ServerCertificateName: 'api', UploadDate: T0, Expiration: '2027-01-01T00:00:00Z', Tags: [{ Key: 'team', Value: 'api' }] },
      { ServerCertificateName: 'bare', UploadDate: T0, Expiration: '2027-01-01T00:00:00Z' },
      { ServerCertificateName: 'many', UploadDate: T0, Expiration: '2027-01-01T00:00:00Z', Tags: MANY },
      { ServerCertificateName: 'locked', Path: '/cloudfront/', UploadDate: T0, Expiration: '2027-01-01T00:00:00Z', Tags: [{ Key: 'team', Value: 'secret' }] },
    ],
  },
};

describe('sandbox IAM tag reads', () => {
  const env = useSandbox(account, { deny: ['ListPolicyTags:locked', 'ListInstanceProfileTags:locked', 'ListServerCertificateTags:locked'] });
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

  it('ListInstanceProfileTags and ListServerCertificateTags return the tags the listings leave out, paged', async () => {
    expect((await iam().send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'web' }))).Tags).toEqual([{ Key: 'team', Value: 'web' }]);
    expect((await iam().send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'bare' }))).Tags).toEqual([]);
    expect((await iam().send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'api' }))).Tags).toEqual([{ Key: 'team', Value: 'api' }]);
    expect((await iam().send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'bare' }))).Tags).toEqual([]);
    expect(((await iam().send(new ListInstanceProfilesCommand({}))).InstanceProfiles ?? []).map((p) => p.Tags)).toEqual([undefined, undefined, undefined, undefined]);
    expect(((await iam().send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList ?? []).map((c) => (c as { Tags?: unknown }).Tags)).toEqual([undefined, undefined, undefined, undefined]);
    const profileTags = [];
    for await (const page of paginateListInstanceProfileTags({ client: iam(), pageSize: 2 }, { InstanceProfileName: 'many' })) profileTags.push(...(page.Tags ?? []));
    const certificateTags = [];
    for await (const page of paginateListServerCertificateTags({ client: iam(), pageSize: 2 }, { ServerCertificateName: 'many' })) certificateTags.push(...(page.Tags ?? []));
    expect([profileTags, certificateTags]).toEqual([MANY, MANY]);
  });

  it('answers NoSuchEntity for an unknown profile or certificate, AccessDenied by ARN where denied, and refuses tagging', async () => {
    const noProfile = await rejection(iam().send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'nope' })));
    expect([noProfile.name, noProfile.$metadata.httpStatusCode, noProfile.message]).toEqual(['NoSuchEntityException', 404, 'Instance Profile nope cannot be found.']);
    const noCertificate = await rejection(iam().send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'nope' })));
    expect([noCertificate.name, noCertificate.$metadata.httpStatusCode, noCertificate.message]).toEqual(['NoSuchEntityException', 404, 'The Server Certificate with name nope cannot be found.']);
    const deniedProfile = await rejection(iam().send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'locked' })));
    expect([deniedProfile.name, deniedProfile.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(deniedProfile.message).toContain(`iam:ListInstanceProfileTags on resource: arn:aws:iam::${ACCOUNT}:instance-profile/locked`);
    const deniedCertificate = await rejection(iam().send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'locked' })));
    expect(deniedCertificate.message).toContain(`iam:ListServerCertificateTags on resource: arn:aws:iam::${ACCOUNT}:server-certificate/cloudfront/locked`);
    // A profile's ARN carries its path.
    expect((await iam().send(new ListInstanceProfilesCommand({ PathPrefix: '/apps/' }))).InstanceProfiles?.map((p) => p.Arn)).toEqual([`arn:aws:iam::${ACCOUNT}:instance-profile/apps/web`]);
    for (const write of [
      iam().send(new TagInstanceProfileCommand({ InstanceProfileName: 'bare', Tags: [{ Key: 'a', Value: 'b' }] })),
      iam().send(new TagServerCertificateCommand({ ServerCertificateName: 'bare', Tags: [{ Key: 'a', Value: 'b' }] })),
    ]) expect((await rejection(write)).name).toBe('AccessDenied');
  });
});

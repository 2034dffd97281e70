/** ListVirtualMFADevices, ListEntitiesForPolicy and ListServerCertificates through the real IAMClient. */
import { describe, expect, it } from 'vitest';
import { IAMClient, ListEntitiesForPolicyCommand, ListServerCertificatesCommand, ListVirtualMFADevicesCommand, GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import { rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const SUPPORT = 'arn:aws:iam::aws:policy/AWSSupportAccess';
const CREATED = '2025-01-01T00:00:00Z';
const account = {
  AccountId: ACCOUNT,
  Regions: { 'us-east-1': {} },
  IAM: {
    Root: { CreateDate: '2019-01-01T00:00:00Z', MFAActive: true },
    Users: [
      { UserName: 'ann', CreateDate: CREATED, MFADevices: [{ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/ann`, EnableDate: CREATED }], AttachedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: SUPPORT }] },
      // A hardware token: not a virtual device.
      { UserName: 'ben', CreateDate: CREATED, MFADevices: [{ SerialNumber: 'GAHT12345678', EnableDate: CREATED }] },
    ],
    Groups: [{ GroupName: 'helpdesk', CreateDate: CREATED, AttachedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: SUPPORT }] }],
    Roles: [{ RoleName: 'support', CreateDate: CREATED, AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }, AttachedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: SUPPORT }] }],
    ServerCertificates: [
      { ServerCertificateName: 'old-api', UploadDate: '2022-01-01T00:00:00Z', Expiration: '2023-01-01T00:00:00Z' },
      { ServerCertificateName: 'api', Path: '/cloudfront/', UploadDate: '2025-06-01T00:00:00Z', Expiration: '2027-06-01T00:00:00Z' },
    ],
  },
};

describe('sandbox IAM: virtual MFA devices, policy holders, server certificates', () => {
  // Two sandboxes: one refuses ListServerCertificates.
  const open = useSandbox(account);
  const denied = useSandbox(account, { deny: ['ListServerCertificates:*'] });
  const iam = () => new IAMClient(open.config('iam'));

  it("lists virtual MFA devices, root's with the root ARN, hardware tokens left out", async () => {
    const out = await iam().send(new ListVirtualMFADevicesCommand({}));
    expect(out.VirtualMFADevices?.map((d) => [d.SerialNumber, d.User?.Arn])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`, `arn:aws:iam::${ACCOUNT}:root`],
      [`arn:aws:iam::${ACCOUNT}:mfa/ann`, `arn:aws:iam::${ACCOUNT}:user/ann`],
    ]);
    expect((await iam().send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }))).VirtualMFADevices).toEqual([]);
    const bad = await rejection(iam().send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Some' as 'Any' })));
    expect([bad.name, bad.$metadata.httpStatusCode]).toEqual(['ValidationError', 400]);
  });

  it('lists the groups, users and roles a policy is attached to, filtered by entity type', async () => {
    const all = await iam().send(new ListEntitiesForPolicyCommand({ PolicyArn: SUPPORT }));
    expect([all.PolicyGroups?.map((g) => g.GroupName), all.PolicyUsers?.map((u) => u.UserName), all.PolicyRoles?.map((r) => r.RoleName)]).toEqual([['helpdesk'], ['ann'], ['support']]);
    expect(all.PolicyRoles?.[0]?.RoleId).toMatch(/^AROA/);
    const roles = await iam().send(new ListEntitiesForPolicyCommand({ PolicyArn: SUPPORT, EntityFilter: 'Role' }));
    expect([roles.PolicyGroups, roles.PolicyUsers, roles.PolicyRoles?.length]).toEqual([[], [], 1]);
    // An AWS-managed policy attached to nobody exists all the same; a customer one that is not there does not.
    expect((await iam().send(new ListEntitiesForPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }))).PolicyRoles).toEqual([]);
    const missing = await rejection(iam().send(new ListEntitiesForPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/nope` })));
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['NoSuchEntityException', 404]);
  });

  it('lists server certificates with their expiration, by path; counts them in the summary; AccessDenied when denied', async () => {
    const out = await iam().send(new ListServerCertificatesCommand({}));
    expect(out.ServerCertificateMetadataList?.map((c) => [c.ServerCertificateName, c.Arn, c.Expiration?.toISOString()])).toEqual([
      ['old-api', `arn:aws:iam::${ACCOUNT}:server-certificate/old-api`, '2023-01-01T00:00:00.000Z'],
      ['api', `arn:aws:iam::${ACCOUNT}:server-certificate/cloudfront/api`, '2027-06-01T00:00:00.000Z'],
    ]);
    const byPath = await iam().send(new ListServerCertificatesCommand({ PathPrefix: '/cloudfront/' }));
    expect(byPath.ServerCertificateMetadataList?.map((c) => c.ServerCertificateName)).toEqual(['api']);
    expect((await iam().send(new GetAccountSummaryCommand({}))).SummaryMap?.ServerCertificates).toBe(2);
    expect((await rejection(new IAMClient(denied.config('iam')).send(new ListServerCertificatesCommand({})))).name).toBe('AccessDenied');
  });
});

/** IAM groups through the real IAMClient: listing, members, inline and attached policies, errors. */
import { describe, expect, it } from 'vitest';
import {
  IAMClient,
  AddUserToGroupCommand,
  GetAccountSummaryCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListPoliciesCommand,
  paginateGetGroup,
} from '@aws-sdk/client-iam';
import { fetchStats, opCount, rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const users = ['ann', 'ben', 'cat', 'dan'].map((UserName) => ({ UserName, CreateDate: '2025-01-01T00:00:00Z' }));

const account = {
  AccountId: ACCOUNT,
  Regions: { 'us-east-1': {} },
  IAM: {
    Users: users,
    Groups: [
      { GroupName: 'admins', CreateDate: '2025-01-02T00:00:00Z', Users: ['ann', 'ben', 'cat'], InlinePolicies: [{ PolicyName: 'all', PolicyDocument: ADMIN }] },
      { GroupName: 'auditors', Path: '/security/', CreateDate: '2025-01-03T00:00:00Z', AttachedPolicies: [{ PolicyName: 'read', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/read` }] },
      { GroupName: 'locked', CreateDate: '2025-01-04T00:00:00Z', Users: ['dan'] },
    ],
    Policies: [
      {
        PolicyName: 'read',
        CreateDate: '2025-01-01T00:00:00Z',
        Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2025-01-01T00:00:00Z', Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] } }],
      },
    ],
  },
};

describe('sandbox IAM groups', () => {
  const env = useSandbox(account, { deny: ['GetGroupPolicy:arn:aws:iam::*:group/locked', 'ListAttachedGroupPolicies:locked'] });
  const iam = () => new IAMClient(env.config('iam'));

  it('lists groups with their ARN and id, filtered by path prefix', async () => {
    const all = await iam().send(new ListGroupsCommand({}));
    expect(all.Groups?.map((g) => [g.GroupName, g.Path, g.Arn])).toEqual([
      ['admins', '/', `arn:aws:iam::${ACCOUNT}:group/admins`],
      ['auditors', '/security/', `arn:aws:iam::${ACCOUNT}:group/security/auditors`],
      ['locked', '/', `arn:aws:iam::${ACCOUNT}:group/locked`],
    ]);
    expect(all.Groups?.[0]?.GroupId).toMatch(/^AGPA[A-Z0-9]{17}$/);
    expect(all.Groups?.[0]?.CreateDate).toEqual(new Date('2025-01-02T00:00:00Z'));
    expect((await iam().send(new ListGroupsCommand({ PathPrefix: '/security/' }))).Groups?.map((g) => g.GroupName)).toEqual(['auditors']);
  });

  it('GetGroup returns the group and its members, paged by MaxItems and Marker', async () => {
    const first = await iam().send(new GetGroupCommand({ GroupName: 'admins', MaxItems: 2 }));
    expect(first.Group?.GroupName).toBe('admins');
    expect(first.Users?.map((u) => u.UserName)).toEqual(['ann', 'ben']);
    expect(first.IsTruncated).toBe(true);
    const members: string[] = [];
    for await (const page of paginateGetGroup({ client: iam(), pageSize: 2 }, { GroupName: 'admins' })) members.push(...(page.Users ?? []).map((u) => u.UserName!));
    expect(members).toEqual(['ann', 'ben', 'cat']);
    // Names are case-insensitive in IAM.
    expect((await iam().send(new GetGroupCommand({ GroupName: 'AUDITORS' }))).Users).toEqual([]);
  });

  it('serves inline policy names and documents (URL-encoded) and attached policies', async () => {
    expect((await iam().send(new ListGroupPoliciesCommand({ GroupName: 'admins' }))).PolicyNames).toEqual(['all']);
    const doc = await iam().send(new GetGroupPolicyCommand({ GroupName: 'admins', PolicyName: 'all' }));
    expect(doc.GroupName).toBe('admins');
    expect(JSON.parse(decodeURIComponent(doc.PolicyDocument!))).toEqual(ADMIN);
    expect((await iam().send(new ListAttachedGroupPoliciesCommand({ GroupName: 'auditors' }))).AttachedPolicies).toEqual([{ PolicyName: 'read', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/read` }]);
  });

  it('counts groups in the account summary and in a policy\'s attachment count', async () => {
    expect((await iam().send(new GetAccountSummaryCommand({}))).SummaryMap?.Groups).toBe(3);
    const read = (await iam().send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }))).Policies?.find((p) => p.PolicyName === 'read');
    expect(read?.AttachmentCount).toBe(1);
  });

  it('answers NoSuchEntity for an unknown group or policy, AccessDenied by group ARN, and refuses writes', async () => {
    const missing = await rejection(iam().send(new GetGroupCommand({ GroupName: 'nobody' })));
    expect([missing.name, missing.$metadata.httpStatusCode, missing.message]).toEqual(['NoSuchEntityException', 404, 'The group with name nobody cannot be found.']);
    const noPolicy = await rejection(iam().send(new GetGroupPolicyCommand({ GroupName: 'admins', PolicyName: 'none' })));
    expect(noPolicy.message).toBe('The group policy with name none cannot be found.');
    const denied = await rejection(iam().send(new GetGroupPolicyCommand({ GroupName: 'locked', PolicyName: 'x' })));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toContain(`iam:GetGroupPolicy on resource: arn:aws:iam::${ACCOUNT}:group/locked`);
    expect((await rejection(iam().send(new ListAttachedGroupPoliciesCommand({ GroupName: 'locked' })))).name).toBe('AccessDenied');
    expect((await rejection(iam().send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'dan' })))).name).toBe('AccessDenied');
    const stats = await fetchStats(env.endpoint);
    expect(opCount(stats, 'iam', 'GetGroup')).toBeGreaterThanOrEqual(4);
    expect(stats.faults.denied).toBe(2);
  });
});

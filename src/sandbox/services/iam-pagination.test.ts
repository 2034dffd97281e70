import { describe, expect, it } from 'vitest';
import {
  IAMClient,
  ListRolesCommand,
  paginateListAttachedRolePolicies,
  paginateListPolicies,
  paginateListRoles,
  paginateListUsers,
  paginateSimulatePrincipalPolicy,
} from '@aws-sdk/client-iam';
import { fetchStats, opCount, useSandbox } from '../../test-support/sandbox.js';

const ROLES = 250;
const USERS = 120;
const LOCAL_POLICIES = 130;
const pad = (n: number) => String(n).padStart(3, '0');
const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };

const manyPolicies = Array.from({ length: LOCAL_POLICIES }, (_, i) => ({
  PolicyName: `policy-${pad(i)}`,
  CreateDate: '2025-01-01T00:00:00Z',
  Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2025-01-01T00:00:00Z', Document: document }],
}));

const account = {
  AccountId: '111122223333',
  Regions: { 'us-east-1': {} },
  IAM: {
    Roles: Array.from({ length: ROLES }, (_, i) => ({
      RoleName: `role-${pad(i)}`,
      CreateDate: '2025-01-01T00:00:00Z',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
      AttachedPolicies: i === 0 ? manyPolicies.slice(0, 10).map((p) => ({ PolicyName: p.PolicyName, PolicyArn: `arn:aws:iam::111122223333:policy/${p.PolicyName}` })) : undefined,
    })),
    Users: Array.from({ length: USERS }, (_, i) => ({ UserName: `user-${pad(i)}`, CreateDate: '2025-01-01T00:00:00Z' })),
    Policies: manyPolicies,
  },
};

describe('sandbox IAM pagination (MaxItems, Marker, IsTruncated) through the SDK paginators', () => {
  const env = useSandbox(account);
  const iam = () => new IAMClient(env.config('iam'));

  /** Run a paginator to the end; return the items of each page and how many requests it took. */
  async function pages<T>(operation: string, paginator: AsyncIterable<T>): Promise<{ pages: T[]; requests: number }> {
    const before = opCount(await fetchStats(env.endpoint), 'iam', operation);
    const collected: T[] = [];
    for await (const page of paginator) {
      collected.push(page);
      if (collected.length > 100) throw new Error('runaway pagination');
    }
    return { pages: collected, requests: opCount(await fetchStats(env.endpoint), 'iam', operation) - before };
  }

  it('pages ListRoles at IAM\'s default of 100 items', async () => {
    const run = await pages('ListRoles', paginateListRoles({ client: iam() }, {}));
    expect(run.requests).toBe(3);
    expect(run.pages.map((p) => p.Roles?.length)).toEqual([100, 100, 50]);
    const names = run.pages.flatMap((p) => p.Roles!.map((r) => r.RoleName));
    expect(names).toEqual(account.IAM.Roles.map((r) => r.RoleName));
    expect(run.pages.map((p) => p.IsTruncated)).toEqual([true, true, false]);
    expect(run.pages[2]!.Marker).toBeUndefined();
  });

  it('pages ListRoles at a small page size without losing or repeating a role', async () => {
    const run = await pages('ListRoles', paginateListRoles({ client: iam(), pageSize: 7 }, {}));
    expect(run.requests).toBe(Math.ceil(ROLES / 7));
    const names = run.pages.flatMap((p) => p.Roles!.map((r) => r.RoleName));
    expect(new Set(names).size).toBe(ROLES);
  });

  it('does not truncate when everything fits in one page', async () => {
    const run = await pages('ListRoles', paginateListRoles({ client: iam(), pageSize: 1000 }, {}));
    expect(run.requests).toBe(1);
    expect(run.pages[0]!.IsTruncated).toBe(false);
  });

  it('pages ListUsers, ListPolicies and ListAttachedRolePolicies', async () => {
    const users = await pages('ListUsers', paginateListUsers({ client: iam(), pageSize: 50 }, {}));
    expect(users.requests).toBe(3);
    expect(users.pages.flatMap((p) => p.Users!.map((u) => u.UserName))).toHaveLength(USERS);

    const policies = await pages('ListPolicies', paginateListPolicies({ client: iam(), pageSize: 40 }, { Scope: 'Local' }));
    expect(policies.requests).toBe(4);
    expect(policies.pages.flatMap((p) => p.Policies!.map((x) => x.PolicyName))).toEqual(manyPolicies.map((p) => p.PolicyName));

    const attached = await pages('ListAttachedRolePolicies', paginateListAttachedRolePolicies({ client: iam(), pageSize: 4 }, { RoleName: 'role-000' }));
    expect(attached.requests).toBe(3);
    expect(attached.pages.flatMap((p) => p.AttachedPolicies!)).toHaveLength(10);
  });

  it('pages SimulatePrincipalPolicy results', async () => {
    const actions = ['s3:GetObject', 's3:PutObject', 'ec2:RunInstances', 'iam:CreateUser', 'kms:Decrypt'];
    const run = await pages(
      'SimulatePrincipalPolicy',
      paginateSimulatePrincipalPolicy({ client: iam(), pageSize: 2 }, { PolicySourceArn: 'arn:aws:iam::111122223333:role/role-000', ActionNames: actions }),
    );
    expect(run.requests).toBe(3);
    expect(run.pages.flatMap((p) => p.EvaluationResults!.map((r) => r.EvalActionName))).toEqual(actions);
  });

  it('rejects MaxItems outside 1..1000 and a Marker it did not issue with ValidationError', async () => {
    for (const MaxItems of [0, 1001]) {
      const err = await iam().send(new ListRolesCommand({ MaxItems })).catch((e: { name: string; $metadata: { httpStatusCode: number } }) => e);
      expect(err).toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    }
    const forged = await iam().send(new ListRolesCommand({ Marker: 'not-a-marker' })).catch((e: { name: string }) => e);
    expect(forged).toMatchObject({ name: 'ValidationError' });
  });
});

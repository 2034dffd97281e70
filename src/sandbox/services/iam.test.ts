import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  IAMClient,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  DeleteUserCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListMFADevicesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type GetRoleCommandInput,
  type ListPoliciesCommandInput,
} from '@aws-sdk/client-iam';
import { fetchStats, fixturePath, opCount, useSandbox } from '../../test-support/sandbox.js';

interface FixtureRole {
  RoleName: string;
  AssumeRolePolicyDocument: unknown;
  InlinePolicies?: Array<{ PolicyName: string; PolicyDocument: unknown }>;
}
const fixture = JSON.parse(readFileSync(fixturePath('iam-account.json'), 'utf8')) as {
  IAM: { Roles: FixtureRole[]; Users: Array<{ UserName: string; InlinePolicies?: FixtureRole['InlinePolicies'] }> };
};
const fixtureRole = (name: string) => fixture.IAM.Roles.find((r) => r.RoleName === name)!;

const CALLER = 'arn:aws:sts::111122223333:assumed-role/InfraAuditReadOnly/test';

/** The SDK error a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  const outcome = await call.then(
    () => undefined,
    (e: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => e,
  );
  if (!outcome) throw new Error('expected the call to fail');
  return { name: outcome.name, message: outcome.message, status: outcome.$metadata?.httpStatusCode };
}

/** IAM returns documents RFC 3986-encoded; the string form decodes back to exactly what is stored. */
function decodeDocument(encoded: string | undefined): string {
  expect(encoded).toBeDefined();
  expect(encoded).not.toMatch(/[^A-Za-z0-9\-._~%]/);
  return decodeURIComponent(encoded!);
}

describe('sandbox IAM: roles', () => {
  const env = useSandbox('iam-account.json', { deny: ['arn:aws:iam::111122223333:role/secret-*'] });
  const iam = () => new IAMClient(env.config('iam'));

  it('lists every role with its trust policy URL-encoded, and without RoleLastUsed or Tags as AWS does', async () => {
    const { Roles, IsTruncated } = await iam().send(new ListRolesCommand({}));
    expect(IsTruncated).toBe(false);
    expect(Roles?.map((r) => r.RoleName)).toEqual(fixture.IAM.Roles.map((r) => r.RoleName));
    const auditor = Roles!.find((r) => r.RoleName === 'ReadOnlyAuditor')!;
    expect(JSON.parse(decodeDocument(auditor.AssumeRolePolicyDocument))).toEqual(fixtureRole('ReadOnlyAuditor').AssumeRolePolicyDocument);
    expect(auditor.RoleLastUsed).toBeUndefined();
    expect(auditor.Tags).toBeUndefined();
    expect(auditor.Arn).toBe('arn:aws:iam::111122223333:role/ReadOnlyAuditor');
    expect(auditor.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
  });

  it('returns a trust policy stored as a string byte for byte, with !\'()* encoded', async () => {
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: 'AdminRole' }));
    expect(Role?.AssumeRolePolicyDocument).toContain('%28ops%29%2A%21');
    expect(decodeDocument(Role?.AssumeRolePolicyDocument)).toBe(fixtureRole('AdminRole').AssumeRolePolicyDocument);
  });

  it('filters roles by PathPrefix', async () => {
    const serviceRoles = await iam().send(new ListRolesCommand({ PathPrefix: '/service-role/' }));
    expect(serviceRoles.Roles?.map((r) => r.Arn)).toEqual(['arn:aws:iam::111122223333:role/service-role/lambda-exec']);
    const none = await iam().send(new ListRolesCommand({ PathPrefix: '/nothing-here/' }));
    expect(none.Roles ?? []).toEqual([]);
  });

  it('returns RoleLastUsed and Tags on GetRole for a used role', async () => {
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: 'ReadOnlyAuditor' }));
    expect(Role?.RoleLastUsed?.LastUsedDate).toEqual(new Date('2026-01-20T08:15:00Z'));
    expect(Role?.RoleLastUsed?.Region).toBe('eu-west-1');
    expect(Role?.Tags).toEqual([{ Key: 'team', Value: 'security' }]);
    expect(Role?.MaxSessionDuration).toBe(7200);
    expect(Role?.Description).toBe('Audit role: reads only');
  });

  it('returns an empty RoleLastUsed for a role never used', async () => {
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: 'lambda-exec' }));
    expect(Role?.RoleLastUsed?.LastUsedDate).toBeUndefined();
    expect(Role?.RoleLastUsed?.Region).toBeUndefined();
    expect(Role?.Path).toBe('/service-role/');
    expect(Role?.MaxSessionDuration).toBe(3600);
  });

  it('answers NoSuchEntity (404) for an unknown role', async () => {
    const err = await failure(iam().send(new GetRoleCommand({ RoleName: 'NoSuchRole' })));
    expect(err).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect(err.message).toBe('The role with name NoSuchRole cannot be found.');
    expect((await failure(iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'NoSuchRole' })))).name).toBe('NoSuchEntityException');
    expect((await failure(iam().send(new ListRolePoliciesCommand({ RoleName: 'NoSuchRole' })))).name).toBe('NoSuchEntityException');
  });

  it('lists attached managed policies, filtered by the policy path', async () => {
    const auditor = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'ReadOnlyAuditor' }));
    expect(auditor.AttachedPolicies).toEqual([{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]);
    const filtered = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'ReadOnlyAuditor', PathPrefix: '/service-role/' }));
    expect(filtered.AttachedPolicies ?? []).toEqual([]);
    const none = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'public-website' }));
    expect(none.AttachedPolicies ?? []).toEqual([]);
  });

  it('lists and returns inline role policies, and NoSuchEntity for an unknown one', async () => {
    const names = await iam().send(new ListRolePoliciesCommand({ RoleName: 'ReadOnlyAuditor' }));
    expect(names.PolicyNames).toEqual(['s3-read']);
    const policy = await iam().send(new GetRolePolicyCommand({ RoleName: 'ReadOnlyAuditor', PolicyName: 's3-read' }));
    expect(policy.RoleName).toBe('ReadOnlyAuditor');
    expect(JSON.parse(decodeDocument(policy.PolicyDocument))).toEqual(fixtureRole('ReadOnlyAuditor').InlinePolicies![0]!.PolicyDocument);
    const stringForm = await iam().send(new GetRolePolicyCommand({ RoleName: 'GuardedAdmin', PolicyName: 'no-s3-writes' }));
    expect(decodeDocument(stringForm.PolicyDocument)).toBe(fixtureRole('GuardedAdmin').InlinePolicies![0]!.PolicyDocument);
    const err = await failure(iam().send(new GetRolePolicyCommand({ RoleName: 'ReadOnlyAuditor', PolicyName: 's3-write' })));
    expect(err).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'The role policy with name s3-write cannot be found.' });
  });

  it('denies the roles matched by --deny and only those', async () => {
    const before = await fetchStats(env.endpoint);
    const err = await failure(iam().send(new GetRoleCommand({ RoleName: 'secret-payments' })));
    expect(err).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(err.message).toContain(`User: ${CALLER} is not authorized to perform: iam:GetRole on resource: arn:aws:iam::111122223333:role/secret-payments`);
    expect((await failure(iam().send(new ListRolePoliciesCommand({ RoleName: 'secret-hr' })))).name).toBe('AccessDenied');
    const allowed = await iam().send(new GetRoleCommand({ RoleName: 'public-website' }));
    expect(allowed.Role?.RoleName).toBe('public-website');
    const after = await fetchStats(env.endpoint);
    expect(after.faults.denied - before.faults.denied).toBe(2);
  });

  it('answers from any region, IAM being global', async () => {
    const client = new IAMClient(env.config('iam', { region: 'ap-southeast-2' }));
    const { Role } = await client.send(new GetRoleCommand({ RoleName: 'ReadOnlyAuditor' }));
    expect(Role?.RoleName).toBe('ReadOnlyAuditor');
  });

  it('answers ValidationError for a missing required parameter', async () => {
    const err = await failure(iam().send(new GetRoleCommand({} as GetRoleCommandInput)));
    expect(err).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(err.message).toContain("Value null at 'roleName' failed to satisfy constraint: Member must not be null");
  });
});

describe('sandbox IAM: users', () => {
  const env = useSandbox('iam-account.json');
  const iam = () => new IAMClient(env.config('iam'));

  it('lists users without tags, and filters them by path', async () => {
    const { Users } = await iam().send(new ListUsersCommand({}));
    expect(Users?.map((u) => u.UserName)).toEqual(['alice', 'bob', 'carol']);
    expect(Users?.[0]?.PasswordLastUsed).toEqual(new Date('2026-01-28T17:45:12Z'));
    expect(Users?.[0]?.Tags).toBeUndefined();
    const contractors = await iam().send(new ListUsersCommand({ PathPrefix: '/contractors/' }));
    expect(contractors.Users?.map((u) => u.Arn)).toEqual(['arn:aws:iam::111122223333:user/contractors/bob']);
  });

  it('returns a user with tags on GetUser, and asks for a UserName from a role caller', async () => {
    const { User } = await iam().send(new GetUserCommand({ UserName: 'alice' }));
    expect(User?.Tags).toEqual([{ Key: 'owner', Value: 'alice@example.com' }]);
    expect(User?.UserId).toMatch(/^AIDA/);
    const err = await failure(iam().send(new GetUserCommand({})));
    expect(err).toMatchObject({ name: 'ValidationError', status: 400 });
    expect((await failure(iam().send(new GetUserCommand({ UserName: 'mallory' })))).name).toBe('NoSuchEntityException');
  });

  it('lists attached and inline user policies and returns their documents', async () => {
    const attached = await iam().send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual(['arn:aws:iam::111122223333:policy/AppDataRead']);
    expect((await iam().send(new ListAttachedUserPoliciesCommand({ UserName: 'bob' }))).AttachedPolicies ?? []).toEqual([]);
    expect((await iam().send(new ListUserPoliciesCommand({ UserName: 'bob' }))).PolicyNames).toEqual(['deploy']);
    expect((await iam().send(new ListUserPoliciesCommand({ UserName: 'alice' }))).PolicyNames ?? []).toEqual([]);
    const deploy = await iam().send(new GetUserPolicyCommand({ UserName: 'bob', PolicyName: 'deploy' }));
    const bob = fixture.IAM.Users.find((u) => u.UserName === 'bob')!;
    expect(JSON.parse(decodeDocument(deploy.PolicyDocument))).toEqual(bob.InlinePolicies![0]!.PolicyDocument);
    const err = await failure(iam().send(new GetUserPolicyCommand({ UserName: 'alice', PolicyName: 'deploy' })));
    expect(err).toMatchObject({ name: 'NoSuchEntityException', message: 'The user policy with name deploy cannot be found.' });
  });

  it('returns login profiles, and NoSuchEntity for a user without a console password', async () => {
    const alice = await iam().send(new GetLoginProfileCommand({ UserName: 'alice' }));
    expect(alice.LoginProfile).toMatchObject({ UserName: 'alice', PasswordResetRequired: false, CreateDate: new Date('2025-12-01T10:00:00Z') });
    const carol = await iam().send(new GetLoginProfileCommand({ UserName: 'carol' }));
    expect(carol.LoginProfile?.PasswordResetRequired).toBe(true);
    const err = await failure(iam().send(new GetLoginProfileCommand({ UserName: 'bob' })));
    expect(err).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'Login Profile for User bob cannot be found.' });
  });

  it('lists MFA devices and access keys per user', async () => {
    const mfa = await iam().send(new ListMFADevicesCommand({ UserName: 'alice' }));
    expect(mfa.MFADevices).toEqual([{ UserName: 'alice', SerialNumber: 'arn:aws:iam::111122223333:mfa/alice', EnableDate: new Date('2022-05-10T12:30:00Z') }]);
    expect((await iam().send(new ListMFADevicesCommand({ UserName: 'carol' }))).MFADevices ?? []).toEqual([]);
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: 'alice' }));
    expect(keys.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      ['AKIAALICEKEY0000001', 'Active'],
      ['AKIAALICEKEY0000002', 'Inactive'],
    ]);
    expect((await iam().send(new ListAccessKeysCommand({ UserName: 'carol' }))).AccessKeyMetadata ?? []).toEqual([]);
    expect((await failure(iam().send(new ListAccessKeysCommand({})))).name).toBe('ValidationError');
    expect((await failure(iam().send(new ListMFADevicesCommand({ UserName: 'mallory' })))).name).toBe('NoSuchEntityException');
  });

  it('reports when an access key was last used, N/A when never, NoSuchEntity when unknown', async () => {
    const used = await iam().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAALICEKEY0000001' }));
    expect(used.UserName).toBe('alice');
    expect(used.AccessKeyLastUsed).toEqual({ LastUsedDate: new Date('2026-01-29T03:00:00Z'), ServiceName: 's3', Region: 'us-east-1' });
    const never = await iam().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIABOBKEY000000001' }));
    expect(never.UserName).toBe('bob');
    expect(never.AccessKeyLastUsed).toEqual({ ServiceName: 'N/A', Region: 'N/A' });
    const err = await failure(iam().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIANOBODYSKEY00001' })));
    expect(err).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });
});

describe('sandbox IAM: managed policies', () => {
  const env = useSandbox('iam-account.json');
  const iam = () => new IAMClient(env.config('iam'));
  const names = async (input: ListPoliciesCommandInput) =>
    ((await iam().send(new ListPoliciesCommand(input))).Policies ?? []).map((p) => p.PolicyName);

  it('lists policies by scope', async () => {
    expect(await names({})).toEqual(['ReadOnlyAccess', 'AdministratorAccess', 'SecurityAudit', 'AppDataRead', 'TeamTooling']);
    expect(await names({ Scope: 'AWS' })).toEqual(['ReadOnlyAccess', 'AdministratorAccess', 'SecurityAudit']);
    expect(await names({ Scope: 'Local' })).toEqual(['AppDataRead', 'TeamTooling']);
  });

  it('counts attachments across roles and users, and OnlyAttached keeps the attached ones', async () => {
    const { Policies } = await iam().send(new ListPoliciesCommand({}));
    const counts = Object.fromEntries((Policies ?? []).map((p) => [p.PolicyName, p.AttachmentCount]));
    // ReadOnlyAccess: ReadOnlyAuditor; AdministratorAccess: AdminRole + GuardedAdmin; AppDataRead: lambda-exec + alice.
    expect(counts).toEqual({ ReadOnlyAccess: 1, AdministratorAccess: 2, SecurityAudit: 0, AppDataRead: 2, TeamTooling: 0 });
    expect(await names({ OnlyAttached: true })).toEqual(['ReadOnlyAccess', 'AdministratorAccess', 'AppDataRead']);
    expect(await names({ OnlyAttached: true, Scope: 'Local' })).toEqual(['AppDataRead']);
  });

  it('filters by PathPrefix and leaves Description to GetPolicy', async () => {
    expect(await names({ PathPrefix: '/team/' })).toEqual(['TeamTooling']);
    const listed = (await iam().send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies![0]!;
    expect(listed.Description).toBeUndefined();
    const { Policy } = await iam().send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::111122223333:policy/AppDataRead' }));
    expect(Policy).toMatchObject({ PolicyName: 'AppDataRead', Description: "Read the app's data bucket", DefaultVersionId: 'v2', AttachmentCount: 2, IsAttachable: true });
  });

  it('rejects an unknown Scope with ValidationError', async () => {
    const err = await failure(iam().send(new ListPoliciesCommand({ Scope: 'Everything' as 'All' })));
    expect(err).toMatchObject({ name: 'ValidationError', status: 400 });
  });

  it('returns policy versions with their documents, NoSuchEntity for unknown policies and versions', async () => {
    const arn = 'arn:aws:iam::111122223333:policy/AppDataRead';
    const versions = await iam().send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v1', false],
      ['v2', true],
    ]);
    const v2 = await iam().send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    expect(v2.PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(JSON.parse(decodeDocument(v2.PolicyVersion?.Document))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-data/*' }],
    });
    const v1 = await iam().send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect(v1.PolicyVersion?.IsDefaultVersion).toBe(false);
    const badVersion = await failure(iam().send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })));
    expect(badVersion).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    const badPolicy = await failure(iam().send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::111122223333:policy/Nope' })));
    expect(badPolicy).toMatchObject({ name: 'NoSuchEntityException', message: 'Policy arn:aws:iam::111122223333:policy/Nope does not exist or is not attachable.' });
  });
});

describe('sandbox IAM: refusals and protocol errors', () => {
  const env = useSandbox('iam-account.json');
  const iam = () => new IAMClient(env.config('iam'));
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [] });

  it('refuses every mutating call with AccessDenied naming the caller, action and resource, and counts it', async () => {
    const before = await fetchStats(env.endpoint);
    const attempts: Array<[string, Promise<unknown>, string]> = [
      ['CreateRole', iam().send(new CreateRoleCommand({ RoleName: 'backdoor', AssumeRolePolicyDocument: trust })), 'arn:aws:iam::111122223333:role/backdoor'],
      [
        'AttachRolePolicy',
        iam().send(new AttachRolePolicyCommand({ RoleName: 'ReadOnlyAuditor', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })),
        'arn:aws:iam::111122223333:role/ReadOnlyAuditor',
      ],
      ['PutRolePolicy', iam().send(new PutRolePolicyCommand({ RoleName: 'AdminRole', PolicyName: 'x', PolicyDocument: trust })), 'arn:aws:iam::111122223333:role/admin/AdminRole'],
      ['DeleteUser', iam().send(new DeleteUserCommand({ UserName: 'bob' })), 'arn:aws:iam::111122223333:user/contractors/bob'],
      ['CreateAccessKey', iam().send(new CreateAccessKeyCommand({ UserName: 'alice' })), 'arn:aws:iam::111122223333:user/alice'],
      [
        'UpdateAssumeRolePolicy',
        iam().send(new UpdateAssumeRolePolicyCommand({ RoleName: 'ReadOnlyAuditor', PolicyDocument: trust })),
        'arn:aws:iam::111122223333:role/ReadOnlyAuditor',
      ],
    ];
    for (const [operation, call, resource] of attempts) {
      const err = await failure(call);
      expect(err).toMatchObject({ name: 'AccessDenied', status: 403 });
      expect(err.message).toBe(
        `User: ${CALLER} is not authorized to perform: iam:${operation} on resource: ${resource} because no identity-based policy allows the iam:${operation} action`,
      );
    }
    const after = await fetchStats(env.endpoint);
    expect(after.faults.refusedWrites - before.faults.refusedWrites).toBe(attempts.length);
    expect(opCount(after, 'iam', 'AttachRolePolicy') - opCount(before, 'iam', 'AttachRolePolicy')).toBe(1);
    // The near miss: a read through the same sandbox is served, and nothing changed.
    const { AttachedPolicies } = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'ReadOnlyAuditor' }));
    expect(AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['ReadOnlyAccess']);
  });

  it('answers an action IAM does not have with InvalidAction, in IAM\'s error envelope', async () => {
    const before = await fetchStats(env.endpoint);
    const res = await fetch(env.endpoint + '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x',
      },
      body: 'Action=ListCrownJewels&Version=2010-05-08',
    });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">');
    expect(body).toContain('<Code>InvalidAction</Code>');
    const after = await fetchStats(env.endpoint);
    expect(after.faults.unknownOperations - before.faults.unknownOperations).toBe(1);
    expect(after.faults.refusedWrites).toBe(before.faults.refusedWrites);
  });
});

describe('sandbox IAM: throttling', () => {
  const env = useSandbox('iam-account.json', { throttleRate: 1 });

  it("answers IAM's Throttling error (400) when throttled", async () => {
    const err = await failure(new IAMClient(env.config('iam')).send(new ListRolesCommand({})));
    expect(err).toMatchObject({ name: 'Throttling', status: 400, message: 'Rate exceeded' });
    expect((await fetchStats(env.endpoint)).faults.throttled).toBeGreaterThanOrEqual(1);
  });
});

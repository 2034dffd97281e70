/**
 * Users judged through their groups: a group's inline and attached policies are the member's
 * policies too, so a user is an administrator (or can escalate) only through a group, and a
 * group's Deny takes a grant away. CIS 1.15 counts a user's own inline policies as well as its
 * attached ones. Through the sandbox and the real IAM client; denied group reads say `error`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTestAccount, useSandbox } from '../../test-support/sandbox.js';
import { startSandbox } from '../../sandbox/server.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const CREATED = '2026-01-01T00:00:00Z';
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const ADMIN = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
const DENY_ALL = doc({ Effect: 'Deny', Action: '*', Resource: '*' });
const user = (UserName: string, extra: object = {}) => ({ UserName, CreateDate: CREATED, ...extra });
const managed = (PolicyName: string, Document: object) => ({ PolicyName, CreateDate: CREATED, Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: CREATED, Document }] });
const arnOf = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

const account = {
  AccountId: ACCOUNT,
  Regions: { 'us-east-1': {} },
  IAM: {
    Users: [
      // Admin only through the group's inline policy.
      user('dana'),
      // In the same group, and in one that denies everything: the Deny wins.
      user('eve'),
      // Can escalate only through a group's attached policy.
      user('frank'),
      // In the same group, and in one that denies iam:*: no path left.
      user('gina'),
      // Its own inline policy (CIS 1.15 fails); no attached one.
      user('hank', { InlinePolicies: [{ PolicyName: 'own', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }] }),
      // Permissions only through a group: CIS 1.15 passes.
      user('ivan'),
    ],
    Groups: [
      { GroupName: 'breakglass', CreateDate: CREATED, Users: ['dana', 'eve'], InlinePolicies: [{ PolicyName: 'admin', PolicyDocument: ADMIN }] },
      { GroupName: 'frozen', CreateDate: CREATED, Users: ['eve'], InlinePolicies: [{ PolicyName: 'deny-all', PolicyDocument: DENY_ALL }] },
      { GroupName: 'deployers', CreateDate: CREATED, Users: ['frank', 'gina'], AttachedPolicies: [{ PolicyName: 'versioner', PolicyArn: arnOf('versioner') }] },
      { GroupName: 'no-iam', CreateDate: CREATED, Users: ['gina'], AttachedPolicies: [{ PolicyName: 'deny-iam', PolicyArn: arnOf('deny-iam') }] },
      { GroupName: 'readers', CreateDate: CREATED, Users: ['ivan'], AttachedPolicies: [{ PolicyName: 'group-admin', PolicyArn: arnOf('group-admin') }] },
    ],
    Policies: [
      managed('versioner', doc({ Effect: 'Allow', Action: ['iam:CreatePolicyVersion', 's3:ListBucket'], Resource: '*' })),
      managed('deny-iam', doc({ Effect: 'Deny', Action: 'iam:*', Resource: '*' })),
      // Attached to a group only: still attached (CIS 1.16).
      managed('group-admin', ADMIN),
      managed('unattached-admin', ADMIN),
    ],
  },
};

const CHECKS = ['iam_inline_policy_admin_star', 'iam_policy_privilege_escalation', 'iam_policy_admin_star', 'iam_user_attached_policies', 'iam_policy_sensitive_wildcard'];

describe('IAM checks through groups', () => {
  const env = useSandbox(account);
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { checks: [CHECKS.join(',')] });
  });

  it('reads every group, its members and policies once, with no error', () => {
    expect(audit.errors).toEqual([]);
    expect(audit.stats.byOperation['iam:ListGroups']).toBe(1);
    expect(audit.stats.byOperation['iam:GetGroup']).toBe(5);
    expect(audit.stats.byOperation['iam:ListAttachedGroupPolicies']).toBe(5);
    expect(audit.stats.byOperation['iam:GetGroupPolicy']).toBe(2);
    expect(audit.findings.filter((f) => f.status === 'error')).toEqual([]);
  });

  it('fails a user who is an administrator only through a group inline policy, and names the group', () => {
    const f = audit.verdict('iam_inline_policy_admin_star', 'dana');
    expect(f.status).toBe('fail');
    expect(f.message).toContain('inline policy admin of group breakglass');
  });

  it("passes the near miss: the same admin group, and another group's Deny wins", () => {
    expect(audit.verdict('iam_inline_policy_admin_star', 'eve').status).toBe('pass');
    expect(audit.verdict('iam_policy_privilege_escalation', 'eve').status).toBe('pass');
    expect(audit.verdict('iam_policy_sensitive_wildcard', 'eve').status).toBe('pass');
  });

  it('finds escalation through a group-attached policy, and none where a group denies iam:*', () => {
    const f = audit.verdict('iam_policy_privilege_escalation', 'frank');
    expect(f.status).toBe('fail');
    expect(JSON.stringify(f.evidence)).toContain(`managed policy ${arnOf('versioner')} of group deployers`);
    expect(audit.verdict('iam_policy_privilege_escalation', 'gina').status).toBe('pass');
  });

  it('counts a managed policy attached only to a group as attached (CIS 1.16)', () => {
    expect(audit.verdict('iam_policy_admin_star', 'group-admin').status).toBe('fail');
    expect(audit.verdict('iam_policy_admin_star', 'unattached-admin').status).toBe('pass');
  });

  it('CIS 1.15: fails a user with an inline policy of its own; passes users whose permissions come through groups', () => {
    const hank = audit.verdict('iam_user_attached_policies', 'hank');
    expect(hank.status).toBe('fail');
    expect(hank.evidence).toMatchObject({ attachedPolicies: [], inlinePolicies: ['own'] });
    for (const name of ['dana', 'eve', 'frank', 'gina', 'ivan']) expect(audit.verdict('iam_user_attached_policies', name).status, name).toBe('pass');
  });
});

describe('IAM checks through groups when group reads are denied', () => {
  it('says error for the users a denied group read could change, never pass', async () => {
    const sandbox = await startSandbox({ deny: ['GetGroupPolicy:arn:aws:iam::*:group/frozen'], account: loadTestAccount(account) });
    try {
      const audit = await auditSandbox(sandbox.endpoint, { checks: [CHECKS.join(',')] });
      // eve's Deny is in the unreadable policy: her verdicts cannot be known.
      expect(audit.verdict('iam_inline_policy_admin_star', 'eve').status).toBe('error');
      expect(audit.verdict('iam_policy_privilege_escalation', 'eve').status).toBe('error');
      // dana is not in that group: still judged.
      expect(audit.verdict('iam_inline_policy_admin_star', 'dana').status).toBe('fail');
    } finally {
      await sandbox.close();
    }
  });

  it('says error for every user when the group listing is denied, and still judges roles', async () => {
    const withRole = { ...account, IAM: { ...account.IAM, Roles: [{ RoleName: 'plain', CreateDate: CREATED, AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) }] } };
    const sandbox = await startSandbox({ deny: ['ListGroups:*'], account: loadTestAccount(withRole) });
    try {
      const audit = await auditSandbox(sandbox.endpoint, { checks: ['iam_inline_policy_admin_star,iam_policy_privilege_escalation'] });
      for (const name of ['dana', 'eve', 'hank']) expect(audit.verdict('iam_inline_policy_admin_star', name).status, name).toBe('error');
      expect(audit.verdict('iam_inline_policy_admin_star', 'plain').status).toBe('pass');
      expect(audit.verdict('iam_policy_privilege_escalation', 'plain').status).toBe('pass');
    } finally {
      await sandbox.close();
    }
  });
});

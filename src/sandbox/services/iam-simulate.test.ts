import { describe, expect, it } from 'vitest';
import { IAMClient, SimulatePrincipalPolicyCommand, type SimulatePrincipalPolicyCommandInput } from '@aws-sdk/client-iam';
import { useSandbox } from '../../test-support/sandbox.js';
import { evaluateActions } from '../../policy/index.js';

const role = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

describe('sandbox IAM: SimulatePrincipalPolicy (how --verify-readonly asks "can my role write?")', () => {
  const env = useSandbox('iam-account.json');
  const simulate = async (input: SimulatePrincipalPolicyCommandInput) =>
    (await new IAMClient(env.config('iam')).send(new SimulatePrincipalPolicyCommand(input))).EvaluationResults ?? [];
  const decisions = async (input: SimulatePrincipalPolicyCommandInput) => (await simulate(input)).map((r) => r.EvalDecision);

  it('gives a read-only role implicitDeny for writes and allowed for reads', async () => {
    const results = await simulate({ PolicySourceArn: role('ReadOnlyAuditor'), ActionNames: ['s3:PutObject', 's3:GetObject', 'iam:ListRoles', 'iam:CreateUser'] });
    expect(results.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision])).toEqual([
      ['s3:PutObject', '*', 'implicitDeny'],
      ['s3:GetObject', '*', 'allowed'],
      ['iam:ListRoles', '*', 'allowed'],
      ['iam:CreateUser', '*', 'implicitDeny'],
    ]);
    expect(results[0]!.MatchedStatements ?? []).toEqual([]);
    // Both the inline s3-read policy and the AWS-managed ReadOnlyAccess allow s3:GetObject.
    expect(results[1]!.MatchedStatements).toEqual([
      { SourcePolicyId: 's3-read', SourcePolicyType: 'role' },
      { SourcePolicyId: 'ReadOnlyAccess', SourcePolicyType: 'aws-managed' },
    ]);
  });

  it('allows everything for a role with Action "*:*", and for one with "*"', async () => {
    expect(await decisions({ PolicySourceArn: role('ops-wildcard'), ActionNames: ['s3:PutObject', 'iam:CreateAccessKey'] })).toEqual(['allowed', 'allowed']);
    expect(await decisions({ PolicySourceArn: role('admin/AdminRole'), ActionNames: ['s3:PutObject'] })).toEqual(['allowed']);
  });

  it('lets an explicit Deny win over an Allow, only on the resources it names', async () => {
    const results = await simulate({
      PolicySourceArn: role('GuardedAdmin'),
      ActionNames: ['s3:PutObject', 'S3:putobject'],
      ResourceArns: ['arn:aws:s3:::prod-data/report.csv', 'arn:aws:s3:::dev-data/report.csv'],
    });
    expect(results.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision])).toEqual([
      ['s3:PutObject', 'arn:aws:s3:::prod-data/report.csv', 'explicitDeny'],
      ['s3:PutObject', 'arn:aws:s3:::dev-data/report.csv', 'allowed'],
      ['S3:putobject', 'arn:aws:s3:::prod-data/report.csv', 'explicitDeny'],
      ['S3:putobject', 'arn:aws:s3:::dev-data/report.csv', 'allowed'],
    ]);
    expect(results[0]!.MatchedStatements).toEqual([{ SourcePolicyId: 'no-s3-writes', SourcePolicyType: 'role' }]);
  });

  it('evaluates only the default version of a customer managed policy', async () => {
    // AppDataRead v1 (not default) allows s3:*; v2 (default) only s3:GetObject on app-data.
    const results = await simulate({
      PolicySourceArn: role('service-role/lambda-exec'),
      ActionNames: ['s3:GetObject', 's3:DeleteObject'],
      ResourceArns: ['arn:aws:s3:::app-data/k'],
    });
    expect(results.map((r) => r.EvalDecision)).toEqual(['allowed', 'implicitDeny']);
    expect(results[0]!.MatchedStatements).toEqual([{ SourcePolicyId: 'AppDataRead', SourcePolicyType: 'user-managed' }]);
  });

  it('simulates users too, honouring NotAction', async () => {
    const bob = 'arn:aws:iam::111122223333:user/contractors/bob';
    expect(await decisions({ PolicySourceArn: bob, ActionNames: ['ec2:RunInstances', 'iam:CreateUser'] })).toEqual(['allowed', 'implicitDeny']);
  });

  it('adds the policies of PolicyInputList to the principal\'s', async () => {
    const extra = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] });
    const results = await simulate({ PolicySourceArn: role('ReadOnlyAuditor'), ActionNames: ['s3:PutObject'], PolicyInputList: [extra] });
    expect(results[0]).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none' }] });
  });

  it('answers NoSuchEntity for an unknown principal and InvalidInput for a malformed ARN', async () => {
    const fail = (input: SimulatePrincipalPolicyCommandInput) => simulate(input).catch((e: { name: string; $metadata: { httpStatusCode: number } }) => e);
    expect(await fail({ PolicySourceArn: role('Ghost'), ActionNames: ['s3:GetObject'] })).toMatchObject({ name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } });
    // The right name on the wrong path is not the role.
    expect(await fail({ PolicySourceArn: role('lambda-exec'), ActionNames: ['s3:GetObject'] })).toMatchObject({ name: 'NoSuchEntityException' });
    expect(await fail({ PolicySourceArn: 'arn:aws:iam::999999999999:role/ReadOnlyAuditor', ActionNames: ['s3:GetObject'] })).toMatchObject({ name: 'NoSuchEntityException' });
    expect(await fail({ PolicySourceArn: 'not-an-arn', ActionNames: ['s3:GetObject'] })).toMatchObject({ name: 'InvalidInputException', $metadata: { httpStatusCode: 400 } });
    expect(await fail({ PolicySourceArn: role('ReadOnlyAuditor'), ActionNames: [] })).toMatchObject({ name: 'ValidationError' });
  });
});

describe('policy engine as SimulatePrincipalPolicy uses it', () => {
  const allow = (Action: unknown, Resource: unknown = '*') => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });

  it('matches * and ? in actions, case-insensitively', () => {
    expect(evaluateActions([allow('ec2:Describe*')], 'EC2:DescribeInstances', '*')).toBe('allowed');
    expect(evaluateActions([allow('ec2:Describe*')], 'ec2:RunInstances', '*')).toBe('implicitDeny');
    expect(evaluateActions([allow('s3:Get?bject')], 's3:GetObject', '*')).toBe('allowed');
    expect(evaluateActions([allow('s3:Get?bject')], 's3:GetObjectAcl', '*')).toBe('implicitDeny');
  });

  it('matches resources by wildcard and honours NotResource', () => {
    expect(evaluateActions([allow('s3:GetObject', 'arn:aws:s3:::logs/*')], 's3:GetObject', 'arn:aws:s3:::logs/2026/01.gz')).toBe('allowed');
    expect(evaluateActions([allow('s3:GetObject', 'arn:aws:s3:::logs/*')], 's3:GetObject', 'arn:aws:s3:::secrets/key')).toBe('implicitDeny');
    const notResource = { Statement: { Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::secrets/*' } };
    expect(evaluateActions([notResource], 's3:GetObject', 'arn:aws:s3:::logs/x')).toBe('allowed');
    expect(evaluateActions([notResource], 's3:GetObject', 'arn:aws:s3:::secrets/x')).toBe('implicitDeny');
  });

  it('lets Deny win whatever the order of documents', () => {
    const deny = { Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] };
    expect(evaluateActions([allow('*'), deny], 's3:PutObject', '*')).toBe('explicitDeny');
    expect(evaluateActions([deny, allow('*')], 's3:PutObject', '*')).toBe('explicitDeny');
    expect(evaluateActions([deny, allow('*')], 'ec2:RunInstances', '*')).toBe('allowed');
  });

  it('reads documents given as JSON strings, and grants nothing from a malformed one', () => {
    expect(evaluateActions([JSON.stringify(allow('*'))], 'kms:Decrypt', '*')).toBe('allowed');
    expect(evaluateActions(['{not json', null, 42], 'kms:Decrypt', '*')).toBe('implicitDeny');
    expect(evaluateActions([], 'kms:Decrypt', '*')).toBe('implicitDeny');
  });
});

import { describe, expect, it } from 'vitest';
import { findPrivilegeEscalation } from './escalation.js';

const allow = (action: string | string[], resource: string | string[] = '*', extra: object = {}): object => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: resource, ...extra }],
});

function paths(...documents: unknown[]): string[] {
  return findPrivilegeEscalation(documents).findings.map((finding) => finding.path.id);
}

describe('findPrivilegeEscalation', () => {
  it('single-action paths are found from their action', () => {
    expect(paths(allow('iam:CreatePolicyVersion'))).toEqual(['CreatePolicyVersion']);
    expect(paths(allow('iam:SetDefaultPolicyVersion'))).toEqual(['SetDefaultPolicyVersion']);
    expect(paths(allow('iam:CreateAccessKey'))).toEqual(['CreateAccessKey']);
    expect(paths(allow('iam:AddUserToGroup'))).toEqual(['AddUserToGroup']);
    expect(paths(allow(['iam:CreateLoginProfile', 'iam:UpdateLoginProfile']))).toEqual(['CreateLoginProfile', 'UpdateLoginProfile']);
    expect(paths(allow(['iam:PutUserPolicy', 'iam:PutRolePolicy', 'iam:PutGroupPolicy']))).toEqual(['PutUserPolicy', 'PutGroupPolicy', 'PutRolePolicy']);
    expect(paths(allow(['iam:AttachUserPolicy', 'iam:AttachRolePolicy', 'iam:AttachGroupPolicy']))).toEqual(['AttachUserPolicy', 'AttachGroupPolicy', 'AttachRolePolicy']);
  });
  it('harmless IAM reads are no escalation', () => {
    expect(paths(allow(['iam:Get*', 'iam:List*']))).toEqual([]);
  });
  it('iam:PassRole with ec2:RunInstances is a path; either alone is not', () => {
    expect(paths(allow(['iam:PassRole', 'ec2:RunInstances']))).toEqual(['PassRole+EC2']);
    expect(paths(allow('iam:PassRole'))).toEqual([]);
    expect(paths(allow('ec2:RunInstances'))).toEqual([]);
  });
  it('PassRole with Lambda needs both CreateFunction and InvokeFunction', () => {
    expect(paths(allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction']))).toEqual(['PassRole+Lambda']);
    expect(paths(allow(['iam:PassRole', 'lambda:CreateFunction']))).toEqual([]);
  });
  it('PassRole with Glue, CloudFormation and ECS', () => {
    expect(paths(allow(['iam:PassRole', 'glue:CreateDevEndpoint']))).toEqual(['PassRole+Glue']);
    expect(paths(allow(['iam:PassRole', 'cloudformation:CreateStack']))).toEqual(['PassRole+CloudFormation']);
    expect(paths(allow(['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask']))).toEqual(['PassRole+ECS']);
    expect(paths(allow(['iam:PassRole', 'ecs:RunTask']))).toEqual([]);
  });
  it('UpdateAssumeRolePolicy needs sts:AssumeRole', () => {
    expect(paths(allow(['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole']))).toEqual(['UpdateAssumeRolePolicy+AssumeRole']);
    expect(paths(allow('iam:UpdateAssumeRolePolicy'))).toEqual([]);
  });
  it('actions spread over several documents combine', () => {
    const result = findPrivilegeEscalation([allow('iam:PassRole', 'arn:aws:iam::111122223333:role/app'), allow('ec2:RunInstances')]);
    expect(result.findings.map((f) => f.path.id)).toEqual(['PassRole+EC2']);
    expect(result.findings[0]?.grants).toMatchObject([
      { action: 'iam:PassRole', conditional: false, resources: ['arn:aws:iam::111122223333:role/app'], statements: [{ policyIndex: 0, statementIndex: 0, sid: undefined, pattern: 'iam:PassRole', conditional: false }] },
      { action: 'ec2:RunInstances', conditional: false, statements: [{ policyIndex: 1, statementIndex: 0, sid: undefined, pattern: 'ec2:RunInstances', conditional: false }] },
    ]);
  });
  it('iam:* grants every IAM-only path, and names the wildcard as the pattern', () => {
    const result = findPrivilegeEscalation([allow('iam:*')]);
    const ids = result.findings.map((f) => f.path.id);
    expect(ids).toContain('CreatePolicyVersion');
    expect(ids).toContain('AttachRolePolicy');
    expect(ids).not.toContain('PassRole+EC2');
    expect(ids).not.toContain('UpdateAssumeRolePolicy+AssumeRole');
    expect(result.findings[0]?.grants[0]?.statements[0]?.pattern).toBe('iam:*');
  });
  it('"*" grants every path', () => {
    expect(paths(allow('*'))).toHaveLength(23);
  });
  it('a NotAction Allow grants what it does not exclude', () => {
    const ids = paths({ Statement: { Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' } });
    expect(ids).toContain('UpdateFunctionCode');
    expect(ids).not.toContain('CreatePolicyVersion');
  });
  it('an unconditional Deny on every resource removes a path; a conditional one does not', () => {
    expect(paths(allow('iam:*'), { Statement: { Effect: 'Deny', Action: 'iam:CreatePolicyVersion', Resource: '*' } })).not.toContain('CreatePolicyVersion');
    expect(
      paths(allow('iam:*'), { Statement: { Effect: 'Deny', Action: 'iam:CreatePolicyVersion', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } } }),
    ).toContain('CreatePolicyVersion');
  });
  it('case-insensitive action names count', () => {
    expect(paths(allow('IAM:createpolicyversion'))).toEqual(['CreatePolicyVersion']);
  });
  it('marks conditional grants and reports unreadable documents', () => {
    const result = findPrivilegeEscalation([allow('iam:CreateAccessKey', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }), 'not json']);
    expect(result.findings[0]?.grants[0]?.statements[0]?.conditional).toBe(true);
    expect(result.invalidPolicies.map((p) => p.policyIndex)).toEqual([1]);
  });
});

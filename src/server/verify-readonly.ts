/**
 * `--verify-readonly`: ask IAM itself (SimulatePrincipalPolicy) whether the server's role
 * could perform representative write actions. The guard stops our code from writing; this
 * checks that the credentials could not write even if some other code used them.
 */
import { GetRoleCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { InfraAuditError } from '../errors.js';
import { awsErrorToInfraAuditError } from '../aws/errors.js';
import type { ServerSession } from './session.js';

/** Writes across the services the product reads: if any is allowed, the role is not read-only. */
export const PROBE_WRITE_ACTIONS = [
  's3:PutBucketPolicy',
  's3:DeleteBucket',
  's3:PutObject',
  's3:PutBucketAcl',
  's3:PutAccountPublicAccessBlock',
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
  'iam:CreateAccessKey',
  'iam:UpdateAssumeRolePolicy',
  'iam:PassRole',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:RunInstances',
  'ec2:TerminateInstances',
  'rds:ModifyDBInstance',
  'rds:DeleteDBInstance',
  'secretsmanager:GetSecretValue',
];

export interface ReadOnlyVerdict {
  roleArn: string;
  checked: string[];
  writable: string[];
}

/** The IAM principal behind an STS identity: an assumed-role session maps to its role. */
export async function principalArnFor(session: ServerSession, callerArn: string): Promise<string> {
  const assumed = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(callerArn);
  if (!assumed) return callerArn; // an IAM user ARN is simulated as is
  try {
    const role = await session.client('iam').send(new GetRoleCommand({ RoleName: assumed[3] }));
    return role.Role?.Arn ?? `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}`;
  } catch (err) {
    throw awsErrorToInfraAuditError(err, 'iam:GetRole');
  }
}

export async function verifyReadOnly(session: ServerSession, callerArn: string): Promise<ReadOnlyVerdict> {
  const roleArn = await principalArnFor(session, callerArn);
  let results;
  try {
    const res = await session.client('iam').send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: PROBE_WRITE_ACTIONS }));
    results = res.EvaluationResults ?? [];
  } catch (err) {
    throw awsErrorToInfraAuditError(err, 'iam:SimulatePrincipalPolicy');
  }
  if (results.length === 0) {
    throw new InfraAuditError('AWS_ERROR', `iam:SimulatePrincipalPolicy returned no results for ${roleArn}`, { hint: 'cannot verify read-only; run without --verify-readonly or check IAM' });
  }
  const writable = results.filter((r) => r.EvalDecision === 'allowed').map((r) => r.EvalActionName ?? '?');
  return { roleArn, checked: results.map((r) => r.EvalActionName ?? '?'), writable };
}

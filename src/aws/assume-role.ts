/**
 * `--assume-role ARN`: audit another account through a role it trusts us to assume.
 * Credentials come from sts:AssumeRole under the caller's own credentials, are refreshed
 * before they expire (a large account can take longer than a session), and carry a
 * session name that says who ran the audit, so CloudTrail in the audited account does too.
 */
import { userInfo } from 'node:os';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { InfraAuditError } from '../errors.js';
import { clientConfig } from './clients.js';
import { describeAwsError } from './errors.js';
import type { AwsSession } from './session.js';

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

export function parseRoleArn(arn: string): { accountId: string } {
  const m = ROLE_ARN.exec(arn);
  if (!m) {
    throw new InfraAuditError('USAGE', `--assume-role expects an IAM role ARN, got "${arn}"`, {
      hint: 'e.g. --assume-role arn:aws:iam::123456789012:role/InfraAuditReadOnly',
    });
  }
  return { accountId: m[2]! };
}

/** `infra-audit-<local user>`, within RoleSessionName's 64 characters of [\w+=,.@-]. */
export function roleSessionName(user: string = safeUserName()): string {
  const cleaned = user.replace(/[^\w+=,.@-]/g, '-') || 'unknown';
  return `infra-audit-${cleaned}`.slice(0, 64);
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** A credential provider that assumes `roleArn` with the base session's credentials, refreshing before expiry. */
export function assumeRoleCredentials(base: AwsSession, roleArn: string, sessionName = roleSessionName()): AwsCredentialIdentityProvider {
  parseRoleArn(roleArn);
  // The audit's clients carry the read-only guard, which refuses AssumeRole (it mints
  // credentials). This client exists for this one call and is never handed to anything else.
  const sts = new STSClient(clientConfig('sts', { ...base.options, region: base.defaultRegion }));
  let current: Promise<AwsCredentialIdentity> | undefined;
  const fetchCredentials = async (): Promise<AwsCredentialIdentity> => {
    try {
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 3600 }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } catch (err) {
      current = undefined;
      const { code, message } = describeAwsError(err);
      throw new InfraAuditError('AWS_ACCESS_DENIED', `cannot assume role ${roleArn}: ${code}: ${message}`, {
        hint: "the role's trust policy must allow your identity sts:AssumeRole; try `aws sts assume-role --role-arn " + roleArn + ' --role-session-name ' + sessionName + '`',
        cause: err,
      });
    }
  };
  return async () => {
    const cached = current ? await current : undefined;
    if (cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > REFRESH_BEFORE_EXPIRY_MS)) return cached;
    current = fetchCredentials();
    return current;
  };
}

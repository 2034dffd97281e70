/** STS: who we are and in which account, the first call of every audit. */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsSession } from '../../aws/session.js';

export interface CallerIdentity {
  accountId: string;
  arn: string;
  /** aws, aws-cn, aws-us-gov, from the caller's ARN. */
  partition: string;
}

/** Throws what the SDK threw: the engine turns a failure here into a one-line error (aws/errors.ts). */
export async function collectCallerIdentity(session: AwsSession): Promise<CallerIdentity> {
  const out = await session.client('sts').send(new GetCallerIdentityCommand({}));
  if (!out.Account || !out.Arn) throw new Error('sts:GetCallerIdentity returned no account');
  return { accountId: out.Account, arn: out.Arn, partition: out.Arn.split(':')[1] || 'aws' };
}

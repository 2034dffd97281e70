/**
 * How the data tools log in to a database, without a password in any config: a password
 * read from an environment variable at connect time, or an RDS IAM authentication token,
 * which @aws-sdk/rds-signer signs locally (SigV4 presigning, no network call) and which
 * expires after 15 minutes, so one is signed per new connection.
 */
import { Signer } from '@aws-sdk/rds-signer';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { InfraAuditError } from '../../errors.js';
import type { DatabaseEntry } from '../config.js';

export type PasswordSource = (() => Promise<string>) | undefined;

export function defaultPort(engine: DatabaseEntry['engine']): number {
  return engine === 'postgres' ? 5432 : 3306;
}

export interface CredentialOptions {
  /** AWS credentials for signing IAM tokens; the SDK's default chain when absent. */
  awsCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** The AWS profile the rest of the server uses (--profile), for the default chain. */
  profile?: string;
  env?: NodeJS.ProcessEnv;
}

/** Sign an RDS IAM authentication token for `db` (a presigned `connect` URL without the scheme). */
export async function rdsAuthToken(db: DatabaseEntry, options: CredentialOptions = {}): Promise<string> {
  if (!db.iamAuth) throw new InfraAuditError('INTERNAL', `database "${db.id}" does not use IAM authentication`);
  const signer = new Signer({
    hostname: db.host,
    port: db.port ?? defaultPort(db.engine),
    username: db.user,
    region: db.iamAuth.region,
    ...(options.awsCredentials ? { credentials: options.awsCredentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  try {
    return await signer.getAuthToken();
  } catch (err) {
    throw new InfraAuditError('AWS_CREDENTIALS', `cannot sign an RDS IAM token for database "${db.id}": ${(err as Error).message}`, {
      hint: 'the server needs AWS credentials allowed rds-db:connect on this database user',
      cause: err,
    });
  }
}

/** The password for a new connection, or undefined when the database needs none (trust, peer). */
export function passwordSource(db: DatabaseEntry, options: CredentialOptions = {}): PasswordSource {
  if (db.iamAuth) return () => rdsAuthToken(db, options);
  const name = db.passwordEnv;
  if (!name) return undefined;
  return async () => {
    const value = (options.env ?? process.env)[name];
    if (value === undefined) {
      throw new InfraAuditError('CONFIG_INVALID', `database "${db.id}": environment variable ${name} (passwordEnv) is not set`, {
        hint: `export ${name} in the server's environment, or use iamAuth`,
      });
    }
    return value;
  };
}

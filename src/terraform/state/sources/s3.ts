/**
 * Terraform's `s3` backend: `s3://bucket/key`, where a non-default workspace lives at
 * `<workspace_key_prefix>/<workspace>/<key>` (prefix `env:` unless configured otherwise).
 * Read with one GetObject through the product's one client factory, so the read-only guard,
 * endpoint and credentials are those of every other AWS call.
 */
import { InfraAuditError } from '../../../errors.js';
import { clientConfig, type AwsAccessOptions } from '../../../aws/clients.js';
import { tooLarge } from './file.js';
import type { StateText } from './types.js';

export interface S3StateOptions {
  aws?: AwsAccessOptions;
  /** A Terraform workspace other than `default`. */
  workspace?: string;
  workspaceKeyPrefix?: string;
  maxBytes: number;
}

export interface S3StateObject {
  bucket: string;
  key: string;
}

export function s3StateObject(spec: string, options: Pick<S3StateOptions, 'workspace' | 'workspaceKeyPrefix'> = {}): S3StateObject {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(spec);
  if (!match) {
    throw new InfraAuditError('USAGE', `${spec} is not an S3 state address`, { hint: 'Use s3://<bucket>/<key>, e.g. s3://tf-state/prod/terraform.tfstate.' });
  }
  const [, bucket, key] = match as unknown as [string, string, string];
  const workspace = options.workspace;
  if (!workspace || workspace === 'default') return { bucket, key };
  return { bucket, key: `${options.workspaceKeyPrefix ?? 'env:'}/${workspace}/${key}` };
}

export async function fetchS3State(spec: string, options: S3StateOptions): Promise<StateText> {
  const { bucket, key } = s3StateObject(spec, options);
  const location = `s3://${bucket}/${key}`;
  // Loaded on use: runs that read no S3 state do not pay for the SDK client's import.
  const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client(clientConfig('s3', options.aws));
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (object.ContentLength !== undefined && object.ContentLength > options.maxBytes) throw tooLarge(location, object.ContentLength, options.maxBytes);
    const text = (await object.Body?.transformToString('utf-8')) ?? '';
    return { text, source: { kind: 's3', location } };
  } catch (err) {
    throw s3Error(err, location);
  } finally {
    client.destroy();
  }
}

function s3Error(err: unknown, location: string): unknown {
  if (err instanceof InfraAuditError) return err;
  const name = (err as { name?: string }).name ?? '';
  if (name === 'NoSuchKey' || name === 'NotFound') {
    return new InfraAuditError('NOT_FOUND', `no state at ${location}`, { hint: 'Check the key and, for a workspace, its key prefix (default env:/<workspace>/<key>).', cause: err });
  }
  if (name === 'NoSuchBucket') return new InfraAuditError('NOT_FOUND', `bucket of ${location} does not exist`, { cause: err });
  if (name === 'AccessDenied' || name === 'Forbidden') {
    return new InfraAuditError('AWS_ACCESS_DENIED', `access denied reading ${location}`, { hint: 'The credentials need s3:GetObject on the state object (and kms:Decrypt if it is SSE-KMS encrypted).', cause: err });
  }
  if (name === 'CredentialsProviderError') {
    return new InfraAuditError('AWS_CREDENTIALS', `no AWS credentials to read ${location}`, { hint: 'Configure credentials as for the AWS CLI (profile, SSO, environment or instance role).', cause: err });
  }
  const code = (err as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || name === 'TimeoutError') {
    return new InfraAuditError('AWS_UNREACHABLE', `cannot reach S3 to read ${location}`, { cause: err });
  }
  return new InfraAuditError('AWS_ERROR', `reading ${location} failed: ${name || String(err)}`, { cause: err });
}

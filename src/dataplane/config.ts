/**
 * The data-plane config file (`--data-config FILE`): which S3 buckets and which databases
 * the data tools may read. An explicit allowlist; no password is ever stored in it, only the
 * name of an environment variable or RDS IAM authentication.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InfraAuditError } from '../errors.js';
import { unsafeKeyReason } from '../aws/s3-keys.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** "bucket" or "bucket/prefix/": the prefix narrows what may be listed and read. */
export const BucketEntry = z
  .string()
  .refine((s) => BUCKET_NAME.test(s.split('/')[0]!), 'a bucket name (3-63 lowercase letters, digits, dots, hyphens), optionally followed by /prefix')
  .refine((s) => !s.includes('/') || unsafeKeyReason(s.slice(s.indexOf('/') + 1)) === undefined, 'a prefix without "." or ".." segments, "//" or an encoded form of them');

export const DATABASE_ID = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

export const DatabaseEntry = z.strictObject({
  /** The name the agent uses in query_db; for a Terraform-managed instance, its identifier. */
  id: z.string().regex(DATABASE_ID, 'a letter, then letters, digits, _ or - (at most 63)'),
  engine: z.enum(['postgres', 'mysql']).describe('mysql covers MySQL and MariaDB'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).optional(),
  database: z.string().min(1),
  user: z.string().min(1),
  /** Name of the environment variable holding the password; the password itself never appears here. */
  passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  /** Sign an RDS IAM authentication token (locally, with the server's AWS credentials) instead of a password. */
  iamAuth: z.strictObject({ region: z.string().min(1) }).optional(),
  /** TLS: true verifies the server certificate; { rejectUnauthorized: false } encrypts without verifying. */
  ssl: z.union([z.boolean(), z.strictObject({ rejectUnauthorized: z.boolean().optional(), ca: z.string().optional() })]).optional(),
  /**
   * Allow connecting as a user that can act outside a transaction (PostgreSQL superuser or
   * pg_write_server_files/pg_execute_server_program; MySQL FILE or SUPER). Off: such a user
   * is refused, because COPY TO PROGRAM or SELECT ... INTO OUTFILE are not stopped by READ ONLY.
   */
  allowPrivilegedUser: z.boolean().optional(),
  /** Pool size for this database (default 2). */
  maxConnections: z.number().int().min(1).max(10).optional(),
});
export type DatabaseEntry = z.infer<typeof DatabaseEntry>;

export const QueryLimits = z.strictObject({
  statementTimeoutMs: z.number().int().min(100).max(300_000).optional(),
  maxRows: z.number().int().min(1).max(100_000).optional(),
  maxBytes: z.number().int().min(1_000).max(10_000_000).optional(),
});
export type QueryLimits = z.infer<typeof QueryLimits>;

export const DataPlaneConfig = z.strictObject({
  buckets: z.array(BucketEntry).default([]),
  databases: z.array(DatabaseEntry).default([]),
  limits: QueryLimits.optional(),
  terraform: z
    .strictObject({
      /** Add the Terraform-managed buckets and RDS instances to the allowlist (default false; `serve --data-from-state` sets it). */
      include: z.boolean().optional(),
      /** How to log in to Terraform-managed instances: never the master user from state. */
      databaseLogin: z
        .strictObject({
          user: z.string().min(1),
          passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
          iamAuth: z.boolean().optional(),
          ssl: DatabaseEntry.shape.ssl,
        })
        .optional(),
    })
    .optional(),
});
export type DataPlaneConfig = z.infer<typeof DataPlaneConfig>;

export function parseDataPlaneConfig(value: unknown, source: string): DataPlaneConfig {
  const parsed = DataPlaneConfig.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const path = first.path.length ? first.path.join('.') : '(root)';
    throw new InfraAuditError('CONFIG_INVALID', `${source}: ${path}: ${first.message}`, {
      hint: 'the data-plane config is JSON: { "buckets": ["name" | "name/prefix/"], "databases": [{ "id", "engine": "postgres"|"mysql", "host", "port", "database", "user", "passwordEnv" | "iamAuth": { "region" } }] } (docs/data-plane.md)',
    });
  }
  const ids = new Set<string>();
  for (const db of parsed.data.databases) {
    if (ids.has(db.id)) throw new InfraAuditError('CONFIG_INVALID', `${source}: databases: duplicate id "${db.id}"`, { hint: 'give every database a unique id' });
    ids.add(db.id);
    if (db.passwordEnv && db.iamAuth) {
      throw new InfraAuditError('CONFIG_INVALID', `${source}: database "${db.id}" sets both passwordEnv and iamAuth`, { hint: 'choose one way to log in' });
    }
  }
  return parsed.data;
}

export async function loadDataPlaneConfig(path: string): Promise<DataPlaneConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InfraAuditError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `cannot read the data-plane config ${path}: ${code ?? String(err)}`, {
      hint: 'pass --data-config with the path of a JSON file (docs/data-plane.md)',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InfraAuditError('CONFIG_INVALID', `${path} is not valid JSON: ${(err as Error).message}`, { hint: 'check the file with `jq . FILE`' });
  }
  return parseDataPlaneConfig(json, path);
}

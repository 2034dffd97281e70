/**
 * What the data tools may touch: an explicit allowlist of buckets (optionally narrowed to a
 * prefix) and databases, from the data-plane config and, when the operator asks for it
 * (`--data-from-state` or `terraform.include: true`), from the buckets and RDS instances
 * Terraform manages. Every data tool asks this scope first; the bucket that holds Terraform
 * state is never derived into it, is refused here, and is refused again by the SDK guard.
 */
import { InfraAuditError } from '../errors.js';
import { unsafeKeyReason } from '../aws/s3-keys.js';
import { DATABASE_ID, type DataPlaneConfig, type DatabaseEntry } from './config.js';

export type Origin = 'config' | 'terraform';

export interface AllowedBucket {
  bucket: string;
  /** '' for the whole bucket. */
  prefix: string;
  origin: Origin;
  /** Terraform address, when the bucket came from state. */
  address?: string;
}

export interface AllowedDatabase extends DatabaseEntry {
  origin: Origin;
  address?: string;
}

/**
 * One resource from Terraform state, in the shape the state loader hands over: the
 * resource type, its address, and the instance's attributes (`values` in `terraform show
 * -json`, `instances[].attributes` in a raw state file).
 */
export interface TerraformDataResource {
  type: string;
  address: string;
  attributes: Record<string, unknown>;
}

export interface SkippedResource {
  address: string;
  reason: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** RDS engine names to the driver that speaks their protocol; others (Oracle, SQL Server) are not supported. */
function driverEngine(engine: string | undefined): 'postgres' | 'mysql' | undefined {
  if (!engine) return undefined;
  if (engine === 'postgres' || engine === 'aurora-postgresql') return 'postgres';
  if (engine === 'mysql' || engine === 'mariadb' || engine === 'aurora-mysql' || engine === 'aurora') return 'mysql';
  return undefined;
}

export class DataPlaneScope {
  readonly buckets: readonly AllowedBucket[];
  readonly databases: readonly AllowedDatabase[];
  /** Terraform resources that could not become a data source, and why. */
  readonly skipped: readonly SkippedResource[];
  readonly config: DataPlaneConfig;

  private constructor(config: DataPlaneConfig, buckets: AllowedBucket[], databases: AllowedDatabase[], skipped: SkippedResource[]) {
    this.config = config;
    this.buckets = buckets;
    this.databases = databases;
    this.skipped = skipped;
  }

  static fromConfig(config: DataPlaneConfig): DataPlaneScope {
    const buckets = config.buckets.map((entry): AllowedBucket => {
      const slash = entry.indexOf('/');
      return slash < 0 ? { bucket: entry, prefix: '', origin: 'config' } : { bucket: entry.slice(0, slash), prefix: entry.slice(slash + 1), origin: 'config' };
    });
    return new DataPlaneScope(config, buckets, config.databases.map((d) => ({ ...d, origin: 'config' })), []);
  }

  /**
   * The seam for Terraform state: a new scope that adds the managed S3 buckets and RDS
   * instances/clusters to this one, only when the config says `terraform.include: true`
   * (reading data is opt-in). Entries from the config win over state entries with the same
   * bucket or id; a protected bucket (it holds state) is never added.
   */
  withState(resources: Iterable<TerraformDataResource>, protectedBuckets: ReadonlySet<string> = new Set()): DataPlaneScope {
    if (this.config.terraform?.include !== true) return this;
    const buckets = [...this.buckets];
    const databases = [...this.databases];
    const skipped = [...this.skipped];
    const login = this.config.terraform?.databaseLogin;
    for (const r of resources) {
      const a = r.attributes;
      if (r.type === 'aws_s3_bucket') {
        const name = str(a.bucket) ?? str(a.id);
        if (name && protectedBuckets.has(name)) {
          skipped.push({ address: r.address, reason: 'holds Terraform state (a protected bucket): its objects are never readable' });
          continue;
        }
        if (name && !buckets.some((b) => b.bucket === name)) buckets.push({ bucket: name, prefix: '', origin: 'terraform', address: r.address });
        continue;
      }
      const isInstance = r.type === 'aws_db_instance';
      if (!isInstance && r.type !== 'aws_rds_cluster') continue;
      const id = str(isInstance ? a.identifier : a.cluster_identifier) ?? str(a.id);
      const engine = driverEngine(str(a.engine));
      // A cluster is read through its reader endpoint: an audit never needs the writer.
      const host = isInstance ? str(a.address) : (str(a.reader_endpoint) ?? str(a.endpoint));
      const database = str(a.db_name) ?? str(a.name) ?? str(a.database_name);
      const region = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):/.exec(str(a.arn) ?? '')?.[1];
      const problem = !id || !DATABASE_ID.test(id)
        ? 'no usable identifier'
        : !engine
          ? `engine ${str(a.engine) ?? '(none)'} is not PostgreSQL or MySQL/MariaDB`
          : !host
            ? 'no endpoint in state (not yet created?)'
            : !database
              ? 'no initial database name in state; add it to the data-plane config with the database to read'
              : !login
                ? 'no terraform.databaseLogin in the data-plane config (the master user from state is never used)'
                : login.iamAuth && !region
                  ? 'iamAuth needs the region, and the state has no ARN'
                  : undefined;
      if (problem) {
        skipped.push({ address: r.address, reason: problem });
        continue;
      }
      if (databases.some((d) => d.id === id)) continue;
      const port = typeof a.port === 'number' ? a.port : undefined;
      databases.push({
        id: id!,
        engine: engine!,
        host: host!,
        ...(port ? { port } : {}),
        database: database!,
        user: login!.user,
        ...(login!.passwordEnv ? { passwordEnv: login!.passwordEnv } : {}),
        ...(login!.iamAuth ? { iamAuth: { region: region! } } : {}),
        ...(login!.ssl !== undefined ? { ssl: login!.ssl } : {}),
        origin: 'terraform',
        address: r.address,
      });
    }
    return new DataPlaneScope(this.config, buckets, databases, skipped);
  }

  /** Config plus state, in one call: the form the server start-up uses. */
  static fromState(config: DataPlaneConfig, resources: Iterable<TerraformDataResource>, protectedBuckets?: ReadonlySet<string>): DataPlaneScope {
    return DataPlaneScope.fromConfig(config).withState(resources, protectedBuckets);
  }

  private describeBuckets(protectedBuckets: ReadonlySet<string>): string {
    const allowed = this.buckets.filter((b) => !protectedBuckets.has(b.bucket)).map((b) => (b.prefix ? `${b.bucket}/${b.prefix}` : b.bucket));
    return allowed.length ? allowed.join(', ') : '(none: the data-plane config lists no buckets)';
  }

  private refuseProtected(bucket: string, protectedBuckets: ReadonlySet<string>): void {
    if (protectedBuckets.has(bucket)) {
      throw new InfraAuditError('SECRET_READ_REFUSED', `objects of bucket "${bucket}" are refused: it holds Terraform state, which holds secrets`, {
        hint: `the data tools read only these buckets: ${this.describeBuckets(protectedBuckets)}`,
      });
    }
  }

  /** Keys and prefixes are compared as strings, so any that a server could resolve differently is refused first. */
  private refuseUnsafe(what: 'object key' | 'prefix', value: string): void {
    const unsafe = unsafeKeyReason(value);
    if (unsafe) {
      throw new InfraAuditError('INVALID_INPUT', `${what} is refused: ${unsafe}`, {
        hint: 'use keys and prefixes exactly as list_files returns them; "." and ".." segments, "//" and their encoded forms are never accepted',
      });
    }
  }

  private entriesFor(bucket: string, protectedBuckets: ReadonlySet<string>): AllowedBucket[] {
    this.refuseProtected(bucket, protectedBuckets);
    const entries = this.buckets.filter((b) => b.bucket === bucket);
    if (!entries.length) {
      throw new InfraAuditError('INVALID_INPUT', `bucket "${bucket}" is not in the data-plane allowlist`, {
        hint: `allowed: ${this.describeBuckets(protectedBuckets)} (call list_data_sources)`,
      });
    }
    return entries;
  }

  /** The prefix a listing of `bucket` under `prefix` may use: the request itself, or narrowed to the one allowed prefix. */
  listingPrefix(bucket: string, prefix: string, protectedBuckets: ReadonlySet<string>): string {
    if (prefix) this.refuseUnsafe('prefix', prefix);
    const entries = this.entriesFor(bucket, protectedBuckets);
    if (entries.some((e) => prefix.startsWith(e.prefix))) return prefix;
    const within = entries.filter((e) => e.prefix.startsWith(prefix));
    if (within.length === 1) return within[0]!.prefix;
    throw new InfraAuditError('INVALID_INPUT', `prefix "${prefix}" of bucket "${bucket}" is outside the data-plane allowlist`, {
      hint: `allowed in this bucket: ${entries.map((e) => `${e.bucket}/${e.prefix}`).join(', ')}`,
    });
  }

  /** Throws unless the object `bucket/key` may be read. */
  assertObjectReadable(bucket: string, key: string, protectedBuckets: ReadonlySet<string>): void {
    this.refuseUnsafe('object key', key);
    const entries = this.entriesFor(bucket, protectedBuckets);
    if (!entries.some((e) => key.startsWith(e.prefix))) {
      throw new InfraAuditError('INVALID_INPUT', `object "${key}" of bucket "${bucket}" is outside the data-plane allowlist`, {
        hint: `allowed in this bucket: ${entries.map((e) => `${e.bucket}/${e.prefix}`).join(', ')}`,
      });
    }
  }

  database(id: string): AllowedDatabase {
    const db = this.databases.find((d) => d.id === id);
    if (!db) {
      const ids = this.databases.map((d) => d.id);
      throw new InfraAuditError('INVALID_INPUT', `database "${id}" is not in the data-plane allowlist`, {
        hint: ids.length ? `allowed: ${ids.join(', ')} (call list_data_sources)` : 'no database is configured: list one in the data-plane config (docs/data-plane.md)',
      });
    }
    return db;
  }
}

/** What the data tools can reach, in short form: `bucket`, `bucket/prefix/`, `id (engine host/database)`. Protected buckets are left out. */
export function dataSourcesOf(scope: DataPlaneScope, protectedBuckets: ReadonlySet<string>): { buckets: string[]; databases: string[] } {
  return {
    buckets: scope.buckets.filter((b) => !protectedBuckets.has(b.bucket)).map((b) => (b.prefix ? `${b.bucket}/${b.prefix}` : b.bucket)),
    databases: scope.databases.map((d) => `${d.id} (${d.engine} ${d.host}/${d.database})`),
  };
}

/**
 * The data plane of one server: the scope (what may be read) and one driver per database,
 * made on first use with a bounded pool. Tools reach it through the session.
 */
import { InfraAuditError } from '../errors.js';
import type { ServerSession } from '../server/session.js';
import type { QueryLimits } from './config.js';
import type { DataPlaneScope, TerraformDataResource } from './scope.js';
import type { CredentialOptions } from './db/credentials.js';
import { DEFAULT_LIMITS, type DatabaseDriver, type ResolvedLimits } from './db/driver.js';
import { PostgresDriver } from './db/postgres.js';
import { MysqlDriver } from './db/mysql.js';

export interface DataPlaneOptions extends CredentialOptions {
  /** Limits that override the config file's (tests, the demo). */
  limits?: QueryLimits;
}

export class DataPlane {
  private readonly drivers = new Map<string, DatabaseDriver>();
  readonly limits: ResolvedLimits;

  constructor(
    public scope: DataPlaneScope,
    private readonly options: DataPlaneOptions = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...scope.config.limits, ...options.limits } as ResolvedLimits;
  }

  /** Add the Terraform-managed buckets and RDS instances of the loaded states to what may be read. */
  adoptState(resources: Iterable<TerraformDataResource>, protectedBuckets?: ReadonlySet<string>): void {
    this.scope = this.scope.withState(resources, protectedBuckets);
  }

  /** The limits for one call: a caller may ask for less than the configured caps, never more. */
  limitsFor(request: { maxRows?: number; timeoutMs?: number }): ResolvedLimits {
    return {
      maxRows: Math.min(request.maxRows ?? this.limits.maxRows, this.limits.maxRows),
      maxBytes: this.limits.maxBytes,
      statementTimeoutMs: Math.min(request.timeoutMs ?? this.limits.statementTimeoutMs, this.limits.statementTimeoutMs),
    };
  }

  driver(id: string): DatabaseDriver {
    const db = this.scope.database(id);
    let driver = this.drivers.get(db.id);
    if (!driver) {
      driver = db.engine === 'postgres' ? new PostgresDriver(db, this.options) : new MysqlDriver(db, this.options);
      this.drivers.set(db.id, driver);
    }
    return driver;
  }

  async close(): Promise<void> {
    const drivers = [...this.drivers.values()];
    this.drivers.clear();
    await Promise.allSettled(drivers.map((d) => d.close()));
  }
}

/** The session's data plane, or an error that says how to configure one. */
export function dataPlaneOf(session: ServerSession): DataPlane {
  const plane = session.options.dataPlane;
  if (!plane) {
    throw new InfraAuditError('CONFIG_INVALID', 'no data plane is configured on this server', {
      hint: 'the data tools are off unless the operator enables them: serve --data-config FILE (an allowlist) or --data-from-state (the buckets and databases Terraform manages); docs/data-plane.md',
    });
  }
  return plane;
}

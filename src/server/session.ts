/**
 * What every tool shares in one server process: AWS access (guarded clients, one per
 * service and region), the identity the server runs as, and the Terraform inputs.
 * Built once at start; tools read from it and never construct clients themselves.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsAccessOptions, ServiceId } from '../aws/clients.js';
import { AwsSession, type ClientFor } from '../aws/session.js';
import { awsErrorToInfraAuditError } from '../aws/errors.js';
import { attachAwsCallAudit, type AwsCallRecorder } from '../audit-log/aws-middleware.js';
import type { ToolSurface } from './registry.js';
import { Redactor } from '../redact/redactor.js';
import type { DataPlane } from '../dataplane/data-plane.js';
import { InventoryCache } from './inventory-cache.js';
import { s3BackendBuckets } from '../terraform/config/backend.js';


export interface ServerSessionOptions {
  aws: AwsAccessOptions;
  /** Terraform state specs (paths, globs, s3://, https://, tfc://). */
  statePaths?: string[];
  /** Terraform root module directory. */
  configDir?: string;
  /** Buckets whose objects are never readable by tools (the state bucket is added automatically). */
  protectedBuckets?: string[];
  /** Shared with other components (the audit log) so that what one learns all redact. */
  redactor?: Redactor;
  /** Records every AWS call (the audit log); its middleware wraps the read-only guard. */
  awsCallRecorder?: AwsCallRecorder;
  /** Buckets and databases the data tools may read (--data-config); absent: the data tools refuse. */
  dataPlane?: DataPlane;
  /** How long the tools reuse an inventory read (default 5 minutes); `refresh: true` re-reads sooner. */
  inventoryTtlMs?: number;
}

export interface CallerIdentity {
  accountId: string;
  arn: string;
  userId: string;
}

export class ServerSession {
  readonly options: ServerSessionOptions;
  /**
   * The one redactor of this server: every tool result, error text and audit record passes
   * through it, and it learns the exact secret values of every Terraform state loaded.
   */
  readonly redactor: Redactor;
  readonly protectedBuckets = new Set<string>();
  private awsSession: AwsSession | undefined;
  private identityPromise: Promise<CallerIdentity> | undefined;
  private surface: ToolSurface = { tools: [], actions: [], dataActions: [] };
  private inventoryCache: InventoryCache | undefined;

  constructor(options: ServerSessionOptions) {
    this.options = options;
    this.redactor = options.redactor ?? new Redactor();
    for (const b of options.protectedBuckets ?? []) this.protectedBuckets.add(b);
    for (const spec of options.statePaths ?? []) {
      const m = /^s3:\/\/([^/]+)\//.exec(spec);
      if (m) this.protectedBuckets.add(m[1]!);
    }
  }

  /**
   * Protect the buckets the configuration's `backend "s3"` blocks name, so a state loaded
   * from a local file still has its bucket protected (`serve --state ./terraform.tfstate --config .`).
   */
  async protectBackendBuckets(): Promise<string[]> {
    if (!this.options.configDir) return [];
    const buckets = await s3BackendBuckets(this.options.configDir);
    for (const b of buckets) this.protectedBuckets.add(b);
    return buckets;
  }

  get defaultRegion(): string {
    return this.options.aws.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  }

  /**
   * The server's AWS access: one AwsSession (the client factory every other command uses),
   * its clients guarded (the state bucket protected) and recorded by the audit log.
   */
  get aws(): AwsSession {
    this.awsSession ??= new AwsSession({
      ...this.options.aws,
      region: this.defaultRegion,
      ...(this.options.aws.maxAttempts ? { retry: { maxAttempts: this.options.aws.maxAttempts } } : {}),
      guard: { protectedBuckets: this.protectedBuckets },
      onNewClient: (client, _service, region) => {
        if (this.options.awsCallRecorder) attachAwsCallAudit(client as never, this.options.awsCallRecorder, region);
      },
    });
    return this.awsSession;
  }

  /** A guarded client for `service` in `region` (default region when omitted). */
  client<S extends ServiceId>(service: S, region?: string): ClientFor<S> {
    return this.aws.client(service, region ?? this.defaultRegion);
  }

  /** The tools this server exposes and the IAM actions they need (set when the server is built). */
  toolSurface(): ToolSurface {
    return this.surface;
  }

  setToolSurface(surface: ToolSurface): void {
    this.surface = surface;
  }

  /** The inventory and check runs the tools share, read on first use and kept for the TTL. */
  get inventory(): InventoryCache {
    this.inventoryCache ??= new InventoryCache(this, this.options.inventoryTtlMs);
    return this.inventoryCache;
  }

  /** The AWS identity the server runs as (resolved once). */
  identity(): Promise<CallerIdentity> {
    this.identityPromise ??= this.client('sts')
      .send(new GetCallerIdentityCommand({}))
      .then((r) => ({ accountId: r.Account ?? '', arn: r.Arn ?? '', userId: r.UserId ?? '' }))
      .catch((err: unknown) => {
        this.identityPromise = undefined;
        throw awsErrorToInfraAuditError(err, 'sts:GetCallerIdentity');
      });
    return this.identityPromise;
  }

  close(): void {
    this.awsSession?.destroy();
    this.awsSession = undefined;
    void this.options.dataPlane?.close();
  }
}

/**
 * One audit's view of AWS: clients built from `clientConfig` (the one place clients are
 * configured), each behind the read-only guard, cached per service and region, sharing one
 * retry strategy, one concurrency limit per service, and one call counter.
 */
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EFSClient } from '@aws-sdk/client-efs';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { setMaxListeners } from 'node:events';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { clientConfig, type AwsAccessOptions, type ServiceId } from './clients.js';
import { ADAPTIVE_START, AimdLimiter, DEFAULT_CEILING, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, SERVICE_CEILINGS, Semaphore } from './concurrency.js';
import { auditMiddleware, runLimited, type CallCounter } from './middleware.js';
import { attachReadOnlyGuard, type ReadOnlyGuardOptions } from './read-only-guard.js';
import { BackoffRetryStrategy, type RetryCounters, type RetryOptions } from './retry.js';

const CLIENT_CLASSES = {
  sts: STSClient,
  s3: S3Client,
  s3control: S3ControlClient,
  iam: IAMClient,
  ec2: EC2Client,
  rds: RDSClient,
  cloudwatch: CloudWatchClient,
  cloudtrail: CloudTrailClient,
  config: ConfigServiceClient,
  kms: KMSClient,
  logs: CloudWatchLogsClient,
  sns: SNSClient,
  sqs: SQSClient,
  lambda: LambdaClient,
  ecr: ECRClient,
  secretsmanager: SecretsManagerClient,
  efs: EFSClient,
  accessanalyzer: AccessAnalyzerClient,
  securityhub: SecurityHubClient,
  guardduty: GuardDutyClient,
  account: AccountClient,
} as const;

export type ClientFor<S extends ServiceId> = InstanceType<(typeof CLIENT_CLASSES)[S]>;

export { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './concurrency.js';

const GLOBAL_SERVICES: ReadonlySet<ServiceId> = new Set(['iam', 's3', 's3control', 'sts', 'account']);

export interface AwsSessionOptions extends AwsAccessOptions {
  /**
   * Requests in flight per service: the ceiling the adaptive limit grows to (default: the
   * service's ceiling, SERVICE_CEILINGS), or the fixed limit with `adaptive: false`.
   */
  concurrency?: number;
  /** Adapt each service's limit to throttling, AIMD (default true); false keeps it fixed at `concurrency`. */
  adaptive?: boolean;
  /** `global`: one limit shared by every service (with concurrency 1, one call at a time: the benchmark's baseline). */
  limitScope?: 'service' | 'global';
  retry?: RetryOptions;
  /** Options of the read-only guard on every client (the MCP server protects the state bucket). */
  guard?: ReadOnlyGuardOptions;
  /**
   * Called with each new client before the guard is attached, so middleware added here runs
   * outside the guard and sees refused calls too (the audit log's AWS-call records).
   */
  onNewClient?: (client: { middlewareStack: unknown }, service: ServiceId, region: string) => void;
  /**
   * Cancels the session's calls: in flight (the socket is destroyed), waiting for a slot, or
   * waiting to retry. Each then fails with the SDK's AbortError.
   */
  signal?: AbortSignal;
}

export interface SessionStats extends CallCounter {
  retry: RetryCounters;
}

export class AwsSession {
  readonly defaultRegion: string;
  readonly stats: SessionStats = { apiCalls: 0, byOperation: {}, byService: {}, retry: { retries: 0, throttled: 0, exhausted: 0 } };
  private readonly retryStrategy: BackoffRetryStrategy;
  private readonly clients = new Map<string, unknown>();
  /** Every client of every pool. */
  private readonly members: unknown[] = [];
  private readonly limiters = new Map<string, Semaphore>();

  constructor(
    readonly options: AwsSessionOptions = {},
    /** Shared with sessions derived from this one (assumed roles), so a run counts once. */
    stats?: SessionStats,
  ) {
    if (stats) this.stats = stats;
    this.defaultRegion = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    this.retryStrategy = new BackoffRetryStrategy(options.retry, this.stats.retry);
    // Every call in flight listens on the signal: thousands at once is the design, not a leak.
    if (options.signal) setMaxListeners(0, options.signal);
  }

  /** A session with other credentials (an assumed role) and the same limits and counters. */
  withCredentials(credentials: NonNullable<AwsAccessOptions['credentials']>): AwsSession {
    return new AwsSession({ ...this.options, profile: undefined, credentials }, this.stats);
  }

  client<S extends ServiceId>(service: S, region: string = this.defaultRegion): ClientFor<S> {
    const key = `${service}:${region}`;
    let client = this.clients.get(key) as ClientFor<S> | undefined;
    if (!client) {
      const limiter = this.limiter(service, region);
      // Each client's throttled attempts reach its service's limiter; counts stay shared.
      const retryStrategy = limiter instanceof AimdLimiter ? new BackoffRetryStrategy(this.options.retry, this.stats.retry, Math.random, () => limiter.onThrottle()) : this.retryStrategy;
      const config = clientConfig(service, {
        ...this.options,
        region,
        maxAttempts: retryStrategy.maxAttempts,
        retryStrategy,
      });
      const signal = this.options.signal;
      if (signal) config.requestHandler = cancellingHandler(config.requestHandler as NodeHttpHandler, signal);
      // The SDK resolves a command's middleware once per client and command class instead of on
      // every call (a tenth of a call's CPU). The resolved handler carries one context that its
      // calls write into (endpoint, auth scheme, identity), so the pool below never lets two calls
      // of one command class run on one client at once.
      config.cacheMiddleware = true;
      const Client = CLIENT_CLASSES[service] as unknown as new (config: object) => ClientFor<S>;
      let memberConfig: object = config;
      const make = (): ClientFor<S> => {
        const raw = new Client(memberConfig);
        // Later members share the first one's credential provider: credentials resolve once per pool.
        if (memberConfig === config) memberConfig = { ...config, credentials: (raw as unknown as { config: { credentials: unknown } }).config.credentials };
        this.options.onNewClient?.(raw as { middlewareStack: unknown }, service, region);
        const guarded = attachReadOnlyGuard(raw, this.options.guard);
        (guarded.middlewareStack as { use(p: unknown): void }).use(auditMiddleware(service, this.stats, signal));
        this.members.push(guarded);
        return guarded;
      };
      client = pooled(make, (call) => runLimited(service, limiter, this.stats, call));
      this.clients.set(key, client);
    }
    return client;
  }

  /** Clients in each service and region's pool (tests: a pool grows only with concurrent calls of one command). */
  poolSize(service: ServiceId, region: string = this.defaultRegion): number {
    const client = this.clients.get(`${service}:${region}`);
    return client ? (client as unknown as { [POOL]: unknown[] })[POOL].length : 0;
  }

  limiter(service: ServiceId, region: string): Semaphore {
    const key = this.options.limitScope === 'global' ? 'all' : GLOBAL_SERVICES.has(service) ? service : `${service}:${region}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const fixed = this.options.adaptive === false || this.options.limitScope === 'global';
      const ceiling = Math.min(this.options.concurrency ?? (fixed ? DEFAULT_CONCURRENCY : (SERVICE_CEILINGS[service] ?? DEFAULT_CEILING)), MAX_CONCURRENCY);
      limiter = fixed ? new Semaphore(ceiling) : new AimdLimiter(ADAPTIVE_START, ceiling);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  /** True once the session's signal has cancelled its calls. */
  get aborted(): boolean {
    return this.options.signal?.aborted === true;
  }

  /** Close every client's sockets. */
  destroy(): void {
    for (const c of this.members) (c as { destroy?: () => void }).destroy?.();
    this.members.length = 0;
    this.clients.clear();
  }

  /** A service's call counters, which collectors add the resources they have yet to read to (progress). */
  work(service: ServiceId): { started: number; finished: number; waiting?: number; resources?: number } {
    const byService = (this.stats.byService ??= {});
    return (byService[service] ??= { started: 0, finished: 0 });
  }

  /** Requests in flight per service: collectors read this many resources at once. */
  get concurrency(): number {
    return this.options.concurrency ?? DEFAULT_CONCURRENCY;
  }

  /** Per adaptive limiter: the highest limit reached, the limit now, throttled attempts and halvings. */
  adaptiveLimits(): Record<string, { peak: number; final: number; throttles: number; decreases: number }> {
    return Object.fromEntries(
      [...this.limiters].filter((e): e is [string, AimdLimiter] => e[1] instanceof AimdLimiter).map(([key, l]) => [key, { peak: l.peakLimit, final: l.limit, throttles: l.throttles, decreases: l.decreases }]),
    );
  }

  /** The most requests that ever waited for a slot at once, per limiter. */
  peakQueued(): Record<string, number> {
    return Object.fromEntries([...this.limiters].map(([key, limiter]) => [key, limiter.peakWaiting]));
  }

  /** The most requests that were ever in flight at once, per limiter ("s3", "ec2:us-east-1"). */
  peakInFlight(): Record<string, number> {
    return Object.fromEntries([...this.limiters].map(([key, limiter]) => [key, limiter.peak]));
  }
}

interface SendingClient {
  send(command: object, options?: object): Promise<unknown>;
}

const POOL = Symbol('clientPool');

/**
 * A pool of identical clients behind the first one's `send`: a call waits for a slot under its
 * service's limit, then runs on a client that has no call of the same command class in flight; a
 * new client joins the pool only when every client has one. So each cached handler, with its one
 * context, serves one call at a time, and a pool holds at most as many clients as the limit lets
 * calls run at once. Paginators and call sites keep calling `send` on the one client they were given.
 */
function pooled<C>(make: () => C, limited: <T>(call: () => Promise<T>) => Promise<T>): C {
  const first = make() as C & SendingClient;
  const members: SendingClient['send'][] = [first.send.bind(first)];
  /** Per command class: the members with no call of it in flight. */
  const idle = new Map<unknown, SendingClient['send'][]>();
  const join = (busyWith: unknown): SendingClient['send'] => {
    const client = make() as C & SendingClient;
    const send = client.send.bind(client);
    members.push(send);
    for (const [commandClass, free] of idle) if (commandClass !== busyWith) free.push(send);
    return send;
  };
  const run = async (command: object): Promise<unknown> => {
    const commandClass = command.constructor;
    let free = idle.get(commandClass);
    if (!free) idle.set(commandClass, (free = members.slice()));
    const send = free.pop() ?? join(commandClass);
    try {
      return await send(command);
    } finally {
      free.push(send);
    }
  };
  // Options (an abortSignal of its own, say) make the SDK resolve a fresh handler and context.
  first.send = (command, options) => limited(options === undefined ? () => run(command) : () => members[0]!(command, options));
  (first as unknown as { [POOL]: unknown[] })[POOL] = members;
  return first;
}

/**
 * The SDK's own cancellation is the `abortSignal` request option: the HTTP handler destroys the
 * request. Every request of the session's clients carries the session's signal, so no call site
 * (collectors, paginators) has to remember it, and `send` takes no per-call options (which would
 * defeat the cached middleware). The retry middleware's waits see it through the call context
 * (middleware.ts).
 */
function cancellingHandler(handler: NodeHttpHandler, signal: AbortSignal): NodeHttpHandler {
  return {
    metadata: handler.metadata,
    handle: (request, options) => handler.handle(request, options?.abortSignal ? options : { ...options, abortSignal: signal }),
    updateHttpClientConfig: (key, value) => handler.updateHttpClientConfig(key, value),
    httpHandlerConfigs: () => handler.httpHandlerConfigs(),
    destroy: () => handler.destroy(),
  } as NodeHttpHandler;
}

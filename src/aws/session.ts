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
import { clientConfig, type AwsAccessOptions, type ServiceId } from './clients.js';
import { ADAPTIVE_START, AimdLimiter, DEFAULT_CEILING, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, SERVICE_CEILINGS, Semaphore } from './concurrency.js';
import { auditMiddleware, type CallCounter } from './middleware.js';
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
      const Client = CLIENT_CLASSES[service] as unknown as new (config: object) => ClientFor<S>;
      const raw = new Client(config);
      this.options.onNewClient?.(raw as { middlewareStack: unknown }, service, region);
      client = attachReadOnlyGuard(raw, this.options.guard);
      (client.middlewareStack as { use(p: unknown): void }).use(auditMiddleware(service, limiter, this.stats));
      if (this.options.signal) sendWithSignal(client as unknown as SendingClient, this.options.signal);
      this.clients.set(key, client);
    }
    return client;
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
    for (const c of this.clients.values()) (c as { destroy?: () => void }).destroy?.();
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
  send(command: unknown, options?: object): Promise<unknown>;
}

/**
 * The SDK's own cancellation is the `abortSignal` send option: the HTTP handler destroys the
 * request and the retry middleware stops waiting. Every call of the client carries it, so no
 * call site (collectors, paginators) has to remember to pass it.
 */
function sendWithSignal(client: SendingClient, signal: AbortSignal): void {
  const send = client.send.bind(client);
  client.send = (command, options) => send(command, { abortSignal: signal, ...options });
}

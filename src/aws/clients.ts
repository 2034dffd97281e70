/**
 * The one place AWS SDK clients are configured. Credentials come from the SDK's default
 * chain (env, profile and SSO, instance profile, ECS task role) unless a caller passes a
 * provider; the endpoint comes from --endpoint-url or AWS_ENDPOINT_URL.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';

export interface AwsAccessOptions {
  region?: string;
  /** Overrides AWS_ENDPOINT_URL; e.g. the sandbox's http://127.0.0.1:PORT. */
  endpointUrl?: string;
  profile?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
  /** Replaces the SDK's retry strategy (the audit's backoff, see retry.ts). */
  retryStrategy?: RetryStrategyV2;
  /** Sockets per service client. */
  maxSockets?: number;
  /** Longest wait for a TCP (and TLS) connection, in ms. */
  connectTimeoutMs?: number;
  /** Longest wait for a response once a request is sent, in ms: a timed-out call fails with TimeoutError. */
  requestTimeoutMs?: number;
}

/** Connect timeout of every AWS call unless --connect-timeout says otherwise (the SDK's own default is none). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Request timeout of every AWS call unless --request-timeout says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * RFC 6761: names under .localhost are loopback. Node's resolver does not guarantee it, and
 * the SDK builds such names for S3 virtual-host addressing and S3 Control's account prefix.
 */
export function loopbackAwareLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options, callback as never);
}

const handlers = new Map<string, NodeHttpHandler>();

/** Shared keep-alive handler per socket limit and timeouts: clients of one run reuse their connections. */
export function sharedRequestHandler(maxSockets = 50, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS, requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): NodeHttpHandler {
  const key = `${maxSockets}:${connectTimeoutMs}:${requestTimeoutMs}`;
  let handler = handlers.get(key);
  if (!handler) {
    handler = new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets, lookup: loopbackAwareLookup as never }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: connectTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Without it the handler only logs a warning when requestTimeout passes and keeps waiting:
      // an endpoint that accepts and never answers would hold the audit forever.
      throwOnRequestTimeout: true,
    });
    handlers.set(key, handler);
  }
  return handler;
}

export function resolveEndpointUrl(options: AwsAccessOptions): string | undefined {
  return options.endpointUrl ?? (process.env.AWS_ENDPOINT_URL || undefined);
}

/**
 * S3 Control prefixes the host with the account id. On an IP-literal endpoint that is not
 * a valid URL, so the loopback IP is addressed by its RFC 6761 name instead.
 */
export function s3ControlEndpoint(endpoint: string | undefined): string | undefined {
  if (!endpoint) return endpoint;
  const url = new URL(endpoint);
  if (url.hostname === '127.0.0.1' || url.hostname === '[::1]') url.hostname = 'localhost';
  return url.toString().replace(/\/$/, '');
}

export type ServiceId =
  | 'sts'
  | 's3'
  | 's3control'
  | 'iam'
  | 'ec2'
  | 'rds'
  | 'cloudwatch'
  | 'cloudtrail'
  | 'config'
  | 'kms'
  | 'logs'
  | 'sns'
  | 'sqs'
  | 'lambda'
  | 'ecr'
  | 'secretsmanager'
  | 'efs'
  | 'accessanalyzer'
  | 'securityhub'
  | 'guardduty'
  | 'account';

/** The configuration object for a v3 client of `service`. */
export function clientConfig(service: ServiceId, options: AwsAccessOptions = {}) {
  let endpoint = resolveEndpointUrl(options);
  if (service === 's3control') endpoint = s3ControlEndpoint(endpoint);
  const config: Record<string, unknown> = {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    requestHandler: sharedRequestHandler(options.maxSockets, options.connectTimeoutMs, options.requestTimeoutMs),
    maxAttempts: options.maxAttempts ?? 3,
  };
  if (endpoint) config.endpoint = endpoint;
  if (options.credentials) config.credentials = options.credentials;
  if (options.profile) config.profile = options.profile;
  if (options.retryStrategy) config.retryStrategy = options.retryStrategy;
  if (service === 's3' && endpoint) {
    // A custom endpoint that is an IP or plain localhost cannot carry bucket subdomains.
    const host = new URL(endpoint).hostname;
    config.forcePathStyle = host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[');
  }
  return config;
}

/** Keep the SDK's Node-version notice off users' terminals; it is not about their AWS account. */
export function silenceSdkRuntimeNotices(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

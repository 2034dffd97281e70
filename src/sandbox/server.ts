/**
 * The sandbox: an AWS-compatible HTTP endpoint on 127.0.0.1 that serves one account file.
 *
 * The core resolves which service a request is for (from its SigV4 scope), asks that
 * service's module to name the operation, counts it, applies the seeded faults, and only
 * then serves it. Anything that is not one of the module's read operations is refused the
 * way AWS refuses a caller without permission: the sandbox account is read-only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { SandboxAccount } from './account/model.js';
import { AwsError, type AwsErrorSpec, type SandboxRequest, type SandboxResponse, type ServiceContext, type ServiceModule } from './types.js';
import { defaultServiceModules } from './services/index.js';
import { createRng, type Rng } from './rng.js';
import { listenError } from '../errors.js';

export interface SandboxOptions {
  account: SandboxAccount;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  latencyMs?: number;
  jitterMs?: number;
  /** Fraction of requests (0..1) answered with the service's throttling error. */
  throttleRate?: number;
  /**
   * Requests of one service in flight at once beyond which a new one is throttled, as AWS's
   * own rate limits behave: a client that sends too much at once is told to slow down.
   */
  throttleAboveInFlight?: number;
  /** Fraction of requests (0..1) answered with a 5xx InternalError. */
  errorRate?: number;
  /** ARN globs (or bare resource names) that answer AccessDenied, optionally `Operation:pattern`. */
  deny?: string[];
  /** Same syntax as `deny`: these requests are accepted and never answered (timeouts, Ctrl-C). */
  hang?: string[];
  seed?: number;
  /** Largest request body accepted. */
  maxBodyBytes?: number;
  modules?: ServiceModule[];
}

export interface SandboxStats {
  requests: number;
  services: Record<string, { total: number; operations: Record<string, number> }>;
  faults: { throttled: number; errors: number; denied: number; hung: number; refusedWrites: number; unknownOperations: number; malformed: number };
}

export interface RunningSandbox {
  endpoint: string;
  port: number;
  seed: number;
  stats(): SandboxStats;
  resetStats(): void;
  close(): Promise<void>;
}

interface DenyRule {
  operation?: string;
  pattern: RegExp;
  byName: boolean;
  /** "*" or "Operation:*": also matches calls about no resource (listings, account settings). */
  all: boolean;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp('^' + glob.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*') + '$');
}

export function parseDenyRule(spec: string): DenyRule {
  // "GetBucketPolicy:arn:aws:s3:::x" names an operation; "arn:..." and "name" do not.
  let operation: string | undefined;
  let rest = spec;
  const m = /^([A-Z][A-Za-z0-9]+):(.+)$/.exec(spec);
  if (m) {
    operation = m[1];
    rest = m[2]!;
  }
  return { operation, pattern: globToRegExp(rest), byName: !rest.startsWith('arn:'), all: rest === '*' };
}

/** The short name of an ARN's resource: bucket name, role name, sg id, db identifier. */
export function resourceName(arn: string): string {
  const afterService = arn.split(':').slice(5).join(':');
  const parts = afterService.split(/[/:]/);
  return parts[parts.length - 1] ?? afterService;
}

const SIGV4_SCOPE = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

function signingScope(headers: IncomingMessage['headers'], query: URLSearchParams): { region?: string; service?: string } {
  const auth = headers.authorization ?? '';
  const m = SIGV4_SCOPE.exec(auth) ?? SIGV4_SCOPE.exec(`Credential=${query.get('X-Amz-Credential') ?? ''}`);
  return m ? { region: m[1], service: m[2] } : {};
}

const GENERIC_ERROR_BODY = (code: string, message: string, requestId: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const modules = options.modules ?? defaultServiceModules();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rng: Rng = createRng(seed);
  const denyRules = (options.deny ?? []).map(parseDenyRule);
  const hangRules = (options.hang ?? []).map(parseDenyRule);
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const defaultRegion = Object.keys(options.account.Regions)[0]!;
  let stats = emptyStats();
  /** Requests per service between arrival and answer (for throttleAboveInFlight). */
  const inFlightByService = new Map<string, number>();
  let endpoint = '';

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      // Last resort: never crash, never hang.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/xml' });
        res.end(GENERIC_ERROR_BODY('InternalError', 'The sandbox failed to serve this request.', randomUUID()));
      } else res.destroy(err instanceof Error ? err : undefined);
    });
  });
  // Idle keep-alive connections stay open until the client or close() ends them. A server that
  // closes idle connections races a client reusing one (ECONNRESET on a read that never reached
  // us); on a loaded machine a pooled socket easily idles past Node's 5 s default between phases.
  // Real endpoints do close them, and the client retries that error; tests that allow one attempt
  // must not see it from the sandbox.
  server.keepAliveTimeout = 0;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBody) return undefined;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  function send(res: ServerResponse, response: SandboxResponse, requestId: string, method: string) {
    const headers: Record<string, string> = { 'x-amz-request-id': requestId, ...response.headers };
    const body = response.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body, 'utf8');
    if (headers['content-length'] === undefined) headers['content-length'] = String(body.length);
    res.writeHead(response.status, headers);
    res.end(method === 'HEAD' ? undefined : body);
  }

  function count(service: string, operation: string) {
    stats.requests++;
    const s = (stats.services[service] ??= { total: 0, operations: {} });
    s.total++;
    s.operations[operation] = (s.operations[operation] ?? 0) + 1;
  }

  /** The request target's path, undecoded and unnormalised (origin-form only). */
  function rawPath(target: string | undefined): string | undefined {
    if (!target?.startsWith('/')) return undefined;
    const q = target.indexOf('?');
    return q < 0 ? target : target.slice(0, q);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = (req.method ?? 'GET').toUpperCase();

    if (url.pathname === '/_sandbox/stats') {
      if (method === 'DELETE') stats = emptyStats();
      send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(stats) }, requestId, method);
      return;
    }
    if (url.pathname === '/_sandbox/health') {
      send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true, accountId: options.account.AccountId }) }, requestId, method);
      return;
    }

    const body = await readBody(req);
    const scope = signingScope(req.headers, url.searchParams);
    const hostHeader = String(req.headers.host ?? '');
    const host = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d+$/, '');
    const request: SandboxRequest = {
      method,
      // The path as sent: S3 treats a key literally, so `a/../b` is that key, never `b`
      // (WHATWG URL parsing would resolve the dot segments and serve another object or bucket).
      path: rawPath(req.url) ?? url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: body ?? Buffer.alloc(0),
      host,
      signingService: scope.service ?? inferService(req.headers, url, body),
      region: scope.region ?? defaultRegion,
      requestId,
    };
    const module = modules.find((m) => m.matches(request));
    if (!module) {
      stats.faults.malformed++;
      send(res, { status: 400, headers: { 'content-type': 'text/xml' }, body: GENERIC_ERROR_BODY('UnrecognizedClientException', 'The sandbox does not serve this service.', requestId) }, requestId, method);
      return;
    }
    const ctx: ServiceContext = { account: options.account, region: request.region, endpoint };
    const fail = (spec: AwsErrorSpec) => send(res, module.renderError(request, spec), requestId, method);

    if (body === undefined) {
      stats.faults.malformed++;
      fail({ code: 'EntityTooLarge', message: `Your proposed upload exceeds the maximum allowed size of ${maxBody} bytes.`, status: 400 });
      return;
    }

    let identified;
    try {
      identified = module.identify(request, ctx);
    } catch (err) {
      stats.faults.malformed++;
      if (err instanceof AwsError) return fail(err.spec);
      throw err;
    }
    const { operation, resources } = identified;
    count(module.name, operation);

    const answer = async (inFlight: number): Promise<void> => {
      const delay = (options.latencyMs ?? 0) + (options.jitterMs ? rng() * options.jitterMs : 0);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));

      if (!module.readOperations.has(operation)) {
        const known = await module.isKnownOperation(operation);
        if (!known) {
          stats.faults.unknownOperations++;
          return fail(module.unknownOperation(operation));
        }
        stats.faults.refusedWrites++;
        return fail(module.accessDenied(operation, resources[0], ctx));
      }
      const applies = (rule: DenyRule) => !rule.operation || rule.operation === operation;
      const matching = (rules: DenyRule[]): string | undefined => {
        if (resources.length > 0) return resources.find((arn) => rules.some((rule) => applies(rule) && rule.pattern.test(rule.byName ? resourceName(arn) : arn)));
        // AWS answers GetCallerIdentity whatever a policy denies.
        return operation !== 'GetCallerIdentity' && rules.some((rule) => applies(rule) && rule.all) ? '*' : undefined;
      };
      if (matching(hangRules) !== undefined) {
        // Accepted, never answered: the connection stays open until the client gives up or the sandbox closes.
        stats.faults.hung++;
        return;
      }
      const denied = matching(denyRules);
      if (denied !== undefined) {
        stats.faults.denied++;
        return fail(module.accessDenied(operation, denied, ctx));
      }
      if ((options.throttleRate && rng() < options.throttleRate) || (options.throttleAboveInFlight !== undefined && inFlight > options.throttleAboveInFlight)) {
        stats.faults.throttled++;
        return fail(module.throttled());
      }
      if (options.errorRate && rng() < options.errorRate) {
        stats.faults.errors++;
        return fail({ code: 'InternalError', message: 'We encountered an internal error. Please try again.', status: 500, type: 'Receiver' });
      }
      try {
        send(res, await module.serve(request, operation, ctx), requestId, method);
      } catch (err) {
        if (err instanceof AwsError) return fail(err.spec);
        return fail({ code: 'InternalError', message: 'We encountered an internal error. Please try again.', status: 500, type: 'Receiver' });
      }
    };
    // Counted from here to the answer: what the service would see as concurrent requests.
    const inFlight = (inFlightByService.get(module.name) ?? 0) + 1;
    inFlightByService.set(module.name, inFlight);
    try {
      await answer(inFlight);
    } finally {
      inFlightByService.set(module.name, (inFlightByService.get(module.name) ?? 1) - 1);
    }
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(listenError(err, options.host ?? '127.0.0.1', options.port ?? 0));
    server.once('error', onError);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  endpoint = `http://${hostForUrl}:${address.port}`;

  return {
    endpoint,
    port: address.port,
    seed,
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function emptyStats(): SandboxStats {
  return { requests: 0, services: {}, faults: { throttled: 0, errors: 0, denied: 0, hung: 0, refusedWrites: 0, unknownOperations: 0, malformed: 0 } };
}

/** For unsigned requests: infer the service from the protocol's own markers. */
function inferService(headers: IncomingMessage['headers'], url: URL, body: Buffer | undefined): string {
  const target = String(headers['x-amz-target'] ?? '');
  if (target.startsWith('GraniteServiceVersion20100801')) return 'monitoring';
  const params = body && body.length ? new URLSearchParams(body.toString('utf8')) : url.searchParams;
  const version = params.get('Version');
  if (params.get('Action')) {
    if (version === '2010-05-08') return 'iam';
    if (version === '2011-06-15') return 'sts';
    if (version === '2014-10-31') return 'rds';
    if (version === '2016-11-15') return 'ec2';
  }
  return 's3';
}

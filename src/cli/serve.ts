/** `infra-audit serve`: the MCP server over stdio (default) or Streamable HTTP. */
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { InfraAuditError } from '../errors.js';
import { checkAwsSettings } from '../aws/preflight.js';
import { ServerSession } from '../server/session.js';
import { createMcpServer, type CreateServerOptions } from '../server/create-server.js';
import { startHttpServer } from '../server/http.js';
import { selectTools, toolSurface } from '../server/registry.js';
import { ALL_TOOLS } from '../tools/index.js';
import { ScreenedStdioTransport } from '../server/stdio-transport.js';
import { TokenAuthenticator } from '../server/auth/tokens.js';
import { JwtAuthenticator } from '../server/auth/jwt.js';
import type { Authenticator } from '../server/auth/authenticator.js';
import { verifyReadOnly } from '../server/verify-readonly.js';
import { AuditLog, defaultAuditLogPath } from '../audit-log/audit-log.js';
import { hmacKeyFromEnv } from '../audit-log/chain.js';
import type { ForwarderOptions } from '../audit-log/forwarder.js';
import { loadDataPlaneConfig, parseDataPlaneConfig } from '../dataplane/config.js';
import { terraformInputs } from '../tools/terraform/context.js';
import { DataPlane } from '../dataplane/data-plane.js';
import { DataPlaneScope, dataSourcesOf } from '../dataplane/scope.js';
import { Redactor } from '../redact/redactor.js';
import type { CommandIO } from './io.js';

export interface ServeOptions {
  http?: boolean;
  host?: string;
  port?: number;
  state?: string[];
  config?: string;
  endpointUrl?: string;
  region?: string;
  profile?: string;
  toolsets?: string;
  tools?: string;
  tokensFile?: string;
  oauthIssuer?: string;
  oauthAudience?: string;
  oauthJwksUrl?: string;
  allowedHost?: string[];
  allowedOrigin?: string[];
  rateLimit?: number;
  verifyReadonly?: boolean;
  protectBucket?: string[];
  auditLog?: string;
  auditLogMaxBytes?: number;
  auditLogRotate?: string;
  auditForwardSplunk?: string;
  auditForwardWebhook?: string;
  auditSpoolDir?: string;
  auditSpoolMaxBytes?: number;
  dataConfig?: string;
  /** Add the Terraform-managed buckets and databases of --state to the data allowlist. */
  dataFromState?: boolean;
  /** Set by `infra-audit agent`: every tool call of this server is attributed to that run. */
  agentRunId?: string;
}

/** The shape of an agent run id, over stdio (flag) and HTTP (header). */
export const AGENT_RUN_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function runServeCommand(opts: ServeOptions, io: CommandIO): Promise<number> {
  checkAwsSettings({ regions: opts.region ? [opts.region] : undefined, profile: opts.profile, env: io.env });
  if (opts.agentRunId !== undefined && !AGENT_RUN_ID.test(opts.agentRunId)) {
    throw new InfraAuditError('USAGE', `--agent-run-id must be 1-64 letters, digits, '.', '_', ':' or '-', got "${opts.agentRunId}"`);
  }
  if (opts.agentRunId && opts.http) {
    throw new InfraAuditError('USAGE', '--agent-run-id is for stdio; over HTTP the agent sends its run id per request', { hint: 'drop --agent-run-id with --http' });
  }
  // The data tools (object contents, rows) are off unless the operator turns them on: the
  // --data-config allowlist, and/or --data-from-state for the buckets and RDS instances the
  // Terraform state manages (added once the state is loaded, below).
  if (opts.dataFromState && !opts.state?.length) {
    throw new InfraAuditError('USAGE', '--data-from-state needs --state: it allows the buckets and databases that state manages', { hint: 'add --state ./terraform.tfstate, or list what may be read in --data-config FILE' });
  }
  const loaded = opts.dataConfig ? await loadDataPlaneConfig(opts.dataConfig) : opts.dataFromState ? parseDataPlaneConfig({}, '<--data-from-state>') : undefined;
  const dataConfig = loaded && opts.dataFromState ? { ...loaded, terraform: { ...loaded.terraform, include: true } } : loaded;
  const dataPlane = dataConfig ? new DataPlane(DataPlaneScope.fromConfig(dataConfig), { profile: opts.profile }) : undefined;
  const filter = { toolsets: list(opts.toolsets), tools: list(opts.tools) };
  const authenticator = opts.http ? await buildAuthenticator(opts) : undefined;

  // The audit log opens first: a server that cannot record its calls does not start.
  let session: ServerSession | undefined;
  // One redactor for the tools and the log, so a secret learned from a state is masked in both.
  const redactor = new Redactor();
  const target = opts.auditLog ?? (await defaultAuditLogTarget(io));
  const audit = await AuditLog.open({
    target,
    redact: (value) => redactor.redact(value),
    transport: opts.http ? 'http' : 'stdio',
    ...(opts.auditLogMaxBytes ? { maxBytes: opts.auditLogMaxBytes } : {}),
    ...(opts.auditLogRotate ? { rotateEveryMs: parseInterval(opts.auditLogRotate) } : {}),
    ...(hmacKeyFromEnv(io.env) ? { hmacKey: hmacKeyFromEnv(io.env) } : {}),
    identity: () => session!.identity(),
    forwarders: forwardersFrom(opts, io.env),
    ...(opts.auditSpoolDir ? { spoolDir: opts.auditSpoolDir } : {}),
    warn: (message) => io.stderr.write(`infra-audit serve: ${message}\n`),
    streams: { stdout: io.stdout, stderr: io.stderr },
  });
  try {
    session = new ServerSession({
      redactor,
      aws: { endpointUrl: opts.endpointUrl, region: opts.region, profile: opts.profile },
      statePaths: opts.state,
      configDir: opts.config,
      protectedBuckets: opts.protectBucket,
      awsCallRecorder: audit,
      dataPlane,
    });
    return await serveWithAudit(opts, io, session, audit, filter, authenticator);
  } finally {
    session?.close();
    await audit.close();
  }
}

async function serveWithAudit(
  opts: ServeOptions,
  io: CommandIO,
  session: ServerSession,
  audit: AuditLog,
  filter: { toolsets: string[] | undefined; tools: string[] | undefined },
  authenticator: Authenticator | undefined,
): Promise<number> {
  // Resolve the identity before serving: a server that cannot say who it is does not start.
  const identity = await session.identity();
  // Before any state is adopted: a state bucket must never become a data source.
  await session.protectBackendBuckets();
  if (opts.state?.length) {
    // Loaded before serving: a broken state fails the start, not the first tool call.
    const inputs = await terraformInputs(session);
    const resources = [...inputs.states.index.instances()].filter((r) => r.mode === 'managed');
    session.options.dataPlane?.adoptState(
      resources.map((r) => ({ type: r.type, address: r.address, attributes: r.attributes as Record<string, unknown> })),
      session.protectedBuckets,
    );
    io.stderr.write(`infra-audit serve: Terraform: ${resources.length} managed resources from ${opts.state.join(', ')}${opts.config ? ` and the config in ${opts.config}` : ''}\n`);
  }
  io.stderr.write(`infra-audit serve: ${describeDataAccess(session)}\n`);
  audit.setIdentity(identity);
  io.stderr.write(`infra-audit serve: AWS account ${identity.accountId} as ${identity.arn} (read-only)\n`);
  io.stderr.write(`infra-audit serve: audit log ${audit.description}${hmacKeyFromEnv(io.env) ? ' (HMAC-SHA256 chain)' : ' (SHA-256 chain)'}${opts.auditLog === undefined ? '; the default, in the state directory (--audit-log to change)' : ''}\n`);
  if (opts.verifyReadonly) {
    const verdict = await verifyReadOnly(session, identity.arn);
    if (verdict.writable.length) {
      throw new InfraAuditError('READ_ONLY_VIOLATION', `the server's role ${verdict.roleArn} can write: ${verdict.writable.join(', ')}`, {
        hint: 'run the server under a role with only the policy from `infra-audit iam-policy` (terraform/modules/audit-role)',
      });
    }
    io.stderr.write(`infra-audit serve: verified read-only: ${verdict.checked.length} write actions denied for ${verdict.roleArn}\n`);
  }

  const base: Omit<CreateServerOptions, 'defaultCaller'> = { ...filter, onToolCall: audit.onToolCall };
  if (!opts.http) {
    const defaultCaller = { principal: `os:${userInfo().username}`, transport: 'stdio' as const, ...(opts.agentRunId ? { agentRunId: opts.agentRunId } : {}) };
    const server = createMcpServer(session, { ...base, defaultCaller });
    // One parse per line; requests the SDK would drop without a reply are answered (-32602) by the transport.
    const transport = new ScreenedStdioTransport(process.stdin, process.stdout);
    const closed = new Promise<string>((resolve) => {
      transport.onclose = () => resolve('stdin closed');
      // The transport does not report the client going away: without this the process would
      // just run out of work and exit, skipping the audit log's close (and its lock file).
      io.stdin.once('end', () => resolve('stdin closed'));
    });
    await server.connect(transport);
    io.stderr.write(`infra-audit serve: MCP over stdio, ${session.toolSurface().tools.length} read-only tools${opts.agentRunId ? `, for agent run ${opts.agentRunId}` : ''}\n`);
    const reason = await Promise.race([closed, io.interrupted]);
    await server.close();
    io.stderr.write(`infra-audit serve: stopped (${reason})\n`);
    return 0;
  }

  // Over HTTP each session builds its own server: the surface is known before the first one.
  session.setToolSurface(toolSurface(selectTools(ALL_TOOLS, { ...filter, dataTools: session.options.dataPlane !== undefined })));
  const http = await startHttpServer({
    host: opts.host,
    port: opts.port,
    authenticator: authenticator!,
    allowedHosts: opts.allowedHost,
    allowedOrigins: opts.allowedOrigin,
    rateLimitPerSecond: opts.rateLimit,
    onRefused: (event) => audit.recordRefusedRequest(event),
    buildServer: (principal) => createMcpServer(session, { ...base, defaultCaller: { principal: principal.name, transport: 'http' } }),
  });
  io.stdout.write(`${http.url}\n`);
  io.stderr.write(`infra-audit serve: MCP over Streamable HTTP at ${http.url}, ${session.toolSurface().tools.length} read-only tools, authentication required\n`);
  const reason = await io.interrupted;
  await http.close();
  io.stderr.write(`infra-audit serve: stopped (${reason})\n`);
  return 0;
}

/** The platform state directory's audit log, its directory created (owner only) if missing. */
async function defaultAuditLogTarget(io: CommandIO): Promise<string> {
  const file = defaultAuditLogPath(io.env);
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new InfraAuditError('AUDIT_LOG_UNWRITABLE', `cannot create the audit log directory ${dirname(file)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      hint: 'pass --audit-log /a/writable/path/audit.jsonl (or set XDG_STATE_HOME)',
    });
  }
  return file;
}

/** The startup line that says which data an agent can reach. */
export function describeDataAccess(session: ServerSession): string {
  const protectedNote = session.protectedBuckets.size ? `; protected (never read): ${[...session.protectedBuckets].sort().join(', ')}` : '';
  const plane = session.options.dataPlane;
  if (!plane) return `data tools off: no object contents or rows are reachable (enable with --data-config FILE or --data-from-state)${protectedNote}`;
  const { buckets, databases } = dataSourcesOf(plane.scope, session.protectedBuckets);
  return `data tools on: buckets ${buckets.join(', ') || '(none)'}; databases ${databases.join(', ') || '(none)'}${protectedNote}`;
}

/** `90s`, `15m`, `1h`, `7d`. */
export function parseInterval(value: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(value.trim());
  if (!m || Number(m[1]) === 0) throw new InfraAuditError('USAGE', `--audit-log-rotate expects an interval like 1h or 7d, got "${value}"`, { hint: 'units: s, m, h, d; e.g. --audit-log-rotate 24h' });
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

function forwardUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InfraAuditError('USAGE', `${flag} expects an http(s) URL, got "${value}"`, { hint: `e.g. ${flag} https://splunk.example.com:8088/services/collector/event` });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InfraAuditError('USAGE', `${flag} expects an http(s) URL, got "${value}"`);
  return url.href;
}

/** Tokens come from the environment, never argv, where any local user can read them. */
function forwardersFrom(opts: ServeOptions, env: NodeJS.ProcessEnv): Array<Omit<ForwarderOptions, 'spoolDir' | 'warn'>> {
  const forwarders: Array<Omit<ForwarderOptions, 'spoolDir' | 'warn'>> = [];
  const spool = opts.auditSpoolMaxBytes ? { maxSpoolBytes: opts.auditSpoolMaxBytes } : {};
  if (opts.auditForwardSplunk) {
    const token = env.INFRA_AUDIT_SPLUNK_HEC_TOKEN;
    if (!token) throw new InfraAuditError('USAGE', '--audit-forward-splunk needs the HEC token in INFRA_AUDIT_SPLUNK_HEC_TOKEN', { hint: 'export INFRA_AUDIT_SPLUNK_HEC_TOKEN=<token> (kept out of argv, which other local users can read)' });
    forwarders.push({ name: 'splunk-hec', format: 'splunk-hec', url: forwardUrl('--audit-forward-splunk', opts.auditForwardSplunk), token, ...spool });
  }
  if (opts.auditForwardWebhook) {
    const token = env.INFRA_AUDIT_WEBHOOK_TOKEN;
    forwarders.push({ name: 'webhook', format: 'webhook', url: forwardUrl('--audit-forward-webhook', opts.auditForwardWebhook), ...(token ? { token } : {}), ...spool });
  }
  return forwarders;
}

async function buildAuthenticator(opts: ServeOptions): Promise<Authenticator> {
  const oauth = [opts.oauthIssuer, opts.oauthAudience, opts.oauthJwksUrl];
  if (oauth.some(Boolean)) {
    if (!oauth.every(Boolean)) {
      throw new InfraAuditError('USAGE', 'OAuth mode needs --oauth-issuer, --oauth-audience and --oauth-jwks-url together', {
        hint: 'e.g. --oauth-issuer https://login.example.com/ --oauth-audience https://mcp.example.com/mcp --oauth-jwks-url https://login.example.com/.well-known/jwks.json',
      });
    }
    return new JwtAuthenticator({ issuer: opts.oauthIssuer!, audience: opts.oauthAudience!, jwksUrl: opts.oauthJwksUrl! });
  }
  if (opts.tokensFile) return TokenAuthenticator.fromFile(opts.tokensFile);
  throw new InfraAuditError('USAGE', 'serve --http requires authentication: there is no anonymous HTTP mode', {
    hint: 'pass --tokens-file FILE (create tokens with `infra-audit token create --principal NAME --tokens-file FILE`) or the --oauth-* options',
  });
}

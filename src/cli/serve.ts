/** `infra-audit serve`: the MCP server over stdio (default) or Streamable HTTP. */
import { userInfo } from 'node:os';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { InfraAuditError } from '../errors.js';
import { ServerSession } from '../server/session.js';
import { createMcpServer, type CreateServerOptions } from '../server/create-server.js';
import { startHttpServer } from '../server/http.js';
import { TokenAuthenticator } from '../server/auth/tokens.js';
import { JwtAuthenticator } from '../server/auth/jwt.js';
import type { Authenticator } from '../server/auth/authenticator.js';
import { verifyReadOnly } from '../server/verify-readonly.js';
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
}

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function runServeCommand(opts: ServeOptions, io: CommandIO): Promise<number> {
  const session = new ServerSession({
    aws: { endpointUrl: opts.endpointUrl, region: opts.region, profile: opts.profile },
    statePaths: opts.state,
    configDir: opts.config,
    protectedBuckets: opts.protectBucket,
  });
  const filter = { toolsets: list(opts.toolsets), tools: list(opts.tools) };
  const authenticator = opts.http ? await buildAuthenticator(opts) : undefined;

  // Resolve the identity before serving: a server that cannot say who it is does not start.
  const identity = await session.identity();
  io.stderr.write(`infra-audit serve: AWS account ${identity.accountId} as ${identity.arn} (read-only)\n`);
  if (opts.verifyReadonly) {
    const verdict = await verifyReadOnly(session, identity.arn);
    if (verdict.writable.length) {
      throw new InfraAuditError('READ_ONLY_VIOLATION', `the server's role ${verdict.roleArn} can write: ${verdict.writable.join(', ')}`, {
        hint: 'run the server under a role with only the policy from `infra-audit iam-policy` (terraform/modules/audit-role)',
      });
    }
    io.stderr.write(`infra-audit serve: verified read-only: ${verdict.checked.length} write actions denied for ${verdict.roleArn}\n`);
  }

  const base: Omit<CreateServerOptions, 'defaultCaller'> = { ...filter };
  if (!opts.http) {
    const server = createMcpServer(session, { ...base, defaultCaller: { principal: `os:${userInfo().username}`, transport: 'stdio' } });
    const transport = new StdioServerTransport();
    const closed = new Promise<string>((resolve) => {
      transport.onclose = () => resolve('stdin closed');
    });
    await server.connect(transport);
    io.stderr.write(`infra-audit serve: MCP over stdio, ${session.toolSurface().tools.length} read-only tools\n`);
    const reason = await Promise.race([closed, io.interrupted]);
    await server.close();
    session.close();
    io.stderr.write(`infra-audit serve: stopped (${reason})\n`);
    return 0;
  }

  const http = await startHttpServer({
    host: opts.host,
    port: opts.port,
    authenticator: authenticator!,
    allowedHosts: opts.allowedHost,
    allowedOrigins: opts.allowedOrigin,
    rateLimitPerSecond: opts.rateLimit,
    buildServer: (principal) => createMcpServer(session, { ...base, defaultCaller: { principal: principal.name, transport: 'http' } }),
  });
  io.stdout.write(`${http.url}\n`);
  io.stderr.write(`infra-audit serve: MCP over Streamable HTTP at ${http.url}, ${session.toolSurface().tools.length} read-only tools, authentication required\n`);
  const reason = await io.interrupted;
  await http.close();
  session.close();
  io.stderr.write(`infra-audit serve: stopped (${reason})\n`);
  return 0;
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

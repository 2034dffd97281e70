/**
 * OAuth 2.1 resource-server mode: bearer JWTs validated against the authorization server's
 * JWKS (signature, issuer, audience = this server, expiry), with RFC 9728 metadata so MCP
 * clients can discover where to get a token.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AuthResult, Authenticator } from './authenticator.js';

export interface JwtAuthenticatorOptions {
  issuer: string;
  /** The audience tokens must name: this server's resource URL. */
  audience: string;
  jwksUrl: string;
  /** Scopes a token must carry (all of them). */
  requiredScopes?: string[];
  /** Claim that names the principal; `sub` by default. */
  principalClaim?: string;
  clockToleranceSec?: number;
}

export class JwtAuthenticator implements Authenticator {
  private readonly jwks: JWTVerifyGetKey;

  constructor(private readonly options: JwtAuthenticatorOptions) {
    this.jwks = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  }

  async authenticate(bearer: string | undefined): Promise<AuthResult> {
    if (!bearer) return { ok: false, error: 'invalid_request', description: 'missing bearer token' };
    try {
      const { payload } = await jwtVerify(bearer, this.jwks, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSec ?? 30,
        requiredClaims: ['exp', 'sub'],
      });
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
      const missing = (this.options.requiredScopes ?? []).filter((s) => !scopes.includes(s));
      if (missing.length) return { ok: false, error: 'invalid_token', description: `token lacks scope(s): ${missing.join(' ')}` };
      const claim = this.options.principalClaim ?? 'sub';
      const name = String(payload[claim] ?? payload.sub);
      return {
        ok: true,
        principal: {
          name,
          method: 'jwt',
          scopes,
          ...(payload.exp ? { expiresAt: payload.exp } : {}),
          ...(typeof payload.agent_run_id === 'string' ? { agentRunId: payload.agent_run_id } : {}),
        },
      };
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      const description =
        code === 'ERR_JWT_EXPIRED' ? 'token expired' : code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'bad signature' : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? `claim check failed: ${(err as Error).message}` : 'invalid token';
      return { ok: false, error: 'invalid_token', description };
    }
  }

  resourceMetadata(resourceUrl: string): Record<string, unknown> {
    return {
      resource: resourceUrl,
      authorization_servers: [this.options.issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: this.options.requiredScopes ?? [],
      resource_name: 'infra-audit-mcp (read-only)',
    };
  }
}

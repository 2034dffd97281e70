/** Who is calling over HTTP. Every request must authenticate; there is no anonymous mode. */
export interface Principal {
  name: string;
  /** Where the identity came from, for the audit log. */
  method: 'token' | 'jwt';
  scopes?: string[];
  /** Unix seconds when the credential expires, if it does. */
  expiresAt?: number;
  /** Set by the agent when it calls on a run's behalf (claim or token label). */
  agentRunId?: string;
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; error: 'invalid_request' | 'invalid_token'; description: string };

export interface Authenticator {
  authenticate(bearerToken: string | undefined): Promise<AuthResult>;
  /** RFC 9728 protected-resource metadata, when this authenticator is an OAuth resource server. */
  resourceMetadata?(resourceUrl: string): Record<string, unknown>;
}

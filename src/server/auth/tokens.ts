/**
 * Static bearer tokens from a file, each mapped to a principal name. The file holds only
 * SHA-256 hashes; presented tokens are hashed and compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InfraAuditError } from '../../errors.js';
import type { AuthResult, Authenticator } from './authenticator.js';

const TokenFile = z.strictObject({
  tokens: z
    .array(
      z.strictObject({
        principal: z.string().min(1).max(256),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the token'),
        expires: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .min(1),
});

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random token and the line to put in the tokens file. */
export function newToken(principal: string): { token: string; entry: { principal: string; sha256: string } } {
  const token = `iam_${randomBytes(32).toString('base64url')}`;
  return { token, entry: { principal, sha256: hashToken(token) } };
}

export class TokenAuthenticator implements Authenticator {
  private readonly entries: Array<{ principal: string; digest: Buffer; expires?: number }>;

  constructor(entries: ReadonlyArray<{ principal: string; sha256: string; expires?: string }>) {
    this.entries = entries.map((e) => ({ principal: e.principal, digest: Buffer.from(e.sha256, 'hex'), ...(e.expires ? { expires: Date.parse(e.expires) } : {}) }));
  }

  static async fromFile(file: string): Promise<TokenAuthenticator> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new InfraAuditError('FILE_NOT_FOUND', `cannot read tokens file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
        hint: 'create one with `infra-audit token create --principal NAME --tokens-file FILE`',
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new InfraAuditError('INVALID_INPUT', `tokens file ${file} is not valid JSON: ${(err as Error).message}`, { hint: 'expected {"tokens":[{"principal":"name","sha256":"<hex>"}]}' });
    }
    const result = TokenFile.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new InfraAuditError('INVALID_INPUT', `tokens file ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
        hint: 'expected {"tokens":[{"principal":"name","sha256":"<hex>"}]}; `infra-audit token create` prints an entry',
      });
    }
    return new TokenAuthenticator(result.data.tokens);
  }

  async authenticate(bearer: string | undefined): Promise<AuthResult> {
    if (!bearer) return { ok: false, error: 'invalid_request', description: 'missing bearer token' };
    const digest = Buffer.from(hashToken(bearer), 'hex');
    let match: (typeof this.entries)[number] | undefined;
    // Compare against every entry, always, so timing says nothing about which one matched.
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, digest)) match ??= entry;
    if (!match) return { ok: false, error: 'invalid_token', description: 'unknown token' };
    if (match.expires !== undefined && match.expires < Date.now()) return { ok: false, error: 'invalid_token', description: 'token expired' };
    return { ok: true, principal: { name: match.principal, method: 'token', ...(match.expires ? { expiresAt: Math.floor(match.expires / 1000) } : {}) } };
  }
}

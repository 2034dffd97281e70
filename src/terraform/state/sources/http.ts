/**
 * Terraform's `http` backend: the state is the body of a GET on its address. Credentials come
 * from the options, the address's user-info, or Terraform's own TF_HTTP_USERNAME /
 * TF_HTTP_PASSWORD; none of them ever appears in a location or a message.
 */
import { InfraAuditError } from '../../../errors.js';
import { readBodyText, unreachable } from './body.js';
import type { StateText } from './types.js';

export interface HttpStateAuth {
  username?: string;
  password?: string;
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
}

export interface HttpStateOptions {
  auth?: HttpStateAuth;
  env: NodeJS.ProcessEnv;
  maxBytes: number;
  timeoutMs: number;
}

export async function fetchHttpState(address: string, options: HttpStateOptions): Promise<StateText> {
  const url = new URL(address);
  const auth = { ...credentialsFrom(url, options.env), ...options.auth };
  url.username = '';
  url.password = '';
  const location = url.toString();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  else if (auth.username !== undefined || auth.password !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64')}`;
  }
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (err) {
    throw unreachable(location, err);
  }
  if (response.status === 404 || response.status === 204) {
    throw new InfraAuditError('NOT_FOUND', `no state at ${location} (HTTP ${response.status})`, {
      hint: 'Check the address: the http backend answers this way when no state has been written there.',
    });
  }
  if (response.status === 401 || response.status === 403) {
    throw new InfraAuditError('FILE_UNREADABLE', `${location} refused the request (HTTP ${response.status}): credentials missing or rejected`, {
      hint: 'Set TF_HTTP_USERNAME and TF_HTTP_PASSWORD (as for Terraform\'s http backend), or pass a bearer token.',
    });
  }
  if (!response.ok) {
    throw new InfraAuditError('FILE_UNREADABLE', `${location} answered HTTP ${response.status} ${response.statusText}`, {
      hint: 'The state server failed; try again, or check its logs.',
    });
  }
  const text = await readBodyText(response, location, options.maxBytes);
  if (text.trim() === '') throw new InfraAuditError('NOT_FOUND', `no state at ${location} (empty response)`);
  return { text, source: { kind: 'http', location } };
}

function credentialsFrom(url: URL, env: NodeJS.ProcessEnv): HttpStateAuth {
  if (url.username || url.password) return { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  const out: HttpStateAuth = {};
  if (env.TF_HTTP_USERNAME !== undefined) out.username = env.TF_HTTP_USERNAME;
  if (env.TF_HTTP_PASSWORD !== undefined) out.password = env.TF_HTTP_PASSWORD;
  return out;
}

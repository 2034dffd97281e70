/**
 * HCP Terraform / Terraform Enterprise (`tfc://org/workspace` or `tfc://host/org/workspace`):
 * look the workspace up, take its current state version, download that version's state.
 * The token is Terraform CLI's own: TF_TOKEN_<host> or ~/.terraform.d/credentials.tfrc.json.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InfraAuditError } from '../../../errors.js';
import { readBodyText, unreachable } from './body.js';
import type { StateText } from './types.js';

const DEFAULT_TFC_HOST = 'app.terraform.io';

export interface TfcStateOptions {
  /** e.g. http://127.0.0.1:PORT in tests; default https://<host>. */
  apiBaseUrl?: string;
  token?: string;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  maxBytes: number;
  timeoutMs: number;
}

export interface TfcWorkspaceRef {
  host: string;
  organization: string;
  workspace: string;
}

export function parseTfcSpec(spec: string): TfcWorkspaceRef {
  const parts = spec.replace(/^tfc:\/\//, '').split('/').filter(Boolean);
  if (parts.length === 2) return { host: DEFAULT_TFC_HOST, organization: parts[0]!, workspace: parts[1]! };
  if (parts.length === 3) return { host: parts[0]!, organization: parts[1]!, workspace: parts[2]! };
  throw new InfraAuditError('USAGE', `${spec} is not a workspace address`, {
    hint: 'Use tfc://<organization>/<workspace>, or tfc://<host>/<organization>/<workspace> for Terraform Enterprise.',
  });
}

/** TF_TOKEN_app_terraform_io: dots become underscores, hyphens double underscores. */
export function tokenVariableName(host: string): string {
  return `TF_TOKEN_${host.replace(/-/g, '__').replace(/\./g, '_')}`;
}

export async function fetchTfcState(spec: string, options: TfcStateOptions): Promise<StateText> {
  const ref = parseTfcSpec(spec);
  const location = `tfc://${ref.host}/${ref.organization}/${ref.workspace}`;
  const token = options.token ?? (await findToken(ref.host, options));
  if (!token) {
    throw new InfraAuditError('INVALID_INPUT', `no API token for ${ref.host}, needed to read ${location}`, {
      hint: `Run \`terraform login ${ref.host}\`, or set ${tokenVariableName(ref.host)}.`,
    });
  }
  const base = new URL(options.apiBaseUrl ?? `https://${ref.host}`);
  const api = (pathname: string) => new URL(pathname, base);
  const get = async (url: URL, withToken: boolean): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/vnd.api+json' };
    if (withToken) headers.authorization = `Bearer ${token}`;
    try {
      return await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (err) {
      throw unreachable(`${url.origin}${url.pathname}`, err);
    }
  };

  const workspaceUrl = api(`/api/v2/organizations/${encodeURIComponent(ref.organization)}/workspaces/${encodeURIComponent(ref.workspace)}`);
  const workspaceResponse = await get(workspaceUrl, true);
  rejectAuthFailure(workspaceResponse, location, ref.host);
  if (workspaceResponse.status === 404) {
    throw new InfraAuditError('NOT_FOUND', `workspace ${ref.organization}/${ref.workspace} not found on ${ref.host}, or the token cannot read it`, {
      hint: 'Check the organization and workspace names, and that the token\'s user or team can read state.',
    });
  }
  const workspaceId = stringAt(await jsonBody(workspaceResponse, location), ['data', 'id']);
  if (!workspaceId) throw badApiResponse(location, 'the workspace lookup returned no id');

  const versionResponse = await get(api(`/api/v2/workspaces/${encodeURIComponent(workspaceId)}/current-state-version`), true);
  rejectAuthFailure(versionResponse, location, ref.host);
  if (versionResponse.status === 404) {
    throw new InfraAuditError('NOT_FOUND', `workspace ${ref.organization}/${ref.workspace} has no state yet`, {
      hint: 'Run a plan and apply in the workspace first, or point at another workspace.',
    });
  }
  const downloadUrl = stringAt(await jsonBody(versionResponse, location), ['data', 'attributes', 'hosted-state-download-url']);
  if (!downloadUrl) throw badApiResponse(location, 'the current state version has no hosted-state-download-url (still processing?)');

  const download = new URL(downloadUrl, base);
  // The token goes only to the API's own origin, never to a host named in a response.
  const stateResponse = await get(download, download.origin === base.origin);
  rejectAuthFailure(stateResponse, location, ref.host);
  if (!stateResponse.ok) throw badApiResponse(location, `the state download answered HTTP ${stateResponse.status}`);
  return { text: await readBodyText(stateResponse, location, options.maxBytes), source: { kind: 'tfc', location } };
}

async function findToken(host: string, options: TfcStateOptions): Promise<string | undefined> {
  const fromEnv = options.env[tokenVariableName(host)];
  if (fromEnv) return fromEnv;
  const file = path.join(options.homeDir, '.terraform.d', 'credentials.tfrc.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const token = stringAt(JSON.parse(text), ['credentials', host, 'token']);
    return token || undefined;
  } catch {
    throw new InfraAuditError('FILE_UNREADABLE', `${file} is not valid JSON`, { hint: 'Run `terraform login` again to rewrite it.' });
  }
}

function rejectAuthFailure(response: Response, location: string, host: string): void {
  if (response.status === 401 || response.status === 403) {
    throw new InfraAuditError('FILE_UNREADABLE', `${host} rejected the API token while reading ${location} (HTTP ${response.status})`, {
      hint: `The token may be expired or lack state access: run \`terraform login ${host}\` or update ${tokenVariableName(host)}.`,
    });
  }
}

async function jsonBody(response: Response, location: string): Promise<unknown> {
  if (!response.ok) throw badApiResponse(location, `the API answered HTTP ${response.status}`);
  try {
    return await response.json();
  } catch {
    throw badApiResponse(location, 'the API answered with something other than JSON');
  }
}

function badApiResponse(location: string, what: string): InfraAuditError {
  return new InfraAuditError('FILE_UNREADABLE', `cannot read ${location}: ${what}`, {
    hint: 'Check apiBaseUrl (or the host in the address) points at HCP Terraform or Terraform Enterprise.',
  });
}

function stringAt(value: unknown, keys: readonly string[]): string | undefined {
  let node = value;
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'string' ? node : undefined;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InfraAuditError } from '../../../errors.js';
import { loadStates } from '../load.js';
import { parseTfcSpec, tokenVariableName } from './tfc.js';

const TOKEN = 'Can4ry.atlasv1.tfc-token';
const STATE = JSON.stringify({
  version: 4, terraform_version: '1.9.8', serial: 7, lineage: 'l', outputs: {},
  resources: [{ mode: 'managed', type: 'aws_vpc', name: 'main', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 1, attributes: { id: 'vpc-1' } }] }],
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
async function serve(handler: Handler) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const jsonApi = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/vnd.api+json' }).end(JSON.stringify(body));

describe('HCP Terraform source', () => {
  const requests: string[] = [];
  let api: Awaited<ReturnType<typeof serve>>;
  let archivist: Awaited<ReturnType<typeof serve>>;
  let downloadOrigin = '';

  beforeAll(async () => {
    // A second origin, standing in for a storage host named in an API response.
    archivist = await serve((req, res) => {
      requests.push(`archivist ${req.url} ${req.headers.authorization ?? '-'}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(STATE);
    });
    api = await serve((req, res) => {
      requests.push(`api ${req.url} ${req.headers.authorization ?? '-'}`);
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return jsonApi(res, 401, { errors: [{ status: '401', title: 'unauthorized' }] });
      const url = req.url ?? '';
      if (url === '/api/v2/organizations/acme/workspaces/prod') return jsonApi(res, 200, { data: { id: 'ws-prod', type: 'workspaces' } });
      if (url === '/api/v2/organizations/acme/workspaces/empty') return jsonApi(res, 200, { data: { id: 'ws-empty', type: 'workspaces' } });
      if (url === '/api/v2/organizations/acme/workspaces/elsewhere') return jsonApi(res, 200, { data: { id: 'ws-elsewhere', type: 'workspaces' } });
      if (url === '/api/v2/workspaces/ws-prod/current-state-version') {
        return jsonApi(res, 200, { data: { id: 'sv-1', type: 'state-versions', attributes: { serial: 7, 'hosted-state-download-url': '/_archivist/v1/object/sv-1' } } });
      }
      if (url === '/api/v2/workspaces/ws-elsewhere/current-state-version') {
        return jsonApi(res, 200, { data: { id: 'sv-2', attributes: { 'hosted-state-download-url': `${downloadOrigin}/object/sv-2` } } });
      }
      if (url === '/_archivist/v1/object/sv-1') return void res.writeHead(200, { 'content-type': 'application/json' }).end(STATE);
      jsonApi(res, 404, { errors: [{ status: '404', title: 'not found' }] });
    });
    downloadOrigin = archivist.origin;
  });
  afterAll(async () => { await api.close(); await archivist.close(); });

  const options = (extra: object = {}) => ({ env: { [tokenVariableName('app.terraform.io')]: TOKEN }, homeDir: '/nonexistent', tfc: { apiBaseUrl: api.origin }, ...extra });
  const fail = (spec: string, extra: object = {}) => loadStates([spec], options(extra)).then(
    () => { throw new Error('expected a failure'); },
    (err: unknown) => { expect(err).toBeInstanceOf(InfraAuditError); return err as InfraAuditError; },
  );

  it('looks up the workspace, its current state version, and downloads the state', async () => {
    requests.length = 0;
    const { states, index } = await loadStates(['tfc://acme/prod'], options());
    expect(index.get('aws_vpc.main')[0]!.attributes.id).toBe('vpc-1');
    expect(states[0]!.source).toEqual({ kind: 'tfc', location: 'tfc://app.terraform.io/acme/prod' });
    expect(requests).toEqual([
      `api /api/v2/organizations/acme/workspaces/prod Bearer ${TOKEN}`,
      `api /api/v2/workspaces/ws-prod/current-state-version Bearer ${TOKEN}`,
      `api /_archivist/v1/object/sv-1 Bearer ${TOKEN}`,
    ]);
  });

  it('reads the token from the CLI credentials file when no variable is set', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'tfc-home-'));
    mkdirSync(path.join(home, '.terraform.d'));
    writeFileSync(path.join(home, '.terraform.d', 'credentials.tfrc.json'), JSON.stringify({ credentials: { 'app.terraform.io': { token: TOKEN } } }));
    const { states } = await loadStates(['tfc://acme/prod'], { env: {}, homeDir: home, tfc: { apiBaseUrl: api.origin } });
    expect(states[0]!.serial).toBe(7);
  });

  it('never sends the token to a download host other than the API', async () => {
    requests.length = 0;
    await loadStates(['tfc://acme/elsewhere'], options());
    expect(requests.at(-1)).toBe('archivist /object/sv-2 -');
  });

  it('explains a missing token, a rejected token, a missing workspace and a workspace with no state', async () => {
    const none = await fail('tfc://acme/prod', { env: {} });
    expect(none.message).toMatch(/no API token for app\.terraform\.io/);
    expect(none.hint).toMatch(/TF_TOKEN_app_terraform_io/);
    const rejected = await fail('tfc://acme/prod', { env: { TF_TOKEN_app_terraform_io: 'Can4ry-expired' } });
    expect(rejected.message).toMatch(/rejected the API token .*HTTP 401/);
    expect(`${rejected.message}${rejected.hint}`).not.toContain('Can4ry');
    const missing = await fail('tfc://acme/nope');
    expect([missing.code, missing.message]).toEqual(['NOT_FOUND', 'workspace acme/nope not found on app.terraform.io, or the token cannot read it']);
    const empty = await fail('tfc://acme/empty');
    expect(empty.message).toBe('workspace acme/empty has no state yet');
  });

  it('parses workspace addresses with and without a host, and names token variables as Terraform does', () => {
    expect(parseTfcSpec('tfc://acme/prod')).toEqual({ host: 'app.terraform.io', organization: 'acme', workspace: 'prod' });
    expect(parseTfcSpec('tfc://tfe.example.com/acme/prod')).toEqual({ host: 'tfe.example.com', organization: 'acme', workspace: 'prod' });
    expect(() => parseTfcSpec('tfc://acme')).toThrow(/not a workspace address/);
    expect(tokenVariableName('tfe.my-corp.example')).toBe('TF_TOKEN_tfe_my__corp_example');
  });
});

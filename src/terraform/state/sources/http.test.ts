import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InfraAuditError } from '../../../errors.js';
import { loadStates } from '../load.js';

const STATE = JSON.stringify({
  version: 4, terraform_version: '1.9.8', serial: 3, lineage: 'l', outputs: {},
  resources: [{ mode: 'managed', type: 'aws_s3_bucket', name: 'logs', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes: { bucket: 'acme-logs' } }] }],
});
const BASIC = `Basic ${Buffer.from('terraform:Can4ry-http-pass').toString('base64')}`;

/** A real HTTP state server on 127.0.0.1, shaped like Terraform's http backend. */
function stateServer(): Promise<{ server: Server; origin: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    const auth = req.headers.authorization;
    if (req.url === '/state/prod') {
      if (auth !== BASIC && auth !== 'Bearer tok-123') return void res.writeHead(401).end('unauthorized');
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(STATE);
    }
    if (req.url === '/state/broken') return void res.writeHead(500).end('boom');
    res.writeHead(404).end('not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen });
  }));
}

describe('http backend source', () => {
  let env: Awaited<ReturnType<typeof stateServer>>;
  beforeAll(async () => { env = await stateServer(); });
  afterAll(() => new Promise<void>((resolve) => env.server.close(() => resolve())));

  const fail = (spec: string, options = {}) => loadStates([spec], { env: {}, ...options }).then(
    () => { throw new Error('expected a failure'); },
    (err: unknown) => { expect(err).toBeInstanceOf(InfraAuditError); return err as InfraAuditError; },
  );

  it('GETs the state with basic auth and records its source without the credentials', async () => {
    const { states, index } = await loadStates([`${env.origin}/state/prod`], { env: {}, http: { username: 'terraform', password: 'Can4ry-http-pass' } });
    expect(index.get('aws_s3_bucket.logs')[0]!.attributes.bucket).toBe('acme-logs');
    expect(states[0]!.source).toEqual({ kind: 'http', location: `${env.origin}/state/prod` });
    expect(env.seen.at(-1)).toBe(`GET /state/prod ${BASIC}`);
  });

  it('takes credentials from the address or from TF_HTTP_USERNAME/TF_HTTP_PASSWORD, and a bearer token', async () => {
    const fromUrl = await loadStates([`http://terraform:Can4ry-http-pass@127.0.0.1:${new URL(env.origin).port}/state/prod`], { env: {} });
    expect(fromUrl.states[0]!.source.location).toBe(`${env.origin}/state/prod`);
    expect(JSON.stringify(fromUrl.states[0]!.source)).not.toContain('Can4ry');
    await loadStates([`${env.origin}/state/prod`], { env: { TF_HTTP_USERNAME: 'terraform', TF_HTTP_PASSWORD: 'Can4ry-http-pass' } });
    await loadStates([`${env.origin}/state/prod`], { env: {}, http: { token: 'tok-123' } });
    expect(env.seen.at(-1)).toBe('GET /state/prod Bearer tok-123');
  });

  it('says so when the credentials are missing or wrong, without echoing them', async () => {
    const missing = await fail(`${env.origin}/state/prod`);
    expect(missing.message).toMatch(/HTTP 401/);
    const wrong = await fail(`${env.origin}/state/prod`, { http: { username: 'terraform', password: 'Can4ry-wrong' } });
    expect(wrong.message).toMatch(/refused/);
    expect(`${wrong.message} ${wrong.hint}`).not.toContain('Can4ry');
  });

  it('reports 404 as no state at that address', async () => {
    const err = await fail(`${env.origin}/state/nope`);
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe(`no state at ${env.origin}/state/nope (HTTP 404)`);
  });

  it('reports a server failure and an unreachable server', async () => {
    expect((await fail(`${env.origin}/state/broken`)).message).toMatch(/HTTP 500/);
    const closed = await stateServer();
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const err = await fail(`${closed.origin}/state/prod`);
    expect(err.code).toBe('FILE_UNREADABLE');
    expect(err.message).toMatch(/cannot reach .*ECONNREFUSED/);
  });
});

/**
 * What a failed AWS call is called in reports: the real SDK client against real sockets on
 * 127.0.0.1, each misbehaving in one way.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig } from './clients.js';
import { describeAwsError } from './errors.js';

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function listen(onSocket: (socket: Socket) => void): Promise<string> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

async function failure(endpoint: string, timeouts: { connectTimeoutMs?: number; requestTimeoutMs?: number } = {}) {
  const sts = new STSClient({ ...clientConfig('sts', { endpointUrl: endpoint, credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' }, ...timeouts }), maxAttempts: 1 });
  try {
    await sts.send(new GetCallerIdentityCommand({}));
  } catch (err) {
    return describeAwsError(err);
  } finally {
    sts.destroy();
  }
  throw new Error('the call succeeded');
}

describe('describeAwsError on real sockets', () => {
  it('calls a connection the endpoint resets a reset, not a timeout (the HTTP handler names both TimeoutError)', async () => {
    const endpoint = await listen((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const info = await failure(endpoint);
    expect(info.code).toBe('ECONNRESET');
    expect(info.message).toContain('connection reset');
    expect(info.message).not.toContain('--request-timeout');
  });

  it('calls an endpoint that never answers a request timeout, naming the flag and the time', async () => {
    const endpoint = await listen(() => undefined);
    const info = await failure(endpoint, { requestTimeoutMs: 300 });
    expect(info).toEqual({ code: 'TimeoutError', message: 'no response within 0.3 s (--request-timeout)' });
  });
});

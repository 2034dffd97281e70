/**
 * A scripted model API on 127.0.0.1:0 for tests, the one place a fake is right: no real
 * model runs here. Each HTTP request takes the next scripted reply (a retried request takes
 * one too), and every request is recorded so a test can read what the agent sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  // The API JSON, read freely by tests.
  body: any;
}

export interface ScriptedHttpReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** A reply, or a function of the request (and all requests so far) that makes one. */
export type ScriptStep<R> = R | ((request: RecordedRequest, all: RecordedRequest[]) => R);

export interface FakeModelServer {
  /** Base URL for the SDK (ANTHROPIC_BASE_URL / OPENAI_BASE_URL). */
  url: string;
  requests: RecordedRequest[];
  /** Requests to the model endpoint only. */
  modelRequests(): RecordedRequest[];
  /** Script steps not yet consumed. */
  remaining(): number;
  close(): Promise<void>;
}

export async function startScriptedServer<R>(
  endpointPath: string,
  basePath: string,
  script: ReadonlyArray<ScriptStep<R>>,
  render: (reply: R, request: RecordedRequest) => ScriptedHttpReply,
): Promise<FakeModelServer> {
  const requests: RecordedRequest[] = [];
  let next = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
      } catch {
        body = { unparseable: Buffer.concat(chunks).toString('utf8') };
      }
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      let reply: ScriptedHttpReply;
      if (req.method !== 'POST' || recorded.path.split('?')[0] !== endpointPath) {
        reply = { status: 404, body: { error: { type: 'not_found_error', message: `fake model server: no route ${req.method} ${recorded.path}` } } };
      } else if (next >= script.length) {
        // Not retryable, so a test whose agent asks for more than scripted fails at once.
        reply = { status: 400, headers: { 'x-should-retry': 'false' }, body: { error: { type: 'invalid_request_error', message: 'fake model server: script exhausted' } } };
      } else {
        const step = script[next++]!;
        const value = typeof step === 'function' ? (step as (r: RecordedRequest, all: RecordedRequest[]) => R)(recorded, requests) : step;
        reply = render(value, recorded);
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    requests,
    modelRequests: () => requests.filter((r) => r.path.split('?')[0] === endpointPath),
    remaining: () => script.length - next,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

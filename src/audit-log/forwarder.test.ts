import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditLog, type AuditLogOptions } from './audit-log.js';
import type { ToolCallEvent } from '../server/create-server.js';
import type { AuditRecord } from './record.js';

/** A SIEM stand-in on 127.0.0.1 that can go down and come back on the same port. */
class Receiver {
  readonly deliveries = new Map<string, number>();
  readonly bodies: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
  /** When set, the next request is processed but its response is lost. */
  dropNextResponse = false;
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly parse: (body: string) => AuditRecord[]) {}

  async up(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.bodies.push({ headers: req.headers, body });
        for (const record of this.parse(body)) this.deliveries.set(record.metadata.uid, (this.deliveries.get(record.metadata.uid) ?? 0) + 1);
        if (this.dropNextResponse) {
          this.dropNextResponse = false;
          req.socket.destroy();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"text":"Success","code":0}');
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/services/collector/event`;
  }
}

function event(i: number): ToolCallEvent {
  return {
    method: 'tools/call',
    requestId: `req-${i}`,
    tool: 'whoami',
    caller: { principal: 'alice@sec', transport: 'http' },
    args: {},
    startedAt: new Date(),
    durationMs: 1,
    outcome: 'success',
    resultText: `result ${i}`,
  };
}

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const fileIds = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as AuditRecord).metadata.uid);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-fwd-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Splunk HEC forwarder', () => {
  const hecEvents = (body: string) => body.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { event: AuditRecord }).event);

  it('delivers every record once per id through an outage, a lost response and a server restart', async () => {
    const receiver = new Receiver(hecEvents);
    await receiver.up();
    const path = join(dir, 'audit.jsonl');
    const options: AuditLogOptions = {
      target: path,
      forwarders: [{ name: 'splunk', format: 'splunk-hec', url: receiver.url, token: 'hec-token-1', initialBackoffMs: 20, maxBackoffMs: 200 }],
    };
    let audit = await AuditLog.open(options);
    await Promise.all(Array.from({ length: 50 }, (_, i) => audit.onToolCall(event(i))));
    await until(() => receiver.deliveries.size === 50, 'the first 50 records');

    await receiver.down();
    await Promise.all(Array.from({ length: 100 }, (_, i) => audit.onToolCall(event(50 + i))));
    await until(() => audit.stats.forwarders[0]!.failedAttempts >= 2, 'failed attempts while the receiver is down');
    // Restart the server while the SIEM is down: the spool survives and resumes from its cursor.
    await audit.close();
    audit = await AuditLog.open(options);
    await Promise.all(Array.from({ length: 10 }, (_, i) => audit.onToolCall(event(150 + i))));

    receiver.dropNextResponse = true;
    await receiver.up();
    await until(() => receiver.deliveries.size === 160, 'all 160 records after the outage');
    await audit.close();

    const ids = fileIds(path);
    expect(ids).toHaveLength(160);
    expect(new Set(receiver.deliveries.keys())).toEqual(new Set(ids));
    // At least once on the wire (the lost response was re-sent); exactly once after de-duplication by id.
    expect([...receiver.deliveries.values()].some((n) => n > 1)).toBe(true);

    const first = receiver.bodies[0]!;
    expect(first.headers.authorization).toBe('Splunk hec-token-1');
    const hec = JSON.parse(first.body.split('\n')[0]!) as { time: number; host: string; source: string; sourcetype: string; event: AuditRecord };
    expect(Object.keys(hec).sort()).toEqual(['event', 'host', 'source', 'sourcetype', 'time']);
    expect(hec.time * 1000).toBeCloseTo(hec.event.time, 3);
    expect(hec).toMatchObject({ source: 'infra-audit-mcp', sourcetype: 'infra-audit:ocsf', event: { class_uid: 6003 } });
  });

  it('keeps records out of a full spool, and says so, while the audit file keeps them all', async () => {
    const receiver = new Receiver(hecEvents);
    await receiver.up();
    await receiver.down();
    const path = join(dir, 'audit.jsonl');
    const warnings: string[] = [];
    const audit = await AuditLog.open({
      target: path,
      warn: (m) => warnings.push(m),
      forwarders: [{ name: 'splunk', format: 'splunk-hec', url: receiver.url, token: 't', maxSpoolBytes: 10_000, initialBackoffMs: 20, maxBackoffMs: 50 }],
    });
    for (let i = 0; i < 40; i++) await audit.onToolCall(event(i));
    expect(audit.stats.forwarders[0]!.droppedFromSpool).toBeGreaterThan(0);
    expect(warnings.some((w) => w.includes('spool full'))).toBe(true);
    expect(fileIds(path)).toHaveLength(40);
    await audit.close();
  });
});

describe('generic JSON webhook forwarder', () => {
  it('POSTs JSON arrays of records with a bearer token', async () => {
    const receiver = new Receiver((body) => JSON.parse(body) as AuditRecord[]);
    await receiver.up();
    const path = join(dir, 'audit.jsonl');
    const audit = await AuditLog.open({ target: path, forwarders: [{ name: 'webhook', format: 'webhook', url: `http://127.0.0.1:${receiver.port}/hook`, token: 'wh-token' }] });
    await Promise.all(Array.from({ length: 20 }, (_, i) => audit.onToolCall(event(i))));
    await until(() => receiver.deliveries.size === 20, 'the 20 records');
    await audit.close();
    await receiver.down();
    expect(receiver.bodies[0]!.headers).toMatchObject({ authorization: 'Bearer wh-token', 'content-type': 'application/json' });
    expect(Array.isArray(JSON.parse(receiver.bodies[0]!.body))).toBe(true);
    expect(new Set(receiver.deliveries.keys())).toEqual(new Set(fileIds(path)));
  });
});

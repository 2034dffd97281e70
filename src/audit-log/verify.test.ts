import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, appendFileSync, existsSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ChainHasher } from './chain.js';
import { FileSink, rotatedFiles } from './file-sink.js';
import { Journal } from './journal.js';
import { mcpRequestRecord, type AuditRecord } from './record.js';
import { verifyChain } from './verify.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-verify-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function toolRecord(i: number): AuditRecord {
  return mcpRequestRecord(
    {
      method: 'tools/call',
      name: 'get_bucket_policy',
      requestId: `req-${i}`,
      caller: { principal: i % 2 ? 'alice@sec' : 'agent-7', transport: 'http', clientName: 'test', clientVersion: '1' },
      args: { bucket: `bucket-${i}` },
      startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)),
      durationMs: 3,
      outcome: 'success',
      resultText: `policy of bucket-${i}`,
    },
    { productVersion: '0.1.0', account: { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:role/audit' }, region: 'us-east-1' },
  );
}

async function writeLog(path: string, count: number, options: { key?: Buffer; maxBytes?: number; from?: number } = {}): Promise<void> {
  const sink = await FileSink.open(path, options.maxBytes ? { maxBytes: options.maxBytes } : {});
  const journal = new Journal(sink, new ChainHasher(options.key));
  // Sequential appends: one record per batch, so rotation can fall between any two.
  for (let i = options.from ?? 0; i < (options.from ?? 0) + count; i++) await journal.append(toolRecord(i));
  await journal.close();
}

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);
const write = (path: string, ls: string[]) => writeFileSync(path, `${ls.join('\n')}\n`);
const idAt = (ls: string[], lineNo: number) => (JSON.parse(ls[lineNo - 1]!) as AuditRecord).metadata.uid;

describe('log verify on an intact chain', () => {
  it('passes, counting every record, and reports the chain span', async () => {
    const path = join(dir, 'audit.jsonl');
    await writeLog(path, 12);
    const result = await verifyChain([path]);
    expect(result).toMatchObject({ ok: true, records: 12, firstSeq: 1, lastSeq: 12, alg: 'sha256' });
    expect(result.lastHash).toBe((JSON.parse(lines(path)[11]!) as AuditRecord).unmapped.chain!.hash);
  });

  it('continues the chain across a restart of the writer', async () => {
    const path = join(dir, 'audit.jsonl');
    await writeLog(path, 5);
    await writeLog(path, 5, { from: 5 });
    expect(await verifyChain([path])).toMatchObject({ ok: true, records: 10, lastSeq: 10 });
  });
});

describe('log verify names the first tampered record', () => {
  let path: string;
  let original: string[];
  beforeEach(async () => {
    path = join(dir, 'audit.jsonl');
    await writeLog(path, 10);
    original = lines(path);
  });

  it('an altered record: at its line', async () => {
    const ls = [...original];
    ls[4] = ls[4]!.replace('"name":"agent-7"', '"name":"mallory@sec"');
    expect(ls[4]).toContain('mallory');
    write(path, ls);
    const r = await verifyChain([path]);
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({ kind: 'altered', line: 5, recordId: idAt(ls, 5) });
    expect(r.records).toBe(4);
  });

  it('a removed record: at the line where the gap is', async () => {
    const ls = original.filter((_, i) => i !== 4);
    write(path, ls);
    const r = await verifyChain([path]);
    expect(r.failure).toMatchObject({ kind: 'removed', line: 5, recordId: idAt(ls, 5) });
    expect(r.failure!.message).toContain('seq 5 missing');
  });

  it('the first record removed: the chain does not start at genesis', async () => {
    write(path, original.slice(1));
    const r = await verifyChain([path]);
    expect(r.failure).toMatchObject({ kind: 'unchained-start', line: 1 });
  });

  it('an inserted copy of another record: at the copy', async () => {
    const ls = [...original.slice(0, 5), original[2]!, ...original.slice(5)];
    write(path, ls);
    const r = await verifyChain([path]);
    expect(r.failure).toMatchObject({ kind: 'inserted', line: 6 });
    expect(r.failure!.message).toContain('copy of line 3');
  });

  it('an inserted record forged with a correct SHA-256: at the forged line', async () => {
    const forged = toolRecord(99);
    const prev = JSON.parse(original[4]!) as AuditRecord;
    const line = new ChainHasher().seal(forged, { seq: prev.unmapped.chain!.seq, hash: prev.unmapped.chain!.hash }).trimEnd();
    const ls = [...original.slice(0, 5), line, ...original.slice(5)];
    write(path, ls);
    const r = await verifyChain([path]);
    expect(r.failure).toMatchObject({ kind: 'inserted', line: 6, recordId: forged.metadata.uid });
  });

  it('two records swapped: at the first of them', async () => {
    const ls = [...original];
    [ls[4], ls[5]] = [ls[5]!, ls[4]!];
    write(path, ls);
    const r = await verifyChain([path]);
    expect(r.failure).toMatchObject({ kind: 'reordered', line: 5, recordId: idAt(ls, 5) });
  });

  it('an altered record re-sealed with SHA-256 (no key): at that record, found through its successor', async () => {
    const record = JSON.parse(original[4]!) as AuditRecord;
    record.actor.user.name = 'mallory@sec';
    const chain = record.unmapped.chain!;
    const line = new ChainHasher().seal(record, { seq: chain.seq - 1, hash: chain.prev_hash }).trimEnd();
    write(path, [...original.slice(0, 4), line, ...original.slice(5)]);
    const r = await verifyChain([path]);
    expect(r.failure).toMatchObject({ kind: 'altered', line: 5, recordId: record.metadata.uid });
  });
});

describe('HMAC-sealed chains', () => {
  const key = Buffer.from('a long random key for the audit log');

  it('verify needs the key, passes with it, and fails with another key at the first record', async () => {
    const path = join(dir, 'audit.jsonl');
    await writeLog(path, 4, { key });
    await expect(verifyChain([path])).rejects.toThrow(/HMAC-SHA256; verifying needs the key/);
    expect(await verifyChain([path], { hmacKey: key })).toMatchObject({ ok: true, records: 4, alg: 'hmac-sha256' });
    expect((await verifyChain([path], { hmacKey: Buffer.from('wrong') })).failure).toMatchObject({ kind: 'altered', line: 1 });
  });

  it('an edit re-sealed without the key is caught at that record, even as a downgrade to SHA-256', async () => {
    const path = join(dir, 'audit.jsonl');
    await writeLog(path, 6, { key });
    const ls = lines(path);
    const record = JSON.parse(ls[2]!) as AuditRecord;
    record.unmapped.outcome = 'success';
    record.api.operation = 'whoami';
    const chain = record.unmapped.chain!;
    const downgraded = new ChainHasher().seal(structuredClone(record), { seq: chain.seq - 1, hash: chain.prev_hash }).trimEnd();
    write(path, [...ls.slice(0, 2), downgraded, ...ls.slice(3)]);
    expect((await verifyChain([path], { hmacKey: key })).failure).toMatchObject({ kind: 'downgraded', line: 3 });
    const guessedKey = new ChainHasher(Buffer.from('guess')).seal(record, { seq: chain.seq - 1, hash: chain.prev_hash }).trimEnd();
    write(path, [...ls.slice(0, 2), guessedKey, ...ls.slice(3)]);
    expect((await verifyChain([path], { hmacKey: key })).failure).toMatchObject({ kind: 'altered', line: 3 });
  });
});

describe('rotation', () => {
  it('chains across files: each new file names the one before, and verify takes them in order', async () => {
    const path = join(dir, 'audit.jsonl');
    await writeLog(path, 20, { maxBytes: 4_000 });
    const rotated = await rotatedFiles(path);
    expect(rotated.length).toBeGreaterThanOrEqual(2);
    const files = [...rotated, path];
    const result = await verifyChain(files);
    expect(result).toMatchObject({ ok: true, records: 20, lastSeq: 20 });
    expect(result.warnings).toEqual([]);
    for (let i = 1; i < files.length; i++) {
      const first = JSON.parse(lines(files[i]!)[0]!) as AuditRecord;
      expect(first.unmapped.chain!.prev_file).toBe(basename(files[i - 1]!));
    }
    // Out of order, or a later file alone, does not pass.
    expect((await verifyChain([files[1]!, files[0]!, ...files.slice(2)])).ok).toBe(false);
    const alone = await verifyChain([path]);
    expect(alone.failure).toMatchObject({ kind: 'unchained-start' });
    expect(alone.failure!.message).toContain(basename(files.at(-2)!));
    expect(await verifyChain([path], { allowContinuation: true })).toMatchObject({ ok: true });
  });

  it('a server started after the live file was rotated away continues from the newest rotated file', async () => {
    const path = join(dir, 'audit.jsonl');
    await writeLog(path, 6, { maxBytes: 3_000 });
    const rotated = await rotatedFiles(path);
    rmSync(path);
    await writeLog(path, 2, { from: 6 });
    const files = [...rotated, path];
    expect(await verifyChain(files)).toMatchObject({ ok: true });
    expect((JSON.parse(lines(path)[0]!) as AuditRecord).unmapped.chain!.prev_file).toBe(basename(rotated.at(-1)!));
  });
});

describe('a torn final line (crash in the middle of a write)', () => {
  it('is reported and not counted by verify; the writer sets it aside and the chain continues', async () => {
    const path = join(dir, 'audit.jsonl');
    await writeLog(path, 5);
    const torn = lines(path)[2]!.slice(0, 100);
    appendFileSync(path, torn);
    const r = await verifyChain([path]);
    expect(r).toMatchObject({ ok: true, records: 5, torn: { line: 6, bytes: 100 } });
    await writeLog(path, 3, { from: 5 });
    expect(await verifyChain([path])).toMatchObject({ ok: true, records: 8, lastSeq: 8 });
    const aside = readdirSync(dir).filter((n) => n.startsWith('audit.jsonl.torn-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(torn);
  });

  it('is not accepted in any file but the last', async () => {
    const first = join(dir, 'a.jsonl');
    await writeLog(first, 3);
    appendFileSync(first, '{"partial":');
    const r = await verifyChain([first, join(dir, 'a.jsonl')]);
    expect(r.ok).toBe(false);
    expect(r.failure!.message).toContain('partial record');
  });

  it('a complete line that is not a record fails', async () => {
    const path = join(dir, 'audit.jsonl');
    await writeLog(path, 3);
    appendFileSync(path, 'not json\n');
    expect((await verifyChain([path])).failure).toMatchObject({ kind: 'not-a-record', line: 4 });
  });
});

describe('one writer per log', () => {
  it('refuses a second writer in this process and one held by another live process, takes over a stale lock', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = await FileSink.open(path);
    await expect(FileSink.open(path)).rejects.toThrow(/already open in this process/);
    await sink.close();
    expect(existsSync(`${path}.lock`)).toBe(false);

    // pid 1 is always alive and never this process.
    writeFileSync(`${path}.lock`, '1\n');
    await expect(FileSink.open(path)).rejects.toThrow(/another process \(pid 1\)/);

    const exited = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
    writeFileSync(`${path}.lock`, `${exited.pid}\n`);
    const taken = await FileSink.open(path);
    expect(readFileSync(`${path}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await taken.close();
  });
});

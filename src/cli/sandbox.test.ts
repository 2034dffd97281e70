import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { main } from './main.js';
import { bufferIO } from './io.js';
import { fixturePath, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { clientConfig } from '../aws/clients.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe('infra-audit sandbox (the built CLI as a child process)', () => {
  it('prints its endpoint as the first stdout line, serves real SDK calls, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'sandbox', '--account', fixturePath('minimal-account.json'), '--seed', '7'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const firstLine = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no endpoint line; stderr: ${stderr}`)), 15_000);
      child.stdout.on('data', (d) => {
        stdout += String(d);
        if (stdout.includes('\n')) {
          clearTimeout(timer);
          resolve(stdout.split('\n')[0]!);
        }
      });
    });
    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sts = new STSClient(clientConfig('sts', { endpointUrl: firstLine, credentials: TEST_CREDENTIALS, maxAttempts: 1 }));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('111122223333');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stderr).toContain('serving account 111122223333');
    expect(stderr).toContain('seed 7');
    expect(stderr).toMatch(/stopped \(SIGTERM\) after 1 requests/);
  });
});

describe('infra-audit sandbox bad input', () => {
  it('needs an account file, and says how to give one', async () => {
    const io = bufferIO();
    expect(await main(['sandbox'], io)).toBe(2);
    expect(io.err()).toContain('sandbox needs an account file');
    expect(io.err()).toContain('hint: pass --account');
  });

  it('names a missing file', async () => {
    const io = bufferIO();
    expect(await main(['sandbox', '--account', '/nonexistent/acct.json'], io)).toBe(2);
    expect(io.err()).toContain('cannot read account file /nonexistent/acct.json: ENOENT');
    expect(io.err()).not.toMatch(/\n\s+at /);
  });

  it('rejects bad fault rates and ports with the flag named', async () => {
    const io = bufferIO();
    expect(await main(['sandbox', '--account', 'x.json', '--throttle-rate', '1.5'], io)).toBe(2);
    expect(io.err()).toContain('--throttle-rate expects a fraction between 0 and 1, got "1.5"');
    const io2 = bufferIO();
    expect(await main(['sandbox', '--account', 'x.json', '--port', 'abc'], io2)).toBe(2);
    expect(io2.err()).toContain('--port expects a port number from 0 to 65535');
  });

  it('--validate reports each problem with its JSON path and exits 1; a valid file exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infra-audit-validate-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        AccountId: '12345',
        Regions: { 'us-east-1': {} },
        S3: { Buckets: [{ Name: 'ok-bucket', CreationDate: '2026-01-01T00:00:00Z' }, { Name: 'Bad_Name', CreationDate: 'yesterday', Polcy: {} }] },
      }),
    );
    const io = bufferIO();
    expect(await main(['sandbox', '--validate', bad], io)).toBe(1);
    expect(io.out()).toContain('$.AccountId: must be a 12-digit AWS account id');
    expect(io.out()).toContain('$.S3.Buckets[1].Name');
    expect(io.out()).toContain('$.S3.Buckets[1].CreationDate');
    expect(io.out()).toContain('$.S3.Buckets[1]: unknown field(s) "Polcy"');
    const ok = bufferIO();
    expect(await main(['sandbox', '--validate', fixturePath('minimal-account.json')], ok)).toBe(0);
    expect(ok.out()).toContain('valid');
  });
});

describe('infra-audit sandbox --generate', () => {
  it('writes a valid synthetic account and prints the planted counts', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'infra-audit-gen-')), 'acct.json');
    const io = bufferIO();
    expect(await main(['sandbox', '--generate', 'buckets=50,roles=20,users=10,security-groups=15,db-instances=5', '--seed', '3', '--out', out], io)).toBe(0);
    expect(io.out()).toContain('50 buckets, 20 roles, 10 users, 15 security groups, 5 DB instances');
    expect(io.out().match(/^  [a-z0-9_]+: \d+$/gm)?.length ?? 0).toBeGreaterThanOrEqual(3);
    const check = bufferIO();
    expect(await main(['sandbox', '--validate', out], check)).toBe(0);
  });

  it('names a bad spec key and needs --out', async () => {
    const io = bufferIO();
    expect(await main(['sandbox', '--generate', 'buckets=5,lambdas=3', '--out', '/tmp/x.json'], io)).toBe(2);
    expect(io.err()).toContain('lambdas');
    const io2 = bufferIO();
    expect(await main(['sandbox', '--generate', 'buckets=5'], io2)).toBe(2);
    expect(io2.err()).toContain('--generate needs --out');
  });
});

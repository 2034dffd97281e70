/**
 * Report outputs through the CLI: several formats from one run (--format a,b --output-dir,
 * repeated --output FMT=FILE), every target checked before the first AWS call, atomic writes
 * (a SIGKILL during the write leaves no partial report), and SARIF paths relative to the
 * repository root from any working directory.
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount } from '../sandbox/account/generate.js';
import { BUILT_CLI } from '../test-support/agent-run.js';
import { childProcessEnv, envOverrides, fetchStats, TEST_CREDENTIALS, useSandbox } from '../test-support/sandbox.js';
import { bufferIO } from './io.js';
import { main } from './main.js';
import { resolveOutputs, writeOutputs } from './outputs.js';

const DEMO = fileURLToPath(new URL('../../examples/demo/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'infra-audit-outputs-'));
const { set: setEnv, saved } = envOverrides();
beforeAll(() => setEnv({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined }));
afterAll(() => setEnv(saved));

async function cli(args: string[], cwd = dir) {
  const io = bufferIO({ cwd });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('report outputs: the demo account', () => {
  const env = useSandbox(JSON.parse(readFileSync(join(DEMO, 'account.json'), 'utf8')));

  it('writes sarif, json and html from one audit into --output-dir', async () => {
    const out = join(dir, 'multi');
    const before = (await fetchStats(env.endpoint)).services.sts?.operations.GetCallerIdentity ?? 0;
    const r = await cli(['audit', '--endpoint-url', env.endpoint, '--format', 'sarif,json,html', '--output-dir', out]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(readdirSync(out).sort()).toEqual(['audit.html', 'audit.json', 'audit.sarif']);
    // One audit: the caller's identity was asked once.
    expect((await fetchStats(env.endpoint)).services.sts?.operations.GetCallerIdentity).toBe(before + 1);
    const json = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'));
    const sarif = JSON.parse(readFileSync(join(out, 'audit.sarif'), 'utf8'));
    // The three are renderings of the same findings.
    expect(sarif.runs[0].results).toHaveLength(json.findings.filter((f: { status: string }) => f.status === 'fail').length);
    // The HTML lists each failing resource (passes are summarised per check).
    const failed = json.findings.find((f: { status: string }) => f.status === 'fail');
    expect(readFileSync(join(out, 'audit.html'), 'utf8')).toContain(failed.resourceId);
    expect(r.err).toMatch(/reports in .*audit\.sarif, .*audit\.json, .*audit\.html/);
  });

  it('takes repeated --output FMT=FILE beside a table on stdout, and - as stdout', async () => {
    const r = await cli(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_public_read', '--output', 'sarif=one.sarif', '--output', 'markdown=one.md', '--format', 'table']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Summary:');
    expect(JSON.parse(readFileSync(join(dir, 'one.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(join(dir, 'one.md'), 'utf8')).toContain('## Open failures');
    const stdout = await cli(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_public_read', '--format', 'json', '--output', '-']);
    expect(JSON.parse(stdout.out).findings.length).toBeGreaterThan(0);
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('writes several drift reports from one comparison', async () => {
    const out = join(dir, 'drift-multi');
    const r = await cli(['drift', '--endpoint-url', env.endpoint, '--state', join(DEMO, 'terraform/terraform.tfstate'), '--config', join(DEMO, 'terraform'), '--format', 'json,sarif', '--output-dir', out, '--output', 'html=drift-one.html']);
    expect(r.code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['drift.json', 'drift.sarif']);
    expect(JSON.parse(readFileSync(join(out, 'drift.json'), 'utf8')).entries.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'drift-one.html'), 'utf8')).toContain('<!doctype html>');
  });

  it('refuses bad outputs before the first AWS call, with one line and a hint', async () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const cases: Array<[string[], RegExp]> = [
      [['--format', 'sarif,pdf', '--output-dir', 'x'], /unknown report format "pdf"\n {2}hint: use one of: table, json/],
      [['--format', 'sarif,json'], /names 2 formats and stdout holds one\n {2}hint: add --output-dir/],
      [['--format', 'sarif,json', '--output', 'r.out'], /is one file for 2 formats/],
      [['--output', join(dir, 'no-such-dir', 'r.json'), '--format', 'json'], /cannot write the json report to .*no-such-dir.*: its directory does not exist\n {2}hint: /],
      [['--output', join(dir, 'a-file', 'r.json'), '--format', 'json'], /cannot write the json report to .*: .*a-file is not a directory/],
      [['--output', dir, '--format', 'json'], /cannot write the json report to .*: it is a directory/],
      [['--output-dir', join(dir, 'a-file', 'sub'), '--format', 'json'], /cannot create the output directory .*ENOTDIR/],
      [['--output', 'json=a.json', '--output', 'json=a.json'], /two reports would be written to a\.json/],
      [['--output', 'json=', '--format', 'json'], /--output json= names no file/],
    ];
    const before = (await fetchStats(env.endpoint)).requests;
    for (const [args, message] of cases) {
      const r = await cli(['audit', '--endpoint-url', env.endpoint, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err, args.join(' ')).not.toMatch(/\n\s+at /);
      expect(r.out, args.join(' ')).toBe('');
    }
    const drift = await cli(['drift', '--endpoint-url', env.endpoint, '--state', join(DEMO, 'terraform/terraform.tfstate'), '--output', join(dir, 'no-such-dir', 'd.json'), '--format', 'json']);
    expect(drift.code).toBe(2);
    expect(drift.err).toMatch(/its directory does not exist/);
    // Nothing was asked of AWS: every case failed before the audit began.
    expect((await fetchStats(env.endpoint)).requests).toBe(before);
  });

  it('makes SARIF paths relative to the repository root when run from another directory', async () => {
    const repo = join(dir, 'repo');
    cpSync(join(DEMO, 'terraform'), join(repo, 'infra'), { recursive: true });
    mkdirSync(join(repo, '.git'));
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    const args = ['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_public_read', '--state', join(repo, 'infra/terraform.tfstate'), '--config', join(repo, 'infra'), '--format', 'sarif'];
    const uris = (out: string) => JSON.parse(out).runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    const detected = await cli(args, elsewhere);
    expect(detected.code).toBe(1);
    expect(uris(detected.out)).toContain('infra/s3.tf');
    expect(uris(detected.out).every((u: string) => u === 'infra/s3.tf' || u.startsWith('aws/'))).toBe(true);
    // From inside the repository, with a relative --config, the same paths.
    const inside = await cli([...args.slice(0, -6), '--state', 'infra/terraform.tfstate', '--config', 'infra', '--format', 'sarif'], repo);
    expect(uris(inside.out)).toContain('infra/s3.tf');
    // --sarif-root wins over detection.
    const rooted = await cli([...args, '--sarif-root', join(repo, 'infra')], elsewhere);
    expect(uris(rooted.out)).toContain('s3.tf');
    const bad = await cli([...args, '--sarif-root', join(dir, 'nope')], elsewhere);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--sarif-root .* is not a directory/);
  });
});

describe('report outputs: atomic writes', () => {
  it('shows no report under its name until it is complete, and none at all when the write fails midway', async () => {
    const out = join(dir, 'staged');
    const targets = resolveOutputs({ format: 'json,html', outputDir: out }, { formats: ['json', 'html'] as const, defaultFormat: 'json', basename: 'audit', cwd: dir });
    const seenMidway: string[][] = [];
    async function* slow(format: string) {
      yield `{"part": 1, "format": "${format}"`;
      // Midway through the write: the directory holds only temporary files.
      seenMidway.push(readdirSync(out).filter((f) => !f.startsWith('.')));
      yield '}';
    }
    await writeOutputs(targets, (t) => slow(t.format), { write: () => undefined });
    expect(seenMidway).toEqual([[], []]);
    expect(readdirSync(out).sort()).toEqual(['audit.html', 'audit.json']);
    expect(JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'))).toEqual({ part: 1, format: 'json' });

    async function* broken() {
      yield '{"partial": ';
      throw new Error('renderer failed');
    }
    const fresh = join(dir, 'staged-broken');
    const brokenTargets = resolveOutputs({ format: 'json', outputDir: fresh }, { formats: ['json'] as const, defaultFormat: 'json', basename: 'audit', cwd: dir });
    await expect(writeOutputs(brokenTargets, () => broken(), { write: () => undefined })).rejects.toThrow(/renderer failed/);
    // Neither the report nor its temporary file is left behind.
    expect(readdirSync(fresh)).toEqual([]);
  });

  // Security groups come 1,000 to a page: a report of megabytes from a handful of AWS calls.
  const generated = generateAccount({ buckets: 0, roles: 0, users: 0, securityGroups: 4000, dbInstances: 0, regions: ['us-east-1'] }, 5);
  const SG_CHECKS = 'ec2_sg_open_ssh,ec2_sg_open_rdp,ec2_sg_open_db_ports,ec2_sg_open_all_ports';
  const env = useSandbox(generated.account);

  it('leaves no partial report when the process is killed during the write', async () => {
    const out = join(dir, 'killed');
    mkdirSync(out);
    const child = spawn(process.execPath, [BUILT_CLI, 'audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--checks', SG_CHECKS, '--format', 'json,html', '--output-dir', out], {
      env: childProcessEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The first file to appear in the directory is the moment the write began: kill right then.
    const watcher = watch(out, () => child.kill('SIGKILL'));
    try {
      await exited;
    } finally {
      watcher.close();
    }
    expect(child.signalCode).toBe('SIGKILL');
    for (const name of ['audit.json', 'audit.html']) {
      const file = join(out, name);
      // Either the report is not there, or (had the kill come after the rename) it is whole.
      if (existsSync(file)) {
        const text = readFileSync(file, 'utf8');
        if (name.endsWith('.json')) expect(() => JSON.parse(text), name).not.toThrow();
        else expect(text.trimEnd().endsWith('</html>'), name).toBe(true);
      }
    }
    // And a full run into the same directory leaves complete reports.
    const done = await cli(['audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--checks', SG_CHECKS, '--format', 'json', '--output-dir', out]);
    expect(done.code).toBe(1);
    expect(JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8')).findings.length).toBe(4 * 4000);
  }, 120_000);
});

describe('report outputs: a stream that takes its time', () => {
  it('gets a report rendered whole (table, Markdown, HTML) in pieces, each after the last drained, and all of it', async () => {
    const report = 'x'.repeat(1024 * 1024 + 7);
    let received = '';
    let peak = 0;
    // A reader that takes each piece a turn of the event loop later, as a pipe to a slower process does.
    const sink = new Writable({
      decodeStrings: false,
      highWaterMark: 16 * 1024,
      write(chunk: string, _encoding, done) {
        peak = Math.max(peak, sink.writableLength);
        received += chunk;
        setImmediate(done);
      },
    });
    await writeOutputs([{ format: 'table', display: 'stdout' }], () => report, sink);
    expect(received).toBe(report);
    expect(peak).toBeLessThanOrEqual(64 * 1024);
  });
});

/**
 * The drift report as a contract (issue 12 item 5): `schemaVersion`, a JSON Schema in schemas/,
 * paths relative to the configuration (never an absolute machine path), and
 * `drift gen-driftignore`, all through the CLI against a real sandbox serving the demo account.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envOverrides, TEST_CREDENTIALS, useSandbox } from '../test-support/sandbox.js';
import { bufferIO } from './io.js';
import { main } from './main.js';

const DEMO = fileURLToPath(new URL('../../examples/demo/', import.meta.url));
const CONFIG = join(DEMO, 'terraform');
const STATE = join(CONFIG, 'terraform.tfstate');
const SCHEMA = JSON.parse(readFileSync(new URL('../../schemas/drift-report.schema.json', import.meta.url), 'utf8'));
/** Somewhere outside the repository: the report must still carry no absolute path. */
const elsewhere = mkdtempSync(join(tmpdir(), 'infra-audit-drift-contract-'));

const { set: setEnv, saved } = envOverrides();
beforeAll(() => setEnv({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined }));
afterAll(() => setEnv(saved));

const absolutely = (dir: string) => new RegExp(`(^|[^./\\w])${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

async function cli(args: string[], stdin?: string) {
  const io = bufferIO({ cwd: elsewhere, ...(stdin === undefined ? {} : { stdin: Readable.from([stdin]) }) });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('the drift report contract', () => {
  const env = useSandbox(JSON.parse(readFileSync(join(DEMO, 'account.json'), 'utf8')));
  const drift = (...extra: string[]) => cli(['drift', '--state', STATE, '--config', CONFIG, '--endpoint-url', env.endpoint, ...extra]);

  it('carries schemaVersion and validates against schemas/drift-report.schema.json; a broken report does not', async () => {
    const { code, out } = await drift('--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.schemaVersion).toMatch(/^1\.\d+\.\d+$/);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(SCHEMA);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    report.entries[0].kind = 'drifted';
    expect(validate(report)).toBe(false);
    delete report.entries[0];
    delete report.schemaVersion;
    expect(validate({ ...report, entries: [] })).toBe(false);
  });

  it('names files relative to --config and states relative to the working directory, never by an absolute path', async () => {
    const json = await drift('--format', 'json');
    const report = JSON.parse(json.out);
    const files = report.entries.map((e: { file?: string }) => e.file).filter(Boolean);
    expect(files).toEqual(expect.arrayContaining(['s3.tf', 'iam.tf', 'rds.tf']));
    expect(report.states[0].location).toMatch(/^(\.\.\/)+.*examples\/demo\/terraform\/terraform\.tfstate$/);
    for (const format of ['json', 'markdown', 'html', 'table']) {
      const { out } = await drift('--format', format);
      // An absolute path starts at the root; ../work/… (relative, climbing out) is fine.
      expect(out, format).not.toMatch(absolutely(CONFIG));
      expect(out, format).not.toMatch(absolutely(elsewhere));
    }
    // SARIF: still relative to the repository root, so code scanning annotates the right file.
    const sarif = JSON.parse((await drift('--format', 'sarif')).out);
    const uris = sarif.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('examples/demo/terraform/s3.tf');
  });

  it('gen-driftignore writes rules that leave out exactly what was reported: the next run is clean, a new drift is not hidden', async () => {
    const report = join(elsewhere, 'drift.json');
    expect((await drift('--format', 'json', '--output', report)).code).toBe(1);
    const ignore = join(elsewhere, 'generated.driftignore');
    const gen = await cli(['drift', 'gen-driftignore', '--input', report, '--output', ignore]);
    expect(gen.code).toBe(0);
    const summary = JSON.parse(readFileSync(report, 'utf8')).summary;
    const changedAttributes = JSON.parse(readFileSync(report, 'utf8')).entries.filter((e: { kind: string }) => e.kind === 'changed').reduce((n: number, e: { diffs: unknown[] }) => n + e.diffs.length, 0);
    const total = changedAttributes + summary.missing + summary.unmanaged + summary.unapplied;
    expect(gen.err).toContain(`${total} rule(s) (${changedAttributes} changed, ${summary.missing} missing, ${summary.unmanaged} unmanaged, ${summary.unapplied} unapplied) written to`);
    const rules = readFileSync(ignore, 'utf8');
    // Narrow rules: the changed attribute, not the whole resource.
    expect(rules).toContain('aws_s3_bucket_policy.arn:aws:s3:::acme-build-artifacts.policy\n');
    expect(rules).toContain('aws_iam_role.contractor_readonly\n');

    const after = await drift('--format', 'json', '--driftignore', ignore);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.out).summary).toMatchObject({ changed: 0, missing: 0, unmanaged: 0, unapplied: 0, ignored: total });

    // A state that says something else about the same bucket policy is new drift: reported.
    const state = JSON.parse(readFileSync(STATE, 'utf8'));
    const bucket = state.resources.find((r: { type: string }) => r.type === 'aws_s3_bucket');
    bucket.instances[0].attributes.tags = { ...(bucket.instances[0].attributes.tags ?? {}), ReviewedBy: 'nobody' };
    bucket.instances[0].attributes.tags_all = { ...(bucket.instances[0].attributes.tags_all ?? {}), ReviewedBy: 'nobody' };
    const changedState = join(elsewhere, 'changed.tfstate');
    writeFileSync(changedState, JSON.stringify(state));
    const fresh = await cli(['drift', '--state', changedState, '--endpoint-url', env.endpoint, '--format', 'json', '--driftignore', ignore]);
    expect(fresh.code).toBe(1);
    expect(JSON.parse(fresh.out).entries).toEqual([expect.objectContaining({ kind: 'changed', diffs: [expect.objectContaining({ path: 'tags.ReviewedBy' })] })]);
  });

  it('gen-driftignore --exclude-unmanaged keeps unmanaged resources reported, and reads a report from standard input', async () => {
    const { out } = await drift('--format', 'json');
    const gen = await cli(['drift', 'gen-driftignore', '--exclude-unmanaged'], out);
    expect(gen.code).toBe(0);
    expect(gen.out).not.toMatch(/^# unmanaged/m);
    const ignore = join(elsewhere, 'no-unmanaged.driftignore');
    writeFileSync(ignore, gen.out);
    const after = await drift('--format', 'json', '--driftignore', ignore);
    expect(after.code).toBe(1);
    const kinds = JSON.parse(after.out).entries.map((e: { kind: string }) => e.kind);
    expect(kinds.length).toBe(JSON.parse(out).summary.unmanaged);
    expect(new Set(kinds)).toEqual(new Set(['unmanaged']));
  });
});

describe('drift gen-driftignore on bad or hostile input', () => {
  const write = (name: string, content: string) => {
    const file = join(elsewhere, name);
    writeFileSync(file, content);
    return file;
  };

  it('never writes an id from the account that would widen, negate or split a rule', async () => {
    const hostile = {
      entries: [
        { kind: 'unmanaged', resourceType: 'aws_iam_role', resourceId: 'evil\n*' },
        { kind: 'unmanaged', resourceType: 'aws_iam_role', resourceId: 'wide*' },
        { kind: 'unmanaged', resourceType: 'aws_iam_role', resourceId: '!negated' },
        { kind: 'unmanaged', resourceType: 'aws_s3_bucket', resourceId: 'my.dotted.bucket' },
        { kind: 'changed', resourceType: 'aws_s3_bucket', resourceId: 'b', diffs: [{ path: 'tags.x\n*', state: 1, live: 2 }] },
      ],
    };
    const { code, out, err } = await cli(['drift', 'gen-driftignore', '-i', write('hostile.json', JSON.stringify(hostile))]);
    expect(code).toBe(0);
    const rules = out.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(rules).toEqual(['aws_s3_bucket.my\\.dotted\\.bucket']);
    expect(err.match(/left out/g)).toHaveLength(4);
  });

  it('refuses, in one line with a hint and exit 2: not JSON, not a drift report, a directory, a missing file, an existing output', async () => {
    const existing = write('existing.driftignore', 'aws_iam_role.keep-me\n');
    const report = write('ok.json', JSON.stringify({ entries: [] }));
    mkdirSync(join(elsewhere, 'a-dir'), { recursive: true });
    const cases: Array<[string[], RegExp]> = [
      [['-i', write('bad.json', '{nope')], /bad\.json is not JSON\n {2}hint: /],
      [['-i', write('other.json', '{"findings": []}')], /not a drift report: it has no "entries" list\n {2}hint: /],
      [['-i', 'a-dir'], /--input a-dir is a directory\n {2}hint: /],
      [['-i', 'nope.json'], /cannot read --input nope\.json: ENOENT\n {2}hint: /],
      [['-i', report, '-o', existing], /exists: its rules would be replaced\n {2}hint: pass --force/],
      [['-i', report, '-o', 'a-dir'], /--output a-dir is a directory\n {2}hint: /],
    ];
    for (const [args, message] of cases) {
      const { code, err, out } = await cli(['drift', 'gen-driftignore', ...args]);
      expect(code, args.join(' ')).toBe(2);
      expect(err, args.join(' ')).toMatch(message);
      expect(err).not.toMatch(/\n\s+at /);
      expect(out).toBe('');
    }
    expect(readFileSync(existing, 'utf8')).toBe('aws_iam_role.keep-me\n');
    expect(existsSync(join(elsewhere, 'a-dir', '.driftignore'))).toBe(false);
  });
});

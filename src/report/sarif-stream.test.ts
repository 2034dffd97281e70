/**
 * SARIF is written a result at a time: the writer yields the log in pieces, never the whole log
 * as one string, and the pieces make the very text the whole log prints as. The CLI, as a user
 * runs it, writes such a log to a file from a generated account: valid SARIF 2.1.0, one result
 * per failure of the same run's JSON report, and no passes (a pass is no alert).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../findings/model.js';
import { generateAccount } from '../sandbox/account/generate.js';
import { normaliseAccount } from '../sandbox/account/load.js';
import { startSandbox, type RunningSandbox } from '../sandbox/server.js';
import { loadReportFixture } from '../test-support/report-fixture.js';
import { TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { findingUid } from './identity.js';
import { renderReport, streamReport } from './render.js';
import { buildSarifLog, FINGERPRINT_KEY, streamSarif } from './sarif.js';
import type { AuditReport } from './types.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const SARIF_SCHEMA = JSON.parse(readFileSync(new URL('../test-support/schemas/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));

function validate(log: unknown): unknown[] {
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const check = ajv.compile(SARIF_SCHEMA);
  return check(log) ? [] : (check.errors ?? ['invalid']);
}

/** The fixture with `copies` more failures per failing finding, each on a resource of its own. */
function manyFailures(copies: number): AuditReport {
  const report = loadReportFixture();
  const failures = report.findings.filter((f) => f.status === 'fail');
  for (let i = 0; i < copies; i++) for (const f of failures) report.findings.push({ ...f, resourceId: `${f.resourceId}-copy-${i}`, resourceName: `${f.resourceName ?? 'r'}-copy-${i}` });
  return report;
}

describe('sarif streaming', () => {
  it('yields the log in pieces, a result at most per piece, that join to the text of the whole log', () => {
    for (const options of [{}, { sourceRoot: '/builds/acme', baseDir: '/builds/acme' }]) {
      const report = loadReportFixture();
      const chunks = [...streamSarif(report, options)];
      const whole = buildSarifLog(report, options);
      expect(chunks.join('')).toBe(`${JSON.stringify(whole, null, 2)}\n`);
      const results = whole.runs[0]!.results.length;
      expect(results).toBeGreaterThan(3);
      expect(chunks.length).toBeGreaterThan(results);
      for (const chunk of chunks) expect(chunk.split('"ruleIndex"').length - 1).toBeLessThanOrEqual(1);
      expect(renderReport('sarif', report, options)).toBe(chunks.join(''));
    }
  });

  it('an empty run streams as the whole empty log prints', () => {
    const report = loadReportFixture();
    report.findings = [];
    report.accounts = [];
    delete report.errors;
    const text = [...streamSarif(report)].join('');
    expect(text).toBe(`${JSON.stringify(buildSarifLog(report), null, 2)}\n`);
    expect(JSON.parse(text).runs[0].results).toEqual([]);
    expect(validate(JSON.parse(text))).toEqual([]);
  });

  it('streamReport writes a large log in several batches, never as one string', () => {
    const report = manyFailures(300);
    const batches = [...streamReport('sarif', report)];
    const text = batches.join('');
    expect(text.length).toBeGreaterThan(4 * 64 * 1024);
    expect(batches.length).toBeGreaterThan(3);
    for (const b of batches) expect(b.length).toBeLessThan(text.length / 2);
    const log = JSON.parse(text);
    expect(log.runs[0].results).toHaveLength(report.findings.filter((f) => f.status === 'fail').length);
    expect(validate(log)).toEqual([]);
  });
});

describe('infra-audit audit --format sarif to a file (built CLI, child process)', () => {
  const generated = generateAccount({ buckets: 80, roles: 30, users: 10, securityGroups: 20, dbInstances: 5 }, 11);
  const dir = mkdtempSync(join(tmpdir(), 'infra-audit-sarif-'));
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ account: normaliseAccount(generated.account) });
  }, 120_000);
  afterAll(() => sandbox?.close());

  it('writes valid SARIF 2.1.0 with one result per failure of the same run, and no passes', async () => {
    const sarifFile = join(dir, 'audit.sarif');
    const jsonFile = join(dir, 'audit.json');
    const child = spawn(
      process.execPath,
      [CLI, 'audit', '--endpoint-url', sandbox.endpoint, '--services', 's3,iam,ec2', '--quiet', '--output', `sarif=${sarifFile}`, '--output', `json=${jsonFile}`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_PROFILE: '', AWS_ENDPOINT_URL: '' },
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.resume();
    const [code] = (await once(child, 'close')) as [number | null];
    expect([0, 1], stderr).toContain(code); // 1: failures at or above --fail-on high, as planted

    const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as { findings: Array<Finding & { uid: string }> };
    const log = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(validate(log)).toEqual([]);
    const failures = json.findings.filter((f) => f.status === 'fail');
    const passes = json.findings.filter((f) => f.status === 'pass');
    expect(failures.length).toBeGreaterThan(0);
    expect(passes.length).toBeGreaterThan(failures.length);
    const results = log.runs[0].results as Array<{ ruleId: string; partialFingerprints: Record<string, string>; locations: Array<{ logicalLocations: Array<{ fullyQualifiedName: string }> }> }>;
    expect(results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]).sort()).toEqual(failures.map((f) => findingUid(f)).sort());
    const passUids = new Set(passes.map((f) => f.uid));
    expect(results.filter((r) => passUids.has(r.partialFingerprints[FINGERPRINT_KEY]!))).toEqual([]);
    for (const r of results) expect(log.runs[0].tool.driver.rules.some((rule: { id: string }) => rule.id === r.ruleId)).toBe(true);
  });
});

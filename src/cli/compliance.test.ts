/**
 * `infra-audit audit --compliance cis-3.0|cis-5.0` and `--services`, as a user runs them, against
 * the demo account on the sandbox: the control table in every format (the HTML one in a real
 * Chromium), the statuses that must never read as pass, and the service filter.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIS_AWS_V3 } from '../compliance/cis-aws-v3.js';
import { CIS_AWS_V5 } from '../compliance/cis-aws-v5.js';
import type { ComplianceReport, ControlResult } from '../compliance/types.js';
import { envOverrides, fetchStats, TEST_CREDENTIALS, useSandbox } from '../test-support/sandbox.js';
import { bufferIO } from './io.js';
import { main } from './main.js';

const DEMO = fileURLToPath(new URL('../../examples/demo/', import.meta.url));
const DEMO_ACCOUNT = JSON.parse(readFileSync(join(DEMO, 'account.json'), 'utf8'));
const BOB = 'arn:aws:iam::210987654321:user/bob';
const dir = mkdtempSync(join(tmpdir(), 'infra-audit-compliance-'));
const { set: setEnv, saved } = envOverrides();
beforeAll(() => setEnv({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined }));
afterAll(() => setEnv(saved));

async function audit(args: string[]) {
  const io = bufferIO({ cwd: dir });
  const code = await main(['audit', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

function control(report: ComplianceReport, id: string): ControlResult {
  const found = report.controls.find((c) => c.id === id);
  if (!found) throw new Error(`no control ${id} in ${report.framework.id}`);
  return found;
}

/** What every control table must hold, whichever checks exist: nothing reads as pass that was not judged. */
function expectHonest(report: ComplianceReport) {
  for (const c of report.controls) {
    if (c.type === 'manual') expect(c.status, c.id).toBe('manual');
    else if (c.checks.length === 0) expect(c.status, c.id).toBe('not covered');
    if (c.status === 'pass') {
      const ran = c.checks.filter((k) => k.ran);
      expect(ran.length, c.id).toBeGreaterThan(0);
      expect(ran.every((k) => k.fail === 0 && k.error === 0), c.id).toBe(true);
      expect(ran.some((k) => k.pass > 0 || k.suppressed > 0), c.id).toBe(true);
    }
    if (c.status === 'fail') expect(c.failing.length, c.id).toBeGreaterThan(0);
  }
  const counted = Object.values(report.counts).reduce((a, b) => a + b, 0);
  expect(counted).toBe(report.controls.length);
  const { pass, fail, error } = report.counts;
  expect(report.score).toEqual({ passed: pass, total: pass + fail + error + report.counts['not covered'], percent: Math.floor((100 * pass) / (pass + fail + error + report.counts['not covered'])) });
}

describe('audit --compliance on the demo account', () => {
  const env = useSandbox(DEMO_ACCOUNT);
  const reports: Record<string, ComplianceReport> = {};

  beforeAll(async () => {
    for (const framework of ['cis-3.0', 'cis-5.0']) {
      const r = await audit(['--endpoint-url', env.endpoint, '--compliance', framework, '--format', 'table,json,markdown,sarif,ocsf,html', '--output-dir', join(dir, framework)]);
      expect(r.code, r.err).toBe(1);
      reports[framework] = JSON.parse(readFileSync(join(dir, framework, 'audit.json'), 'utf8')).compliance;
    }
  });

  it('lists every control of CIS v3.0.0, in order, with its status and the checks behind it', () => {
    const report = reports['cis-3.0']!;
    expect(report.framework).toEqual({ id: 'cis-3.0', name: 'CIS Amazon Web Services Foundations Benchmark', version: '3.0.0' });
    expect(report.controls.map((c) => c.id)).toEqual(CIS_AWS_V3.map((c) => c.id));
    expectHonest(report);
    // A planted problem fails its control and names the resource.
    const mfa = control(report, '1.10');
    expect(mfa).toMatchObject({ status: 'fail', type: 'automated', counterparts: ['1.9'] });
    expect(mfa.checks).toEqual([expect.objectContaining({ checkId: 'iam_user_console_mfa', ran: true, fail: 1 })]);
    expect(mfa.failing).toEqual([expect.objectContaining({ checkId: 'iam_user_console_mfa', resourceId: BOB })]);
    expect(control(report, '2.1.1').failing.map((r) => r.resourceId).sort()).toEqual(['arn:aws:s3:::acme-ds-scratch', 'arn:aws:s3:::acme-legacy-exports', 'arn:aws:s3:::acme-marketing-site']);
    // A clean one passes; a manual one is for a person; v5.0.0 dropped 1.3.
    expect(control(report, '1.4')).toMatchObject({ status: 'pass', failing: [], counterparts: ['1.3'] });
    expect(control(report, '1.1')).toMatchObject({ status: 'manual', type: 'manual' });
    expect(control(report, '1.3').counterparts).toEqual([]);
  });

  it('maps to CIS v5.0.0: renumbered controls carry the same verdicts, new ones have no v3 counterpart', () => {
    const v3 = reports['cis-3.0']!;
    const v5 = reports['cis-5.0']!;
    expect(v5.framework.version).toBe('5.0.0');
    expect(v5.controls.map((c) => c.id)).toEqual(CIS_AWS_V5.map((c) => c.id));
    expectHonest(v5);
    for (const c of CIS_AWS_V3) {
      if (!c.v5 || c.type === 'manual' || CIS_AWS_V5.find((x) => x.id === c.v5)!.type === 'manual') continue;
      const [before, after] = [control(v3, c.id), control(v5, c.v5)];
      expect({ status: after.status, failing: after.failing }, `${c.id} -> ${c.v5}`).toEqual({ status: before.status, failing: before.failing });
    }
    expect(control(v5, '1.9')).toMatchObject({ status: 'fail', counterparts: ['1.10'] });
    expect(control(v5, '5.3').counterparts).toEqual(['5.2']);
    // Automated in v3.0.0, manual in v5.0.0: a person assesses it, whatever the check said.
    expect(control(v5, '1.2')).toMatchObject({ status: 'manual', counterparts: ['1.2'] });
    for (const id of ['2.2.4', '5.1.2']) expect(control(v5, id)).toMatchObject({ type: 'manual', status: 'manual', counterparts: [] });
  });

  it('prints the control table and the score in the terminal and Markdown reports', () => {
    const table = readFileSync(join(dir, 'cis-3.0', 'audit.txt'), 'utf8');
    expect(table).toContain('Compliance: CIS Amazon Web Services Foundations Benchmark v3.0.0 (cis-3.0)');
    expect(table).toMatch(/^ {2}1\.10 +FAIL +MFA is enabled for every IAM user with a console password {2}\[iam_user_console_mfa \(1 fail/m);
    expect(table).toContain(`    ${BOB} (210987654321 global)`);
    expect(table).toMatch(/^ {2}1\.1 +MANUAL +/m);
    const score = reports['cis-3.0']!.score;
    expect(table).toContain(`Score: ${score.passed} of ${score.total} automated controls pass (${score.percent}%)`);
    const markdown = readFileSync(join(dir, 'cis-5.0', 'audit.md'), 'utf8');
    expect(markdown).toContain('## Compliance: CIS Amazon Web Services Foundations Benchmark v5.0.0');
    expect(markdown).toMatch(/^\| 1\.9 \| ❌ fail \| MFA is enabled for every IAM user with a console password \| `iam_user_console_mfa` 1 fail \| `arn:aws:iam::210987654321:user\/bob` \|$/m);
  });

  it('carries the control ids in SARIF and OCSF: the v5.0.0 ids when asked for cis-5.0', () => {
    const sarif = JSON.parse(readFileSync(join(dir, 'cis-5.0', 'audit.sarif'), 'utf8'));
    const rule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'iam_user_console_mfa');
    expect(rule.properties.tags).toEqual(expect.arrayContaining(['CIS-AWS-3.0.0/1.10', 'CIS-AWS-5.0.0/1.9']));
    expect(sarif.runs[0].properties.compliance.controls).toContainEqual({ id: '1.9', status: 'fail', checks: ['iam_user_console_mfa'], failing: [BOB] });
    const events = JSON.parse(readFileSync(join(dir, 'cis-5.0', 'audit.ocsf.json'), 'utf8')) as Array<{ unmapped: { check_id: string; compliance?: { standards: string[]; requirements: string[] } }; resources: Array<{ uid: string }> }>;
    const bob = events.find((e) => e.unmapped.check_id === 'iam_user_console_mfa' && e.resources[0]!.uid === BOB);
    expect(bob?.unmapped.compliance).toMatchObject({ standards: ['CIS Amazon Web Services Foundations Benchmark v5.0.0'], requirements: ['1.9'] });
    const v3 = JSON.parse(readFileSync(join(dir, 'cis-3.0', 'audit.ocsf.json'), 'utf8')) as typeof events;
    expect(v3.find((e) => e.unmapped.check_id === 'iam_user_console_mfa')?.unmapped.compliance?.requirements).toEqual(['1.10']);
  });

  it('says the score on stderr', async () => {
    const r = await audit(['--endpoint-url', env.endpoint, '--compliance', 'CIS-3.0', '--checks', 'iam_user_console_mfa,iam_root_mfa']);
    expect(r.err).toMatch(/^audit: CIS Amazon Web Services Foundations Benchmark v3\.0\.0: 1 of (\d+) automated controls pass \(\d+%\); 1 fail, 0 error, \d+ not covered, \d+ not applicable, 9 manual$/m);
  });
});

describe('audit --services', () => {
  const env = useSandbox(DEMO_ACCOUNT);

  it("runs only the named services' checks, and reads only what they need", async () => {
    env.sandbox.resetStats();
    const r = await audit(['--endpoint-url', env.endpoint, '--services', 's3', '--compliance', 'cis-3.0', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(new Set(report.findings.map((f: { service: string }) => f.service))).toEqual(new Set(['s3']));
    const stats = await fetchStats(env.endpoint);
    expect(Object.keys(stats.services).sort()).toEqual(['s3', 's3-control', 'sts']);
    // Controls whose checks were left out are not judged, and not passed.
    expect(control(report.compliance, '1.10')).toMatchObject({ status: 'not applicable', reason: 'its checks were not selected (iam_user_console_mfa)' });
    expect(control(report.compliance, '2.1.1').status).toBe('fail');
    expect(report.compliance.score.total).toBe(report.compliance.counts.pass + report.compliance.counts.fail + report.compliance.counts['not covered']);
  });

  it('takes several services, in any case', async () => {
    const r = await audit(['--endpoint-url', env.endpoint, '--services', 'IAM, rds', '--format', 'json']);
    expect(new Set(JSON.parse(r.out).findings.map((f: { service: string }) => f.service))).toEqual(new Set(['iam', 'rds']));
  });

  const bad: Array<[string, string[], RegExp, RegExp]> = [
    ['an unknown service', ['--services', 's4,iam'], /^infra-audit: --services: unknown service "s4"$/, /^ {2}hint: did you mean s3\b.*\? services with checks: .*\bec2\b.*\biam\b.*\brds\b.*\bs3\b/],
    ['an unknown framework', ['--compliance', 'cis-4.0'], /^infra-audit: --compliance: unknown framework "cis-4\.0"$/, /^ {2}hint: use one of: cis-3\.0, cis-5\.0$/],
    ['checks of other services only', ['--services', 'rds', '--checks', 'iam_root_mfa'], /^infra-audit: no checks left to run after --services, --checks and --skip-checks$/, /widen --services/],
  ];
  for (const [what, args, message, hint] of bad) {
    it(`exits 2 on ${what} with one line and a hint, before any AWS call`, async () => {
      env.sandbox.resetStats();
      const r = await audit(['--endpoint-url', env.endpoint, ...args]);
      expect(r.code).toBe(2);
      const lines = r.err.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(message);
      expect(lines[1]).toMatch(hint);
      expect(r.out).toBe('');
      expect((await fetchStats(env.endpoint)).requests).toBe(0);
    });
  }
});

describe('audit --compliance when a read is denied', () => {
  const env = useSandbox(DEMO_ACCOUNT, { deny: ['GetAccountPasswordPolicy:*'] });

  it('reports the controls behind the denied read as error, never pass', async () => {
    const r = await audit(['--endpoint-url', env.endpoint, '--compliance', 'cis-3.0', '--services', 'iam', '--format', 'json']);
    const report = JSON.parse(r.out).compliance as ComplianceReport;
    for (const id of ['1.8', '1.9']) {
      expect(control(report, id)).toMatchObject({ status: 'error', failing: [], reason: '1 verdict could not be reached' });
      expect(control(report, id).errors).toEqual([expect.objectContaining({ checkId: 'iam_password_policy', resourceId: '210987654321', message: expect.stringMatching(/AccessDenied/) })]);
    }
    expectHonest(report);
  });
});

describe('the HTML control table in Chromium', () => {
  const env = useSandbox(DEMO_ACCOUNT);
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync('/usr/bin/chromium')) throw new Error('/usr/bin/chromium is missing: apt-get install -y chromium');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows one row per control with its status, checks and failing resources, and nothing else runs', async () => {
    const out = join(dir, 'html');
    const r = await audit(['--endpoint-url', env.endpoint, '--compliance', 'cis-3.0', '--format', 'html,json', '--output-dir', out]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8')).compliance as ComplianceReport;
    const url = pathToFileURL(join(out, 'audit.html')).href;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('request', (req) => req.url() !== url && problems.push(req.url()));
      await page.route(/^(?!file:)/, (route) => route.abort());
      await page.goto(url, { waitUntil: 'load' });
      const table = page.locator('#compliance table.controls');
      expect(await table.isVisible()).toBe(true);
      const rows = table.locator('tbody tr.control');
      expect(await rows.count()).toBe(report.controls.length);
      // What a person reads in each row is the JSON's verdict.
      const shown = await rows.evaluateAll((trs) =>
        trs.map((tr) => {
          const cells = (tr as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll('td');
          return { id: (cells[0]!.textContent ?? '').split(' ')[0], status: (cells[1]!.textContent ?? '').toLowerCase() };
        }),
      );
      expect(shown.map((s) => s.id)).toEqual(report.controls.map((c) => c.id));
      report.controls.forEach((c, i) => expect(shown[i]!.status.startsWith(c.status), c.id).toBe(true));
      const mfa = page.locator('tr.control[data-control="1.10"]');
      expect(await mfa.getAttribute('data-status')).toBe('fail');
      expect(await mfa.locator('td').nth(3).innerText()).toContain('iam_user_console_mfa');
      expect(await mfa.locator('ul.control-resources').innerText()).toContain(BOB);
      expect(await page.locator('#compliance-score').innerText()).toBe(`${report.score.passed} of ${report.score.total} automated controls pass (${report.score.percent}%)`);
      expect(await page.locator('tr.control[data-status="pass"]').count()).toBe(report.counts.pass);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

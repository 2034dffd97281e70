/**
 * The HTML report in a real headless Chromium: what a person sees, not what the string contains.
 * Debian's /usr/bin/chromium (CI installs it too) driven by playwright-core.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeFindings } from '../findings/summary.js';
import { loadReportFixture } from '../test-support/report-fixture.js';
import { renderReport } from './render.js';
import type { AuditReport } from './types.js';

const CHROMIUM = '/usr/bin/chromium';
const SIGNATURE_FILE = new URL('../test-support/fixtures/report-html-signature.json', import.meta.url);
const VIEWPORT = { width: 1280, height: 900 };
// The layout signature: the viewport downscaled to a 32×18 grid of luminance values.
const GRID = { width: 32, height: 18 };
// Mean absolute luminance difference (0–255) a font or anti-aliasing change stays well under.
const SIGNATURE_TOLERANCE = 14;

let browser: Browser;
const outDir = mkdtempSync(join(tmpdir(), 'report-html-'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
});

interface Loaded {
  page: Page;
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
  close(): Promise<void>;
}

async function open(report: AuditReport, name: string, html = renderReport('html', report)): Promise<Loaded> {
  const file = join(outDir, `${name}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  // Nothing may leave the page; anything that tries is recorded above and stopped here.
  await page.route(/^(?!file:)/, (route) => route.abort());
  await page.goto(url, { waitUntil: 'load' });
  return { page, consoleErrors, requests, dialogs, close: () => context.close() };
}

/**
 * The few browser globals the page functions use. The project compiles without the DOM lib (it
 * is Node code), so functions that run inside Chromium type what they touch here.
 */
interface BrowserGlobals {
  Image: new () => { src: string; decode(): Promise<void> };
  document: {
    createElement(tag: 'canvas'): {
      width: number;
      height: number;
      getContext(kind: '2d'): null | {
        imageSmoothingQuality: string;
        drawImage(image: unknown, x: number, y: number, w: number, h: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
      };
    };
    querySelector(selector: string): { remove(): void } | null;
  };
}

/** Decodes the PNG in the browser itself and averages it down to a small luminance grid. */
async function layoutSignature(png: Buffer): Promise<number[]> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    return await page.evaluate(
      async ({ data, grid }) => {
        const { Image, document } = globalThis as unknown as BrowserGlobals;
        const img = new Image();
        img.src = `data:image/png;base64,${data}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = grid.width;
        canvas.height = grid.height;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d context');
        ctx.imageSmoothingQuality = 'high';
        ctx.drawImage(img, 0, 0, grid.width, grid.height);
        const px = ctx.getImageData(0, 0, grid.width, grid.height).data;
        const out: number[] = [];
        for (let i = 0; i < px.length; i += 4) out.push(Math.round(0.2126 * px[i]! + 0.7152 * px[i + 1]! + 0.0722 * px[i + 2]!));
        return out;
      },
      { data: png.toString('base64'), grid: GRID },
    );
  } finally {
    await context.close();
  }
}

function distance(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return a.reduce((sum, v, i) => sum + Math.abs(v - (b[i] ?? 0)), 0) / a.length;
}

describe('html report in Chromium', () => {
  it('shows summary counts equal to the findings, one section per severity with open failures', async () => {
    const report = loadReportFixture();
    const summary = summarizeFindings(report.findings);
    const { page, consoleErrors, requests, close } = await open(report, 'fixture');
    try {
      for (const sev of ['critical', 'high', 'medium', 'low', 'info'] as const) {
        expect(await page.locator(`[data-count="${sev}"]`).innerText(), sev).toBe(String(summary.bySeverity[sev]));
        const section = page.locator(`section#sev-${sev}`);
        if (summary.bySeverity[sev] === 0) expect(await section.count()).toBe(0);
        else {
          await expect.poll(() => section.isVisible()).toBe(true);
          expect(await section.locator('.finding').count()).toBe(summary.bySeverity[sev]);
        }
      }
      expect(await page.locator('[data-count="fail"]').innerText()).toBe(String(summary.fail));
      expect(await page.locator('[data-count="pass"]').innerText()).toBe(String(summary.pass));
      expect(await page.locator('[data-count="suppressed"]').innerText()).toBe(String(summary.suppressed));
      expect(await page.locator('[data-count="error"]').innerText()).toBe(String(summary.error + (report.errors?.length ?? 0)));
      // Findings are grouped by check: one card per failing check, its remediation once, the
      // resources as rows; orders-legacy's three open failures are three rows in three cards.
      const failingChecks = new Set(report.findings.filter((f) => f.status === 'fail' && !f.suppressed).map((f) => f.checkId));
      expect(await page.locator('#findings article.check').count()).toBe(failingChecks.size);
      expect(await page.locator('#findings article.check .remediation').count()).toBe(failingChecks.size);
      expect(await page.locator('#findings tr.finding', { hasText: 'db:orders-legacy' }).count()).toBe(3);
      // "Could not check" is open, at the top; pass and suppressed sections are collapsed.
      expect(await page.locator('details#errors').getAttribute('open')).not.toBeNull();
      const errorsTop = (await page.locator('details#errors').boundingBox())!.y;
      expect(errorsTop).toBeLessThan((await page.locator('#findings').boundingBox())!.y);
      for (const id of ['passed', 'suppressed']) expect(await page.locator(`details#${id}`).getAttribute('open'), id).toBeNull();
      // Passes: one row per check, with the count of resources.
      const passedChecks = new Set(report.findings.filter((f) => f.status === 'pass').map((f) => f.checkId));
      expect(await page.locator('details#passed tbody tr').count()).toBe(passedChecks.size);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows an untrusted tag value as text and runs no script but its own', async () => {
    const report = loadReportFixture();
    report.findings[0]!.resourceName = '<img src=x onerror="alert(2)">';
    const { page, consoleErrors, requests, dialogs, close } = await open(report, 'hostile');
    try {
      const evidence = page.locator('details.evidence', { hasText: 'owner' }).first();
      await evidence.locator('summary').click();
      expect(await evidence.locator('pre').innerText()).toContain('"owner":"<script>alert(1)</script>"');
      expect(await page.locator('td .name', { hasText: '<img src=x' }).count()).toBe(1);
      expect(await page.locator('body script').count()).toBe(1);
      expect(await page.locator('img').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the Content-Security-Policy stops injected script even if escaping failed', async () => {
    const html = renderReport('html', loadReportFixture()).replace('<footer>', '<script>alert("injected")</script><footer>');
    const { dialogs, consoleErrors, close } = await open(loadReportFixture(), 'csp', html);
    try {
      expect(dialogs).toEqual([]);
      expect(consoleErrors.some((e) => e.includes('Content Security Policy'))).toBe(true);
    } finally {
      await close();
    }
  });

  it('filters by severity, service, region and text, counts follow, and columns sort', async () => {
    const fixture = loadReportFixture();
    // A second public bucket, so one check's table has rows to sort.
    fixture.findings.push({ ...fixture.findings[0]!, resourceId: 'arn:aws:s3:::aaa-open-bucket', resourceName: 'aaa-open-bucket' });
    const { page, consoleErrors, close } = await open(fixture, 'filter');
    try {
      await page.locator('#filters button[data-filter="critical"]').click();
      expect(await page.locator('section#sev-critical').isVisible()).toBe(true);
      expect(await page.locator('section#sev-high').isVisible()).toBe(false);
      // Counts follow the filter.
      expect(await page.locator('[data-count="high"]').innerText()).toBe('0');
      await page.locator('#filters button[data-filter="all"]').click();
      await page.locator('#filter-text').fill('jenkins');
      expect(await page.locator('tr.finding:visible').count()).toBe(2);
      await page.locator('#filter-text').fill('');
      await page.locator('#filter-service').selectOption('rds');
      const rds = fixture.findings.filter((f) => f.status === 'fail' && !f.suppressed && f.service === 'rds');
      expect(await page.locator('tr.finding:visible').count()).toBe(rds.length);
      expect(await page.locator('[data-count="fail"]').innerText()).toBe(String(rds.length));
      await page.locator('#filter-service').selectOption('');
      await page.locator('#filter-region').selectOption('global');
      expect(await page.locator('tr.finding:visible').count()).toBe(fixture.findings.filter((f) => f.status === 'fail' && !f.suppressed && f.region === 'global').length);
      await page.locator('#filter-region').selectOption('');
      // A click on a heading sorts the rows of that table.
      const table = page.locator('#findings article[data-check="s3_bucket_public_read"] table.resources');
      expect(await table.locator('tbody tr').count()).toBe(2);
      await table.locator('th', { hasText: 'Resource' }).click();
      const up = await table.locator('tbody tr td:first-child').allInnerTexts();
      expect(up).toEqual([...up].sort());
      await table.locator('th', { hasText: 'Resource' }).click();
      expect(await table.locator('tbody tr td:first-child').allInnerTexts()).toEqual([...up].sort().reverse());
      expect(consoleErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('stays readable at 10,000 buckets: every failing row present, each check scrolls inside itself, the page short and the file small', async () => {
    const report = loadReportFixture();
    const publicRead = report.findings.find((f) => f.checkId === 's3_bucket_public_read' && f.status === 'fail')!;
    const bucketPass = report.findings.find((f) => f.checkId === 's3_bucket_public_read' && f.status === 'pass')!;
    // A 10,000-bucket account where one bucket in ten is public: 1,000 failing rows in one check, 9,000 passes.
    for (let i = 0; i < 10_000; i++) {
      const name = `bulk-bucket-${String(i).padStart(5, '0')}`;
      report.findings.push({ ...(i % 10 === 0 ? publicRead : bucketPass), resourceId: `arn:aws:s3:::${name}`, resourceName: name });
    }
    const html = renderReport('html', report);
    // The 3,000-bucket report was 7.2 MB: grouped, the remediation is written once per check.
    expect(Buffer.byteLength(html)).toBeLessThan(1_500 * 1_000 + 100_000);
    const { page, consoleErrors, close } = await open(report, 'bulk', html);
    try {
      const article = page.locator('#findings article[data-check="s3_bucket_public_read"]');
      expect(await article.locator('tbody tr.finding').count()).toBe(1_001);
      expect(await article.locator('.remediation').count()).toBe(1);
      const scroller = await article.locator('.table-scroll').evaluate((e) => ({ client: e.clientHeight, scroll: e.scrollHeight }));
      expect(scroller.client).toBeLessThanOrEqual(Math.ceil(VIEWPORT.height * 0.7));
      expect(scroller.scroll).toBeGreaterThan(scroller.client * 10);
      const height = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
      expect(height).toBeLessThan(20_000);
      // The filter still reaches a row deep in the list, and the check's count follows.
      await page.locator('#filter-text').fill('bulk-bucket-09990');
      expect(await page.locator('tr.finding:visible').count()).toBe(1);
      expect(await article.locator('.resource-count').innerText()).toBe('1 of 1001 resources');
      expect(consoleErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('renders a sane layout: main elements have size, and the screenshot matches the reference signature', async () => {
    const { page, close } = await open(loadReportFixture(), 'layout');
    try {
      for (const selector of ['header.page-header', '#severity-cards', '#status-cards', 'details#errors', 'section#sev-critical', 'section#sev-high', 'article.check', 'table.resources', 'pre.terraform', 'footer']) {
        const box = await page.locator(selector).first().boundingBox();
        expect(box, selector).not.toBeNull();
        expect(box!.width, selector).toBeGreaterThan(0);
        expect(box!.height, selector).toBeGreaterThan(0);
      }
      const cards = await page.locator('#severity-cards .card').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
      expect(new Set(cards.map(Math.round)).size, 'the five severity cards sit on one row').toBe(1);
      const fullPage = await page.screenshot({ fullPage: true, path: join(outDir, 'report.png') });
      const height = fullPage.readUInt32BE(20);
      expect(fullPage.readUInt32BE(16)).toBe(VIEWPORT.width);
      expect(height).toBeGreaterThan(VIEWPORT.height);
      expect(height).toBeLessThan(20_000);

      const signature = await layoutSignature(await page.screenshot());
      if (process.env.UPDATE_SIGNATURES) writeFileSync(SIGNATURE_FILE, `${JSON.stringify({ grid: GRID, viewport: VIEWPORT, luminance: signature })}\n`);
      const reference = JSON.parse(readFileSync(SIGNATURE_FILE, 'utf8')) as { luminance: number[] };
      expect(distance(signature, reference.luminance)).toBeLessThan(SIGNATURE_TOLERANCE);

      // The near miss: the same page without its stylesheet must be far from the reference.
      await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.querySelector('style')?.remove());
      const broken = await layoutSignature(await page.screenshot());
      expect(distance(broken, reference.luminance)).toBeGreaterThan(SIGNATURE_TOLERANCE * 2);
    } finally {
      await close();
    }
  });
});

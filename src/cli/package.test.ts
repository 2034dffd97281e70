/**
 * `npm pack` makes an installable package: the files a user needs (the built CLI, docs, examples,
 * schemas, the audit-role module) and nothing else, a bin that starts with a node shebang under
 * the package's own name and `infra-audit`, and a CLI that runs from the unpacked tarball. A
 * real `npm install -g` of the tarball runs too when the npm cache can serve the dependencies
 * offline (tests never reach the registry).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
const dir = mkdtempSync(join(tmpdir(), 'infra-audit-pack-'));
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

interface Packed {
  filename: string;
  files: Array<{ path: string; mode: number }>;
}

describe('npm pack', () => {
  let packed: Packed;
  let unpacked: string;
  beforeAll(async () => {
    // dist/ is built before the tests run (the landing recipe); prepack would rebuild it.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, env });
    packed = (JSON.parse(stdout) as Packed[])[0]!;
    unpacked = join(dir, 'x');
    mkdirSync(unpacked);
    await run('tar', ['-xzf', join(dir, packed.filename), '-C', unpacked]);
  });

  it('is named as the package, and carries what a user needs and nothing of the sources or tests', () => {
    expect(packed.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
    const paths = packed.files.map((f) => f.path);
    for (const needed of ['package.json', 'README.md', 'dist/cli/main.js', 'dist/version.js', 'docs/findings.md', 'docs/audit-log.md', 'examples/demo/account.json', 'schemas/agent-report.schema.json', 'terraform/modules/audit-role/policy.json']) {
      expect(paths, needed).toContain(needed);
    }
    expect(paths.filter((p) => p.startsWith('src/') || /\.test\.(js|ts)$/.test(p) || p.startsWith('dist/test-support/'))).toEqual([]);
  });

  it('has a bin under its own name and under infra-audit, a node script with a shebang', () => {
    const meta = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8')) as typeof pkg;
    expect(meta.bin).toEqual({ 'infra-audit': 'dist/cli/main.js', [meta.name]: 'dist/cli/main.js' });
    const bin = readFileSync(join(unpacked, 'package', 'dist', 'cli', 'main.js'), 'utf8');
    expect(bin.split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('runs from the unpacked tarball: version, check catalog, and its own example account', async () => {
    const root = join(unpacked, 'package');
    // The dependencies an install would fetch: the repository's own.
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    const main = join(root, 'dist', 'cli', 'main.js');
    const version = await run(process.execPath, [main, '--version'], { cwd: dir, env });
    expect(version.stdout.trim()).toBe(pkg.version);
    const checks = await run(process.execPath, [main, 'audit', '--list-checks', '--format', 'json'], { cwd: dir, env });
    expect((JSON.parse(checks.stdout) as unknown[]).length).toBeGreaterThan(30);
    const validate = await run(process.execPath, [main, 'sandbox', '--validate', join(root, 'examples', 'demo', 'account.json')], { cwd: dir, env });
    expect(validate.stdout + validate.stderr).toMatch(/valid/i);
  });

  it('installs with npm install -g from the tarball when the cache holds the dependencies (offline)', async (ctx) => {
    const prefix = join(dir, 'prefix');
    const install = await run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(dir, packed.filename)], { cwd: dir, env }).then(
      () => undefined,
      (err: { stderr?: string }) => err.stderr ?? String(err),
    );
    if (install !== undefined && /ENOTCACHED/.test(install)) ctx.skip();
    expect(install).toBeUndefined();
    for (const name of ['infra-audit', pkg.name]) {
      const bin = join(prefix, 'bin', name);
      expect(existsSync(bin), bin).toBe(true);
      expect((await run(bin, ['--version'], { cwd: dir, env })).stdout.trim()).toBe(pkg.version);
    }
  });
});

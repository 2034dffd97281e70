import { describe, expect, it, onTestFinished } from 'vitest';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputFolder, shortResourceName, slugify } from './output-folder.js';

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agent-out-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('OutputFolder', () => {
  const base = () => scratchDir();

  it('writes inside the folder, creating subfolders', () => {
    const root = join(base(), 'out');
    const folder = new OutputFolder(root);
    folder.write('proposals/01-x/README.md', 'hello');
    expect(readdirSync(join(root, 'proposals/01-x'))).toEqual(['README.md']);
    expect(folder.files()).toEqual(['proposals/01-x/README.md']);
  });

  it('refuses paths that escape: .., absolute, and a symlink planted inside', () => {
    const dir = base();
    const root = join(dir, 'out');
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    mkdirSync(root);
    symlinkSync(outside, join(root, 'link'));
    const folder = new OutputFolder(root);
    expect(() => folder.write('../escape.txt', 'x')).toThrow(/outside the output folder/);
    expect(() => folder.write('a/../../escape.txt', 'x')).toThrow(/outside the output folder/);
    expect(() => folder.write('/tmp/escape.txt', 'x')).toThrow(/outside the output folder/);
    expect(() => folder.write('link/escape.txt', 'x')).toThrow(/outside the output folder/);
    expect(() => folder.write('', 'x')).toThrow(/outside the output folder/);
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['out', 'outside']);
    // The near miss: a name that merely starts with dots stays inside.
    folder.write('..notes', 'fine');
    expect(readdirSync(root).sort()).toEqual(['..notes', 'link']);
  });

  it('refuses an output path that is a file', () => {
    const dir = base();
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => new OutputFolder(join(dir, 'file')).check()).toThrow(/exists and is not a directory/);
  });

  it('makes slugs that are safe file names', () => {
    expect(slugify('s3_bucket_public_access_block-../../etc/passwd')).toBe('s3-bucket-public-access-block-etc-passwd');
    expect(slugify('???')).toBe('item');
    expect(shortResourceName('arn:aws:s3:::bravo-public-site')).toBe('bravo-public-site');
    expect(shortResourceName('arn:aws:rds:us-east-1:111122223333:db:reporting-db')).toBe('reporting-db');
    expect(shortResourceName('plain-name')).toBe('plain-name');
  });
});

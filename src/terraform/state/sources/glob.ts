/**
 * File globs for state paths (`states/*.tfstate`, `envs/**\/terraform.tfstate`), without a
 * dependency: Node 20 has no fs.glob. Supports `*`, `?`, `**`, `[...]` and `{a,b}`. `**` does
 * not enter hidden directories, `node_modules` or `.terraform` — whose `terraform.tfstate` is
 * backend configuration, not a state.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const MAX_VISITED = 100_000;
const MAX_DEPTH = 32;
const SKIPPED_BY_DOUBLE_STAR = new Set(['node_modules', '.terraform', '.git']);

export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/** Files matching `pattern` (relative to `cwd` unless absolute), sorted. */
export async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const normalized = pattern.split(path.sep).join('/');
  const absolute = path.isAbsolute(pattern);
  const segments = normalized.split('/').filter((segment, i) => segment !== '' || (i === 0 && absolute));
  // Walk from the longest literal prefix.
  let base = absolute ? path.parse(pattern).root : cwd;
  let first = absolute ? 1 : 0;
  while (first < segments.length - 1 && !isGlob(segments[first]!)) base = path.join(base, segments[first++]!);
  const matchers = segments.slice(first).map((segment) => (segment === '**' ? '**' : segmentRegExp(segment)));
  const found: string[] = [];
  const budget = { visited: 0 };
  await walk(base, matchers, 0, found, budget);
  return [...new Set(found)].sort();
}

type Matcher = RegExp | '**';

async function walk(dir: string, matchers: readonly Matcher[], depth: number, found: string[], budget: { visited: number }): Promise<void> {
  if (matchers.length === 0 || depth > MAX_DEPTH || budget.visited > MAX_VISITED) return;
  const [matcher, ...rest] = matchers as [Matcher, ...Matcher[]];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  budget.visited += entries.length;
  if (matcher === '**') {
    // `**` matches zero directories here, or one more level below.
    await walk(dir, rest, depth, found, budget);
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED_BY_DOUBLE_STAR.has(entry.name)) {
        await walk(path.join(dir, entry.name), matchers, depth + 1, found, budget);
      }
    }
    return;
  }
  for (const entry of entries) {
    if (!matcher.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (rest.length === 0) {
      if (entry.isFile()) found.push(full);
    } else if (entry.isDirectory()) {
      await walk(full, rest, depth + 1, found, budget);
    }
  }
}

function segmentRegExp(segment: string): RegExp {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close === -1) out += '\\[';
      else {
        const body = segment.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else if (ch === '{') {
      const close = segment.indexOf('}', i + 1);
      if (close === -1) out += '\\{';
      else {
        out += `(?:${segment.slice(i + 1, close).split(',').map(escapeRegExp).join('|')})`;
        i = close;
      }
    } else out += escapeRegExp(ch);
  }
  // A leading `*` does not match hidden files, as in shells.
  return new RegExp(segment.startsWith('.') ? `^${out}$` : `^(?!\\.)${out}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Modules `terraform init` downloaded: `.terraform/modules/modules.json` maps each module call's
 * key (`vpc`, `vpc.subnets`: call names from the root, without instance keys) to the directory
 * holding its source. With it, registry and git modules are read like local ones; without it,
 * they stay unresolved and are reported as such.
 *
 * The file is the user's, but a directory it names is read only when it lies inside the
 * modules directory itself, where `terraform init` puts what it downloads.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface InstalledModules {
  /** Module key → absolute directory. */
  byKey: ReadonlyMap<string, string>;
  /** Entries not used, and why (for the configuration's notes). */
  notes: string[];
}

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export async function readInstalledModules(rootDir: string, env: NodeJS.ProcessEnv): Promise<InstalledModules> {
  const dataDir = path.resolve(rootDir, env.TF_DATA_DIR || '.terraform');
  const modulesDir = path.join(dataDir, 'modules');
  const manifest = path.join(modulesDir, 'modules.json');
  let text: string;
  try {
    text = await readFile(manifest, 'utf8');
  } catch {
    return { byKey: new Map(), notes: [] };
  }
  const display = path.relative(rootDir, manifest).split(path.sep).join('/');
  let modules: unknown;
  try {
    if (text.length > MAX_MANIFEST_BYTES) throw new Error('too large');
    modules = (JSON.parse(text) as { Modules?: unknown }).Modules;
  } catch {
    return { byKey: new Map(), notes: [`${display} is not readable JSON; registry and git modules are not read (run terraform init again)`] };
  }
  const byKey = new Map<string, string>();
  const notes: string[] = [];
  for (const entry of Array.isArray(modules) ? modules : []) {
    const { Key: key, Dir: dir } = (entry ?? {}) as { Key?: unknown; Dir?: unknown };
    if (typeof key !== 'string' || key === '' || typeof dir !== 'string') continue;
    const absolute = path.resolve(rootDir, dir);
    const inside = path.relative(modulesDir, absolute);
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
      // Local modules are listed too (Dir "modules/x" or "../shared"); those are read from their source.
      continue;
    }
    byKey.set(key, absolute);
  }
  return { byKey, notes };
}

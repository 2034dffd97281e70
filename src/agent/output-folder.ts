/**
 * The only place the agent writes: one output folder. Every path is resolved against it
 * and refused if it would land outside (`..`, absolute paths, or a symlink planted inside
 * that points out), so a slug built from model text cannot write anywhere else.
 */
import { lstatSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InfraAuditError } from '../errors.js';

export class OutputFolder {
  readonly root: string;
  private readonly written: string[] = [];

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Refuse early a path that exists and is not a directory (a file, or a symlink). */
  check(): void {
    let isDirectory = true;
    try {
      isDirectory = lstatSync(this.root).isDirectory();
    } catch {
      return; // does not exist yet: created on first write
    }
    if (!isDirectory) throw new InfraAuditError('USAGE', `--output ${this.root} exists and is not a directory`, { hint: 'choose a new folder' });
  }

  create(): void {
    this.check();
    mkdirSync(this.root, { recursive: true });
  }

  /** The absolute path of `relativePath` inside the folder, or a refusal. */
  resolveInside(relativePath: string): string {
    if (isAbsolute(relativePath)) throw escapeError(relativePath);
    const target = resolve(this.root, relativePath);
    const rel = relative(this.root, target);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw escapeError(relativePath);
    return target;
  }

  write(relativePath: string, content: string): string {
    const target = this.resolveInside(relativePath);
    this.check();
    mkdirSync(dirname(target), { recursive: true });
    // A directory inside may have been replaced by a symlink out of the folder: check the real path.
    const realParent = realpathSync(dirname(target));
    const realRoot = realpathSync(this.root);
    if (realParent !== realRoot && !realParent.startsWith(`${realRoot}${sep}`)) throw escapeError(relativePath);
    writeFileSync(target, content, { encoding: 'utf8', flag: 'w' });
    this.written.push(relative(this.root, target));
    return target;
  }

  /** Relative paths of every file written, in order. */
  files(): string[] {
    return [...this.written];
  }
}

function escapeError(path: string): InfraAuditError {
  return new InfraAuditError('INVALID_INPUT', `refusing to write "${path}": it resolves outside the output folder`, { hint: 'the agent writes only inside --output' });
}

/** A file-name-safe slug from free text (model titles, resource ids). */
export function slugify(text: string, max = 48): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || 'item';
}

/** The short name of a resource id: the last segment of an ARN (bucket, DB identifier, role name). */
export function shortResourceName(id: string): string {
  if (!id.startsWith('arn:')) return id;
  return id.split(/[:/]/).filter(Boolean).pop() ?? id;
}

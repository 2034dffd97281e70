/**
 * The root module's .tf files and the resources they declare, with file and line. Reads
 * only; bounded in file count and size. Module resources (module.x.…) are out of reach
 * here and are answered as such.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InfraAuditError } from '../../errors.js';
import { HclText, type HclBlock } from './hcl-blocks.js';

const MAX_FILES = 500;
const MAX_FILE_BYTES = 2_000_000;

export interface TerraformFile {
  /** Relative to the config directory, with forward slashes. */
  path: string;
  hcl: HclText;
}

export interface DeclaredResource {
  file: TerraformFile;
  block: HclBlock;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  address: string;
}

export function loadTerraformFiles(configDir: string): TerraformFile[] {
  let names: string[];
  try {
    names = readdirSync(configDir).filter((n) => n.endsWith('.tf')).sort();
  } catch (err) {
    throw new InfraAuditError('FILE_NOT_FOUND', `cannot read the Terraform directory ${configDir}`, { hint: 'check the server\'s --config', cause: err });
  }
  if (names.length > MAX_FILES) throw new InfraAuditError('LIMIT_EXCEEDED', `${configDir} holds over ${MAX_FILES} .tf files`, { hint: 'point --config at one root module' });
  const files: TerraformFile[] = [];
  for (const name of names) {
    const full = join(configDir, name);
    const stat = statSync(full);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) continue;
    files.push({ path: name, hcl: new HclText(readFileSync(full, 'utf8')) });
  }
  return files;
}

export function declaredResources(files: ReadonlyArray<TerraformFile>): DeclaredResource[] {
  const out: DeclaredResource[] = [];
  for (const file of files) {
    for (const item of file.hcl.items()) {
      if (item.kind !== 'block' || (item.type !== 'resource' && item.type !== 'data') || item.labels.length !== 2) continue;
      const [type, name] = item.labels as [string, string];
      const mode = item.type === 'data' ? 'data' : 'managed';
      out.push({ file, block: item, mode, type, name, address: mode === 'data' ? `data.${type}.${name}` : `${type}.${name}` });
    }
  }
  return out;
}

/** The literal string of an attribute, when it is a plain quoted string. */
export function literalString(resource: DeclaredResource, attribute: string): string | undefined {
  const attr = resource.file.hcl.attribute(resource.block, attribute);
  if (!attr) return undefined;
  const raw = resource.file.hcl.valueOf(attr);
  if (!/^"(?:[^"\\$%]|\\.)*"$/.test(raw)) return undefined;
  return JSON.parse(raw) as string;
}

/**
 * The managed resource of `type` that is `address`, or whose `idAttribute` is the literal
 * `id`. An address of a module resource is refused with a hint.
 */
export function findManaged(resources: ReadonlyArray<DeclaredResource>, type: string, idAttribute: string, id: string, address?: string): DeclaredResource | undefined {
  if (address) {
    if (address.startsWith('module.')) {
      throw new InfraAuditError('INVALID_INPUT', `${address} is inside a module; proposals cover resources of the root module only`, {
        hint: 'change the module (or the arguments of its call) by hand; the check\'s remediation says what to set',
      });
    }
    const plain = address.replace(/\[[^\]]*\]$/, '');
    const byAddress = resources.find((r) => r.mode === 'managed' && r.address === plain);
    if (byAddress) return byAddress;
  }
  return resources.find((r) => r.mode === 'managed' && r.type === type && literalString(r, idAttribute) === id);
}

/** Resources of `type` whose `attribute` refers to `target` (by reference) or holds `id` literally. */
export function referring(resources: ReadonlyArray<DeclaredResource>, type: string, attribute: string, target: DeclaredResource | undefined, id: string): DeclaredResource[] {
  return resources.filter((r) => {
    if (r.mode !== 'managed' || r.type !== type) return false;
    const attr = r.file.hcl.attribute(r.block, attribute);
    if (!attr) return false;
    const raw = r.file.hcl.valueOf(attr).trim();
    if (target && new RegExp(`^${escapeRegExp(target.address)}\\.(id|bucket|arn|identifier)$`).test(raw)) return true;
    return raw === JSON.stringify(id);
  });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

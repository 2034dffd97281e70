/**
 * The S3 buckets that hold this configuration's Terraform state: every `backend "s3"` block
 * of the root module, and the backend `terraform init` recorded in `.terraform/terraform.tfstate`
 * (which includes values passed with -backend-config). Those buckets are protected: no tool
 * reads their objects, and the generated IAM policy denies them, even when the state the
 * server loads is a local file.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseHcl } from './hcl.js';

function bucketsOf(terraformBlocks: unknown): string[] {
  const out: string[] = [];
  for (const block of Array.isArray(terraformBlocks) ? terraformBlocks : []) {
    const s3 = (block as { backend?: { s3?: unknown } })?.backend?.s3;
    for (const backend of Array.isArray(s3) ? s3 : []) {
      const bucket = (backend as { bucket?: unknown })?.bucket;
      // Backend blocks cannot use variables: anything but a literal is not a bucket name.
      if (typeof bucket === 'string' && bucket && !bucket.includes('${')) out.push(bucket);
    }
  }
  return out;
}

/** The state buckets named by the root module in `rootDir`; [] when it has none. Syntax errors propagate as CONFIG_INVALID. */
export async function s3BackendBuckets(rootDir: string): Promise<string[]> {
  const buckets = new Set<string>();
  let names: string[] = [];
  try {
    names = (await readdir(rootDir)).filter((n) => n.endsWith('.tf')).sort();
  } catch {
    // The config loader reports an unreadable directory with its own error.
  }
  for (const name of names) {
    const text = await readFile(path.join(rootDir, name), 'utf8').catch(() => '');
    if (!/\bbackend\s+"?s3"?/.test(text)) continue;
    for (const b of bucketsOf((await parseHcl(name, text)).terraform)) buckets.add(b);
  }
  try {
    const initialised = JSON.parse(await readFile(path.join(rootDir, '.terraform', 'terraform.tfstate'), 'utf8')) as { backend?: { type?: string; config?: { bucket?: unknown } } };
    if (initialised.backend?.type === 's3' && typeof initialised.backend.config?.bucket === 'string') buckets.add(initialised.backend.config.bucket);
  } catch {
    // Not initialised here, or not readable: the .tf files are what we know.
  }
  return [...buckets].sort();
}

/**
 * Terraform `import {}` blocks (Terraform 1.5+) and minimal resource stubs for live resources no
 * state manages, ready to paste into a root module and review with `terraform plan`.
 *
 * Every value comes from the live account, so it is written as an HCL string literal with JSON
 * escaping plus HCL's own template escapes (`${` → `$${`, `%{` → `%%{`): a bucket name or policy
 * chosen by someone else cannot inject configuration. Policies are written with `jsonencode()`
 * over an HCL object, the form reviewers expect.
 */
export interface ImportTarget {
  type: string;
  /** The id `terraform import` takes for this type. */
  importId: string;
  /** Arguments for the stub (values from the live account). */
  stub: Record<string, unknown>;
  /**
   * What the stub still needs that was not read from the account, said in comments at the top of
   * the resource block (a key pair's public key): our own fixed text, never live data.
   */
  stubNotes?: readonly string[];
  /** The object's region, when regional and not the provider's default. */
  region?: string;
}

/** Arguments whose string values are policy documents, written as jsonencode({...}). */
const POLICY_ARGUMENTS = new Set(['policy', 'assume_role_policy']);

/** A Terraform resource name from any id, in the usual snake_case: `acme-ds-scratch` → `acme_ds_scratch`. */
export function terraformName(id: string): string {
  const base = id.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'imported';
  return /^[a-z_]/.test(base) ? base : `r_${base}`;
}

/** Allocates distinct names within one output: the second `acme-x` becomes `acme_x_2`. */
export class NameAllocator {
  private readonly used = new Set<string>();

  allocate(type: string, id: string): string {
    const base = terraformName(id);
    let name = base;
    for (let n = 2; this.used.has(`${type}.${name}`); n++) name = `${base}_${n}`;
    this.used.add(`${type}.${name}`);
    return name;
  }
}

/** An expression written as is (a reference to another block of the same output), never live data. */
export class HclExpression {
  constructor(readonly text: string) {}
}

/** `"text"` as an HCL string literal. */
export function hclString(text: string): string {
  // In a replacement string `$$` is one `$`: '$$$${' writes `$${`.
  return JSON.stringify(text).replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A JSON-like value as an HCL expression. */
export function hclValue(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof HclExpression) return value.text;
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${inner}${hclValue(item, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${inner}${IDENTIFIER.test(key) ? key : hclString(key)} = ${hclValue(item, inner)}`).join('\n')}\n${indent}}`;
}

function argumentValue(name: string, value: unknown): string {
  if (POLICY_ARGUMENTS.has(name) && typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      return `jsonencode(${hclValue(JSON.parse(value) as unknown, '  ')})`;
    } catch {
      // Not JSON after all: keep the text as it is.
    }
  }
  return hclValue(value, '  ');
}

/** The import block and the resource stub for one live object. */
export function importBlock(target: ImportTarget, name: string): string {
  const address = `${target.type}.${name}`;
  const lines: string[] = [];
  // Live data in a comment stays on one line of safe characters.
  if (target.region) lines.push(`# Region ${target.region.replace(/[^a-z0-9-]/g, '')}: import with an aws provider configured for it.`);
  lines.push('import {', `  to = ${address}`, `  id = ${hclString(target.importId)}`, '}', '');
  lines.push(`resource "${target.type}" "${name}" {`);
  for (const note of target.stubNotes ?? []) lines.push(`  # ${note.replace(/[\r\n]+/g, ' ')}`);
  const width = Math.max(0, ...Object.keys(target.stub).map((k) => k.length));
  for (const [argument, value] of Object.entries(target.stub)) lines.push(`  ${argument.padEnd(width)} = ${argumentValue(argument, value)}`);
  lines.push('}');
  return lines.join('\n');
}

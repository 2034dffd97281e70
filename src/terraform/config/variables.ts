/**
 * Root module variable values, in Terraform's order of precedence (later wins): declared
 * defaults, TF_VAR_<name> environment variables, terraform.tfvars, terraform.tfvars.json,
 * *.auto.tfvars and *.auto.tfvars.json in lexical order, then explicit files and values.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { InfraAuditError } from '../../errors.js';
import { parseHcl } from './hcl.js';
import { evaluateRaw, type ContextWithoutSource } from './raw.js';
import { EvaluationError, Unknown, isSet, makeSet, type Value } from './expression/value.js';
import type { ModuleDefinition, VariableDeclaration } from './module.js';

export interface VariableSources {
  env: NodeJS.ProcessEnv;
  /** Extra .tfvars / .tfvars.json files, as with -var-file. */
  varFiles: string[];
  /** Explicit values, as with -var. */
  values: Record<string, Value>;
}

/** No variables, locals or references: tfvars hold constants. */
const CONSTANT_CONTEXT: ContextWithoutSource = {
  variable: () => {
    throw new EvaluationError('variables cannot be used here');
  },
  local: () => {
    throw new EvaluationError('local values cannot be used here');
  },
  module: () => {
    throw new EvaluationError('module outputs cannot be used here');
  },
  path: { module: '.', root: '.', cwd: '.' },
  workspace: 'default',
  baseDir: '.',
};

export async function resolveRootVariables(definition: ModuleDefinition, rootDir: string, sources: VariableSources): Promise<Map<string, Value>> {
  const given = new Map<string, Value>();
  for (const [name, value] of Object.entries(sources.env)) {
    if (name.startsWith('TF_VAR_') && value !== undefined) given.set(name.slice('TF_VAR_'.length), value);
  }
  const autoFiles = (await readdir(rootDir)).filter((f) => /\.auto\.tfvars(\.json)?$/.test(f)).sort();
  const files = ['terraform.tfvars', 'terraform.tfvars.json', ...autoFiles].map((f) => path.join(rootDir, f));
  for (const file of [...files, ...sources.varFiles.map((f) => path.resolve(rootDir, f))]) {
    const explicit = !files.includes(file);
    for (const [name, value] of Object.entries(await readVariableFile(file, rootDir, explicit))) given.set(name, value);
  }
  for (const [name, value] of Object.entries(sources.values)) given.set(name, value);

  const resolved = new Map<string, Value>();
  for (const declaration of definition.variables.values()) {
    resolved.set(declaration.name, variableValue(declaration, given.has(declaration.name) ? given.get(declaration.name)! : undefined, CONSTANT_CONTEXT));
  }
  return resolved;
}

/** A value given for the variable (or its default), converted to the declared type. */
export function variableValue(declaration: VariableDeclaration, given: Value | undefined, defaultContext: ContextWithoutSource): Value {
  if (given !== undefined) return convert(given, declaration.type);
  if (declaration.hasDefault) return convert(evaluateRaw(declaration.default, defaultContext), declaration.type);
  return new Unknown(`var.${declaration.name}`, `no value for variable "${declaration.name}": it has no default and none is given`);
}

async function readVariableFile(file: string, rootDir: string, required: boolean): Promise<Record<string, Value>> {
  const display = path.relative(rootDir, file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    if (required) throw new InfraAuditError('FILE_NOT_FOUND', `variables file not found: ${display}`);
    return {};
  }
  let raw: Record<string, unknown>;
  if (file.endsWith('.json')) {
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new InfraAuditError('CONFIG_INVALID', `${display}: not valid JSON (${(err as Error).message})`, { cause: err });
    }
  } else {
    raw = await parseHcl(display, text);
  }
  const out: Record<string, Value> = {};
  for (const [name, value] of Object.entries(raw)) out[name] = evaluateRaw(value, CONSTANT_CONTEXT);
  return out;
}

/**
 * The conversions Terraform applies on assignment that change how a value is read here:
 * primitives to the declared primitive, lists to sets and back. Other mismatches are left for
 * `terraform validate` to report.
 */
function convert(value: Value, type: string | undefined): Value {
  if (type === undefined || value === null || value instanceof Unknown) return value;
  const t = type.replace(/\s+/g, '');
  if (t === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  if (t === 'number' && typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(value)) return Number(value);
  if (t === 'bool' && (value === 'true' || value === 'false')) return value === 'true';
  if (t.startsWith('set(') && Array.isArray(value) && !isSet(value)) return makeSet(value);
  if (t.startsWith('list(') && Array.isArray(value) && isSet(value)) return [...value];
  return value;
}

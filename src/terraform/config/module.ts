/**
 * One module directory read into declarations: variables, locals, outputs, resources, data
 * sources and module calls, each with its raw hcl2json body, its file and its line. Nothing is
 * evaluated here. hcl2json drops positions, so each block's line is found by locating its header
 * (`resource "aws_s3_bucket" "logs" {`) in the file's text.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { InfraAuditError } from '../../errors.js';
import type { ResourceMode } from '../address.js';
import { parseHcl } from './hcl.js';

export type RawValue = unknown;
export type RawBody = Record<string, RawValue>;

export interface Declared {
  file: string;
  line: number;
}

export interface VariableDeclaration extends Declared {
  name: string;
  default?: RawValue;
  hasDefault: boolean;
  /** The type constraint as written, e.g. `set(string)`. */
  type?: string;
  sensitive: boolean;
}

export interface ResourceDeclaration extends Declared {
  mode: ResourceMode;
  type: string;
  name: string;
  body: RawBody;
}

export interface ModuleCallDeclaration extends Declared {
  name: string;
  source: string;
  body: RawBody;
}

export interface ModuleDefinition {
  directory: string;
  files: string[];
  variables: Map<string, VariableDeclaration>;
  locals: Map<string, { value: RawValue } & Declared>;
  outputs: Map<string, { value: RawValue; sensitive: boolean } & Declared>;
  resources: ResourceDeclaration[];
  moduleCalls: ModuleCallDeclaration[];
  notes: string[];
}

/** Terraform's override files merge into other blocks by rules this reader does not apply. */
const OVERRIDE_FILE = /(?:^|_)override\.tf$/;

export async function readModule(directory: string, rootDir: string): Promise<ModuleDefinition> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith('.tf')).sort();
  } catch (err) {
    throw new InfraAuditError('FILE_NOT_FOUND', `configuration directory not found: ${path.relative(rootDir, directory) || directory}`, {
      hint: 'Point at the directory holding the root module\'s .tf files.',
      cause: err,
    });
  }
  const definition: ModuleDefinition = {
    directory,
    files: [],
    variables: new Map(),
    locals: new Map(),
    outputs: new Map(),
    resources: [],
    moduleCalls: [],
    notes: [],
  };
  for (const name of names) {
    const full = path.join(directory, name);
    const display = path.relative(rootDir, full) || name;
    if (OVERRIDE_FILE.test(name)) {
      definition.notes.push(`${display}: override files are not applied`);
      continue;
    }
    const text = await readFile(full, 'utf8');
    collect(definition, await parseHcl(display, text), display, text);
    definition.files.push(display);
  }
  // hcl2json orders blocks by type and name; declaration order is what a reader expects.
  const byPosition = (a: Declared, b: Declared) => definition.files.indexOf(a.file) - definition.files.indexOf(b.file) || a.line - b.line;
  definition.resources.sort(byPosition);
  definition.moduleCalls.sort(byPosition);
  return definition;
}

function collect(definition: ModuleDefinition, body: Record<string, unknown>, file: string, text: string): void {
  const at = (keyword: string, ...labels: string[]): Declared => ({ file, line: findBlockLine(text, keyword, labels) });
  const duplicate = (what: string, first: Declared) =>
    new InfraAuditError('CONFIG_INVALID', `${file}: ${what} is declared twice (first in ${first.file} line ${first.line})`, {
      hint: 'Terraform rejects duplicate declarations in one module; remove or rename one.',
    });

  for (const [name, blocks] of labelled(body.variable)) {
    const block = blocks[0] ?? {};
    const existing = definition.variables.get(name);
    if (existing) throw duplicate(`variable "${name}"`, existing);
    const declaration: VariableDeclaration = { name, hasDefault: 'default' in block, sensitive: block.sensitive === true, ...at('variable', name) };
    if ('default' in block) declaration.default = block.default;
    if (typeof block.type === 'string') declaration.type = block.type.replace(/^\$\{(.*)\}$/s, '$1');
    definition.variables.set(name, declaration);
  }
  for (const block of asList(body.locals)) {
    for (const [name, value] of Object.entries(block)) {
      const existing = definition.locals.get(name);
      if (existing) throw duplicate(`local value "${name}"`, existing);
      definition.locals.set(name, { value, file, line: findAttributeLine(text, 'locals', name) });
    }
  }
  for (const [name, blocks] of labelled(body.output)) {
    const existing = definition.outputs.get(name);
    if (existing) throw duplicate(`output "${name}"`, existing);
    const block = blocks[0] ?? {};
    definition.outputs.set(name, { value: block.value, sensitive: block.sensitive === true, ...at('output', name) });
  }
  for (const [mode, keyword] of [['managed', 'resource'], ['data', 'data']] as const) {
    for (const [type, byName] of labelled(body[keyword], true)) {
      for (const [name, blocks] of labelled(byName)) {
        const declared = at(keyword, type, name);
        const clash = definition.resources.find((r) => r.mode === mode && r.type === type && r.name === name);
        if (clash) throw duplicate(`${keyword} "${type}" "${name}"`, clash);
        definition.resources.push({ mode, type, name, body: blocks[0] ?? {}, ...declared });
      }
    }
  }
  for (const [name, blocks] of labelled(body.module)) {
    const block = blocks[0] ?? {};
    const clash = definition.moduleCalls.find((m) => m.name === name);
    if (clash) throw duplicate(`module "${name}"`, clash);
    definition.moduleCalls.push({ name, source: typeof block.source === 'string' ? block.source : '', body: block, ...at('module', name) });
  }
}

/** hcl2json gives labelled blocks as { label: [body, ...] } (or { label: { label2: [...] } }). */
function labelled(value: unknown, nested = false): Array<[string, RawBody[]]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).map(([label, inner]) => [label, nested ? (inner as RawBody[]) : asList(inner)]);
}

function asList(value: unknown): RawBody[] {
  if (Array.isArray(value)) return value.filter((item): item is RawBody => item !== null && typeof item === 'object');
  return value !== null && typeof value === 'object' ? [value as RawBody] : [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The line of `keyword "label" "label" {`, labels quoted or bare; 1 if not found. */
function findBlockLine(text: string, keyword: string, labels: readonly string[]): number {
  const labelPattern = labels.map((label) => `[ \\t]+(?:"${escapeRegExp(label)}"|${escapeRegExp(label)})`).join('');
  const match = new RegExp(`^[ \\t]*${keyword}${labelPattern}[ \\t]*\\{`, 'm').exec(text);
  return match ? lineAt(text, match.index + match[0].search(/\S/)) : 1;
}

/** The line of `name =` inside the first `keyword {` block that has it; 1 if not found. */
function findAttributeLine(text: string, keyword: string, name: string): number {
  const blocks = new RegExp(`^[ \\t]*${keyword}[ \\t]*\\{`, 'gm');
  for (let block = blocks.exec(text); block; block = blocks.exec(text)) {
    const attribute = new RegExp(`^[ \\t]*${escapeRegExp(name)}[ \\t]*=`, 'm').exec(text.slice(block.index));
    if (attribute) return lineAt(text, block.index + attribute.index + attribute[0].search(/\S/));
  }
  return 1;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

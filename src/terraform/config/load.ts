/**
 * `loadConfig(rootDir)`: the root module and every module it calls, local (`source = "./…"`) or
 * downloaded by `terraform init` (registry and git sources, through .terraform/modules),
 * read and evaluated statically into resource instances addressed as Terraform addresses them.
 * Values that need a plan stay Unknown. Literal secrets in the configuration (a password in a
 * .tf file, a sensitive variable's value) pass through the same Redactor as state.
 */
import path from 'node:path';
import { InfraAuditError } from '../../errors.js';
import { Redactor } from '../../redact/redactor.js';
import type { Value } from './expression/value.js';
import { readModule, type ModuleDefinition } from './module.js';
import { MAX_MODULE_DEPTH, ModuleInstance, resolveModuleSource } from './instance.js';
import { readInstalledModules, type InstalledModules } from './installed-modules.js';
import { resolveRootVariables } from './variables.js';
import { collectResources, type Collected } from './resources.js';
import type { ConfigResource, TerraformConfig } from './types.js';

export interface LoadConfigOptions {
  /** Values as with -var; they override every file. */
  variables?: Record<string, Value>;
  /** Files as with -var-file, relative to the root module. */
  varFiles?: string[];
  /** For TF_VAR_<name> (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** terraform.workspace (default "default"). */
  workspace?: string;
  redactor?: Redactor;
}

/** Distinct module directories read, at most; a guard against pathological layouts. */
const MAX_MODULE_DIRECTORIES = 500;

export async function loadConfig(rootDir: string, options: LoadConfigOptions = {}): Promise<TerraformConfig> {
  const root = path.resolve(rootDir);
  const installed = await readInstalledModules(root, options.env ?? process.env);
  const definitions = await readModuleTree(root, installed);
  const rootDefinition = definitions.get(root)!;
  if (rootDefinition.files.length === 0 && rootDefinition.notes.length === 0) {
    throw new InfraAuditError('CONFIG_INVALID', `no Terraform configuration (.tf files) in ${rootDir}`, {
      hint: 'Point at the root module: the directory where you run `terraform plan`.',
    });
  }
  const variables = await resolveRootVariables(rootDefinition, root, {
    env: options.env ?? process.env,
    varFiles: options.varFiles ?? [],
    values: options.variables ?? {},
  });
  const redactor = options.redactor ?? new Redactor();
  for (const declaration of rootDefinition.variables.values()) {
    if (declaration.sensitive) redactor.learn(variables.get(declaration.name));
  }

  const run = { rootDir: root, workspace: options.workspace ?? 'default', definitions, installed: installed.byKey };
  const rootInstance = new ModuleInstance(rootDefinition, [], variables, run);
  const collected: Collected = { resources: [], moduleCalls: [], notes: [...installed.notes, ...[...definitions.values()].flatMap((d) => d.notes)] };
  collectResources(rootInstance, collected);

  const byAddress = new Map<string, ConfigResource>();
  for (const resource of collected.resources) {
    redactor.redactInPlace(resource.attributes);
    byAddress.set(resource.address, resource);
  }
  return {
    rootDir: root,
    resources: collected.resources,
    byAddress,
    moduleCalls: collected.moduleCalls,
    variables: redactor.redact(Object.fromEntries(variables)),
    files: [...definitions.values()].flatMap((d) => d.files),
    notes: collected.notes,
  };
}

/** Read the root module and, breadth first, every local module directory it reaches. */
async function readModuleTree(root: string, installed: InstalledModules): Promise<Map<string, ModuleDefinition>> {
  const definitions = new Map<string, ModuleDefinition>();
  // Each directory with the call names that lead to it (the modules.json key of its calls).
  const queue: Array<{ directory: string; names: string[] }> = [{ directory: root, names: [] }];
  const seen = new Set<string>();
  for (let head = 0; head < queue.length; head++) {
    const { directory, names } = queue[head]!;
    const visit = `${directory}\u0000${names.join('.')}`;
    if (seen.has(visit)) continue;
    seen.add(visit);
    if (!definitions.has(directory)) {
      if (definitions.size >= MAX_MODULE_DIRECTORIES) {
        throw new InfraAuditError('LIMIT_EXCEEDED', `more than ${MAX_MODULE_DIRECTORIES} module directories under ${root}`);
      }
      definitions.set(directory, await readModule(directory, root));
    }
    if (names.length >= MAX_MODULE_DEPTH) continue;
    for (const call of definitions.get(directory)!.moduleCalls) {
      const child = resolveModuleSource(directory, names, call.name, call.source, installed.byKey);
      if (child) queue.push({ directory: child, names: [...names, call.name] });
    }
  }
  return definitions;
}

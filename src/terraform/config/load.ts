/**
 * `loadConfig(rootDir)`: the root module and every local module it calls (`source = "./…"`),
 * read and evaluated statically into resource instances addressed as Terraform addresses them.
 * Values that need a plan stay Unknown. Literal secrets in the configuration (a password in a
 * .tf file, a sensitive variable's value) pass through the same Redactor as state.
 */
import path from 'node:path';
import { InfraAuditError } from '../../errors.js';
import { Redactor } from '../../redact/redactor.js';
import type { Value } from './expression/value.js';
import { readModule, type ModuleDefinition } from './module.js';
import { ModuleInstance, isLocalSource } from './instance.js';
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
  const definitions = await readModuleTree(root);
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

  const run = { rootDir: root, workspace: options.workspace ?? 'default', definitions };
  const rootInstance = new ModuleInstance(rootDefinition, [], variables, run);
  const collected: Collected = { resources: [], moduleCalls: [], notes: [...definitions.values()].flatMap((d) => d.notes) };
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
async function readModuleTree(root: string): Promise<Map<string, ModuleDefinition>> {
  const definitions = new Map<string, ModuleDefinition>();
  const queue = [root];
  while (queue.length > 0) {
    const directory = queue.shift()!;
    if (definitions.has(directory)) continue;
    if (definitions.size >= MAX_MODULE_DIRECTORIES) {
      throw new InfraAuditError('LIMIT_EXCEEDED', `more than ${MAX_MODULE_DIRECTORIES} local module directories under ${root}`);
    }
    const definition = await readModule(directory, root);
    definitions.set(directory, definition);
    for (const call of definition.moduleCalls) {
      if (isLocalSource(call.source)) queue.push(path.resolve(directory, call.source));
    }
  }
  return definitions;
}

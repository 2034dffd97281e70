/**
 * A module instance: one module definition with its input values, at one address
 * (`module.buckets["raw"]`). It answers `var.*`, `local.*` (each evaluated once, cycles caught)
 * and `module.*` (child instances' outputs), which is all an expression in it can see.
 */
import path from 'node:path';
import { InfraAuditError } from '../../errors.js';
import { formatModuleAddress, type ModuleStep } from '../address.js';
import { EvaluationError, Unknown, type Value } from './expression/value.js';
import { evaluateRaw, type ContextWithoutSource } from './raw.js';
import { expand, type ExpandedInstance } from './expansion.js';
import { variableValue } from './variables.js';
import type { ModuleCallDeclaration, ModuleDefinition } from './module.js';

export interface ConfigurationRun {
  rootDir: string;
  workspace: string;
  /** Module definitions already read, by directory. */
  definitions: ReadonlyMap<string, ModuleDefinition>;
  /** Modules `terraform init` downloaded: modules.json key → directory. */
  installed?: ReadonlyMap<string, string>;
}

/** Module call arguments that are not input variables. */
const CALL_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
export const MAX_MODULE_DEPTH = 32;

const IN_PROGRESS = Symbol('evaluating');

export type ChildInstances = { instances: ModuleInstance[]; keysUnknown?: Unknown } | { remote: string };

export function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../');
}

/**
 * The directory a module call's source is read from: a local path from the calling module's
 * directory, else the directory `terraform init` downloaded it to (by the call's modules.json
 * key); undefined when it was not downloaded.
 */
export function resolveModuleSource(
  fromDirectory: string,
  parentNames: readonly string[],
  callName: string,
  source: string,
  installed: ReadonlyMap<string, string> | undefined,
): string | undefined {
  if (isLocalSource(source)) return path.resolve(fromDirectory, source);
  return installed?.get([...parentNames, callName].join('.'));
}

export class ModuleInstance {
  readonly address: string;
  readonly #locals = new Map<string, Value | typeof IN_PROGRESS>();
  readonly #children = new Map<string, ChildInstances>();

  constructor(
    readonly definition: ModuleDefinition,
    readonly path: readonly ModuleStep[],
    readonly inputs: ReadonlyMap<string, Value>,
    readonly run: ConfigurationRun,
    /** Set when this instance stands for all instances of a call whose keys are not known. */
    readonly keysUnknown?: Unknown,
  ) {
    this.address = formatModuleAddress(path);
  }

  /** What expressions in this module see, with count/each bound for one expanded instance. */
  context(instance: ExpandedInstance = {}): ContextWithoutSource {
    const relative = path.relative(this.run.rootDir, this.definition.directory) || '.';
    return {
      variable: (name) => this.variable(name),
      local: (name) => this.local(name),
      module: (name) => this.moduleOutputs(name),
      path: { module: relative.split(path.sep).join('/'), root: '.', cwd: '.' },
      workspace: this.run.workspace,
      baseDir: this.run.rootDir,
      ...(instance.count !== undefined ? { count: instance.count } : {}),
      ...(instance.each !== undefined ? { each: instance.each } : {}),
    };
  }

  variable(name: string): Value {
    const declaration = this.definition.variables.get(name);
    if (!declaration) throw new EvaluationError(`no variable "${name}" is declared in this module`);
    return this.inputs.has(name) ? this.inputs.get(name)! : variableValue(declaration, undefined, this.context());
  }

  local(name: string): Value {
    const cached = this.#locals.get(name);
    if (cached === IN_PROGRESS) return new Unknown(`local.${name}`, `local.${name} refers to itself through other locals`);
    if (cached !== undefined) return cached;
    const declaration = this.definition.locals.get(name);
    if (!declaration) throw new EvaluationError(`no local value "${name}" is declared in this module`);
    this.#locals.set(name, IN_PROGRESS);
    const value = evaluateRaw(declaration.value, this.context());
    this.#locals.set(name, value);
    return value;
  }

  /** `module.<name>`: an object of outputs, or a list/map of them for an expanded call. */
  moduleOutputs(name: string): Value {
    const call = this.definition.moduleCalls.find((c) => c.name === name);
    if (!call) throw new EvaluationError(`no module call "${name}" in this module`);
    const children = this.children(call);
    if ('remote' in children) return new Unknown(`module.${name}`, `module source ${children.remote} is not downloaded (run terraform init)`);
    if (children.keysUnknown) return new Unknown(`module.${name}`, children.keysUnknown.reason);
    const outputsOf = (child: ModuleInstance) => child.outputs();
    if (call.body.count !== undefined) return children.instances.map(outputsOf);
    if (call.body.for_each !== undefined) return Object.fromEntries(children.instances.map((child) => [String(child.path.at(-1)!.key), outputsOf(child)]));
    return outputsOf(children.instances[0]!);
  }

  outputs(): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const [name, output] of this.definition.outputs) out[name] = evaluateRaw(output.value, this.context());
    return out;
  }

  /** The instances of one module call, created once. */
  children(call: ModuleCallDeclaration): ChildInstances {
    let children = this.#children.get(call.name);
    if (children) return children;
    const directory = resolveModuleSource(this.definition.directory, this.path.map((step) => step.name), call.name, call.source, this.run.installed);
    if (directory === undefined || !this.run.definitions.has(directory)) {
      children = { remote: call.source || '(no source)' };
    } else {
      if (this.path.length >= MAX_MODULE_DEPTH) {
        throw new InfraAuditError('CONFIG_INVALID', `${call.file}: module "${call.name}" nests modules more than ${MAX_MODULE_DEPTH} deep`, {
          hint: 'A module that calls itself through its source never ends; check the source paths.',
        });
      }
      const definition = this.run.definitions.get(directory)!;
      const expansion = expand(call.body, this.context());
      if ('unknown' in expansion) {
        const each = { key: expansion.unknown, value: expansion.unknown };
        const step: ModuleStep = { name: call.name, keyUnknown: true };
        const inputs = this.#inputs(call, definition, { count: expansion.unknown, each });
        children = { instances: [new ModuleInstance(definition, [...this.path, step], inputs, this.run, expansion.unknown)], keysUnknown: expansion.unknown };
      } else {
        children = {
          instances: expansion.instances.map((instance) => {
            const step: ModuleStep = instance.key === undefined ? { name: call.name } : { name: call.name, key: instance.key };
            return new ModuleInstance(definition, [...this.path, step], this.#inputs(call, definition, instance), this.run, this.keysUnknown);
          }),
        };
      }
    }
    this.#children.set(call.name, children);
    return children;
  }

  /** The call's arguments, evaluated here, that the child declares as variables. */
  #inputs(call: ModuleCallDeclaration, child: ModuleDefinition, instance: ExpandedInstance): Map<string, Value> {
    const ctx = this.context(instance);
    const inputs = new Map<string, Value>();
    for (const [name, raw] of Object.entries(call.body)) {
      if (CALL_META_ARGUMENTS.has(name)) continue;
      const declaration = child.variables.get(name);
      if (!declaration) continue;
      inputs.set(name, variableValue(declaration, evaluateRaw(raw, ctx), ctx));
    }
    return inputs;
  }
}

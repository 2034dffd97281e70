/**
 * Resources of a module instance, expanded by count/for_each into instances addressed as in
 * state, each with its arguments evaluated in that instance's scope; then the same for every
 * child module instance, depth first.
 */
import path from 'node:path';
import { formatInstanceAddress, stripInstanceKeys, UNKNOWN_KEY } from '../address.js';
import { Unknown, isObjectValue, isSet, type Value } from './expression/value.js';
import { evaluateRaw, expressionText, type ContextWithoutSource } from './raw.js';
import { expand } from './expansion.js';
import type { ModuleInstance } from './instance.js';
import type { RawBody, ResourceDeclaration } from './module.js';
import type { ConfigModuleCall, ConfigResource } from './types.js';

/** Meta-arguments: they shape the resource's lifecycle, not the object it describes. */
const RESOURCE_META_ARGUMENTS = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection']);

export interface Collected {
  resources: ConfigResource[];
  moduleCalls: ConfigModuleCall[];
  notes: string[];
}

export function collectResources(instance: ModuleInstance, into: Collected): void {
  for (const declaration of instance.definition.resources) expandResource(instance, declaration, into);
  for (const call of instance.definition.moduleCalls) {
    const children = instance.children(call);
    const callAddress = `${instance.address ? `${instance.address}.` : ''}module.${call.name}`;
    if ('remote' in children) {
      into.moduleCalls.push({ address: callAddress, source: call.source, file: call.file, line: call.line });
      into.notes.push(`${callAddress}: module source ${children.remote} is not downloaded (run terraform init, so .terraform/modules holds it); its resources are not in the configuration view`);
      continue;
    }
    for (const child of children.instances) {
      into.moduleCalls.push({ address: child.address, source: call.source, directory: path.relative(instance.run.rootDir, child.definition.directory) || '.', file: call.file, line: call.line });
      collectResources(child, into);
    }
  }
}

function expandResource(instance: ModuleInstance, declaration: ResourceDeclaration, into: Collected): void {
  const base = {
    configAddress: stripInstanceKeys(formatInstanceAddress(instance.address, declaration.mode, declaration.type, declaration.name)),
    moduleAddress: instance.address,
    mode: declaration.mode,
    type: declaration.type,
    name: declaration.name,
    file: declaration.file,
    line: declaration.line,
  };
  const provider = typeof declaration.body.provider === 'string' ? expressionText(declaration.body.provider) : undefined;
  const expansion = expand(declaration.body, instance.context());
  if ('unknown' in expansion) {
    const unknownKey = { count: expansion.unknown, each: { key: expansion.unknown, value: expansion.unknown } };
    into.resources.push({
      ...base,
      address: `${formatInstanceAddress(instance.address, declaration.mode, declaration.type, declaration.name)}${UNKNOWN_KEY}`,
      attributes: evaluateBody(declaration.body, instance.context(unknownKey)),
      ...(provider ? { provider } : {}),
      expansionUnknown: expansion.unknown,
    });
    return;
  }
  for (const expanded of expansion.instances) {
    const resource: ConfigResource = {
      ...base,
      address: formatInstanceAddress(instance.address, declaration.mode, declaration.type, declaration.name, expanded.key),
      attributes: evaluateBody(declaration.body, instance.context(expanded)),
    };
    if (expanded.key !== undefined) resource.indexKey = expanded.key;
    if (provider) resource.provider = provider;
    if (instance.keysUnknown) resource.expansionUnknown = instance.keysUnknown;
    into.resources.push(resource);
  }
}

/**
 * Arguments and nested blocks, with `dynamic` blocks expanded where their for_each is known.
 * Meta-arguments are skipped at the top level only: a nested block may have a `count` of its own.
 */
function evaluateBody(body: RawBody, ctx: ContextWithoutSource, topLevel = true): Record<string, Value> {
  const attributes: Record<string, Value> = {};
  for (const [name, raw] of Object.entries(body)) {
    if ((topLevel && RESOURCE_META_ARGUMENTS.has(name)) || name === 'dynamic') continue;
    attributes[name] = Array.isArray(raw) && raw.length > 0 && raw.every(isBlockBody)
      ? raw.map((block) => evaluateBody(block as RawBody, ctx, false))
      : evaluateRaw(raw, ctx);
  }
  if (isBlockBody(body.dynamic)) {
    for (const [blockName, blocks] of Object.entries(body.dynamic as Record<string, unknown>)) {
      for (const dynamic of Array.isArray(blocks) ? blocks : [blocks]) {
        const generated = expandDynamic(blockName, dynamic as RawBody, ctx);
        const existing = attributes[blockName];
        if (generated instanceof Unknown) attributes[blockName] = generated;
        else if (!(existing instanceof Unknown)) attributes[blockName] = [...(Array.isArray(existing) ? existing : []), ...generated];
      }
    }
  }
  return attributes;
}

/** A nested block's body (an object whose keys are argument names, never expressions). */
function isBlockBody(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Object.keys(value).some((key) => key.includes('${'));
}

/** `dynamic "ingress" { for_each = ...; content { ... } }`, iterator named by the label or `iterator`. */
function expandDynamic(blockName: string, dynamic: RawBody, ctx: ContextWithoutSource): Value[] | Unknown {
  const iterator = typeof dynamic.iterator === 'string' ? expressionText(dynamic.iterator) : blockName;
  const collection = evaluateRaw(dynamic.for_each, ctx);
  if (collection instanceof Unknown) return new Unknown(`dynamic "${blockName}"`, collection.reason);
  let entries: Array<[Value, Value]>;
  if (isObjectValue(collection)) entries = Object.keys(collection).sort().map((k) => [k, collection[k]!]);
  else if (Array.isArray(collection)) entries = collection.map((item, i) => [isSet(collection) ? item : i, item]);
  else return new Unknown(`dynamic "${blockName}"`, 'for_each of a dynamic block must be a collection');
  const content = Array.isArray(dynamic.content) ? (dynamic.content[0] as RawBody | undefined) : undefined;
  if (!content) return new Unknown(`dynamic "${blockName}"`, 'a dynamic block needs a content block');
  return entries.map(([key, value]) => {
    const iterators = new Map(ctx.iterators ?? []);
    iterators.set(iterator, { key, value });
    return evaluateBody(content, { ...ctx, iterators }, false);
  });
}

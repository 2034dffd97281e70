/**
 * The AWS provider's `default_tags`, per provider configuration of the root module (`aws`,
 * `aws.eu`), evaluated with the root module's variables and locals. A resource's `tags_all` is
 * its own `tags` over these, so a tag difference can show the value the configuration declares
 * even when it comes from the provider block.
 *
 * The configuration reader does not keep provider blocks, so the root module's files are read
 * again here (parsing a root module costs milliseconds).
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parseHcl } from '../terraform/config/hcl.js';
import { readModule, type ModuleDefinition } from '../terraform/config/module.js';
import { ModuleInstance } from '../terraform/config/instance.js';
import { resolveRootVariables } from '../terraform/config/variables.js';
import { evaluateRaw, expressionText } from '../terraform/config/raw.js';
import { Unknown, isObjectValue, type Value } from '../terraform/config/expression/value.js';
import type { ConfigResource } from '../terraform/config/types.js';
import type { Redactor } from '../redact/redactor.js';

export interface DefaultTags {
  /** The default tags that apply to a resource, Unknown when they cannot be evaluated, undefined when none. */
  forResource(resource: ConfigResource): Record<string, Value> | Unknown | undefined;
}

type Tags = Record<string, Value> | Unknown;

export async function loadDefaultTags(rootDir: string, options: { varFiles?: string[]; env?: NodeJS.ProcessEnv; redactor: Redactor }): Promise<DefaultTags> {
  const root = path.resolve(rootDir);
  const definition = await readModule(root, root);
  const variables = await resolveRootVariables(definition, root, { env: options.env ?? process.env, varFiles: options.varFiles ?? [], values: {} });
  const instance = new ModuleInstance(definition, [], variables, { rootDir: root, workspace: 'default', definitions: new Map([[root, definition]]) });
  const byProvider = new Map<string, Tags>();
  for (const file of definition.files) {
    const body = await parseHcl(file, await readFile(path.join(root, file), 'utf8'));
    for (const block of providerBlocks(body)) {
      const name = typeof block.alias === 'string' ? `aws.${block.alias}` : 'aws';
      const defaults = Array.isArray(block.default_tags) ? (block.default_tags[0] as Record<string, unknown> | undefined) : undefined;
      if (defaults?.tags === undefined) continue;
      byProvider.set(name, evaluateTags(defaults.tags, instance));
    }
  }
  for (const [name, tags] of byProvider) if (!(tags instanceof Unknown)) options.redactor.redactInPlace(tags);
  const moduleProviders = moduleProviderMap(definition);
  return {
    forResource(resource) {
      // Root resources name their provider; a module's resources use what its root call passes
      // (`providers = { aws = aws.eu }`). Deeper modules inherit that call's mapping.
      const topCall = /^module\.([^.[]+)/.exec(resource.moduleAddress)?.[1];
      const provider = topCall ? (moduleProviders.get(topCall) ?? 'aws') : (resource.provider ?? 'aws');
      return byProvider.get(provider);
    },
  };
}

function providerBlocks(body: Record<string, unknown>): Array<Record<string, unknown>> {
  const providers = body.provider as Record<string, unknown> | undefined;
  const aws = providers?.aws;
  return Array.isArray(aws) ? aws.filter((b): b is Record<string, unknown> => b !== null && typeof b === 'object') : [];
}

function evaluateTags(raw: unknown, instance: ModuleInstance): Tags {
  try {
    const value = evaluateRaw(raw, instance.context());
    if (value instanceof Unknown) return value;
    return isObjectValue(value) ? value : new Unknown(typeof raw === 'string' ? expressionText(raw) : 'default_tags', 'not a map of tags');
  } catch (err) {
    // An expression reaching outside the root module (module outputs) is not evaluated here.
    return new Unknown(typeof raw === 'string' ? expressionText(raw) : 'default_tags', err instanceof Error ? err.message : String(err));
  }
}

function moduleProviderMap(definition: ModuleDefinition): Map<string, string> {
  const out = new Map<string, string>();
  for (const call of definition.moduleCalls) {
    const providers = call.body.providers as Record<string, unknown> | undefined;
    const aws = providers?.aws;
    if (typeof aws === 'string') out.set(call.name, expressionText(aws));
  }
  return out;
}

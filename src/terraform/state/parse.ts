/**
 * From state text to typed, addressed, redacted resource instances. The tree is parsed once and
 * walked twice: a pass over resources and instances that checks, addresses and conceals declared
 * secrets, then one walk of the values for undeclared ones. Nothing is copied or re-serialised.
 */
import type { z } from 'zod';
import { InfraAuditError } from '../../errors.js';
import { formatInstanceKey, formatResourceName, type InstanceKey } from '../address.js';
import type { Redactor } from '../../redact/redactor.js';
import { concealSensitivePaths } from '../../redact/sensitive-paths.js';
import { concealProviderSensitive } from '../../redact/provider-sensitive.js';
import { concealMap } from '../../redact/secret-digest.js';
import { StateEnvelopeSchema, StateResourceSchema, isStateResource } from './schema.js';
import type { StateOutput, StateResourceInstance, StateSource, TerraformState } from './types.js';

const SUPPORTED_HINT = 'Pass a Terraform state (format version 4, as written by Terraform 0.12 to 1.x), e.g. the output of `terraform state pull`.';

function invalid(source: StateSource, what: string, hint = SUPPORTED_HINT, cause?: unknown): InfraAuditError {
  return new InfraAuditError('STATE_INVALID', `${source.location}: ${what}`, { hint, cause });
}

export interface ParseStateOptions {
  /** Learns every secret the state declares; shared across the states and the run. */
  redactor: Redactor;
  /**
   * Also search every string for learned secrets embedded in longer text (default false: a
   * learned secret is replaced where it is a whole value, and embedded copies are caught when
   * a value leaves through the same redactor). See `Redactor.redactInPlace`.
   */
  embeddedSecrets?: boolean;
}

/** Parse, validate and redact one state. Secrets found are taught to the redactor. */
export function parseState(text: string, source: StateSource, options: ParseStateOptions): TerraformState {
  const document = parseJson(text, source);
  const envelope = checkEnvelope(document, source);
  const state = buildState(envelope, source, options.redactor);
  redactUndeclaredSecrets(state, options.redactor, options.embeddedSecrets ?? false);
  return state;
}

/** A first declaration, after any leading comments: what a .tf file starts with. */
const HCL_START = /^(?:\s*(?:#|\/\/)[^\n]*(?:\n|$)|\s*\/\*[\s\S]*?\*\/)*\s*(?:terraform|resource|data|module|provider|variable|locals|output)\s*["{\w]/;

function parseJson(raw: string, source: StateSource): unknown {
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const start = text.search(/\S/);
  if (start === -1) throw invalid(source, 'the file is empty, not a Terraform state');
  if (text[start] !== '{') {
    if (HCL_START.test(text.slice(0, 4096))) {
      throw invalid(source, 'this is Terraform configuration (HCL), not a state', 'Pass the state (`terraform state pull > state.json`); point --config at the directory of .tf files instead.');
    }
    if (text.startsWith('PK')) throw invalid(source, 'this is a zip archive (a saved plan file?), not a state');
    throw invalid(source, 'not JSON: a Terraform state is a JSON object');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid(source, `not valid JSON: ${describeJsonError(err, text)}`, 'The file may be truncated or edited by hand; fetch it again with `terraform state pull`.', err);
  }
}

function describeJsonError(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/Unexpected end of JSON input/i.test(message)) return 'it ends before the JSON is complete (truncated)';
  const position = /position (\d+)/.exec(message);
  // Node quotes the text around the error, and a state's text is full of secrets: never repeat it.
  if (!position) return message.replace(/,\s*(\.\.\.)?".*$/s, '').replace(/\s*is not valid JSON$/, '');
  const offset = Number(position[1]);
  if (offset >= text.trimEnd().length) return 'it ends before the JSON is complete (truncated)';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const reason = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '').replace(/,\s*(\.\.\.)?".*$/s, '');
  return `${reason} at line ${line}, column ${column}`;
}

type StateEnvelope = z.infer<typeof StateEnvelopeSchema>;

function checkEnvelope(document: unknown, source: StateSource): StateEnvelope {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw invalid(source, 'not a Terraform state: the JSON is not an object');
  }
  const record = document as Record<string, unknown>;
  if (!('version' in record)) {
    if ('format_version' in record && ('values' in record || 'planned_values' in record)) {
      throw invalid(source, 'this is `terraform show -json` output, not a state', 'Pass the raw state instead: `terraform state pull > state.json`.');
    }
    throw invalid(source, 'not a Terraform state: it has no "version" field');
  }
  const version = record.version;
  if (typeof version === 'number' && version < 4) {
    throw invalid(source, `state format version ${version} (Terraform 0.11 or older) is not supported`,
      'Any Terraform 0.12+ upgrades it: run `terraform state pull > state.json` with a current Terraform and pass that file.');
  }
  if (typeof version === 'number' && version > 4) {
    throw invalid(source, `state format version ${version} is newer than this tool understands (it reads version 4)`,
      'Upgrade infra-audit-mcp, or export the state with a Terraform release that writes version 4.');
  }
  const parsed = StateEnvelopeSchema.safeParse(document);
  if (!parsed.success) throw invalid(source, `not a valid Terraform state: ${describeIssues(parsed.error, [])}`);
  return parsed.data;
}

/** The message for a resource the guards rejected: zod says exactly what is wrong. */
function invalidResource(resource: unknown, index: number, source: StateSource): InfraAuditError {
  const parsed = StateResourceSchema.safeParse(resource);
  const problem = parsed.success ? `resources[${index}]: not a valid resource` : describeIssues(parsed.error, ['resources', index]);
  return invalid(source, `not a valid Terraform state: ${problem}`);
}

function describeIssues(error: z.ZodError, prefix: PropertyKey[]): string {
  const shown = error.issues.slice(0, 3).map((issue) => `${statePath([...prefix, ...issue.path])}: ${issue.message}`);
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more problem(s)` : '');
}

function statePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(top level)';
}

const PROVIDER_SOURCE = /provider\["([^"]+)"\]/;

/** `registry.terraform.io/hashicorp/aws` from `module.x.provider["registry.terraform.io/hashicorp/aws"].alias`. */
function providerSourceOf(provider: string): string {
  return PROVIDER_SOURCE.exec(provider)?.[1] ?? provider.replace(/^.*provider\./, '');
}

/**
 * One pass over the resources: check each, address each instance, and conceal (learning them)
 * the values Terraform or the provider declare sensitive.
 */
function buildState(envelope: StateEnvelope, source: StateSource, redactor: Redactor): TerraformState {
  const conceal = (value: unknown) => redactor.conceal(value);
  const stateResources = envelope.resources ?? [];
  const resources: StateResourceInstance[] = [];
  const byAddress = new Map<string, StateResourceInstance>();
  const deposed = new Set<string>();
  const providerSources = new Map<string, string>();
  for (let r = 0; r < stateResources.length; r++) {
    const resource = stateResources[r];
    if (!isStateResource(resource)) throw invalidResource(resource, r, source);
    const moduleAddress = resource.module ?? '';
    const resourceName = formatResourceName(resource.mode, resource.type, resource.name);
    const resourceAddress = moduleAddress ? `${moduleAddress}.${resourceName}` : resourceName;
    let providerSource = providerSources.get(resource.provider);
    if (providerSource === undefined) {
      providerSource = providerSourceOf(resource.provider);
      providerSources.set(resource.provider, providerSource);
    }
    for (const instance of resource.instances) {
      const indexKey: InstanceKey | undefined = instance.index_key;
      const address = indexKey === undefined ? resourceAddress : resourceAddress + formatInstanceKey(indexKey);
      let duplicate = byAddress.has(address);
      if (instance.deposed) {
        const deposedIdentity = `${address} ${instance.deposed}`;
        duplicate = deposed.has(deposedIdentity);
        deposed.add(deposedIdentity);
      }
      if (duplicate) {
        const what = instance.deposed ? `${address} (deposed object ${instance.deposed})` : address;
        throw invalid(source, `not a valid Terraform state: ${what} appears more than once`);
      }
      const attributes = instance.attributes ?? instance.attributes_flat ?? {};
      if (resource.type === 'aws_lambda_function') concealLambdaEnvironment(attributes);
      if (resource.type === 'aws_launch_template') concealUserData(attributes);
      if (instance.sensitive_attributes?.length) concealSensitivePaths(attributes, instance.sensitive_attributes, conceal);
      concealProviderSensitive(resource.type, attributes, conceal);
      // Every field is always present, so all 100,000 instances share one object shape.
      const item: StateResourceInstance = {
        address,
        resourceAddress,
        moduleAddress,
        mode: resource.mode,
        type: resource.type,
        name: resource.name,
        indexKey,
        provider: resource.provider,
        providerSource,
        schemaVersion: instance.schema_version,
        status: instance.status === 'tainted' ? 'tainted' : 'ready',
        deposedKey: instance.deposed || undefined,
        attributes,
        dependencies: instance.dependencies ?? [],
        source,
      };
      if (!instance.deposed) byAddress.set(address, item);
      resources.push(item);
    }
  }
  const outputs: Record<string, StateOutput> = {};
  for (const [name, output] of Object.entries(envelope.outputs ?? {})) {
    const sensitive = output.sensitive === true;
    outputs[name] = { value: sensitive && output.value !== null ? conceal(output.value) : output.value, type: output.type, sensitive };
  }
  return {
    source,
    version: 4,
    terraformVersion: envelope.terraform_version,
    serial: envelope.serial,
    lineage: envelope.lineage,
    outputs,
    resources,
    byAddress,
  };
}

/**
 * A function's environment values are secrets as often as not: each becomes the marker, with a
 * keyed digest drift compares by (never learned by the redactor: a value like a table name or a
 * region would otherwise blank out every copy of that name in every output).
 */
function concealLambdaEnvironment(attributes: Record<string, unknown>): void {
  const blocks = attributes.environment;
  if (!Array.isArray(blocks)) return;
  for (const block of blocks) {
    const variables = block !== null && typeof block === 'object' ? (block as Record<string, unknown>).variables : undefined;
    if (variables !== null && typeof variables === 'object' && !Array.isArray(variables)) (block as Record<string, unknown>).variables = concealMap(variables as Record<string, unknown>);
  }
}

/**
 * A launch template's user data holds secrets as often as a Lambda environment does (a database
 * URL, a token in a boot script): it becomes a concealed one-entry map, `{user_data: marker}` with
 * its keyed digest (`{}` when there is none), which drift compares with the live side's.
 */
function concealUserData(attributes: Record<string, unknown>): void {
  const value = attributes.user_data;
  if (value !== null && typeof value === 'object') return;
  attributes.user_data = concealMap(value === undefined || value === null || value === '' ? {} : { user_data: value });
}

/**
 * After every declared secret is known: walk every value for sensitive names, secret shapes,
 * and learned secrets repeated elsewhere (a password copied into an output or a parameter).
 */
function redactUndeclaredSecrets(state: TerraformState, redactor: Redactor, embeddedSecrets: boolean): void {
  const redactTree = redactor.inPlaceRedaction({ embeddedSecrets });
  for (const resource of state.resources) redactTree(resource.attributes);
  for (const output of Object.values(state.outputs)) {
    if (typeof output.value === 'string') output.value = redactor.redactText(output.value);
    else if (output.value !== null && typeof output.value === 'object') redactTree(output.value);
  }
}

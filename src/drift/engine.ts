/**
 * The drift engine: Terraform state(s), optionally the configuration, and the live inventory in;
 * a drift report out. A pure function of its inputs, so the CLI, the MCP tools and the tests get
 * the same answer from the same inputs.
 *
 *   unapplied  declared in the configuration, in no state
 *   missing    in a state, gone from the account
 *   changed    in a state and live, with attributes that differ (each diff: config, state, live)
 *   unmanaged  live, of a supported type, in none of the states
 *
 * The configuration never decides drift by itself (that is `terraform plan`'s job); it supplies
 * the declared value beside each difference, the file and line, and the unapplied resources.
 */
import { isRedactionMarker, SENSITIVE_MARKER } from '../redact/marker.js';
import type { Redactor } from '../redact/redactor.js';
import { isSensitiveName } from '../redact/names.js';
import type { LoadedStates } from '../terraform/state/load.js';
import type { StateResourceInstance } from '../terraform/state/types.js';
import type { ConfigResource, TerraformConfig } from '../terraform/config/types.js';
import { Unknown } from '../terraform/config/expression/value.js';
import type { LiveInventory } from '../terraform/live/inventory.js';
import { enumerableTypes, liveTypeSpec } from '../terraform/live/registry.js';
import type { Claim, ComparedAttribute, LiveObject, LiveTypeSpec } from '../terraform/live/types.js';
import { HclExpression, importBlock, NameAllocator } from '../terraform/import-blocks.js';
import { sameValue, statementDiffs, statementLabel } from './compare.js';
import { differingNames } from '../redact/secret-digest.js';
import { DriftIgnore, type IgnoreSubject } from './driftignore.js';
import type { AttributeDiff, DriftEntry, DriftKind, DriftReport, UncheckedResource } from './model.js';
import type { DefaultTags } from './default-tags.js';
import { displayFile } from './link.js';
import { DRIFT_SCHEMA_VERSION } from './json-contract.js';
import { PRODUCT_VERSION } from '../version.js';

export const TOOL = { name: 'infra-audit', version: PRODUCT_VERSION };

export interface DriftInputs {
  states: LoadedStates;
  config?: TerraformConfig;
  live: LiveInventory;
  /** The run's redactor: it has learned every secret of the states and configuration. */
  redactor: Redactor;
  ignore?: DriftIgnore;
  /** Provider default_tags by provider (`aws`, `aws.eu`), when the configuration gave them. */
  defaultTags?: DefaultTags;
  /** Show configuration files relative to this directory (default: relative to the root module). */
  displayRoot?: string;
  /** Reads that failed while collecting the live inventory. */
  collectionErrors?: Array<{ scope: string; message: string }>;
  /** driftctl's --only-managed / --only-unmanaged: report only drift of managed resources, or only unmanaged ones. */
  only?: 'managed' | 'unmanaged';
  now?: Date;
}

const AWS_PROVIDER = /(^|\/)hashicorp\/aws$/;
const KIND_ORDER: Record<DriftKind, number> = { changed: 0, missing: 1, unmanaged: 2, unapplied: 3 };

export function computeDrift(inputs: DriftInputs): DriftReport {
  const { states, config, live, redactor } = inputs;
  const ignore = inputs.ignore ?? DriftIgnore.parse('');
  const entries: DriftEntry[] = [];
  const unchecked: UncheckedResource[] = [];
  const unsupported = new Map<string, number>();
  const managed = new Set<string>();
  let stateInstances = 0;
  let compared = 0;
  let inSync = 0;
  let ignored = 0;

  const claims = collectClaims(states);
  const keep = (entry: DriftEntry, subject: IgnoreSubject) => {
    if (ignore.ignoresResource(subject)) ignored++;
    else entries.push(entry);
  };

  for (const instance of states.index.instances()) {
    if (instance.mode !== 'managed' || instance.deposedKey || !AWS_PROVIDER.test(instance.providerSource)) continue;
    stateInstances++;
    // Before the support test: aws_iam_policy_attachment is not compared itself, but what it attaches is managed.
    coverManagedParts(instance, managed);
    const spec = liveTypeSpec(instance.type);
    if (!spec) {
      unsupported.set(instance.type, (unsupported.get(instance.type) ?? 0) + 1);
      continue;
    }
    const attributes = instance.attributes;
    const region = regionOfArn(attributes.arn);
    if (region && !live.regions.includes(region)) {
      unchecked.push({ terraformAddress: instance.address, resourceType: instance.type, reason: `region ${region} was not read (see --region)` });
      continue;
    }
    const lookup = spec.lookup(attributes, live);
    const declared = config?.byAddress.get(instance.address);
    const base = {
      resourceType: instance.type,
      resourceId: spec.resourceIdOf(attributes, live) || instance.address,
      terraformAddress: instance.address,
      name: nameOf(attributes),
      state: instance.source.location,
      ...(declared ? { file: displayFile(config!.rootDir, declared.file, inputs.displayRoot), line: declared.line } : {}),
    };
    const subject: IgnoreSubject = { resourceType: instance.type, ids: idsOf(base, instance), terraformAddress: instance.address };
    if ('unknown' in lookup) {
      if (lookup.listed) managed.add(identity(lookup.listed.type, lookup.listed.importId, lookup.listed.region));
      unchecked.push({ terraformAddress: instance.address, resourceType: instance.type, reason: lookup.unknown });
      continue;
    }
    if ('gone' in lookup) {
      compared++;
      keep({ kind: 'missing', ...base, ...(region ? { region } : {}) }, subject);
      continue;
    }
    const found = lookup.found;
    managed.add(identity(found.type, found.importId, found.region));
    const unread = new Set<string>();
    const diffs = diffAttributes(spec, instance, found, declared, inputs, redactor, claims, unread).filter((diff) => {
      if (!ignore.ignoresAttribute(subject, diff.path)) return true;
      ignored++;
      return false;
    });
    // What could be read matches, but a compared attribute could not be read: not in sync, not drift.
    if (diffs.length === 0 && unread.size > 0) {
      unchecked.push({ terraformAddress: instance.address, resourceType: instance.type, reason: [...unread].join('; ') });
      continue;
    }
    compared++;
    if (diffs.length === 0) {
      inSync++;
      continue;
    }
    keep({ kind: 'changed', ...base, ...(found.region ? { region: found.region } : {}), diffs }, subject);
  }

  if (config) {
    for (const resource of config.resources) {
      if (resource.mode !== 'managed' || resource.expansionUnknown || states.index.get(resource.address).length > 0) continue;
      const spec = liveTypeSpec(resource.type);
      const attributes = resource.attributes as Record<string, unknown>;
      const entry: DriftEntry = {
        kind: 'unapplied',
        resourceType: resource.type,
        resourceId: spec?.resourceIdOf(attributes, live) || resource.address,
        terraformAddress: resource.address,
        name: nameOf(attributes),
        file: displayFile(config.rootDir, resource.file, inputs.displayRoot),
        line: resource.line,
      };
      keep(entry, { resourceType: resource.type, ids: idsOf(entry), terraformAddress: resource.address });
    }
  }

  const unmanaged = unmanagedEntries(live, managed, ignore, () => ignored++);
  const managedLive = [...managed].filter((id) => enumerableTypeNames.has(id.slice(0, id.indexOf('\u0000')))).length;
  if (inputs.only !== 'managed') entries.push(...unmanaged);
  if (inputs.only === 'unmanaged') entries.splice(0, entries.length, ...entries.filter((e) => e.kind === 'unmanaged'));
  entries.sort(compareEntries);

  const count = (kind: DriftKind) => entries.filter((e) => e.kind === kind).length;
  const report: DriftReport = {
    schemaVersion: DRIFT_SCHEMA_VERSION,
    tool: TOOL,
    generatedAt: (inputs.now ?? new Date()).toISOString(),
    accountId: live.accountId,
    regions: [...live.regions],
    states: states.states.map((s) => ({
      location: s.source.location,
      kind: s.source.kind,
      serial: s.serial,
      lineage: s.lineage,
      terraformVersion: s.terraformVersion,
      resources: s.resources.length,
    })),
    ...(config ? { config: { files: config.files.length, ...unresolvedModules(config) } } : {}),
    summary: {
      compared,
      inSync,
      changed: count('changed'),
      missing: count('missing'),
      unmanaged: count('unmanaged'),
      unapplied: count('unapplied'),
      ignored,
      unchecked: unchecked.length,
      unsupported: [...unsupported.values()].reduce((a, b) => a + b, 0),
      stateInstances,
      comparedPercent: percent(compared + unchecked.length, stateInstances),
      managedPercent: percent(managedLive, managedLive + unmanaged.length),
    },
    entries,
    unchecked,
    unsupportedTypes: [...unsupported].map(([type, n]) => ({ type, count: n })).sort((a, b) => a.type.localeCompare(b.type)),
    errors: inputs.collectionErrors ?? [],
  };
  // Everything leaving the engine passes the run's redactor once more: a live value equal to a
  // learned secret, or shaped like one, is shown as the marker.
  return redactor.redact(report);
}

/** Module calls whose remote source was not downloaded, when there are any (paths relative to the root module). */
function unresolvedModules(config: TerraformConfig): { unresolvedModules?: NonNullable<DriftReport['config']>['unresolvedModules'] } {
  const calls = config.moduleCalls.filter((c) => c.directory === undefined);
  return calls.length === 0 ? {} : { unresolvedModules: calls.map((c) => ({ address: c.address, source: c.source, file: c.file, line: c.line })) };
}

/** What the state's instances claim of other resources: owner key → attribute path → claim. */
type ClaimIndex = Map<string, Map<string, { whole: boolean; members: Set<string> }>>;

function collectClaims(states: LoadedStates): ClaimIndex {
  const index: ClaimIndex = new Map();
  for (const instance of states.index.instances()) {
    if (instance.mode !== 'managed' || instance.deposedKey || !AWS_PROVIDER.test(instance.providerSource)) continue;
    for (const claim of liveTypeSpec(instance.type)?.claims?.(instance.attributes) ?? []) addClaim(index, claim);
  }
  return index;
}

function addClaim(index: ClaimIndex, claim: Claim): void {
  let paths = index.get(claim.owner);
  if (!paths) index.set(claim.owner, (paths = new Map()));
  let entry = paths.get(claim.path);
  if (!entry) paths.set(claim.path, (entry = { whole: false, members: new Set() }));
  if (claim.members) claim.members.forEach((m) => entry.members.add(m));
  else entry.whole = true;
}

const enumerableTypeNames = new Set(enumerableTypes().map((spec) => spec.type));

/** A share in percent with one decimal; 100 when there is nothing to count. */
function percent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10;
}

/** A live object's identity: its type, import id and region (a Config recorder "default" is one per region). */
function identity(type: string, importId: string, region?: string): string {
  return `${type}\u0000${importId}\u0000${region ?? ''}`;
}

/** Parts of a live resource a state instance of another type manages. */
function coverManagedParts(instance: StateResourceInstance, managed: Set<string>): void {
  if (instance.type === 'aws_iam_policy_attachment') {
    const arn = instance.attributes.policy_arn;
    // The exclusive attachment names every role, user and group the policy is attached to.
    const holders = [
      ['roles', 'aws_iam_role_policy_attachment'],
      ['users', 'aws_iam_user_policy_attachment'],
      ['groups', 'aws_iam_group_policy_attachment'],
    ] as const;
    for (const [attribute, type] of holders) {
      const names = Array.isArray(instance.attributes[attribute]) ? (instance.attributes[attribute] as unknown[]) : [];
      for (const name of names) if (typeof name === 'string' && typeof arn === 'string') managed.add(identity(type, `${name}/${arn}`));
    }
  }
}

function regionOfArn(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const [, , service, region] = arn.split(':');
  return service === 'ec2' || service === 'rds' ? region || undefined : undefined;
}

function nameOf(attributes: Record<string, unknown>): string | undefined {
  for (const key of ['bucket', 'name', 'identifier', 'id']) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Every id a .driftignore rule may use for the entry. */
function idsOf(entry: Pick<DriftEntry, 'resourceId' | 'name' | 'importId' | 'terraformAddress'>, instance?: StateResourceInstance): string[] {
  const ids = [entry.resourceId, entry.name, entry.importId, instance?.name, instance?.attributes.id];
  if (entry.terraformAddress && !instance) ids.push(entry.terraformAddress.split('.').at(-1)?.replace(/\[.*$/, ''));
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))];
}

// ---------------------------------------------------------------- attribute comparison

function diffAttributes(
  spec: LiveTypeSpec,
  instance: StateResourceInstance,
  found: LiveObject,
  declared: ConfigResource | undefined,
  inputs: DriftInputs,
  redactor: Redactor,
  claims: ClaimIndex,
  /** Gets the reasons of compared attributes whose read failed (see LiveObject.unread). */
  unread: Set<string>,
): AttributeDiff[] {
  const diffs: AttributeDiff[] = [];
  const key = spec.claimKey?.(instance.attributes);
  const claimed = key ? claims.get(key) : undefined;
  for (const attribute of spec.compared) {
    if (attribute.optional && instance.attributes[attribute.path.split('.')[0]!] === undefined) continue;
    const claim = claimed?.get(attribute.path);
    // Another resource of the state manages this attribute: it is compared there, once.
    if (claim?.whole) continue;
    const liveValue = found.attributes[attribute.path];
    if (liveValue === undefined) {
      const why = found.unread?.[attribute.path];
      if (why) unread.add(why);
      continue;
    }
    if (attribute.kind === 'tags') {
      diffs.push(...diffTags(instance, liveValue, declared, inputs));
      continue;
    }
    const stateValue = stateValueOf(attribute, instance.attributes);
    if (attribute.kind === 'secret-map' || attribute.kind === 'secret') {
      diffs.push(...diffSecretMap(attribute.path, stateValue, liveValue, declared, inputs.config, attribute.kind === 'secret'));
      continue;
    }
    if (claim?.members.size && attribute.kind === 'set' && Array.isArray(stateValue) && Array.isArray(liveValue)) {
      // Members that rule resources declare are compared on those resources, not here as well;
      // the diff shows them as what the group should have.
      const claimed = (m: unknown) => claim.members.has(attribute.memberKey ? attribute.memberKey(String(m)) : String(m));
      const ownState = stateValue.filter((m) => !claimed(m));
      if (sameValue('set', ownState, liveValue.filter((m) => !claimed(m)))) continue;
      const expected = [...new Set([...ownState, ...liveValue.filter(claimed)])];
      diffs.push({ path: attribute.path, ...configField(attribute, declared, inputs.config), state: expected, live: liveValue });
      continue;
    }
    if (isRedactionMarker(stateValue)) {
      // A secret: state holds only the marker, and the redactor knows the value it replaced.
      const same = typeof liveValue === 'string' && redactor.redactText(liveValue) === SENSITIVE_MARKER;
      if (!same) diffs.push({ path: attribute.path, ...configField(attribute, declared, inputs.config), state: SENSITIVE_MARKER, live: SENSITIVE_MARKER, sensitive: true });
      continue;
    }
    if (sameValue(attribute.kind, stateValue, liveValue)) continue;
    const statements = attribute.kind === 'policy' ? statementDiffs(stateValue, liveValue) : undefined;
    diffs.push({
      path: attribute.path,
      ...configField(attribute, declared, inputs.config),
      state: stateValue ?? null,
      live: liveValue,
      ...(statements?.length ? { statements: statements.map(statementLabel), statementDiffs: statements } : {}),
    });
  }
  return diffs.map(concealByName);
}

/**
 * The names whose secret values differ (a Lambda environment): the name, and never more than the
 * marker. A single secret (`single`: a launch template's user data) is reported at its own path.
 */
function diffSecretMap(path: string, state: unknown, live: unknown, declared: ConfigResource | undefined, config: TerraformConfig | undefined, single = false): AttributeDiff[] {
  const has = (map: unknown, name: string) => map !== null && typeof map === 'object' && name in map;
  return differingNames(state, live).map((name) => ({
    path: single ? path : `${path}.${name}`,
    ...(config ? { config: declared && valueAtPath(declared.attributes, single ? path : `${path}.${name}`) !== undefined ? SENSITIVE_MARKER : null } : {}),
    state: has(state, name) ? SENSITIVE_MARKER : null,
    live: has(live, name) ? SENSITIVE_MARKER : null,
    sensitive: true,
  }));
}

/** A difference in an attribute or tag whose name says secret (`tags.db_password`) shows markers only. */
function concealByName(diff: AttributeDiff): AttributeDiff {
  if (diff.sensitive || !isSensitiveName(diff.path.split('.').at(-1)!)) return diff;
  const hide = (value: unknown) => (typeof value === 'string' && value !== '' ? SENSITIVE_MARKER : value);
  return { ...diff, ...('config' in diff ? { config: hide(diff.config) } : {}), state: hide(diff.state), live: hide(diff.live), sensitive: true };
}

function stateValueOf(attribute: ComparedAttribute, attributes: Record<string, unknown>): unknown {
  return attribute.normalize ? attribute.normalize(attributes) : valueAtPath(attributes, attribute.path);
}

export function valueAtPath(root: unknown, path: string): unknown {
  let node = root;
  for (const part of path.split('.')) {
    if (node instanceof Unknown) return node;
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(part)] : (node as Record<string, unknown>)[part];
  }
  return node;
}

function firstUnknown(value: unknown, depth = 0): Unknown | undefined {
  if (value instanceof Unknown) return value;
  if (value === null || typeof value !== 'object' || depth > 50) return undefined;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const found = firstUnknown(item, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** `{ config }` for a diff: the declared value, null when not set, `{ unknown }` when it needs a plan. */
function configField(attribute: ComparedAttribute, declared: ConfigResource | undefined, config: TerraformConfig | undefined): { config?: unknown } {
  if (!config) return {};
  if (!declared) return { config: null };
  const attributes = declared.attributes as Record<string, unknown>;
  const unknown = firstUnknown(attributes[attribute.path.split('.')[0]!]);
  if (unknown) return { config: { unknown: unknown.expression } };
  const value = attribute.normalize ? attribute.normalize(attributes) : valueAtPath(attributes, attribute.path);
  return { config: value ?? null };
}

function tagObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Unknown) ? (value as Record<string, unknown>) : undefined;
}

/** Live tags against the state's `tags_all` (what the provider applied, default_tags included), per key. */
function diffTags(instance: StateResourceInstance, liveValue: unknown, declared: ConfigResource | undefined, inputs: DriftInputs): AttributeDiff[] {
  const state = tagObject(instance.attributes.tags_all) ?? tagObject(instance.attributes.tags) ?? {};
  const live = tagObject(liveValue) ?? {};
  const diffs: AttributeDiff[] = [];
  for (const key of [...new Set([...Object.keys(state), ...Object.keys(live)])].sort()) {
    if (sameValue('value', state[key], live[key])) continue;
    diffs.push({ path: `tags.${key}`, ...tagConfig(key, declared, inputs), state: state[key] ?? null, live: live[key] ?? null });
  }
  return diffs;
}

function tagConfig(key: string, declared: ConfigResource | undefined, inputs: DriftInputs): { config?: unknown } {
  if (!inputs.config) return {};
  if (!declared) return { config: null };
  const tags = declared.attributes.tags;
  if (tags instanceof Unknown) return { config: { unknown: tags.expression } };
  const own = tagObject(tags);
  if (own && key in own) {
    const value = own[key];
    return { config: value instanceof Unknown ? { unknown: value.expression } : value };
  }
  const defaults = inputs.defaultTags?.forResource(declared);
  if (defaults instanceof Unknown) return { config: { unknown: defaults.expression } };
  const value = defaults?.[key];
  return { config: value instanceof Unknown ? { unknown: value.expression } : (value ?? null) };
}

// ---------------------------------------------------------------- unmanaged

function unmanagedEntries(live: LiveInventory, managed: ReadonlySet<string>, ignore: DriftIgnore, countIgnored: () => void): DriftEntry[] {
  const candidates: LiveObject[] = [];
  for (const spec of enumerableTypes()) {
    for (const object of spec.enumerate!(live)) if (!managed.has(identity(object.type, object.importId, object.region))) candidates.push(object);
  }
  const unmanagedIds = new Set(candidates.map((c) => identity(c.type, c.importId, c.region)));
  const names = new NameAllocator();
  const children = new Map<string, LiveObject[]>();
  const parents: LiveObject[] = [];
  for (const object of candidates) {
    const parent = object.parent && identity(object.parent.type, object.parent.importId, object.region);
    // A part of an unmanaged resource goes with it: one entry, its import blocks included.
    if (parent && unmanagedIds.has(parent)) children.set(parent, [...(children.get(parent) ?? []), object]);
    else if (!object.onlyWithParent) parents.push(object);
  }
  const entries: DriftEntry[] = [];
  for (const object of parents) {
    const subject: IgnoreSubject = { resourceType: object.type, ids: [object.resourceId, object.importId, object.name] };
    if (ignore.ignoresResource(subject)) {
      countIgnored();
      continue;
    }
    const parentName = names.allocate(object.type, object.name);
    const blocks = [importBlock(object, parentName)];
    for (const child of children.get(identity(object.type, object.importId, object.region)) ?? []) {
      // The stub refers to its parent by address, as a person would write it.
      const reference = child.parent?.reference ?? ('role' in child.stub ? { argument: 'role', attribute: 'name' } : undefined);
      const stub = reference ? { ...child.stub, [reference.argument]: new HclExpression(`${object.type}.${parentName}.${reference.attribute}`) } : child.stub;
      blocks.push(importBlock({ ...child, stub }, names.allocate(child.type, child.name)));
    }
    entries.push({
      kind: 'unmanaged',
      resourceType: object.type,
      resourceId: object.resourceId,
      name: object.name,
      ...(object.region ? { region: object.region } : {}),
      importId: object.importId,
      importBlocks: blocks.join('\n\n'),
    });
  }
  return entries;
}

function compareEntries(a: DriftEntry, b: DriftEntry): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    a.resourceType.localeCompare(b.resourceType) ||
    (a.terraformAddress ?? '').localeCompare(b.terraformAddress ?? '') ||
    a.resourceId.localeCompare(b.resourceId)
  );
}

/**
 * `count` and `for_each`, for resources and module calls alike: the instance keys, each with
 * what `count.index` or `each.key`/`each.value` are inside it — or why they are not known.
 */
import type { InstanceKey } from '../address.js';
import { Unknown, isObjectValue, isSet, typeName, type Value } from './expression/value.js';
import { evaluateRaw, expressionText, type ContextWithoutSource } from './raw.js';
import type { RawBody } from './module.js';

export interface ExpandedInstance {
  key?: InstanceKey;
  count?: Value;
  each?: { key: Value; value: Value };
}

export type Expansion = { instances: ExpandedInstance[] } | { unknown: Unknown };

/** Count and for_each beyond this are refused rather than expanded. */
const MAX_INSTANCES = 10_000;

export function expand(body: RawBody, ctx: ContextWithoutSource): Expansion {
  const hasCount = body.count !== undefined;
  const hasForEach = body.for_each !== undefined;
  if (hasCount && hasForEach) return { unknown: new Unknown('count, for_each', 'count and for_each cannot both be set') };
  if (hasCount) return expandCount(body.count, evaluateRaw(body.count, ctx));
  if (hasForEach) return expandForEach(body.for_each, evaluateRaw(body.for_each, ctx));
  return { instances: [{}] };
}

function source(raw: unknown): string {
  return typeof raw === 'string' ? expressionText(raw) : JSON.stringify(raw);
}

function expandCount(raw: unknown, value: Value): Expansion {
  if (value instanceof Unknown) return { unknown: value };
  // Terraform converts a numeric string, as it does for any number argument.
  const count = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    return { unknown: new Unknown(source(raw), `count must be a whole number, not ${typeName(count)} ${JSON.stringify(count)}`) };
  }
  if (count > MAX_INSTANCES) return { unknown: new Unknown(source(raw), `count ${count} is over the ${MAX_INSTANCES} instances expanded`) };
  return { instances: Array.from({ length: count }, (_, index) => ({ key: index, count: index })) };
}

function expandForEach(raw: unknown, collection: Value): Expansion {
  if (collection instanceof Unknown) return { unknown: collection };
  let entries: Array<[string, Value]>;
  if (isObjectValue(collection)) {
    entries = Object.keys(collection).sort().map((key) => [key, collection[key]!]);
  } else if (Array.isArray(collection) && isSet(collection)) {
    const unknown = collection.find((item): item is Unknown => item instanceof Unknown);
    if (unknown) return { unknown: new Unknown(source(raw), unknown.reason) };
    if (!collection.every((item) => typeof item === 'string')) {
      return { unknown: new Unknown(source(raw), 'for_each over a set needs a set of strings') };
    }
    entries = (collection as string[]).map((item) => [item, item]);
  } else {
    // Terraform itself refuses a list here; guessing keys from positions would invent addresses.
    return { unknown: new Unknown(source(raw), `for_each needs a map or a set of strings, not a ${typeName(collection)} (wrap it in toset())`) };
  }
  if (entries.length > MAX_INSTANCES) return { unknown: new Unknown(source(raw), `for_each over ${entries.length} keys is over the ${MAX_INSTANCES} expanded`) };
  return { instances: entries.map(([key, value]) => ({ key, each: { key, value } })) };
}

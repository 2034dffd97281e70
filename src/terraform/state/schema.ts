/**
 * The shape of state format version 4 (Terraform 0.12 through 1.x). Attribute values are
 * provider data and are taken as any JSON object.
 *
 * A large state holds 100,000+ resource and instance objects, and a zod parse of each costs
 * more than JSON.parse spends on the whole file. So the envelope is parsed with zod, the
 * resources are checked by the allocation-free guards below while the state is built, and a
 * resource the guards reject is parsed with its zod schema to say exactly what is wrong.
 * `schema.test.ts` holds the guards and the schemas to the same verdicts.
 */
import { z } from 'zod';

const jsonObject = z.custom<Record<string, unknown>>(
  (value) => value !== null && typeof value === 'object' && !Array.isArray(value),
  { message: 'expected a JSON object' },
);

export const StateInstanceSchema = z.object({
  index_key: z.union([z.string(), z.number().int()]).optional(),
  status: z.enum(['tainted']).optional(),
  deposed: z.string().optional(),
  schema_version: z.number().int().nonnegative(),
  attributes: jsonObject.optional(),
  attributes_flat: z.record(z.string(), z.string()).optional(),
  sensitive_attributes: z.array(z.unknown()).optional(),
  dependencies: z.array(z.string()).optional(),
});

export const StateResourceSchema = z.object({
  module: z.string().optional(),
  mode: z.enum(['managed', 'data']),
  type: z.string().min(1),
  name: z.string().min(1),
  each: z.enum(['list', 'map']).optional(),
  provider: z.string().min(1),
  instances: z.array(StateInstanceSchema),
});

export const StateOutputSchema = z.object({
  value: z.unknown(),
  type: z.unknown(),
  sensitive: z.boolean().optional(),
});

const envelopeFields = {
  version: z.literal(4),
  terraform_version: z.string(),
  serial: z.number().int().nonnegative(),
  lineage: z.string(),
  outputs: z.record(z.string(), StateOutputSchema).optional(),
};

/** The whole document: the specification, and what `terraform_version`-level errors cite. */
export const StateV4Schema = z.object({ ...envelopeFields, resources: z.array(StateResourceSchema).optional() });

/** The envelope alone: resources are checked one by one with the guards. */
export const StateEnvelopeSchema = z.object({ ...envelopeFields, resources: z.array(z.unknown()).optional() });

export type StateResourceV4 = z.infer<typeof StateResourceSchema>;
export type StateInstanceV4 = z.infer<typeof StateInstanceSchema>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Same verdict as `StateResourceSchema` (instances included), without allocating. */
export function isStateResource(value: unknown): value is StateResourceV4 {
  if (!isPlainObject(value)) return false;
  const { module, mode, type, name, each, provider, instances } = value;
  if ((module !== undefined && typeof module !== 'string') || (mode !== 'managed' && mode !== 'data')) return false;
  if (!isNonEmptyString(type) || !isNonEmptyString(name) || !isNonEmptyString(provider)) return false;
  if (each !== undefined && each !== 'list' && each !== 'map') return false;
  if (!Array.isArray(instances)) return false;
  for (const instance of instances) if (!isStateInstance(instance)) return false;
  return true;
}

function isStateInstance(value: unknown): value is StateInstanceV4 {
  if (!isPlainObject(value)) return false;
  const v = value;
  const key = v.index_key;
  if (key !== undefined && typeof key !== 'string' && !Number.isInteger(key)) return false;
  if ((v.status !== undefined && v.status !== 'tainted') || (v.deposed !== undefined && typeof v.deposed !== 'string')) return false;
  if (!Number.isInteger(v.schema_version) || (v.schema_version as number) < 0) return false;
  if (v.attributes !== undefined && !isPlainObject(v.attributes)) return false;
  if (v.attributes_flat !== undefined) {
    if (!isPlainObject(v.attributes_flat)) return false;
    for (const flat in v.attributes_flat) if (typeof v.attributes_flat[flat] !== 'string') return false;
  }
  if (v.sensitive_attributes !== undefined && !Array.isArray(v.sensitive_attributes)) return false;
  if (v.dependencies !== undefined) {
    if (!Array.isArray(v.dependencies)) return false;
    for (const dependency of v.dependencies) if (typeof dependency !== 'string') return false;
  }
  return true;
}

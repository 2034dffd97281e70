import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../test-support/sandbox.js';
import { StateResourceSchema, StateV4Schema, isStateResource } from './schema.js';

const valid = {
  module: 'module.a["x"]',
  mode: 'managed',
  type: 'aws_s3_bucket',
  name: 'this',
  each: 'map',
  provider: 'provider["registry.terraform.io/hashicorp/aws"]',
  instances: [{ index_key: 'k', schema_version: 0, attributes: { bucket: 'b' }, sensitive_attributes: [], dependencies: ['x.y'], status: 'tainted', deposed: 'abcd1234' }],
};

/** Each variant breaks one rule the schema states. */
const broken: Array<[string, (r: any) => void]> = [
  ['mode', (r) => (r.mode = 'ephemeral')],
  ['empty type', (r) => (r.type = '')],
  ['name type', (r) => (r.name = 3)],
  ['provider missing', (r) => delete r.provider],
  ['module type', (r) => (r.module = ['a'])],
  ['each', (r) => (r.each = 'set')],
  ['instances not an array', (r) => (r.instances = {})],
  ['instance not an object', (r) => (r.instances = ['x'])],
  ['fractional index', (r) => (r.instances[0].index_key = 1.5)],
  ['boolean index', (r) => (r.instances[0].index_key = true)],
  ['status', (r) => (r.instances[0].status = 'ready')],
  ['schema_version missing', (r) => delete r.instances[0].schema_version],
  ['negative schema_version', (r) => (r.instances[0].schema_version = -1)],
  ['attributes array', (r) => (r.instances[0].attributes = [])],
  ['attributes_flat value', (r) => (r.instances[0].attributes_flat = { a: 1 })],
  ['sensitive_attributes object', (r) => (r.instances[0].sensitive_attributes = {})],
  ['dependency not a string', (r) => (r.instances[0].dependencies = [1])],
  ['deposed type', (r) => (r.instances[0].deposed = 7)],
];

describe('isStateResource agrees with StateResourceSchema', () => {
  it('on a valid resource', () => {
    expect(isStateResource(valid)).toBe(true);
    expect(StateResourceSchema.safeParse(valid).success).toBe(true);
  });

  it.each(broken)('on a resource with a bad %s', (_name, breakIt) => {
    const resource = structuredClone(valid);
    breakIt(resource);
    expect(StateResourceSchema.safeParse(resource).success).toBe(false);
    expect(isStateResource(resource)).toBe(false);
  });
});

describe('StateV4Schema', () => {
  it('accepts a state as Terraform 1.x writes it, and rejects one field out of place', () => {
    const state = JSON.parse(readFileSync(fixturePath('tf-state-shapes.json'), 'utf8'));
    expect(StateV4Schema.safeParse(state).success).toBe(true);
    state.resources[2].instances[1].status = 'gone';
    const result = StateV4Schema.safeParse(state);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['resources', 2, 'instances', 1, 'status']);
  });
});

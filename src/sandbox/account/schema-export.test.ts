import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ACCOUNT_SCHEMA_FILE, accountJsonSchema, renderAccountJsonSchema } from './schema-export.js';

type JsonSchema = { [key: string]: unknown; properties?: Record<string, JsonSchema>; items?: JsonSchema };

function at(schema: JsonSchema, ...path: string[]): JsonSchema {
  let node = schema;
  for (const key of path) {
    const next = key === '[]' ? node.items : node.properties?.[key];
    if (!next) throw new Error(`schema has no ${path.join('.')}`);
    node = next;
  }
  return node;
}

describe('account JSON Schema export', () => {
  it('the committed schemas/sandbox-account.schema.json is what the model generates (run `npm run schemas` if not)', () => {
    const committed = readFileSync(ACCOUNT_SCHEMA_FILE, 'utf8');
    expect(committed).toBe(renderAccountJsonSchema());
  });

  it('is draft 2020-12 and closed at the top, so a typo in a field name is an editor error', () => {
    const schema = accountJsonSchema() as JsonSchema;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['AccountId', 'Regions']);
  });

  it('carries the model constraints down to nested fields', () => {
    const schema = accountJsonSchema() as JsonSchema;
    const bucket = at(schema, 'S3', 'Buckets', '[]');
    expect(bucket.additionalProperties).toBe(false);
    expect(bucket.required).toEqual(expect.arrayContaining(['Name', 'CreationDate']));
    expect(at(bucket, 'CreationDate').format).toBe('date-time');
    const namePattern = new RegExp(at(bucket, 'Name').pattern as string);
    expect(namePattern.test('acme-app-data')).toBe(true);
    expect(namePattern.test('Acme_App')).toBe(false);
    const accountId = new RegExp(at(schema, 'AccountId').pattern as string);
    expect(accountId.test('210987654321')).toBe(true);
    expect(accountId.test('21098765432')).toBe(false);
    const regions = at(schema, 'Regions');
    expect(new RegExp((regions.propertyNames as JsonSchema).pattern as string).test('eu-west-1')).toBe(true);
    expect(at(regions.additionalProperties as JsonSchema, 'RDS', 'DBInstances', '[]').required).toEqual(
      expect.arrayContaining(['DBInstanceIdentifier', 'PubliclyAccessible', 'StorageEncrypted']),
    );
  });
});

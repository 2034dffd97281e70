/**
 * The account file's JSON Schema, generated from the zod model so the two cannot disagree.
 * Editors use it (via "$schema") to complete and check account files as they are written.
 *
 * `npm run schemas` (src/schemas/export.ts) regenerates `schemas/sandbox-account.schema.json`; a test fails while
 * the committed file differs from what the model produces.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SandboxAccountSchema } from './model.js';

/** The committed schema (same relative place from src/ and from dist/). */
export const ACCOUNT_SCHEMA_FILE = fileURLToPath(new URL('../../../schemas/sandbox-account.schema.json', import.meta.url));

export function accountJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(SandboxAccountSchema, {
    target: 'draft-2020-12',
    // Refinements (e.g. "at most one of Body and BodyBase64") have no JSON Schema form; the
    // validator (`infra-audit sandbox --validate`) still enforces them.
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, title: 'infra-audit sandbox account file', ...rest };
}

/** The file's exact text: stable key order from the model, two-space indent, final newline. */
export function renderAccountJsonSchema(): string {
  return JSON.stringify(accountJsonSchema(), null, 2) + '\n';
}

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedSchemas } from './export.js';

describe('npm run schemas', () => {
  it.each(generatedSchemas().map((s) => [basename(s.file), s] as const))('committed %s equals what its zod model generates (npm run schemas rewrites it)', (_name, { file, text }) => {
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});

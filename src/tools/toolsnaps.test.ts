/**
 * Every tool's public surface (schemas, annotations, description, AWS operations) is
 * snapshotted to src/tools/__toolsnaps__/<tool>.snap.json. A change to the surface shows
 * up as a diff in review; a tool without a snapshot fails. Regenerate deliberately with
 * UPDATE_TOOLSNAPS=1 npx vitest run src/tools/toolsnaps.test.ts
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ALL_TOOLS } from './index.js';

const dir = fileURLToPath(new URL('./__toolsnaps__/', import.meta.url));
const update = process.env.UPDATE_TOOLSNAPS === '1';

function surface(tool: (typeof ALL_TOOLS)[number]) {
  return {
    name: tool.name,
    toolset: tool.toolset,
    title: tool.title,
    description: tool.description,
    annotations: tool.annotations,
    awsOperations: tool.awsOperations,
    inputSchema: z.toJSONSchema(tool.inputSchema, { io: 'input' }),
    outputSchema: z.toJSONSchema(tool.outputSchema),
  };
}

describe('tool snapshots', () => {
  for (const tool of ALL_TOOLS) {
    it(`${tool.name} matches its snapshot`, () => {
      const file = `${dir}${tool.name}.snap.json`;
      const current = `${JSON.stringify(surface(tool), null, 2)}\n`;
      if (update) writeFileSync(file, current);
      expect(existsSync(file), `missing snapshot ${tool.name}.snap.json: run UPDATE_TOOLSNAPS=1`).toBe(true);
      expect(current).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('has no snapshot for a tool that no longer exists', () => {
    const names = new Set(ALL_TOOLS.map((t) => `${t.name}.snap.json`));
    const stale = readdirSync(dir).filter((f) => !names.has(f));
    expect(stale).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assertReadOnly, selectTools, toolSurface } from './registry.js';
import { defineTool, READ_ONLY_LIVE, type ToolDefinition } from './tool.js';
import { ALL_TOOLS } from '../tools/index.js';

function toolWith(annotations: Record<string, unknown>, name = 'probe'): ToolDefinition {
  return {
    ...defineTool({
      name,
      toolset: 's3',
      title: 'probe',
      description: 'probe',
      inputSchema: z.strictObject({}),
      outputSchema: z.object({}),
      annotations: READ_ONLY_LIVE,
      awsOperations: [],
      handler: async () => ({ structured: {}, text: '' }),
    }),
    annotations: annotations as never,
  } as unknown as ToolDefinition;
}

describe('tool registry', () => {
  it('refuses a tool that is not declared read-only', () => {
    expect(() => assertReadOnly(toolWith({ readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true }))).toThrow(/not declared read-only/);
    expect(() => assertReadOnly(toolWith({ destructiveHint: false, idempotentHint: true, openWorldHint: true }))).toThrow(/not declared read-only/);
    expect(() => assertReadOnly(toolWith({ readOnlyHint: true, destructiveHint: true, idempotentHint: true, openWorldHint: true }))).toThrow(/not declared read-only/);
    expect(() => selectTools([...ALL_TOOLS, toolWith({ readOnlyHint: 'true', destructiveHint: false, idempotentHint: true, openWorldHint: true }, 'write_x')])).toThrow(/write_x/);
  });

  it('accepts the read-only near miss', () => {
    expect(() => assertReadOnly(toolWith({ readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false }))).not.toThrow();
  });

  it('every registered tool is read-only, documented, uniquely named, and declares its AWS operations', () => {
    const names = new Set<string>();
    for (const tool of ALL_TOOLS) {
      expect(tool.annotations.readOnlyHint, tool.name).toBe(true);
      expect(tool.annotations.destructiveHint, tool.name).toBe(false);
      expect(tool.name).toMatch(/^[a-z][a-z0-9_]{2,63}$/);
      expect(tool.description.length, tool.name).toBeGreaterThan(40);
      expect(tool.title.length).toBeGreaterThan(3);
      expect(names.has(tool.name)).toBe(false);
      names.add(tool.name);
    }
    expect(() => toolSurface(ALL_TOOLS)).not.toThrow();
  });

  it('filters by toolset and allowlist, keeping whoami, and names unknown ones', () => {
    const s3 = selectTools(ALL_TOOLS, { toolsets: ['s3'] }).map((t) => t.name);
    expect(s3).toContain('list_s3_buckets');
    expect(s3).toContain('whoami');
    expect(s3.every((n) => n === 'whoami' || ALL_TOOLS.find((t) => t.name === n)!.toolset === 's3')).toBe(true);
    expect(selectTools(ALL_TOOLS, { tools: ['get_bucket_policy'] }).map((t) => t.name)).toEqual(['get_bucket_policy']);
    expect(() => selectTools(ALL_TOOLS, { toolsets: ['s4'] })).toThrow(/unknown toolset\(s\): s4/);
    expect(() => selectTools(ALL_TOOLS, { tools: ['terraform_apply'] })).toThrow(/unknown tool\(s\): terraform_apply/);
  });
});

/**
 * Documentation generated from the code, so it cannot drift: the sandbox's operations, the
 * MCP tool list, the check catalog. Each block lives between markers in a Markdown file:
 *   <!-- generated:NAME -->  ...  <!-- /generated:NAME -->
 * `npm run docs` rewrites them; a test fails when a committed block is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultServiceModules } from '../sandbox/services/index.js';
import { ALL_TOOLS } from '../tools/index.js';
import { CHECKS } from '../checks/registry.js';
import { LIVE_TYPES } from '../terraform/live/registry.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function sandboxOperationsBlock(): string {
  const rows = defaultServiceModules().map((m) => `| ${m.name} | ${m.protocol} | ${[...m.readOperations].sort().join(', ')} |`);
  return ['| service | wire protocol | read operations served |', '|---|---|---|', ...rows].join('\n');
}

export function toolListBlock(): string {
  const rows = [...ALL_TOOLS]
    .sort((a, b) => a.toolset.localeCompare(b.toolset) || a.name.localeCompare(b.name))
    .map((t) => `| \`${t.name}\` | ${t.toolset} | ${t.description.split('. ')[0]!.replace(/\|/g, '\\|')}. | ${t.awsOperations.map((o) => `${o.service}:${o.operation}`).join(', ') || '(none)'} |`);
  return ['| tool | toolset | what it answers | AWS calls it may make |', '|---|---|---|---|', ...rows].join('\n');
}

export function checkCatalogBlock(): string {
  const rows = CHECKS.map(({ metadata: m }) => `| \`${m.id}\` | ${m.severity} | ${m.title} | ${m.cis?.join(', ') ?? ''} | ${m.terraformTypes.map((t) => `\`${t}\``).join(' ')} |`);
  return ['| check | severity | what must hold | CIS v3.0 | Terraform types |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function driftTypesBlock(): string {
  const rows = [...LIVE_TYPES.values()].map(
    (t) => `| \`${t.type}\` | ${t.compared.map((a) => `${a.path}${a.kind === 'value' ? '' : ` (${a.kind})`}`).join(', ') || '(presence only)'} | ${t.enumerate ? 'yes' : 'no'} | ${t.importIdFormat} |`,
  );
  return ['| type | compared attributes (how) | unmanaged found | import id |', '|---|---|---|---|', ...rows].join('\n');
}

export const BLOCKS: Record<string, { file: string; render: () => string }> = {
  'sandbox-operations': { file: 'docs/sandbox.md', render: sandboxOperationsBlock },
  'tool-list': { file: 'README.md', render: toolListBlock },
  'check-catalog': { file: 'README.md', render: checkCatalogBlock },
  'drift-types': { file: 'docs/drift.md', render: driftTypesBlock },
};

export function replaceBlock(text: string, name: string, content: string): string | undefined {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) return undefined;
  return `${text.slice(0, i + start.length)}\n${content}\n${text.slice(j)}`;
}

/** The blocks whose committed text differs from the code (empty when all are current). */
export function staleBlocks(write = false): string[] {
  const stale: string[] = [];
  for (const [name, block] of Object.entries(BLOCKS)) {
    const path = `${ROOT}${block.file}`;
    const text = readFileSync(path, 'utf8');
    const next = replaceBlock(text, name, block.render());
    if (next === undefined) {
      stale.push(`${block.file}: missing markers for ${name}`);
      continue;
    }
    if (next !== text) {
      stale.push(`${block.file}: ${name}`);
      if (write) writeFileSync(path, next);
    }
  }
  return stale;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const changed = staleBlocks(true);
  process.stdout.write(changed.length ? `updated: ${changed.join(', ')}\n` : 'docs are current\n');
}

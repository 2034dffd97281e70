/** `--checks` and `--skip-checks`: which checks run. An unknown id is an error that suggests the intended one. */
import { InfraAuditError } from '../errors.js';
import type { Check } from '../checks/types.js';
import { nearMatches } from './near-matches.js';

function splitIds(ids: readonly string[] | undefined): string[] {
  return (ids ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

export function selectChecks(all: readonly Check[], only?: readonly string[], skip?: readonly string[]): Check[] {
  const known = all.map((c) => c.metadata.id);
  const wanted = splitIds(only);
  const skipped = splitIds(skip);
  for (const [flag, ids] of [['--checks', wanted], ['--skip-checks', skipped]] as const) {
    for (const id of ids) {
      if (known.includes(id)) continue;
      const near = nearMatches(id, known);
      throw new InfraAuditError('USAGE', `${flag}: unknown check id "${id}"`, {
        hint: near.length ? `did you mean ${near.join(', ')}? (\`infra-audit audit --list-checks\` lists them all)` : 'run `infra-audit audit --list-checks` for the catalog',
      });
    }
  }
  const selected = all.filter((c) => (wanted.length === 0 || wanted.includes(c.metadata.id)) && !skipped.includes(c.metadata.id));
  if (selected.length === 0) throw new InfraAuditError('USAGE', 'no checks left to run after --checks and --skip-checks', { hint: 'drop a --skip-checks id' });
  return selected;
}

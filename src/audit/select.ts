/**
 * `--checks`, `--skip-checks` and `--services`: which checks run. An unknown id or service is an
 * error that suggests the intended one.
 */
import { InfraAuditError } from '../errors.js';
import type { Check } from '../checks/types.js';
import { nearMatches } from './near-matches.js';

function splitIds(ids: readonly string[] | undefined): string[] {
  return (ids ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

export function selectChecks(all: readonly Check[], only?: readonly string[], skip?: readonly string[], services?: readonly string[]): Check[] {
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
  const inServices = parseServices(all, services);
  const selected = all.filter(
    (c) => (wanted.length === 0 || wanted.includes(c.metadata.id)) && !skipped.includes(c.metadata.id) && (inServices === undefined || inServices.has(c.metadata.service)),
  );
  if (selected.length === 0) {
    throw new InfraAuditError('USAGE', `no checks left to run after ${inServices ? '--services, ' : ''}--checks and --skip-checks`, {
      hint: inServices ? 'the checks named belong to other services: widen --services or drop --checks' : 'drop a --skip-checks id',
    });
  }
  return selected;
}

/** The services named by `--services` (Prowler's flag: `s3,iam`), each one that some check audits. */
function parseServices(all: readonly Check[], services: readonly string[] | undefined): Set<string> | undefined {
  const named = splitIds(services).map((s) => s.toLowerCase());
  if (named.length === 0) return undefined;
  const known = [...new Set(all.map((c) => c.metadata.service as string))].sort();
  for (const service of named) {
    if (known.includes(service)) continue;
    const near = nearMatches(service, known);
    throw new InfraAuditError('USAGE', `--services: unknown service "${service}"`, {
      hint: `${near.length ? `did you mean ${near.join(', ')}? ` : ''}services with checks: ${known.join(', ')}`,
    });
  }
  return new Set(named);
}

/**
 * One audit judged against one framework, per control. Pure: the checks' metadata and the
 * findings in, the control table out. A control is never `pass` on a read that failed, on a
 * check that did not run, or when nothing implements it.
 */
import type { CheckMetadata, Finding } from '../findings/model.js';
import type { PassedResources } from '../findings/passed.js';
import type { ComplianceFramework } from './frameworks.js';
import { CONTROL_STATUSES, type ComplianceReport, type ControlCheckResult, type ControlResource, type ControlResult, type ControlStatus } from './types.js';

export function evaluateCompliance(
  framework: ComplianceFramework,
  /** Every check the product has (the registry): what could cover a control. */
  catalog: readonly CheckMetadata[],
  /** The checks this run ran (after --checks, --skip-checks, --services). */
  ran: readonly CheckMetadata[],
  findings: readonly Finding[],
  /** Passes aggregated apart from `findings` (an audit's): counted per check. */
  passed: readonly PassedResources[] = [],
): ComplianceReport {
  const ranIds = new Set(ran.map((c) => c.id));
  const byCheck = new Map<string, Finding[]>();
  // Pushed, not copied: a check with thousands of findings made copying quadratic.
  for (const f of findings) {
    const group = byCheck.get(f.checkId);
    if (group) group.push(f);
    else byCheck.set(f.checkId, [f]);
  }
  const passes = new Map<string, number>();
  for (const p of passed) passes.set(p.checkId, (passes.get(p.checkId) ?? 0) + p.count);
  const behind = new Map<string, CheckMetadata[]>();
  for (const meta of catalog) for (const id of framework.controlsOf(meta)) behind.set(id, [...(behind.get(id) ?? []), meta]);

  const controls = framework.controls.map((control): ControlResult => {
    const checks = (behind.get(control.id) ?? []).map((meta) => tally(meta.id, ranIds.has(meta.id), byCheck.get(meta.id) ?? [], passes.get(meta.id) ?? 0));
    const relevant = checks.filter((c) => c.ran).flatMap((c) => byCheck.get(c.checkId) ?? []);
    const failing = relevant.filter((f) => f.status === 'fail' && !f.suppressed).map(resource);
    const errors = relevant.filter((f) => f.status === 'error').map(resource);
    const { status, reason } = decide(control.type, checks, failing.length, errors.length);
    return {
      id: control.id,
      section: control.section,
      title: control.title,
      type: control.type,
      status,
      ...(reason ? { reason } : {}),
      counterparts: framework.counterparts(control.id),
      checks,
      failing,
      errors,
    };
  });

  const counts = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, 0])) as Record<ControlStatus, number>;
  for (const c of controls) counts[c.status]++;
  const total = counts.pass + counts.fail + counts.error + counts['not covered'];
  return {
    framework: { id: framework.id, name: framework.name, version: framework.version },
    counts,
    score: { passed: counts.pass, total, percent: total === 0 ? null : Math.floor((100 * counts.pass) / total) },
    controls,
  };
}

function tally(checkId: string, ran: boolean, findings: readonly Finding[], passes: number): ControlCheckResult {
  const result: ControlCheckResult = { checkId, ran, pass: passes, fail: 0, error: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.status === 'fail') result[f.suppressed ? 'suppressed' : 'fail']++;
    else result[f.status]++;
  }
  return result;
}

function resource(f: Finding): ControlResource {
  return { checkId: f.checkId, accountId: f.accountId, region: f.region, resourceId: f.resourceId, ...(f.resourceName ? { resourceName: f.resourceName } : {}), message: f.message };
}

function decide(type: 'automated' | 'manual', checks: readonly ControlCheckResult[], failing: number, errors: number): { status: ControlStatus; reason?: string } {
  if (type === 'manual') {
    if (failing > 0) return { status: 'manual', reason: `assess by hand; ${plural(failing, 'resource')} failed a check that informs it` };
    return { status: 'manual', reason: checks.length > 0 ? 'assess by hand; the checks listed inform it' : 'assess by hand' };
  }
  if (checks.length === 0) return { status: 'not covered', reason: 'no check implements this control yet' };
  const ran = checks.filter((c) => c.ran);
  const skipped = checks.filter((c) => !c.ran).map((c) => c.checkId);
  const notRun = skipped.length > 0 ? `; not run: ${skipped.join(', ')}` : '';
  if (ran.length === 0) return { status: 'not applicable', reason: `its checks were not selected (${skipped.join(', ')})` };
  if (failing > 0) return { status: 'fail', ...(notRun ? { reason: notRun.slice(2) } : {}) };
  if (errors > 0) return { status: 'error', reason: `${plural(errors, 'verdict')} could not be reached${notRun}` };
  const passes = ran.reduce((n, c) => n + c.pass, 0);
  const suppressed = ran.reduce((n, c) => n + c.suppressed, 0);
  if (passes === 0 && suppressed === 0) return { status: 'not applicable', reason: `no resource to judge${notRun}` };
  const notes = [suppressed > 0 ? `${plural(suppressed, 'suppressed failure')}` : '', skipped.length > 0 ? `not run: ${skipped.join(', ')}` : ''].filter(Boolean);
  return { status: 'pass', ...(notes.length ? { reason: notes.join('; ') } : {}) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

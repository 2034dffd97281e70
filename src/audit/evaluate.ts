/**
 * Judging a snapshot without holding the event loop: the checks run in order, and their findings
 * are taken a few at a time (a check's run may be a generator: forEachBucket, forEachPrincipal and
 * the other walkers yield a finding per resource), with a turn of the event loop whenever a slice
 * of synchronous work has used its budget. On a 10,000-bucket account the checks are seconds of
 * CPU; in slices, an MCP server answers its other sessions meanwhile, a call's time limit fires
 * and a cancellation is seen. The checks stay pure functions of the snapshot, and the findings are
 * the same, in the same order, as running each check whole (runCheck).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Check, CheckOptions } from '../checks/types.js';
import type { Finding } from '../findings/model.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';
import { accountSubject, finding } from '../checks/finding.js';

/** Synchronous work between two turns of the event loop, in milliseconds. */
export const SLICE_MS = 5;

export interface EvaluateOptions {
  /** Stops the evaluation at the next slice's end: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  sliceMs?: number;
}

/**
 * Runs every check over the snapshot and hands each one's findings, whole, to `onFindings`, in
 * the checks' order. A check that throws yields one `error` finding instead of its findings, as
 * runCheck does.
 */
export async function evaluateChecks(
  checks: readonly Check[],
  snapshot: InventorySnapshot,
  options: CheckOptions,
  onFindings: (check: Check, findings: Finding[]) => void,
  { signal, sliceMs = SLICE_MS }: EvaluateOptions = {},
): Promise<void> {
  let sliceEnd = performance.now() + sliceMs;
  const pause = async () => {
    await nextTurn();
    signal?.throwIfAborted();
    sliceEnd = performance.now() + sliceMs;
  };
  signal?.throwIfAborted();
  for (const check of checks) {
    if (performance.now() >= sliceEnd) await pause();
    let findings: Finding[] = [];
    try {
      for (const f of check.run(snapshot, options)) {
        findings.push(f);
        if (performance.now() >= sliceEnd) await pause();
      }
    } catch (err) {
      if (signal?.aborted && err === signal.reason) throw err;
      findings = [checkFailed(check, snapshot, err)];
    }
    onFindings(check, findings);
  }
}

/** One check, whole and synchronously. A check that throws is a bug in the check: it costs that check's verdicts, not the audit. */
export function runCheck(check: Check, snapshot: InventorySnapshot, options: CheckOptions): Finding[] {
  try {
    return Array.from(check.run(snapshot, options));
  } catch (err) {
    return [checkFailed(check, snapshot, err)];
  }
}

function checkFailed(check: Check, snapshot: InventorySnapshot, err: unknown): Finding {
  const message = err instanceof Error ? err.message : String(err);
  return finding(check.metadata, snapshot, accountSubject(snapshot), 'error', `The check failed internally: ${message}`, { error: { code: 'CheckFailed', message } });
}

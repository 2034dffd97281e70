/** The acme demo account and its planted problems (examples/demo), for tests that check against them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DEMO = fileURLToPath(new URL('../../examples/demo/', import.meta.url));

export interface ExpectedFinding {
  checkId: string;
  resourceId: string;
  why: string;
  implied?: boolean;
}

export function demoAccount(): object {
  return JSON.parse(readFileSync(`${DEMO}account.json`, 'utf8')) as object;
}

export function demoExpectedFindings(): ExpectedFinding[] {
  return JSON.parse(readFileSync(`${DEMO}expected-findings.json`, 'utf8')) as ExpectedFinding[];
}

/**
 * `loadStates(specs)`: each spec names one source — a path or glob, `-` for standard input,
 * an http(s) URL (Terraform's http backend), `s3://bucket/key`, or `tfc://org/workspace` —
 * and every state found is parsed, indexed and redacted with one shared Redactor.
 */
import os from 'node:os';
import { InfraAuditError } from '../../errors.js';
import { Redactor } from '../../redact/redactor.js';
import type { AwsAccessOptions } from '../../aws/clients.js';
import { parseState } from './parse.js';
import { StateIndex } from './address-index.js';
import type { StateSourceKind, TerraformState } from './types.js';
import type { StateText } from './sources/types.js';
import { readStateFiles } from './sources/file.js';
import { readStdinState } from './sources/stdin.js';
import { fetchHttpState, type HttpStateAuth } from './sources/http.js';
import { fetchTfcState } from './sources/tfc.js';
import { fetchS3State } from './sources/s3.js';

export interface LoadStatesOptions {
  cwd?: string;
  /** Shared with the rest of the run, so secrets learned here are caught everywhere. */
  redactor?: Redactor;
  /** See ParseStateOptions.embeddedSecrets. */
  embeddedSecrets?: boolean;
  stdin?: NodeJS.ReadableStream;
  /** TF_TOKEN_*, TF_HTTP_* (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where ~/.terraform.d/credentials.tfrc.json is looked for (default the user's home). */
  homeDir?: string;
  http?: HttpStateAuth;
  tfc?: { apiBaseUrl?: string; token?: string };
  s3?: { aws?: AwsAccessOptions; workspace?: string; workspaceKeyPrefix?: string };
  /** Default 512 MB: the largest string V8 holds is a little over that. */
  maxStateBytes?: number;
  timeoutMs?: number;
}

export interface LoadedStates {
  states: TerraformState[];
  index: StateIndex;
  redactor: Redactor;
}

export function stateSourceKind(spec: string): StateSourceKind {
  if (spec === '-') return 'stdin';
  if (/^https?:\/\//i.test(spec)) return 'http';
  if (spec.startsWith('tfc://')) return 'tfc';
  if (spec.startsWith('s3://')) return 's3';
  return 'file';
}

export async function loadStates(specs: readonly string[], options: LoadStatesOptions = {}): Promise<LoadedStates> {
  if (specs.length === 0) throw new InfraAuditError('USAGE', 'no state given', { hint: 'Pass a state file, glob, `-`, or a remote address.' });
  const redactor = options.redactor ?? new Redactor();
  const states: TerraformState[] = [];
  // One at a time: a state is parsed and redacted before the next is fetched, bounding memory.
  for (const spec of specs) {
    for (const { text, source } of await fetchStateTexts(spec, options)) {
      states.push(parseState(text, source, { redactor, embeddedSecrets: options.embeddedSecrets ?? false }));
    }
  }
  return { states, index: new StateIndex(states), redactor };
}

async function fetchStateTexts(spec: string, options: LoadStatesOptions): Promise<StateText[]> {
  const maxBytes = options.maxStateBytes ?? 512 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const env = options.env ?? process.env;
  switch (stateSourceKind(spec)) {
    case 'stdin':
      return [await readStdinState(options.stdin ?? process.stdin, maxBytes)];
    case 'http':
      return [await fetchHttpState(spec, { auth: options.http, env, maxBytes, timeoutMs })];
    case 'tfc':
      return [await fetchTfcState(spec, { ...options.tfc, env, homeDir: options.homeDir ?? os.homedir(), maxBytes, timeoutMs })];
    case 's3':
      return [await fetchS3State(spec, { ...options.s3, maxBytes })];
    case 'file':
      return readStateFiles(spec, { cwd: options.cwd ?? process.cwd(), maxBytes });
  }
}

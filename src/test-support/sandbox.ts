/** Test helpers: start a real sandbox on 127.0.0.1:0 and build real SDK clients against it. */
import { afterAll, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadAccountText } from '../sandbox/account/load.js';
import type { SandboxAccount } from '../sandbox/account/model.js';
import { startSandbox, type RunningSandbox, type SandboxOptions, type SandboxStats } from '../sandbox/server.js';
import { clientConfig, type ServiceId } from '../aws/clients.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIASANDBOXTEST00000', secretAccessKey: 'sandbox-test-secret' };

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Load a fixture account (or a literal account object) through the real loader. */
export function loadTestAccount(source: string | object, now = new Date()): SandboxAccount {
  const text = typeof source === 'string' ? readFileSync(fixturePath(source), 'utf8') : JSON.stringify(source);
  return loadAccountText(text, typeof source === 'string' ? source : '<inline account>', now);
}

/** Start a sandbox for the tests of one file; closes after them. */
export function useSandbox(source: string | object, options: Omit<SandboxOptions, 'account'> = {}) {
  const holder: { sandbox?: RunningSandbox } = {};
  beforeAll(async () => {
    holder.sandbox = await startSandbox({ ...options, account: loadTestAccount(source) });
  });
  afterAll(async () => {
    await holder.sandbox?.close();
  });
  return {
    get sandbox(): RunningSandbox {
      if (!holder.sandbox) throw new Error('sandbox not started');
      return holder.sandbox;
    },
    get endpoint(): string {
      return this.sandbox.endpoint;
    },
    /** Config for a real SDK client pointed at this sandbox, with no retries unless asked. */
    config(service: ServiceId, extra: { region?: string; maxAttempts?: number } = {}) {
      return clientConfig(service, {
        endpointUrl: this.sandbox.endpoint,
        region: extra.region ?? 'us-east-1',
        credentials: TEST_CREDENTIALS,
        maxAttempts: extra.maxAttempts ?? 1,
      });
    },
  };
}

/** Fetch the sandbox's request counters over HTTP, as a benchmark or a user would. */
export async function fetchStats(endpoint: string): Promise<SandboxStats> {
  const res = await fetch(`${endpoint}/_sandbox/stats`);
  return (await res.json()) as SandboxStats;
}

export function opCount(stats: SandboxStats, service: string, operation: string): number {
  return stats.services[service]?.operations[operation] ?? 0;
}

/** What a rejected SDK call carries. */
export type SdkError = Error & { name: string; $metadata: { httpStatusCode?: number; requestId?: string }; [key: string]: unknown };

/** The error a call fails with; fails the test if the call succeeds. */
export async function rejection(promise: Promise<unknown>): Promise<SdkError> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (outcome === undefined) throw new Error('expected the call to be rejected, but it succeeded');
  return outcome as SdkError;
}

/**
 * process.env overrides for tests that drive the CLI in-process (it reads credentials through
 * the SDK's default chain): `set` remembers each variable's first value, so `set(saved)` restores.
 */
export function envOverrides(): { set(values: Record<string, string | undefined>): void; saved: Record<string, string | undefined> } {
  const saved: Record<string, string | undefined> = {};
  return {
    saved,
    set(values) {
      for (const [k, v] of Object.entries(values)) {
        if (!(k in saved)) saved[k] = process.env[k];
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    },
  };
}

/** The environment of a spawned `infra-audit` child: test credentials, no shared config, no instance metadata. */
export function childProcessEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

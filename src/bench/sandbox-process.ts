/**
 * The sandbox in its own process, as a remote AWS endpoint is: the audit under measurement
 * then has its event loop to itself, and the sandbox's CPU is not charged to the client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxAccount } from '../sandbox/account/model.js';
import type { SandboxStats } from '../sandbox/server.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface SandboxProcess {
  endpoint: string;
  stats(): Promise<SandboxStats>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

export async function startSandboxProcess(account: SandboxAccount, options: { latencyMs?: number; seed?: number } = {}): Promise<SandboxProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'infra-audit-bench-sandbox-'));
  const file = join(dir, 'account.json');
  writeFileSync(file, JSON.stringify(account));
  const child: ChildProcess = spawn(process.execPath, [CLI, 'sandbox', '--account', file, '--latency-ms', String(options.latencyMs ?? 0), '--seed', String(options.seed ?? 1)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('sandbox did not start within 60 s')), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.split('\n')[0]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  return {
    endpoint,
    stats: async () => (await (await fetch(`${endpoint}/_sandbox/stats`)).json()) as SandboxStats,
    resetStats: async () => {
      await fetch(`${endpoint}/_sandbox/stats`, { method: 'DELETE' });
    },
    close: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The built `infra-audit` CLI as a child process, as a user or a CI job runs it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { BUILT_CLI } from './agent-run.js';
import { childProcessEnv } from './sandbox.js';

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

export interface CliProcess {
  child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves once stderr holds text matching `pattern` (fails if the process exits first). */
  waitForErr(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<CliResult>;
}

export interface CliOptions {
  /** Extra environment (test credentials, no shared config and no instance metadata are always set). */
  env?: Record<string, string>;
  cwd?: string;
  /** Written to stdin, which is then closed; without it stdin is closed at once. */
  input?: string;
  /** Keep stdin open (a stdio MCP server runs until it closes). */
  keepStdin?: boolean;
}

export function startCli(args: string[], options: CliOptions = {}): CliProcess {
  const child = spawn(process.execPath, [BUILT_CLI, ...args], { env: childProcessEnv(options.env), cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => {
    err += String(d);
    for (const w of [...waiters]) {
      const m = err.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exited = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  if (options.input !== undefined) child.stdin!.end(options.input);
  else if (!options.keepStdin) child.stdin!.end();
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    waitForErr(pattern) {
      const m = err.match(pattern);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then((r) => reject(new Error(`the CLI exited (${r.code}) before stderr matched ${pattern}:\n${r.err}`)));
      });
    },
  };
}

/** Run the CLI to completion. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).exited;
}

/** What a command may touch of the process: its streams, working directory and environment. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when a person is watching (progress displays and colour only then). */
  isTTY?: boolean;
}

export interface CommandIO {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user asks the command to stop (SIGINT/SIGTERM). */
  interrupted: Promise<string>;
}

export function processIO(): CommandIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    interrupted: new Promise((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
  };
}

/** An in-memory IO for driving commands from tests and from other commands. */
export function bufferIO(overrides: Partial<CommandIO> = {}): CommandIO & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    stdin: process.stdin,
    cwd: process.cwd(),
    env: { ...process.env },
    interrupted: new Promise(() => {}),
    ...overrides,
    out: () => out,
    err: () => err,
  };
}

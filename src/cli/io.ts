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
  /** Resolves when the user asks the command to stop (SIGINT/SIGTERM), with the signal's name. */
  interrupted: Promise<string>;
  /** Aborted at the same moment, with the signal's name as reason: commands hand it to their AWS session. */
  signal: AbortSignal;
}

/** The process's streams and signals. A signal after the first calls `onRepeatedSignal` (the entry point exits). */
export function processIO(onRepeatedSignal: (signal: NodeJS.Signals) => void = () => {}): CommandIO {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) onRepeatedSignal(name);
    else controller.abort(name);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    interrupted: interruption(controller.signal),
    signal: controller.signal,
  };
}

function interruption(signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(String(signal.reason)), { once: true }));
}

/** The exit status a shell reports for a process ended by `signal`: 128 + its number (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: string): number {
  return signal === 'SIGTERM' ? 143 : 130;
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
    interrupted: overrides.signal ? interruption(overrides.signal) : new Promise(() => {}),
    signal: new AbortController().signal,
    ...overrides,
    out: () => out,
    err: () => err,
  };
}

/**
 * The one error type of the product. Every failure a user can cause or fix carries a stable
 * code, a one-line message that names the input, and a hint that says what to do.
 * The CLI entry point maps it to an exit code; nothing below the entry point exits.
 */
export type ErrorCode =
  | 'USAGE'
  | 'INVALID_INPUT'
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'ACCOUNT_FILE_INVALID'
  | 'STATE_INVALID'
  | 'CONFIG_INVALID'
  | 'AWS_CREDENTIALS'
  | 'AWS_UNREACHABLE'
  | 'AWS_ACCESS_DENIED'
  | 'AWS_ERROR'
  | 'ACCOUNT_MISMATCH'
  | 'READ_ONLY_VIOLATION'
  | 'SECRET_READ_REFUSED'
  | 'AUDIT_LOG_UNWRITABLE'
  | 'NOT_FOUND'
  | 'LIMIT_EXCEEDED'
  | 'MODEL_API'
  | 'MCP_UNAVAILABLE'
  | 'INTERNAL';

export class InfraAuditError extends Error {
  override readonly name = 'InfraAuditError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /** Process exit code when this error ends a CLI command (2: the command itself failed). */
  readonly exitCode: number;

  /** The message quotes text from the infrastructure (a database's error echoes row values): the server fences it. */
  readonly untrusted: boolean;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown; exitCode?: number; untrusted?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.untrusted = options.untrusted ?? false;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
  }

  /** The one-line form a person sees: message, then the hint. */
  toUserString(): string {
    return this.hint ? `${this.message}\n  hint: ${this.hint}` : this.message;
  }
}

export function isInfraAuditError(value: unknown): value is InfraAuditError {
  return value instanceof InfraAuditError;
}

/** A short, stack-free description of any thrown value, for places that must not leak a stack. */
export function describeError(value: unknown): string {
  if (value instanceof InfraAuditError) return value.message;
  if (value instanceof Error) return value.message || value.name;
  return String(value);
}

/** Why a server could not listen on HOST:PORT, as the person who chose them can fix it. */
export function listenError(err: unknown, host: string, port: number, flags = '--port'): InfraAuditError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new InfraAuditError('USAGE', `cannot listen on ${where}: the port is already in use`, { hint: `stop the other process, or choose another ${flags} (0 picks a free one)`, cause: err });
    case 'EACCES':
    case 'EPERM':
      return new InfraAuditError('USAGE', `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`, { hint: `choose a port of 1024 or above with ${flags}`, cause: err });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new InfraAuditError('USAGE', `cannot listen on ${where}: ${host} is not an address of this machine`, { hint: 'bind an address this host has, e.g. --host 127.0.0.1', cause: err });
    default:
      return new InfraAuditError('USAGE', `cannot listen on ${where}: ${describeError(err)}`, { hint: `check --host and ${flags}`, cause: err });
  }
}

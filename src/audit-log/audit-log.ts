/**
 * The audit log: builds a record for every MCP request and every AWS call made on its
 * behalf, and hands them to the journal, which makes them durable before the request is
 * answered. The server wires `onToolCall` into createMcpServer, the log itself into
 * ServerSession (AWS calls) and `recordRefusedRequest` into the HTTP transport.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InfraAuditError, describeError } from '../errors.js';
import type { ToolCallEvent } from '../server/create-server.js';
import type { CallerIdentity } from '../server/session.js';
import type { Caller } from '../server/tool.js';
import { ChainHasher } from './chain.js';
import { auditScope, type AuditScope } from './context.js';
import { FileSink, StreamSink, type AuditSink, type FileSinkOptions } from './file-sink.js';
import { Forwarder, type ForwarderOptions } from './forwarder.js';
import { Journal } from './journal.js';
import { awsCallRecord, mcpRequestRecord, refusedRequestRecord, type AwsCallInput, type RecordContext, type RefusedRequestInput } from './record.js';
import { RefusalWindow } from './refusals.js';
import { conservativeRedact, type Redactor } from './redact.js';
import type { AwsCallRecorder } from './aws-middleware.js';

/**
 * Where `serve` keeps its audit log unless --audit-log says otherwise: the platform's state
 * directory, not the working directory (a desktop MCP client starts the server in `/`).
 * $XDG_STATE_HOME/infra-audit/audit.jsonl, else ~/.local/state/infra-audit/audit.jsonl
 * (Windows: %LOCALAPPDATA%\\infra-audit\\audit.jsonl).
 */
export function defaultAuditLogPath(env: NodeJS.ProcessEnv, home: string = homedir(), platform: NodeJS.Platform = process.platform): string {
  // The XDG spec: a relative XDG_STATE_HOME is invalid and ignored.
  if (env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME)) return join(env.XDG_STATE_HOME, 'infra-audit', 'audit.jsonl');
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'infra-audit', 'audit.jsonl');
  return join(home, '.local', 'state', 'infra-audit', 'audit.jsonl');
}

export interface AuditLogOptions {
  /** A file path (durable), or `stdout` / `stderr` (for log shippers; not durable). */
  target: string;
  /** The MCP transport in use: over stdio, stdout is the protocol channel and is refused. */
  transport?: Caller['transport'];
  maxBytes?: number;
  rotateEveryMs?: number;
  /** Wraps each durable write of the file sink (tests count or hold them); see FileSinkOptions. */
  aroundDurableWrite?: FileSinkOptions['aroundDurableWrite'];
  /** Key for HMAC-SHA256 record hashes (INFRA_AUDIT_LOG_HMAC_KEY). */
  hmacKey?: Buffer;
  /** Redacts arguments and AWS inputs before they are recorded; the fallback masks secret-named keys. */
  redact?: Redactor;
  productVersion?: string;
  /** Default region of the server's AWS clients. */
  region?: string;
  /** The AWS identity the server runs as (resolved once, then cached). */
  identity?: () => Promise<CallerIdentity>;
  forwarders?: Array<Omit<ForwarderOptions, 'spoolDir' | 'warn'>>;
  /** Where forwarders keep their spools (default: next to the log file). */
  spoolDir?: string;
  warn?: (message: string) => void;
  /** Refused HTTP requests are summarised per window of this length (default 10 s). */
  refusalWindowMs?: number;
  streams?: { stdout: { write(chunk: string): unknown }; stderr: { write(chunk: string): unknown } };
}

/** The actor of AWS calls the server makes for itself (the start-up identity check). */
const SERVER_CALLER: Caller = { principal: 'infra-audit-mcp', transport: 'in-process' };
const IDENTITY_RETRY_MS = 60_000;

export class AuditLog implements AwsCallRecorder {
  private identity: CallerIdentity | undefined;
  private identityTriedAt = 0;
  private readonly redact: Redactor;
  private readonly warn: (message: string) => void;
  private readonly refusals: RefusalWindow;

  private constructor(
    private readonly journal: Journal,
    private readonly forwarders: Forwarder[],
    private readonly options: AuditLogOptions,
  ) {
    this.redact = options.redact ?? conservativeRedact;
    this.warn = options.warn ?? (() => {});
    this.refusals = new RefusalWindow(options.refusalWindowMs ?? 10_000, (summaries) => {
      for (const summary of summaries) {
        this.journal.append(refusedRequestRecord(summary, this.context())).catch((err: unknown) => this.warn(`audit log: could not record refused requests: ${describeError(err)}`));
      }
    });
  }

  static async open(options: AuditLogOptions): Promise<AuditLog> {
    const warn = options.warn ?? (() => {});
    const sink = await openSink(options, warn);
    const forwarders: Forwarder[] = [];
    try {
      const spoolDir = options.spoolDir ?? (sink instanceof FileSink ? `${sink.path}.spool` : resolve('infra-audit-spool'));
      for (const f of options.forwarders ?? []) forwarders.push(await Forwarder.start({ ...f, spoolDir, warn }));
    } catch (err) {
      await Promise.all(forwarders.map((f) => f.stop(0)));
      await sink.close();
      throw new InfraAuditError('AUDIT_LOG_UNWRITABLE', `cannot start the audit forwarder spool: ${describeError(err)}`, { hint: 'check --audit-spool-dir is writable', cause: err });
    }
    return new AuditLog(new Journal(sink, new ChainHasher(options.hmacKey), forwarders, warn), forwarders, options);
  }

  get description(): string {
    return this.journal.description;
  }

  get stats() {
    return { ...this.journal.stats, queued: this.journal.queued, forwarders: this.forwarders.map((f) => ({ ...f.stats })) };
  }

  setIdentity(identity: CallerIdentity): void {
    this.identity = identity;
  }

  /** The context every record is built with; made again only when the identity changes. */
  private contextCache: { identity: CallerIdentity | undefined; context: RecordContext } | undefined;

  private context(): RecordContext {
    const cached = this.contextCache;
    if (cached && cached.identity === this.identity) return cached.context;
    const context: RecordContext = {
      productVersion: this.options.productVersion ?? '0.1.0',
      ...(this.identity ? { account: { accountId: this.identity.accountId, arn: this.identity.arn } } : {}),
      ...(this.options.region ? { region: this.options.region } : {}),
    };
    this.contextCache = { identity: this.identity, context };
    return context;
  }

  /** Whether the identity is still to be looked up (none yet, and the last try is old enough). */
  private identityDue(): boolean {
    return !this.identity && this.options.identity !== undefined && Date.now() - this.identityTriedAt >= IDENTITY_RETRY_MS;
  }

  private async ensureIdentity(): Promise<void> {
    if (!this.identityDue()) return;
    this.identityTriedAt = Date.now();
    this.identity = await this.options.identity!().catch(() => undefined);
  }

  /**
   * The createMcpServer hook: resolves once this request's record, and the records of the
   * AWS calls made for it, are durable. Rejects (AUDIT_LOG_UNWRITABLE) when they cannot be.
   * Once the identity is known the record is built, sealed and its write started before this
   * returns, so the sync runs while the server builds the response.
   */
  readonly onToolCall = (event: ToolCallEvent): Promise<void> => {
    const scope = auditScope.getStore();
    const pending = scope?.requestId === event.requestId ? scope.pending.splice(0) : [];
    if (this.identityDue()) return this.ensureIdentity().then(() => this.recordRequest(event, pending));
    try {
      return this.recordRequest(event, pending);
    } catch (err) {
      return Promise.reject(err);
    }
  };

  private recordRequest(event: ToolCallEvent, pending: Array<Promise<void>>): Promise<void> {
    const record = mcpRequestRecord(
      {
        method: event.method,
        name: event.tool,
        requestId: event.requestId,
        caller: event.caller,
        args: this.redact(event.args),
        startedAt: event.startedAt,
        durationMs: event.durationMs,
        outcome: event.outcome,
        ...(event.errorCode ? { errorCode: event.errorCode } : {}),
        ...(event.errorMessage ? { errorMessage: event.errorMessage } : {}),
        resultText: event.resultText,
      },
      this.context(),
    );
    const written = this.journal.append(record);
    return pending.length ? Promise.all([...pending, written]).then(() => undefined) : written;
  }

  recordAwsCall(call: Omit<AwsCallInput, 'caller' | 'mcpRequestId'>, scope: AuditScope | undefined): void {
    const record = awsCallRecord(
      { ...call, input: this.redact(call.input), caller: scope?.caller ?? SERVER_CALLER, ...(scope ? { mcpRequestId: scope.requestId } : {}) },
      this.context(),
    );
    const written = this.journal.append(record);
    // Within a request the request's record awaits this one (and fails closed with it);
    // outside one (start-up, or a call outliving its request) a failure can only be reported.
    written.catch((err: unknown) => {
      if (!scope) this.warn(`audit log: could not record ${call.service}:${call.operation}: ${describeError(err)}`);
    });
    scope?.pending.push(written);
  }

  /**
   * For the HTTP transport's refusals (authentication, Host, rate limit, size): counted into
   * the current window, written as one summary per status and principal when it closes.
   */
  recordRefusedRequest(event: Omit<RefusedRequestInput, 'at'>): void {
    this.refusals.add({ ...event, at: Date.now() });
  }

  /** Resolves once every record so far (and the open refusal window) is committed: for records no request waits on. */
  flush(): Promise<void> {
    this.refusals.close();
    return this.journal.flush();
  }

  /** Flush, stop forwarders (after a short grace to drain), release the file. */
  async close(): Promise<void> {
    this.refusals.close();
    await this.journal.close();
    await Promise.all(this.forwarders.map((f) => f.stop()));
  }
}

async function openSink(options: AuditLogOptions, warn: (m: string) => void): Promise<AuditSink> {
  const target = options.target;
  if (target === 'stdout') {
    if (options.transport === 'stdio') {
      throw new InfraAuditError('USAGE', '--audit-log stdout is refused with the stdio transport: stdout carries the MCP protocol', {
        hint: 'use --audit-log stderr, a file path, or serve --http',
      });
    }
    return new StreamSink('stdout', options.streams?.stdout ?? process.stdout);
  }
  if (target === 'stderr') return new StreamSink('stderr', options.streams?.stderr ?? process.stderr);
  return FileSink.open(resolve(target), {
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    ...(options.rotateEveryMs !== undefined ? { rotateEveryMs: options.rotateEveryMs } : {}),
    ...(options.aroundDurableWrite ? { aroundDurableWrite: options.aroundDurableWrite } : {}),
    warn,
  });
}

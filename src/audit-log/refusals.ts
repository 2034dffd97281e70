/**
 * Refused HTTP requests, summarised per window: the first refusal of a (status, principal)
 * opens a group, later ones only count, and the window's groups are written together when it
 * closes (or on flush and close). A flood of bad tokens costs one record per group per window
 * instead of one fsync'ed record each. Accepted calls do not pass here: their records stay
 * durable before their results are visible.
 */
import type { RefusalSummaryInput, RefusedRequestInput } from './record.js';

const MAX_GROUPS = 64;
const MAX_ADDRESSES = 16;
const MAX_REASONS = 3;
const MAX_REASON_CHARS = 300;

interface Group {
  status: number;
  principal?: string;
  count: number;
  firstAt: number;
  lastAt: number;
  addresses: Map<string, number>;
  otherAddresses: number;
  reasons: string[];
}

export class RefusalWindow {
  private groups = new Map<string, Group>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly emit: (summaries: RefusalSummaryInput[]) => void,
  ) {}

  add(event: RefusedRequestInput): void {
    let key = `${event.status}\u0000${event.principal ?? ''}`;
    if (!this.groups.has(key) && this.groups.size >= MAX_GROUPS) key = `${event.status}\u0000\u0000overflow`;
    let group = this.groups.get(key);
    if (!group) {
      group = { status: event.status, ...(event.principal ? { principal: event.principal } : {}), count: 0, firstAt: event.at, lastAt: event.at, addresses: new Map(), otherAddresses: 0, reasons: [] };
      this.groups.set(key, group);
    }
    group.count += 1;
    group.lastAt = event.at;
    const ip = event.remoteAddress ?? 'unknown';
    if (group.addresses.has(ip) || group.addresses.size < MAX_ADDRESSES) group.addresses.set(ip, (group.addresses.get(ip) ?? 0) + 1);
    else group.otherAddresses += 1;
    const reason = event.reason.slice(0, MAX_REASON_CHARS);
    if (group.reasons.length < MAX_REASONS && !group.reasons.includes(reason)) group.reasons.push(reason);
    if (!this.timer) {
      this.timer = setTimeout(() => this.close(), this.windowMs);
      this.timer.unref();
    }
  }

  /** Emit the open window's summaries now. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.groups.size === 0) return;
    const groups = [...this.groups.values()];
    this.groups = new Map();
    this.emit(
      groups.map((g) => ({
        status: g.status,
        ...(g.principal ? { principal: g.principal } : {}),
        count: g.count,
        firstAt: g.firstAt,
        lastAt: g.lastAt,
        addresses: [...g.addresses].map(([ip, count]) => ({ ip, count })).sort((a, b) => b.count - a.count),
        otherAddresses: g.otherAddresses,
        reasons: g.reasons,
      })),
    );
  }
}

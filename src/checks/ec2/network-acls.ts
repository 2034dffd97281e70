/**
 * How a network ACL answers the internet on an administration port. A NACL is evaluated in
 * rule-number order and the first rule that matches the packet decides: an earlier deny for the
 * whole internet wins over a later allow. CIS 5.1 (and the field's scanners) ask about the whole
 * internet as the source, 0.0.0.0/0 or ::/0; a rule for a narrower range neither opens the port
 * to everyone nor closes it to everyone, so it is passed over.
 */
import type { NetworkAcl, NetworkAclEntry } from '@aws-sdk/client-ec2';

export const ADMIN_PORTS = [22, 3389] as const;

/** Protocol numbers: -1 all, 6 TCP. AWS returns numbers; accept names too. */
function coversTcpPort(entry: NetworkAclEntry, port: number): boolean {
  const protocol = String(entry.Protocol ?? '').toLowerCase();
  if (protocol === '-1' || protocol === 'all') return true;
  if (protocol !== '6' && protocol !== 'tcp') return false;
  const range = entry.PortRange;
  if (!range || range.From === undefined || range.To === undefined) return true;
  return range.From <= port && port <= range.To;
}

export interface AdminPortVerdict {
  port: number;
  /** 0.0.0.0/0 or ::/0. */
  source: string;
  open: boolean;
  /** The rule that decided, or null when none matched (AWS's catch-all deny always does). */
  decidingRule: { ruleNumber: number; action: string; protocol: string; portRange: string } | null;
}

function describeRule(entry: NetworkAclEntry) {
  const range = entry.PortRange;
  return {
    ruleNumber: entry.RuleNumber ?? 0,
    action: entry.RuleAction ?? '',
    protocol: String(entry.Protocol ?? ''),
    portRange: range && range.From !== undefined ? (range.From === range.To ? String(range.From) : `${range.From}-${range.To}`) : 'all',
  };
}

/** For each admin port and each internet source: the first matching ingress rule, and whether it allows. */
export function adminPortVerdicts(acl: NetworkAcl): AdminPortVerdict[] {
  const ingress = (acl.Entries ?? []).filter((e) => e.Egress !== true).sort((a, b) => (a.RuleNumber ?? 0) - (b.RuleNumber ?? 0));
  const verdicts: AdminPortVerdict[] = [];
  for (const port of ADMIN_PORTS) {
    for (const source of ['0.0.0.0/0', '::/0']) {
      const ipv6 = source === '::/0';
      const deciding = ingress.find((e) => (ipv6 ? e.Ipv6CidrBlock === source : e.CidrBlock === source) && coversTcpPort(e, port));
      verdicts.push({ port, source, open: deciding?.RuleAction === 'allow', decidingRule: deciding ? describeRule(deciding) : null });
    }
  }
  return verdicts;
}

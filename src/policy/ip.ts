/**
 * IPv4/IPv6 addresses and CIDR blocks for IpAddress/NotIpAddress and for deciding whether an
 * aws:SourceIp condition pins a grant to private networks.
 */

export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

export interface CidrBlock {
  version: 4 | 6;
  /** The network address (host bits cleared). */
  network: bigint;
  prefixLength: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let body = text;
  let tail: bigint[] = [];
  // An embedded IPv4 tail (e.g. ::ffff:192.0.2.1) supplies the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.') && lastColon >= 0) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >> 16n, v4 & 0xffffn];
    const head = text.slice(0, lastColon + 1);
    body = head.endsWith('::') ? head : text.slice(0, lastColon);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): bigint[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => BigInt(parseInt(g, 16)));
  };
  const head = parseGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  const explicit = [...head, ...rest, ...tail];
  const missing = 8 - explicit.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<bigint>(halves.length === 2 ? missing : 0).fill(0n), ...rest, ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

export function parseIpAddress(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseIpv6(trimmed);
    if (value === undefined) return undefined;
    // An IPv4-mapped IPv6 address is that IPv4 address for matching against IPv4 blocks.
    if (value >> 32n === 0xffffn) return { version: 4, value: value & 0xffffffffn };
    return { version: 6, value };
  }
  const value = parseIpv4(trimmed);
  return value === undefined ? undefined : { version: 4, value };
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). */
export function parseCidr(text: string): CidrBlock | undefined {
  const [addressText, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || addressText === undefined) return undefined;
  const trimmedAddress = addressText.trim();
  const value = trimmedAddress.includes(':') ? parseIpv6(trimmedAddress) : parseIpv4(trimmedAddress);
  if (value === undefined) return undefined;
  const version: 4 | 6 = trimmedAddress.includes(':') ? 6 : 4;
  const bits = version === 4 ? 32 : 128;
  let prefixLength = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText.trim())) return undefined;
    prefixLength = Number(prefixText.trim());
    if (prefixLength > bits) return undefined;
  }
  return { version, network: value & mask(bits, prefixLength), prefixLength };
}

function mask(bits: number, prefixLength: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return prefixLength === 0 ? 0n : (all >> BigInt(bits - prefixLength)) << BigInt(bits - prefixLength);
}

export function cidrContains(block: CidrBlock, address: IpAddress): boolean {
  if (block.version !== address.version) return false;
  const bits = block.version === 4 ? 32 : 128;
  return (address.value & mask(bits, block.prefixLength)) === block.network;
}

/** Whether every address of `inner` lies in `outer`. */
export function cidrWithin(inner: CidrBlock, outer: CidrBlock): boolean {
  return (
    inner.version === outer.version &&
    inner.prefixLength >= outer.prefixLength &&
    cidrContains(outer, { version: inner.version, value: inner.network })
  );
}

/** Ranges no request from the internet can come from: RFC 1918, loopback, link-local, CGNAT, ULA. */
const NON_PUBLIC_RANGES = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '100.64.0.0/10',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
].map((text) => parseCidr(text) as CidrBlock);

export function isNonPublicCidr(block: CidrBlock): boolean {
  return NON_PUBLIC_RANGES.some((range) => cidrWithin(block, range));
}

import { describe, expect, it } from 'vitest';
import { cidrContains, isNonPublicCidr, parseCidr, parseIpAddress, type CidrBlock } from './ip.js';

function cidr(text: string): CidrBlock {
  const block = parseCidr(text);
  if (!block) throw new Error(`not a CIDR: ${text}`);
  return block;
}

function contains(block: string, address: string): boolean {
  const ip = parseIpAddress(address);
  if (!ip) throw new Error(`not an address: ${address}`);
  return cidrContains(cidr(block), ip);
}

describe('IPv4', () => {
  it('contains addresses inside the block and not one past its end', () => {
    expect(contains('10.0.0.0/8', '10.255.255.255')).toBe(true);
    expect(contains('10.0.0.0/8', '11.0.0.0')).toBe(false);
    expect(contains('192.0.2.0/24', '192.0.2.77')).toBe(true);
    expect(contains('192.0.2.0/24', '192.0.3.1')).toBe(false);
  });
  it('a bare address is a /32; /0 is everything', () => {
    expect(contains('203.0.113.5', '203.0.113.5')).toBe(true);
    expect(contains('203.0.113.5', '203.0.113.6')).toBe(false);
    expect(contains('0.0.0.0/0', '8.8.8.8')).toBe(true);
  });
  it('host bits in the block are ignored, as AWS does', () => {
    expect(contains('10.1.2.3/8', '10.200.0.1')).toBe(true);
  });
  it('rejects malformed addresses and prefixes', () => {
    for (const bad of ['256.0.0.1', '10.0.0', '10.0.0.0/33', '10.0.0.0/8/1', 'a.b.c.d', '10.0.0.0/x']) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });
});

describe('IPv6', () => {
  it('parses compressed forms and matches prefixes', () => {
    expect(contains('2001:db8::/32', '2001:db8:1234::1')).toBe(true);
    expect(contains('2001:db8::/32', '2001:db9::1')).toBe(false);
    expect(contains('::/0', '2600::1')).toBe(true);
    expect(contains('::1/128', '::1')).toBe(true);
    expect(contains('::1/128', '::2')).toBe(false);
  });
  it('parses full forms and embedded IPv4 tails', () => {
    expect(parseIpAddress('2001:0db8:0000:0000:0000:0000:0000:0001')?.value).toBe(parseIpAddress('2001:db8::1')?.value);
    expect(parseIpAddress('64:ff9b::192.0.2.1')?.value).toBe(parseIpAddress('64:ff9b::c000:201')?.value);
  });
  it('an IPv4-mapped address matches IPv4 blocks, not IPv6 ones', () => {
    expect(contains('192.0.2.0/24', '::ffff:192.0.2.9')).toBe(true);
    expect(contains('::/0', '::ffff:192.0.2.9')).toBe(false);
  });
  it('IPv4 blocks never contain IPv6 addresses and vice versa', () => {
    expect(contains('0.0.0.0/0', '2001:db8::1')).toBe(false);
    expect(contains('::/0', '10.0.0.1')).toBe(false);
  });
  it('rejects malformed IPv6', () => {
    for (const bad of ['2001:db8:::1', '1:2:3:4:5:6:7:8:9', '2001:db8::g', '1::2::3', '::/129']) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });
});

describe('isNonPublicCidr', () => {
  it('RFC 1918, loopback and ULA ranges are not public', () => {
    for (const block of ['10.0.0.0/8', '10.1.0.0/16', '172.16.0.0/12', '172.31.255.0/24', '192.168.1.0/24', '127.0.0.1', 'fd00::/8', '::1']) {
      expect(isNonPublicCidr(cidr(block))).toBe(true);
    }
  });
  it('public ranges, and private ranges widened past their bounds, are public', () => {
    for (const block of ['0.0.0.0/0', '8.8.8.0/24', '172.32.0.0/16', '172.0.0.0/8', '192.168.0.0/15', '::/0', '2001:db8::/32', 'fc00::/6']) {
      expect(isNonPublicCidr(cidr(block))).toBe(false);
    }
  });
});

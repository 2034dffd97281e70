import { describe, expect, it } from 'vitest';
import { ROLE_SESSION_NAME_PATTERN, roleSessionNameFor, sourceIdentityFor } from './role-session.js';

describe('CloudTrail names for a caller', () => {
  it('keeps a principal that already fits, readable', () => {
    expect(roleSessionNameFor({ principal: 'alice@sec' })).toBe('infra-audit.alice@sec');
    expect(sourceIdentityFor({ principal: 'alice@sec' })).toBe('alice@sec');
  });

  it('cleans characters AWS refuses and keeps distinct principals distinct', () => {
    const a = sourceIdentityFor({ principal: 'os:josé smith' });
    const b = sourceIdentityFor({ principal: 'os:josé-smith' });
    expect(a).toMatch(ROLE_SESSION_NAME_PATTERN);
    expect(a.startsWith('os-jos--smith-')).toBe(true);
    expect(a).not.toBe(b);
    expect(roleSessionNameFor({ principal: 'spiffe://corp/agent/7' })).toMatch(ROLE_SESSION_NAME_PATTERN);
  });

  it('shortens long principals to 64 characters, still unique', () => {
    const long = `${'a'.repeat(80)}@example.com`;
    const other = `${'a'.repeat(80)}@example.org`;
    const name = roleSessionNameFor({ principal: long });
    expect(name).toHaveLength(64);
    expect(name).toMatch(ROLE_SESSION_NAME_PATTERN);
    expect(name).not.toBe(roleSessionNameFor({ principal: other }));
    expect(sourceIdentityFor({ principal: long })).toHaveLength(64);
  });

  it('pads a one-character principal to the 2-character minimum', () => {
    const id = sourceIdentityFor({ principal: 'x' });
    expect(id).toMatch(ROLE_SESSION_NAME_PATTERN);
    expect(id.startsWith('x-')).toBe(true);
    expect(sourceIdentityFor({ principal: '' })).toMatch(ROLE_SESSION_NAME_PATTERN);
  });
});

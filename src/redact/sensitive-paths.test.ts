import { describe, expect, it } from 'vitest';
import { concealSensitivePaths } from './sensitive-paths.js';
import { Redactor } from './redactor.js';
import { SENSITIVE_MARKER } from './marker.js';

function conceal(attributes: Record<string, unknown>, paths: unknown) {
  const redactor = new Redactor();
  const count = concealSensitivePaths(attributes, paths, (v) => redactor.conceal(v));
  return { count, redactor };
}

describe('concealSensitivePaths', () => {
  it('follows Terraform paths: get_attr, typed index into a map and a list', () => {
    const attributes = {
      password: 'CanaryPw-1',
      tags: { owner: 'team-a', secret: 'CanaryTag-2' },
      users: [{ name: 'a', password: 'CanaryPw-3' }],
      name: 'db',
    };
    const { count, redactor } = conceal(attributes, [
      [{ type: 'get_attr', value: 'password' }],
      [{ type: 'get_attr', value: 'tags' }, { type: 'index', value: { value: 'secret', type: 'string' } }],
      [{ type: 'get_attr', value: 'users' }, { type: 'index', value: { value: 0, type: 'number' } }, { type: 'get_attr', value: 'password' }],
    ]);
    expect(count).toBe(3);
    expect(JSON.stringify(attributes)).not.toContain('Canary');
    expect(attributes).toEqual({ password: SENSITIVE_MARKER, tags: { owner: 'team-a', secret: SENSITIVE_MARKER }, users: [{ name: 'a', password: SENSITIVE_MARKER }], name: 'db' });
    expect(redactor.redactText('CanaryPw-3 CanaryTag-2')).toBe(`${SENSITIVE_MARKER} ${SENSITIVE_MARKER}`);
  });

  it('accepts bare index values and a flat list of steps, hiding more rather than less', () => {
    const attributes: Record<string, unknown> = { a: { k: 'CanaryA-1' }, b: 'CanaryB-2', c: 'visible' };
    conceal(attributes, [[{ type: 'get_attr', value: 'a' }, { type: 'index', value: 'k' }], { type: 'get_attr', value: 'b' }]);
    expect(attributes).toEqual({ a: { k: SENSITIVE_MARKER }, b: SENSITIVE_MARKER, c: 'visible' });
  });

  it('conceals a whole set when an element is addressed by value', () => {
    const attributes: Record<string, unknown> = { ingress: [{ cidr: '10.0.0.0/8', description: 'CanaryRule-1' }], name: 'sg' };
    conceal(attributes, [[{ type: 'get_attr', value: 'ingress' }, { type: 'index', value: { value: { cidr: '10.0.0.0/8' }, type: ['object', {}] } }]]);
    expect(attributes).toEqual({ ingress: SENSITIVE_MARKER, name: 'sg' });
  });

  it('conceals everything for an empty path, and ignores paths to absent or null values', () => {
    const all: Record<string, unknown> = { x: 'CanaryX-1', y: null };
    conceal(all, [[]]);
    expect(all).toEqual({ x: SENSITIVE_MARKER, y: null });
    const partial: Record<string, unknown> = { x: null };
    expect(conceal(partial, [[{ type: 'get_attr', value: 'x' }], [{ type: 'get_attr', value: 'missing' }]]).count).toBe(0);
    expect(partial).toEqual({ x: null });
  });
});

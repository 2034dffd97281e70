/** The CIS catalogs and their map: whole, consistent, and every check's CIS id a real control. */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/registry.js';
import { CIS_AWS_V3 } from './cis-aws-v3.js';
import { CIS_AWS_V5 } from './cis-aws-v5.js';
import { COMPLIANCE_FRAMEWORKS } from './frameworks.js';

describe('CIS catalogs', () => {
  it('hold every control of v3.0.0 and v5.0.0 once, automated or manual', () => {
    for (const catalog of [CIS_AWS_V3, CIS_AWS_V5]) {
      const ids = catalog.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of catalog) expect(c.section.startsWith(`${c.id.split('.')[0]} `), c.id).toBe(true);
    }
    expect(CIS_AWS_V3).toHaveLength(62);
    expect(CIS_AWS_V3.filter((c) => c.type === 'manual').map((c) => c.id)).toEqual(['1.1', '1.3', '1.11', '1.18', '1.21', '1.22', '2.1.2', '2.1.3', '5.5']);
    expect(CIS_AWS_V5).toHaveLength(63);
  });

  it('map v3.0.0 onto v5.0.0 one to one, except the control v5 dropped and the two it added', () => {
    const v5 = new Set(CIS_AWS_V5.map((c) => c.id));
    const targets = CIS_AWS_V3.flatMap((c) => (c.v5 ? [c.v5] : []));
    for (const t of targets) expect(v5.has(t), t).toBe(true);
    expect(new Set(targets).size).toBe(targets.length);
    expect(CIS_AWS_V3.filter((c) => c.v5 === null).map((c) => c.id)).toEqual(['1.3']);
    expect(CIS_AWS_V5.filter((c) => !targets.includes(c.id)).map((c) => c.id)).toEqual(['2.2.4', '5.1.2']);
    // Titles travel with the control: the renumbering is not a reshuffle.
    const titles = new Map(CIS_AWS_V5.map((c) => [c.id, c.title]));
    expect(titles.get(CIS_AWS_V3.find((c) => c.id === '2.2.1')!.v5!)).toBe('EBS volume encryption is enabled in all regions');
    expect(titles.get(CIS_AWS_V3.find((c) => c.id === '5.1')!.v5!)).toMatch(/network ACL/);
  });

  it("names, in every check's metadata, only controls that exist in v3.0.0", () => {
    const v3 = new Set(CIS_AWS_V3.map((c) => c.id));
    for (const { metadata: m } of CHECKS) for (const id of m.cis ?? []) expect(v3.has(id), `${m.id}: CIS ${id}`).toBe(true);
  });

  it('reaches v5.0.0 through the map', () => {
    const [v3, v5] = COMPLIANCE_FRAMEWORKS;
    expect(v3!.controlsOf({ cis: ['5.2', '5.3'] })).toEqual(['5.2', '5.3']);
    expect(v5!.controlsOf({ cis: ['5.2', '5.3'] })).toEqual(['5.3', '5.4']);
    expect(v5!.controlsOf({ cis: ['1.3'] })).toEqual([]);
    expect(v5!.counterparts('5.1.1')).toEqual(['2.2.1']);
    expect(v3!.counterparts('2.2.1')).toEqual(['5.1.1']);
  });
});

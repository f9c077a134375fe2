import { describe, expect, it } from 'vitest';
import { genericCarotidBifurcation } from './generic-carotid.js';
import { addStenosis, detectStenoses, referenceRadiusMm } from './stenosis.js';
import { arcLengthsMm, parseVesselTree } from './vessel-tree.js';

describe('parseVesselTree', () => {
  const ok = {
    branches: [
      {
        name: 'cca',
        points: [
          [0, 0, 0],
          [0, 0, 10],
        ],
        radii: [3, 3],
      },
      {
        name: 'ica',
        parent: 'cca',
        points: [
          [0, 0, 10],
          [0, 1, 20],
        ],
        radii: [2.5, 2.5],
      },
    ],
  };

  it('accepts a well-formed tree', () => {
    expect(parseVesselTree(ok).branches.map((b) => b.name)).toEqual(['cca', 'ica']);
  });

  it.each([
    [{}, /branches/],
    [{ branches: [] }, /no branches/],
    [{ branches: [{ name: 'a', points: [[0, 0, 0]], radii: [1] }] }, /at least 2/],
    [
      {
        branches: [
          {
            name: 'a',
            points: [
              [0, 0, 0],
              [0, 0, 1],
            ],
            radii: [1],
          },
        ],
      },
      /one value per point/,
    ],
    [
      {
        branches: [
          {
            name: 'a',
            points: [
              [0, 0, 0],
              [0, 0, 1],
            ],
            radii: [1, 0],
          },
        ],
      },
      /radius 1/,
    ],
    [
      {
        branches: [
          {
            name: 'a',
            points: [
              [0, 0, 0],
              [0, 0],
            ],
            radii: [1, 1],
          },
        ],
      },
      /point 1/,
    ],
    [
      {
        branches: [
          {
            name: 'a',
            points: [
              [0, 0, 0],
              [0, 0, 0],
            ],
            radii: [1, 1],
          },
        ],
      },
      /coincide/,
    ],
    [{ branches: [...ok.branches, { ...ok.branches[1], name: 'cca' }] }, /used twice/],
    [{ branches: [ok.branches[0], { ...ok.branches[1], parent: 'nope' }] }, /not a branch/],
    [{ branches: [{ ...ok.branches[0], parent: 'ica' }, ok.branches[1]] }, /exactly one root/],
  ])('rejects %j', (data, message) => {
    expect(() => parseVesselTree(data)).toThrow(message);
  });
});

describe('genericCarotidBifurcation', () => {
  const tree = genericCarotidBifurcation();
  const [cca, ica, eca] = tree.branches;

  it('has the Bharadvaj proportions for D = 8 mm: ICA 0.7 D, ECA 0.58 D, bulb 1.1 D', () => {
    expect(cca?.radii.every((r) => r === 4)).toBe(true);
    expect(ica?.radii.at(-1)).toBeCloseTo(2.8, 12);
    expect(Math.max(...(ica?.radii ?? []))).toBeCloseTo(4.4, 12);
    expect(eca?.radii.every((r) => Math.abs(r - 2.32) < 1e-12)).toBe(true);
    // the bulb maximum is 1 D past the divider
    const s = arcLengthsMm(ica ?? { name: '', points: [], radii: [] });
    const iMax = ica?.radii.indexOf(Math.max(...ica.radii)) ?? -1;
    expect(s[iMax]).toBeCloseTo(8, 0);
  });

  it('branches at 25° either side of the CCA axis, in one plane', () => {
    const dir = (p: readonly (readonly number[])[]): number[] => {
      const a = p[0] ?? [];
      const b = p.at(-1) ?? [];
      const d = [0, 1, 2].map((k) => (b[k] ?? 0) - (a[k] ?? 0));
      const n = Math.hypot(...d);
      return d.map((x) => x / n);
    };
    const angle = (u: number[], v: number[]): number =>
      (Math.acos(u.reduce((acc, x, k) => acc + x * (v[k] ?? 0), 0)) * 180) / Math.PI;
    const c = dir(cca?.points ?? []);
    expect(angle(c, dir(ica?.points ?? []))).toBeCloseTo(25, 9);
    expect(angle(c, dir(eca?.points ?? []))).toBeCloseTo(25, 9);
    expect(angle(dir(ica?.points ?? []), dir(eca?.points ?? []))).toBeCloseTo(50, 9);
    expect(ica?.points.every((p) => p[0] === 0)).toBe(true);
  });
});

describe('addStenosis and detectStenoses', () => {
  const tree = genericCarotidBifurcation();

  it('narrows the ICA bulb to (1 − p)·d_distal over Ls', () => {
    const { tree: narrowed, stenosis } = addStenosis(tree, { percent: 60, lengthMm: 12 });
    const ica = narrowed.branches.find((b) => b.name === 'ica');
    expect(ica).toBeDefined();
    if (ica === undefined) return;
    expect(stenosis.referenceDiameterMm).toBeCloseTo(5.6, 9);
    expect(Math.min(...ica.radii)).toBeCloseTo(0.4 * 2.8, 9);
    expect(stenosis.endMm - stenosis.startMm).toBeCloseTo(12, 9);
    expect((stenosis.startMm + stenosis.endMm) / 2).toBeCloseTo(8, 9);
    expect(referenceRadiusMm(ica)).toBeCloseTo(2.8, 9);
    // points outside the lesion are untouched
    const s = arcLengthsMm(ica);
    const original = tree.branches[1];
    expect(ica.radii.at(-1)).toBe(original?.radii.at(-1));
    expect(s.at(-1)).toBeCloseTo(60, 9);
  });

  it('finds a lesion from the radii, and none in a healthy tree', () => {
    expect(detectStenoses(tree)).toEqual([]);
    const { tree: narrowed } = addStenosis(tree, { percent: 70, lengthMm: 10, centerMm: 40 });
    const found = detectStenoses(narrowed);
    expect(found).toHaveLength(1);
    expect(found[0]?.branch).toBe('ica');
    // the distal ICA is straight, so the detected span is the lesion, less its shallow edges
    expect(found[0]?.startMm).toBeGreaterThan(35);
    expect(found[0]?.endMm).toBeLessThan(45);
    expect((found[0]?.endMm ?? 0) - (found[0]?.startMm ?? 0)).toBeGreaterThan(7);
  });

  it('refuses a lesion longer than the branch or outside (0, 100) %', () => {
    expect(() => addStenosis(tree, { percent: 100, lengthMm: 10 })).toThrow(/\(0, 100\)/);
    expect(() => addStenosis(tree, { percent: 50, lengthMm: 100 })).toThrow(/shorter than branch/);
    expect(() => addStenosis(tree, { branch: 'vert', percent: 50, lengthMm: 10 })).toThrow(
      /no branch/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { carotidMeshStats } from '../carotid-mesh-stats.js';
import { marchingTetrahedra } from './marching-tetrahedra.js';

/** Signed distance to spheres (union), sampled on an n³ grid of spacing h centred on 0. */
function spheres(
  n: number,
  h: number,
  list: readonly (readonly [number, number, number, number])[],
) {
  const field = new Float32Array(n * n * n);
  const o = (-(n - 1) / 2) * h;
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        let d = Infinity;
        for (const [x, y, z, r] of list)
          d = Math.min(d, Math.hypot(o + i * h - x, o + j * h - y, o + k * h - z) - r);
        field[i + n * (j + n * k)] = d;
      }
  return { field, origin: [o, o, o] as const };
}

describe('marchingTetrahedra', () => {
  it('closes a sphere with the right volume and area, outward-facing', () => {
    const h = 0.25;
    const { field, origin } = spheres(56, h, [[0.1, -0.05, 0.03, 5]]);
    const stats = carotidMeshStats(marchingTetrahedra(field, 56, 56, 56, origin, h));
    expect(stats.watertight).toBe(true);
    expect(stats.eulerCharacteristic).toBe(2);
    expect(stats.volumeMm3 / ((4 / 3) * Math.PI * 125)).toBeCloseTo(1, 2);
    expect(stats.areaMm2 / (4 * Math.PI * 25)).toBeCloseTo(1, 1);
  });

  it('keeps separate bodies separate (Euler characteristic 2 each)', () => {
    const { field, origin } = spheres(40, 0.25, [
      [-2.5, 0, 0, 1.5],
      [2.5, 0, 0, 1.5],
    ]);
    const stats = carotidMeshStats(marchingTetrahedra(field, 40, 40, 40, origin, 0.25));
    expect(stats.watertight).toBe(true);
    expect(stats.eulerCharacteristic).toBe(4);
  });

  it('returns an empty mesh for a field that never crosses zero', () => {
    const m = marchingTetrahedra(new Float32Array(27).fill(1), 3, 3, 3, [0, 0, 0], 1);
    expect(m.triangles.length).toBe(0);
    expect(m.points.length).toBe(0);
  });
});

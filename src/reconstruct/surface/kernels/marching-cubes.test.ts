import { describe, expect, it } from 'vitest';
import { marchingCubes, marchingCubesTable } from './marching-cubes.js';
import { countEdges } from './mesh-topology.js';
import { meshArea, meshVolume } from './mesh-measures.js';

/** A deterministic pseudo-random generator (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('marchingCubes', () => {
  it('builds a table with triangles for every mixed case and none for empty or full cubes', () => {
    const { offsets } = marchingCubesTable();
    expect(offsets[1]! - offsets[0]!).toBe(0);
    expect(offsets[255 * 64 + 1]! - offsets[255 * 64]!).toBe(0);
    for (let c = 1; c < 255; c++)
      expect(offsets[c * 64 + 1]! - offsets[c * 64]!).toBeGreaterThan(0);
  });

  it('is crack-free on random fields: every edge shared by two triangles of opposite winding', () => {
    const next = rng(7);
    const n = 18;
    for (let trial = 0; trial < 12; trial++) {
      const f = new Float32Array(n * n * n);
      for (let k = 0; k < n; k++) {
        for (let j = 0; j < n; j++) {
          for (let i = 0; i < n; i++) {
            const border =
              i === 0 || j === 0 || k === 0 || i === n - 1 || j === n - 1 || k === n - 1;
            f[i + n * (j + n * k)] = border ? -1 : next() - 0.5;
          }
        }
      }
      const s = marchingCubes(f, n, n, n, 0);
      const e = countEdges(s.triangles, s.points.length / 3);
      expect(e).toMatchObject({ boundary: 0, nonManifold: 0, misoriented: 0 });
      expect(s.triangles.length).toBeGreaterThan(1000);
      // Closed and outward (normals towards the lower values, and the border is low).
      expect(meshVolume({ points: s.points, triangles: s.triangles })).toBeGreaterThan(0);
    }
  });

  it('shares vertices: no two vertices coincide, and each lies on a grid edge', () => {
    const n = 24;
    const f = new Float32Array(n * n * n);
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++)
          f[i + n * (j + n * k)] = 8 - Math.hypot(i - 11.3, j - 12.1, k - 10.7);
    const s = marchingCubes(f, n, n, n, 0);
    const keys = new Set<string>();
    for (let v = 0; v < s.points.length; v += 3) {
      const p = [s.points[v]!, s.points[v + 1]!, s.points[v + 2]!];
      keys.add(p.join(','));
      expect(p.filter((x) => x !== Math.round(x)).length).toBeLessThanOrEqual(1);
    }
    expect(keys.size).toBe(s.points.length / 3);
  });

  it('reproduces a sphere of a distance field within 0.5 % in volume and area', () => {
    const n = 40;
    const r = 15;
    const f = new Float32Array(n * n * n);
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++)
          f[i + n * (j + n * k)] = r - Math.hypot(i - 19.3, j - 20.1, k - 18.7);
    const s = marchingCubes(f, n, n, n, 0);
    const mesh = { points: s.points, triangles: s.triangles };
    expect(meshVolume(mesh) / ((4 / 3) * Math.PI * r ** 3)).toBeCloseTo(1, 2);
    expect(Math.abs(meshArea(mesh) / (4 * Math.PI * r * r) - 1)).toBeLessThan(0.005);
  });

  it('returns nothing for a constant field', () => {
    const s = marchingCubes(new Float32Array(27).fill(1), 3, 3, 3, 0.5);
    expect(s.triangles.length).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../core/index.js';
import { FE_CELL_TYPE } from './fe-mesh.js';
import { feMeshQuality } from './fe-mesh-quality.js';
import { sweepOGridMesh } from './sweep-ogrid.js';
import type { FeCenterlineBranch } from './sweep-ogrid.js';

const R = 4;
const L = 40;
const straight: FeCenterlineBranch = {
  name: 'cca',
  points: [
    [0, 0, 0],
    [0, 0, L],
  ],
  radii: [R, R],
};

/** A planar circular arc (a torus section) of centre radius `bend` in the xy plane. */
function arc(bend: number, angle: number, samples: number, radius: number): FeCenterlineBranch {
  const points: Vec3[] = [];
  for (let i = 0; i <= samples; i++) {
    const a = (angle * i) / samples;
    points.push([bend * Math.cos(a), bend * Math.sin(a), 0]);
  }
  return { name: 'arc', points, radii: points.map(() => radius) };
}

describe('sweepOGridMesh', () => {
  it('meshes a cylinder within 1 % of πR²L at 32 sectors, converging as 1/sectors²', () => {
    const exact = Math.PI * R * R * L;
    const errors = [16, 32, 64].map((sectors) => {
      // A straight cylinder's volume does not depend on the axial cell count: keep it small.
      const q = feMeshQuality(sweepOGridMesh([straight], { sectors, axialSizeMm: 5 }).mesh);
      expect(q.inverted).toBe(0);
      expect(q.wedges).toBe(0);
      return Math.abs(q.volumeMm3 / exact - 1);
    });
    expect(errors[1]).toBeLessThan(0.01);
    // The inscribed polygon's error: 1 − sin(2π/N)·N/(2π) ≈ 6.58 / N².
    expect(errors[1]).toBeCloseTo(1 - (Math.sin((2 * Math.PI) / 32) * 32) / (2 * Math.PI), 9);
    expect((errors[0] ?? 0) / (errors[1] ?? 1)).toBeCloseTo(4, 0);
    expect((errors[1] ?? 0) / (errors[2] ?? 1)).toBeCloseTo(4, 0);
  });

  it('builds a butterfly O-grid of good hexahedra', () => {
    const q = feMeshQuality(sweepOGridMesh([straight], { sectors: 32 }).mesh);
    // The core square's corners meet the ring at 45° and 135°: scaled Jacobian √2/2.
    expect(q.minScaledJacobian).toBeCloseTo(Math.SQRT1_2, 6);
    expect(q.meanScaledJacobian).toBeGreaterThan(0.95);
  });

  it('adds a wall layer as a second region of the right volume', () => {
    const t = 0.8;
    const { mesh } = sweepOGridMesh([straight], {
      sectors: 48,
      wallThicknessMm: t,
      axialSizeMm: 4,
    });
    expect(mesh.regionList).toEqual([
      { id: 1, name: 'lumen' },
      { id: 2, name: 'wall' },
    ]);
    const polygon = (r: number): number => 0.5 * 48 * r * r * Math.sin((2 * Math.PI) / 48) * L;
    const q = feMeshQuality(mesh);
    expect(q.inverted).toBe(0);
    // Per-region volumes from the element sets.
    const wallCells = mesh.elementSets['wall']?.length ?? 0;
    const lumenCells = mesh.elementSets['lumen']?.length ?? 0;
    expect(wallCells + lumenCells).toBe(q.cells);
    const lumenOnly = feMeshQuality(
      sweepOGridMesh([straight], { sectors: 48, axialSizeMm: 4 }).mesh,
    );
    const lumen = lumenOnly.volumeMm3;
    const wall = q.volumeMm3 - lumen;
    expect(lumen).toBeCloseTo(polygon(R), 6);
    expect(wall).toBeCloseTo(polygon(R + t) - polygon(R), 6);
    // Outer surface nodes at R + t from the axis, lumen surface nodes at R.
    for (const n of mesh.nodeSets['wall'] ?? []) {
      expect(Math.hypot(mesh.points[3 * n] ?? 0, mesh.points[3 * n + 1] ?? 0)).toBeCloseTo(
        R + t,
        9,
      );
    }
    for (const n of mesh.nodeSets['lumen_surface'] ?? []) {
      expect(Math.hypot(mesh.points[3 * n] ?? 0, mesh.points[3 * n + 1] ?? 0)).toBeCloseTo(R, 9);
    }
  });

  it('puts the inlet nodes of a curved branch exactly on one plane through its first point', () => {
    const branch = arc(20, Math.PI / 2, 7, R);
    const { mesh } = sweepOGridMesh([branch], { sectors: 16 });
    const inlet = Array.from(mesh.nodeSets['inlet'] ?? [], (n) =>
      Array.from(mesh.points.subarray(3 * n, 3 * n + 3)),
    );
    const [a = [], b = [], c = []] = [inlet[0], inlet[1], inlet[inlet.length - 1]];
    const u = [0, 1, 2].map((k) => (b[k] ?? 0) - (a[k] ?? 0));
    const v = [0, 1, 2].map((k) => (c[k] ?? 0) - (a[k] ?? 0));
    const normal = [
      (u[1] ?? 0) * (v[2] ?? 0) - (u[2] ?? 0) * (v[1] ?? 0),
      (u[2] ?? 0) * (v[0] ?? 0) - (u[0] ?? 0) * (v[2] ?? 0),
      (u[0] ?? 0) * (v[1] ?? 0) - (u[1] ?? 0) * (v[0] ?? 0),
    ];
    const length = Math.hypot(...normal);
    const distance = (p: readonly number[]): number =>
      normal.reduce((s, x, k) => s + (x * ((p[k] ?? 0) - (a[k] ?? 0))) / length, 0);
    for (const p of inlet) expect(distance(p)).toBeCloseTo(0, 9);
    expect(distance(branch.points[0] ?? [])).toBeCloseTo(0, 9);
  });

  it('puts inlet and outlet nodes on the end planes and lumen caps only', () => {
    const { mesh } = sweepOGridMesh([straight], { sectors: 16, wallThicknessMm: 1 });
    const inlet = mesh.nodeSets['inlet'] ?? new Uint32Array();
    const outlet = mesh.nodeSets['outlet_cca'] ?? new Uint32Array();
    expect(inlet.length).toBeGreaterThan(0);
    expect(outlet.length).toBe(inlet.length);
    for (const n of inlet) {
      expect(mesh.points[3 * n + 2]).toBeCloseTo(0, 12);
      expect(Math.hypot(mesh.points[3 * n] ?? 0, mesh.points[3 * n + 1] ?? 0)).toBeLessThan(
        R + 1e-9,
      );
    }
    for (const n of outlet) expect(mesh.points[3 * n + 2]).toBeCloseTo(L, 12);
    // The caps are lumen faces: (16/4)² core + 16 × radialCells ring cells.
    expect((mesh.surfaces['inlet']?.length ?? 0) / 2).toBe(16 + 16 * 2);
    expect(mesh.surfaces['wall_ends']?.length).toBe(2 * 2 * 16 * 2);
  });

  it('keeps an elliptic lumen of semi-axes a, b at π·a·b per unit length', () => {
    const q = feMeshQuality(
      sweepOGridMesh([{ ...straight, radii: [5, 5], minorRadii: [3, 3] }], { sectors: 64 }).mesh,
    );
    expect(q.inverted).toBe(0);
    expect(Math.abs(q.volumeMm3 / (Math.PI * 15 * L) - 1)).toBeLessThan(0.002);
  });

  it('sweeps a curved (torus-arc) centerline without inverted cells or twist', () => {
    const bend = 20;
    const branch = arc(bend, Math.PI, 90, R);
    const { mesh } = sweepOGridMesh([branch], { sectors: 32, referenceVector: [0, 0, 1] });
    const q = feMeshQuality(mesh);
    expect(q.inverted).toBe(0);
    expect(q.minScaledJacobian).toBeGreaterThan(0.6);
    // Pappus: a torus section of tube radius R over arc length bend·π has volume πR²·bend·π;
    // the chords of the resampled centerline and the section polygon lose a little.
    const exact = Math.PI * R * R * bend * Math.PI;
    expect(Math.abs(q.volumeMm3 / exact - 1)).toBeLessThan(0.01);
    // No twist: for a planar curve the rotation-minimizing r axis stays the plane normal (+z), so
    // each section's node at angle 0 on the lumen circle has z = +R (it would drift otherwise).
    const top = Array.from(mesh.nodeSets['wall'] ?? [], (n) => mesh.points[3 * n + 2] ?? 0);
    expect(Math.max(...top)).toBeCloseTo(R, 9);
    expect(Math.min(...top)).toBeCloseTo(-R, 9);
    // Inlet nodes lie on the inlet plane: through (bend, 0, 0) with normal the start tangent +y
    // (estimated to second order from the samples: off by under 1e-3 rad).
    for (const n of mesh.nodeSets['inlet'] ?? []) {
      expect(Math.abs(mesh.points[3 * n + 1] ?? 1)).toBeLessThan(5e-3);
    }
  });

  it('uses rotation-minimizing frames on a helix: no inverted cells', () => {
    const points: Vec3[] = [];
    for (let i = 0; i <= 120; i++) {
      const a = (4 * Math.PI * i) / 120;
      points.push([15 * Math.cos(a), 15 * Math.sin(a), 4 * a]);
    }
    const q = feMeshQuality(
      sweepOGridMesh([{ name: 'helix', points, radii: points.map(() => 3) }], {
        sectors: 24,
        wallThicknessMm: 0.5,
      }).mesh,
    );
    expect(q.inverted).toBe(0);
    expect(q.minScaledJacobian).toBeGreaterThan(0.5);
  });

  it('meshes a bifurcation as three branches and reports the non-conforming junction', () => {
    const { mesh, junctions } = sweepOGridMesh(
      [
        {
          name: 'cca',
          points: [
            [0, 0, -30],
            [0, 0, 0],
          ],
          radii: [4, 4],
        },
        {
          name: 'ica',
          points: [
            [0, 0, 0],
            [3, 0, 10],
            [5, 0, 30],
          ],
          radii: [3.5, 3, 2.8],
        },
        {
          name: 'eca',
          points: [
            [0, 0, 0],
            [-3, 0, 10],
            [-5, 0, 25],
          ],
          radii: [2.5, 2.3, 2],
        },
      ],
      { sectors: 24, wallThicknessMm: 0.6 },
    );
    expect(junctions).toEqual([{ parent: 'cca', children: ['ica', 'eca'], conforming: false }]);
    expect(Object.keys(mesh.surfaces).sort()).toEqual([
      'inlet',
      'lumen_surface',
      'outlet_eca',
      'outlet_ica',
      'wall',
      'wall_ends',
    ]);
    for (const set of ['branch_cca', 'branch_ica', 'branch_eca', 'lumen', 'wall']) {
      expect(mesh.elementSets[set]?.length, set).toBeGreaterThan(0);
    }
    for (const n of mesh.nodeSets['inlet'] ?? [])
      expect(mesh.points[3 * n + 2]).toBeCloseTo(-30, 9);
    expect(feMeshQuality(mesh).inverted).toBe(0);
  });

  it('offers a polar core of wedges around the axis', () => {
    const { mesh } = sweepOGridMesh([straight], { sectors: 24, core: 'polar', radialCells: 3 });
    const q = feMeshQuality(mesh);
    expect(q.wedges).toBe((24 * (mesh.elementSets['branch_cca']?.length ?? 0)) / (24 * 3));
    expect(mesh.cellTypes.includes(FE_CELL_TYPE.wedge)).toBe(true);
    expect(q.inverted).toBe(0);
    const polygon = 0.5 * 24 * R * R * Math.sin((2 * Math.PI) / 24) * L;
    expect(q.volumeMm3).toBeCloseTo(polygon, 6);
  });

  it('rejects bad input with ERR_MESH_INPUT', () => {
    expect(() => sweepOGridMesh([straight], { sectors: 30 })).toThrow(/multiple of 4/);
    expect(() => sweepOGridMesh([{ ...straight, radii: [4] }])).toThrow(/2 points but 1 radii/);
    expect(() => sweepOGridMesh([{ ...straight, radii: [4, -1] }])).toThrow(/positive/);
    expect(() => sweepOGridMesh([straight, straight])).toThrow(/used twice/);
    expect(() => sweepOGridMesh([{ ...straight, name: 'a b' }])).toThrow(/letters/);
    expect(() => sweepOGridMesh([])).toThrow(/at least one/);
  });
});

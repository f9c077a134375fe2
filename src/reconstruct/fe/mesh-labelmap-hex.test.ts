import { describe, expect, it } from 'vitest';
import { IDENTITY_DIRECTION, createVolume } from '../../core/index.js';
import type { Labelmap, Mat3, Vec3 } from '../../core/index.js';
import { feFacetNodes } from './fe-mesh.js';
import { feMeshQuality } from './fe-mesh-quality.js';
import { feSurfaceArea, meshLabelmapHex } from './mesh-labelmap-hex.js';

/** A label map filled by `label(x, y, z)` at voxel centres (mm, identity direction unless given). */
function phantom(
  n: readonly [number, number, number],
  spacing: Vec3,
  label: (x: number, y: number, z: number) => number,
  direction: Mat3 = IDENTITY_DIRECTION,
): Labelmap {
  const data = new Uint8Array(n[0] * n[1] * n[2]);
  for (let k = 0; k < n[2]; k++) {
    for (let j = 0; j < n[1]; j++) {
      for (let i = 0; i < n[0]; i++) {
        const x = (i - (n[0] - 1) / 2) * spacing[0];
        const y = (j - (n[1] - 1) / 2) * spacing[1];
        const z = (k - (n[2] - 1) / 2) * spacing[2];
        data[i + j * n[0] + k * n[0] * n[1]] = label(x, y, z);
      }
    }
  }
  // Origin at the centre of voxel 0 so that the grid is centred on (0, 0, 0) (identity direction).
  const origin: Vec3 = [
    (-(n[0] - 1) / 2) * spacing[0],
    (-(n[1] - 1) / 2) * spacing[1],
    (-(n[2] - 1) / 2) * spacing[2],
  ];
  return createVolume({ dimensions: n, spacing, origin, direction, data });
}

const R = 8;
const sphere = phantom([22, 22, 22], [1, 1, 1], (x, y, z) =>
  x * x + y * y + z * z <= R * R ? 1 : 0,
);
const sphereVolume = (4 / 3) * Math.PI * R ** 3;
const sphereVoxels = sphere.data.reduce((s, v) => s + v, 0);

describe('meshLabelmapHex', () => {
  it('meshes one cube per voxel with shared nodes and perfect cells', () => {
    const { mesh } = meshLabelmapHex(sphere);
    const q = feMeshQuality(mesh);
    expect(q.cells).toBe(sphereVoxels);
    expect(q.minScaledJacobian).toBe(1);
    expect(q.inverted).toBe(0);
    expect(q.maxAspectRatio).toBeCloseTo(1, 12);
    expect(q.volumeMm3).toBeCloseTo(sphereVoxels, 6);
    // The voxel sphere's volume error against 4/3·π·R³ (R = 8 voxels): about 0.6 %.
    expect(Math.abs(q.volumeMm3 / sphereVolume - 1)).toBeLessThan(0.02);
    // Shared nodes: every node used, none duplicated.
    const used = new Uint8Array(q.nodes);
    for (const n of mesh.cells) used[n] = 1;
    expect(used.every((u) => u === 1)).toBe(true);
    const keys = new Set<string>();
    for (let n = 0; n < q.nodes; n++)
      keys.add(Array.from(mesh.points.subarray(3 * n, 3 * n + 3)).join());
    expect(keys.size).toBe(q.nodes);
    // Node count of a shared-node lattice: far below 8 per cell.
    expect(q.nodes).toBeLessThan(1.5 * q.cells);
  });

  it('names the outer surface and its nodes, with outward facets', () => {
    const { mesh } = meshLabelmapHex(sphere);
    const surface = mesh.surfaces['surface'];
    expect(surface).toBeDefined();
    const facets = (surface?.length ?? 0) / 2;
    expect(facets).toBeGreaterThan(0);
    expect(mesh.surfaces['boundary_1_0']?.length).toBe(surface?.length);
    // Outward: the facet normal points away from the sphere's centre, the origin.
    let outward = 0;
    for (let f = 0; f < facets; f++) {
      const nodes = feFacetNodes(mesh, surface?.[2 * f] ?? 0, surface?.[2 * f + 1] ?? 0);
      const p = (k: number, a: number): number => mesh.points[3 * (nodes[k] ?? 0) + a] ?? 0;
      const u = [0, 1, 2].map((a) => p(2, a) - p(0, a));
      const v = [0, 1, 2].map((a) => p(3, a) - p(1, a));
      const n = [
        (u[1] ?? 0) * (v[2] ?? 0) - (u[2] ?? 0) * (v[1] ?? 0),
        (u[2] ?? 0) * (v[0] ?? 0) - (u[0] ?? 0) * (v[2] ?? 0),
        (u[0] ?? 0) * (v[1] ?? 0) - (u[1] ?? 0) * (v[0] ?? 0),
      ];
      const centre = [0, 1, 2].map((a) => (p(0, a) + p(2, a)) / 2);
      if (n.reduce((s, x, a) => s + x * (centre[a] ?? 0), 0) > 0) outward++;
    }
    expect(outward).toBe(facets);
    // Surface nodes are exactly the nodes of the surface facets, none interior.
    expect(mesh.nodeSets['surface']?.length).toBeGreaterThan(0);
    expect(mesh.nodeSets['surface']?.length).toBeLessThan(mesh.points.length / 3);
  });

  it('smooths the boundary without inverting a cell and brings the area towards 4πR²', () => {
    const before = meshLabelmapHex(sphere).mesh;
    const { mesh, smoothing } = meshLabelmapHex(sphere, { smoothing: { iterations: 10 } });
    const q = feMeshQuality(mesh);
    expect(q.inverted).toBe(0);
    expect(q.minScaledJacobian).toBeGreaterThan(0.3);
    expect(q.minScaledJacobian).toBeLessThan(1);
    expect(smoothing?.accepted).toBeGreaterThan(0);
    const exact = 4 * Math.PI * R * R;
    const areaBefore = feSurfaceArea(before, before.surfaces['surface'] ?? new Uint32Array());
    const areaAfter = feSurfaceArea(mesh, mesh.surfaces['surface'] ?? new Uint32Array());
    // A staircase sphere has about 1.5× the true area; Taubin smoothing removes most of the excess.
    expect(areaBefore / exact).toBeGreaterThan(1.4);
    expect(areaAfter / exact).toBeLessThan(1.2);
    // Taubin does not shrink: the volume stays within 3 % of the analytic sphere.
    expect(Math.abs(q.volumeMm3 / sphereVolume - 1)).toBeLessThan(0.03);
  });

  it('resamples to an element size in mm by majority or centre sampling', () => {
    const fine = phantom([40, 40, 40], [0.5, 0.5, 0.5], (x, y, z) =>
      x * x + y * y + z * z <= 64 ? 1 : 0,
    );
    for (const sampling of ['majority', 'centre'] as const) {
      const result = meshLabelmapHex(fine, { elementSizeMm: 1, sampling });
      expect(result.gridDimensions).toEqual([20, 20, 20]);
      expect(result.elementSpacing).toEqual([1, 1, 1]);
      const q = feMeshQuality(result.mesh);
      expect(q.minScaledJacobian).toBeCloseTo(1, 12);
      expect(Math.abs(q.volumeMm3 / ((4 / 3) * Math.PI * 512) - 1)).toBeLessThan(0.05);
    }
    const twice = meshLabelmapHex(fine, { voxelsPerElement: 2 });
    expect(twice.gridDimensions).toEqual([20, 20, 20]);
  });

  it('keeps cells positive when the direction matrix mirrors an axis', () => {
    const mirrored = createVolume({ ...sphere, direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] });
    const q = feMeshQuality(meshLabelmapHex(mirrored).mesh);
    expect(q.minScaledJacobian).toBe(1);
    expect(q.volumeMm3).toBeCloseTo(sphereVoxels, 6);
  });

  it('gives each label an element set and names the faces between labels', () => {
    const shell = phantom([20, 20, 20], [1, 1, 1], (x, y, z) => {
      const r2 = x * x + y * y + z * z;
      return r2 <= 25 ? 1 : r2 <= 64 ? 2 : 0;
    });
    const both = meshLabelmapHex(shell).mesh;
    expect(both.regionList.map((r) => r.name)).toEqual(['label_1', 'label_2']);
    expect(both.elementSets['label_1']?.length).toBeGreaterThan(0);
    expect(both.elementSets['label_2']?.length).toBeGreaterThan(0);
    const wall = meshLabelmapHex(shell, { labels: [2] }).mesh;
    expect(wall.regionList).toEqual([{ id: 2, name: 'label_2' }]);
    // Meshing the wall alone: its inner surface faces label 1, its outer surface background.
    expect(wall.surfaces['boundary_2_1']?.length).toBeGreaterThan(0);
    expect(wall.surfaces['boundary_2_0']?.length).toBeGreaterThan(0);
    expect(() => meshLabelmapHex(shell, { labels: [7] })).toThrow(/none of labels 7/);
  });

  const cylinderR = 5;
  const cylinder = phantom([16, 16, 12], [1, 1, 2], (x, y) =>
    x * x + y * y <= cylinderR * cylinderR ? 1 : 0,
  );

  it('finds vessel openings where the label touches the volume sides', () => {
    const { mesh, openings } = meshLabelmapHex(cylinder, { openings: 'grid-sides' });
    expect(openings.map((o) => o.name).sort()).toEqual(['inlet', 'outlet_1']);
    const inlet = mesh.nodeSets['inlet'];
    expect(inlet?.length).toBeGreaterThan(0);
    // Both caps lie on the volume's end planes z = ∓(12 / 2)·2 mm.
    const zs = new Set(Array.from(inlet ?? [], (n) => mesh.points[3 * n + 2]));
    expect(zs.size).toBe(1);
    expect(Math.abs([...zs][0] ?? 0)).toBeCloseTo(12, 12);
    const facets = (name: string): number => (mesh.surfaces[name]?.length ?? 0) / 2;
    expect(facets('wall')).toBeGreaterThan(0);
    expect(facets('wall') + facets('inlet') + facets('outlet_1')).toBe(facets('surface'));
    // Cap area: the voxelised disc, within 10 % of πR².
    expect(openings[0]?.areaMm2 ?? 0).toBeCloseTo(openings[1]?.areaMm2 ?? 1, 9);
    expect(Math.abs((openings[0]?.areaMm2 ?? 0) / (Math.PI * cylinderR ** 2) - 1)).toBeLessThan(
      0.1,
    );
    // Volume of the hex mesh against πR²L.
    const q = feMeshQuality(mesh);
    expect(Math.abs(q.volumeMm3 / (Math.PI * cylinderR ** 2 * 24) - 1)).toBeLessThan(0.05);
  });

  it('keeps opening nodes on their plane while smoothing', () => {
    const { mesh } = meshLabelmapHex(cylinder, {
      openings: 'grid-sides',
      smoothing: { iterations: 8 },
    });
    for (const name of ['inlet', 'outlet_1']) {
      const zs = Array.from(mesh.nodeSets[name] ?? [], (n) => mesh.points[3 * n + 2] ?? 0);
      expect(Math.max(...zs) - Math.min(...zs)).toBeLessThan(1e-9);
    }
    expect(feMeshQuality(mesh).inverted).toBe(0);
  });

  it('names openings from user planes', () => {
    const { mesh, openings } = meshLabelmapHex(cylinder, {
      openings: {
        planes: [
          { name: 'inlet', point: [0, 0, -12], normal: [0, 0, 1] },
          { name: 'outlet_top', point: [0, 0, 12], normal: [0, 0, -2], radiusMm: 10 },
        ],
      },
    });
    expect(openings.map((o) => o.name)).toEqual(['inlet', 'outlet_top']);
    expect(openings[0]?.centre[2]).toBeCloseTo(-12, 9);
    expect(openings[1]?.centre[2]).toBeCloseTo(12, 9);
    for (const n of mesh.nodeSets['inlet'] ?? []) expect(mesh.points[3 * n + 2]).toBe(-12);
    expect(() =>
      meshLabelmapHex(cylinder, {
        openings: { planes: [{ name: 'wall', point: [0, 0, 0], normal: [0, 0, 1] }] },
      }),
    ).toThrow(/reserved/);
  });

  it('rejects empty label maps and bad sizes', () => {
    const empty = phantom([4, 4, 4], [1, 1, 1], () => 0);
    expect(() => meshLabelmapHex(empty)).toThrow(/nothing to mesh/);
    expect(() => meshLabelmapHex(sphere, { elementSizeMm: -1 })).toThrow(/must be positive/);
    expect(() => meshLabelmapHex(sphere, { voxelsPerElement: 1.5 })).toThrow(/positive integer/);
  });
});

import { describe, expect, it } from 'vitest';
import { createVolume } from '../../core/index.js';
import type { Labelmap, Mat3 } from '../../core/index.js';
import {
  checkWatertight,
  eulerCharacteristic,
  extractIsosurface,
  labelSurface,
  labelSurfaces,
  labelsOf,
  meshBounds,
  meshComponents,
  meshVolume,
  phantomLabelmap,
  sphereShape,
} from './index.js';

/** A box of label `value` over voxels [lo, hi] (inclusive) in an n³ volume. */
function boxLabelmap(n: number, lo: number, hi: number, extra: Partial<Labelmap> = {}): Labelmap {
  const data = new Uint8Array(n * n * n);
  for (let k = lo; k <= hi; k++)
    for (let j = lo; j <= hi; j++) for (let i = lo; i <= hi; i++) data[i + n * (j + n * k)] = 1;
  return createVolume({
    dimensions: [n, n, n],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    data,
    ...extra,
  });
}

describe('labelSurface', () => {
  it('maps voxel indices to LPS through origin, anisotropic spacing and a rotated direction', () => {
    // i along P (+y), j along R (−x), k along S: a proper rotation.
    const direction: Mat3 = [0, 1, 0, -1, 0, 0, 0, 0, 1];
    const lm = boxLabelmap(12, 3, 8, { origin: [10, -20, 5], spacing: [0.5, 2, 3], direction });
    const mesh = labelSurface(lm, 1, { smoothIterations: 0 });
    const [lo, hi] = meshBounds(mesh);
    // Binary contour at 0.5 lies half a voxel outside the labelled centres 3..8.
    // x = 10 − 2 j ∈ [10 − 2·8.5, 10 − 2·2.5]; y = −20 + 0.5 i ∈ [−18.75, −15.75]; z = 5 + 3 k.
    expect(lo[0]).toBeCloseTo(-7, 5);
    expect(hi[0]).toBeCloseTo(5, 5);
    expect(lo[1]).toBeCloseTo(-18.75, 5);
    expect(hi[1]).toBeCloseTo(-15.75, 5);
    expect(lo[2]).toBeCloseTo(12.5, 5);
    expect(hi[2]).toBeCloseTo(30.5, 5);
    // The exact box volume (6 voxels of 0.5 × 2 × 3 mm³ per side) minus the cut edges and corners.
    expect(meshVolume(mesh)).toBeGreaterThan(0);
    expect(checkWatertight(mesh).watertight).toBe(true);
  });

  it('keeps triangles outward for a mirrored (left-handed) grid', () => {
    const lm = boxLabelmap(10, 2, 7, { direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] });
    const mesh = labelSurface(lm, 1);
    expect(meshVolume(mesh)).toBeGreaterThan(0);
    // Normals point away from the centre.
    const n = mesh.normals!;
    const [lo, hi] = meshBounds(mesh);
    const c = [0, 1, 2].map((d) => (lo[d]! + hi[d]!) / 2);
    let outward = 0;
    for (let v = 0; v < mesh.points.length; v += 3) {
      const d = [0, 1, 2].reduce((s, a) => s + (mesh.points[v + a]! - c[a]!) * n[v + a]!, 0);
      if (d > 0) outward++;
    }
    expect(outward).toBe(mesh.points.length / 3);
  });

  it('closes labels that touch the volume border, and is a sphere topologically', () => {
    const lm = boxLabelmap(8, 0, 7);
    const mesh = labelSurface(lm, 1);
    expect(checkWatertight(mesh).watertight).toBe(true);
    expect(eulerCharacteristic(mesh)).toBe(2);
  });

  it('keeps the largest piece on request and lists labels', () => {
    const lm = phantomLabelmap(sphereShape([0, 0, 0], 6), { spacing: [1, 1, 1] });
    const data = lm.data;
    data[0] = 1; // a one-voxel island in the corner
    data[5] = 2;
    expect(labelsOf(lm)).toEqual([1, 2]);
    const all = labelSurface(lm, 1);
    expect(meshComponents(all).sizes.length).toBe(2);
    const largest = labelSurface(lm, 1, { keepLargest: true });
    expect(meshComponents(largest).sizes.length).toBe(1);
    expect(checkWatertight(largest).watertight).toBe(true);
    expect(labelSurfaces(lm).map((s) => s.label)).toEqual([1, 2]);
    expect(() => labelSurface(lm, 3)).toThrow(/no voxel has label 3: pick one of 1, 2/);
  });
});

describe('extractIsosurface', () => {
  it('contours a float volume at a level, open at the border unless closed', () => {
    const n = 16;
    const data = new Float32Array(n * n * n);
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) data[i + n * (j + n * k)] = k;
    const volume = createVolume({
      dimensions: [n, n, n],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      data,
    });
    const open = extractIsosurface(volume, 7.5);
    expect(checkWatertight(open).boundaryEdges).toBeGreaterThan(0);
    for (let v = 2; v < open.points.length; v += 3) expect(open.points[v]).toBeCloseTo(7.5, 5);
    const closed = extractIsosurface(volume, 7.5, { closed: true });
    expect(checkWatertight(closed).watertight).toBe(true);
    // Values ≥ 7.5 fill k = 7.5..15.5 (the cap half a voxel past the last slice), i and j = −0.5..15.5:
    // a 16 × 16 × 8 box whose border edges marching cubes chamfers (12 edge-units of 1/8 mm² each).
    const [lo, hi] = meshBounds(closed);
    expect([...lo, ...hi]).toEqual([-0.5, -0.5, 7.5, 15.5, 15.5, 15.5]);
    expect(meshVolume(closed)).toBeGreaterThan(16 * 16 * 8 - 24);
    expect(meshVolume(closed)).toBeLessThan(16 * 16 * 8 - 12);
  });
});

import { describe, expect, it } from 'vitest';
import type { TriangleMesh } from '../../core/index.js';
import {
  checkWatertight,
  decimateMesh,
  eulerCharacteristic,
  extractIsosurface,
  keepLargestComponent,
  labelSurface,
  measureMesh,
  meshArea,
  meshComponents,
  meshVolume,
  orientOutward,
  phantomLabelmap,
  smoothMesh,
  sphereShape,
  vertexNormals,
} from './index.js';
import { createVolume } from '../../core/index.js';

/** A unit-free torus (R = 12, r = 5) as the zero set of a float field on a 1 mm grid. */
function torus(): TriangleMesh {
  const n = 40;
  const data = new Float32Array(n * n * n);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const x = i - 19.5,
          y = j - 19.3,
          z = k - 19.7;
        data[i + n * (j + n * k)] = 5 - Math.hypot(Math.hypot(x, y) - 12, z);
      }
  return extractIsosurface(
    createVolume({
      dimensions: [n, n, n],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      data,
    }),
    0,
  );
}

const sphereLabels = phantomLabelmap(sphereShape([0.4, -0.3, 0.2], 10), { spacing: [1, 1, 1] });

describe('mesh measures and topology', () => {
  it('measures a torus: volume 2π²Rr², area 4π²Rr, Euler characteristic 0', () => {
    const mesh = torus();
    const m = measureMesh(mesh);
    // Marching cubes on a sampled distance field cuts chords through the curved surface.
    expect(Math.abs(m.volume / (2 * Math.PI ** 2 * 12 * 25) - 1)).toBeLessThan(0.015);
    expect(Math.abs(m.area / (4 * Math.PI ** 2 * 12 * 5) - 1)).toBeLessThan(0.015);
    expect(m.eulerCharacteristic).toBe(0);
    expect(m.components).toBe(1);
    expect(m.watertight.watertight).toBe(true);
    expect(m.extent[2]).toBeCloseTo(10, 0);
  });

  it('reports holes and misoriented triangles, and orientOutward repairs winding', () => {
    const mesh = labelSurface(sphereLabels, 1, { smoothIterations: 0 });
    const holed = { points: mesh.points, triangles: mesh.triangles.slice(3) };
    expect(checkWatertight(holed)).toMatchObject({ watertight: false, boundaryEdges: 3 });
    // Flip two triangles in three: most of the mesh is inside out.
    const scrambled = mesh.triangles.slice();
    let flips = 0;
    for (let t = 0; t < scrambled.length; t += 3) {
      if (t % 9 === 0) continue;
      [scrambled[t + 1], scrambled[t + 2]] = [scrambled[t + 2]!, scrambled[t + 1]!];
      flips++;
    }
    const bad = { points: mesh.points, triangles: scrambled };
    expect(checkWatertight(bad).misorientedEdges).toBeGreaterThan(0);
    const fixed = orientOutward(bad);
    expect(checkWatertight(fixed.mesh).watertight).toBe(true);
    expect(meshVolume(fixed.mesh)).toBeCloseTo(meshVolume(mesh), 6);
    expect(fixed.flipped).toBe(flips);
  });

  it('splits components and keeps the largest', () => {
    const a = labelSurface(sphereLabels, 1);
    const shifted = Float32Array.from(a.points, (x, i) => (i % 3 === 0 ? x + 40 : x));
    const small = labelSurface(
      phantomLabelmap(sphereShape([0, 0, 0], 4), { spacing: [1, 1, 1] }),
      1,
    );
    const n = shifted.length / 3;
    const both: TriangleMesh = {
      points: Float32Array.from([...a.points, ...small.points]),
      triangles: Uint32Array.from([...a.triangles, ...Array.from(small.triangles, (v) => v + n)]),
    };
    const parts = meshComponents(both);
    expect(parts.sizes).toEqual([a.triangles.length / 3, small.triangles.length / 3]);
    const largest = keepLargestComponent(both);
    expect(meshVolume(largest)).toBeCloseTo(meshVolume(a), 3);
    expect(largest.points.length).toBe(a.points.length);
  });

  it('computes outward unit normals', () => {
    const mesh = labelSurface(sphereLabels, 1);
    const n = vertexNormals(mesh);
    for (let v = 0; v < n.length; v += 3) {
      expect(Math.hypot(n[v]!, n[v + 1]!, n[v + 2]!)).toBeCloseTo(1, 5);
      const r = [mesh.points[v]! - 0.4, mesh.points[v + 1]! + 0.3, mesh.points[v + 2]! - 0.2];
      expect(
        (r[0]! * n[v]! + r[1]! * n[v + 1]! + r[2]! * n[v + 2]!) / Math.hypot(...r),
      ).toBeGreaterThan(0.9);
    }
  });
});

describe('smoothing and decimation', () => {
  it('windowed-sinc smoothing removes the staircase area excess without shrinking', () => {
    const raw = labelSurface(sphereLabels, 1, { smoothIterations: 0 });
    const smooth = smoothMesh(raw, { iterations: 20, passBand: 0.02 });
    const area = 4 * Math.PI * 100;
    expect(meshArea(raw) / area - 1).toBeGreaterThan(0.06);
    expect(Math.abs(meshArea(smooth) / area - 1)).toBeLessThan(0.01);
    expect(meshVolume(smooth) / meshVolume(raw)).toBeCloseTo(1, 2);
    expect(smooth.triangles).toBe(raw.triangles);
    expect(() => smoothMesh(raw, { passBand: 3 })).toThrow(/pass band/);
  });

  it('decimates to the target count, keeping the mesh closed and its volume', async () => {
    const mesh = labelSurface(sphereLabels, 1);
    const { mesh: small } = await decimateMesh(mesh, { targetTriangles: 400 });
    expect(small.triangles.length / 3).toBeLessThanOrEqual(400);
    expect(small.triangles.length / 3).toBeGreaterThan(300);
    expect(checkWatertight(small).watertight).toBe(true);
    expect(eulerCharacteristic(small)).toBe(2);
    expect(meshVolume(small) / meshVolume(mesh)).toBeGreaterThan(0.97);
    const same = await decimateMesh(mesh, { targetTriangles: 10 ** 6 });
    expect(same.mesh.triangles.length).toBe(mesh.triangles.length);
    await expect(decimateMesh(mesh, { targetTriangles: 2 })).rejects.toThrow(/≥ 4/);
  });
});

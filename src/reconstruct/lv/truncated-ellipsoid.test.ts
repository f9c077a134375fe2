import { describe, expect, it } from 'vitest';
import { ellipsoidSectionMask } from './ellipsoid-phantom.js';
import { isWatertight, meshVolume } from './mesh-volume.js';
import { biplaneVolume } from './method-of-discs.js';
import {
  fitTruncatedEllipsoid,
  truncatedEllipsoidLength,
  truncatedEllipsoidMesh,
  truncatedEllipsoidVolume,
} from './truncated-ellipsoid.js';
import type { TruncatedEllipsoid } from './truncated-ellipsoid.js';

const normal: TruncatedEllipsoid = {
  longSemiAxisMm: 56.7,
  shortSemiAxesMm: [25.5, 23.5],
  truncationMm: 28.35,
};

describe('truncatedEllipsoidVolume', () => {
  it('is 2/3·π·b₄·b₂·a for the half ellipsoid and the whole for h → a', () => {
    const half = { longSemiAxisMm: 60, shortSemiAxesMm: [25, 20] as const, truncationMm: 0 };
    expect(truncatedEllipsoidVolume(half)).toBeCloseTo(
      ((2 / 3) * Math.PI * 25 * 20 * 60) / 1000,
      10,
    );
    const nearlyWhole = { ...half, truncationMm: 60 - 1e-9 };
    expect(truncatedEllipsoidVolume(nearlyWhole)).toBeCloseTo(
      ((4 / 3) * Math.PI * 25 * 20 * 60) / 1000,
      6,
    );
  });

  it('rejects a base plane outside the ellipsoid', () => {
    expect(() => truncatedEllipsoidVolume({ ...normal, truncationMm: 60 })).toThrow(/\|h\| < a/);
  });
});

describe('truncatedEllipsoidMesh', () => {
  it('is watertight, outward, and encloses the analytic volume within 0.5 %', () => {
    const mesh = truncatedEllipsoidMesh(normal);
    expect(isWatertight(mesh)).toBe(true);
    const volume = meshVolume(mesh) / 1000;
    expect(volume).toBeGreaterThan(0);
    expect(Math.abs(volume / truncatedEllipsoidVolume(normal) - 1)).toBeLessThan(0.005);
    // Base at z = 0, apex at z = L.
    let maxZ = -Infinity;
    let minZ = Infinity;
    for (let i = 2; i < mesh.points.length; i += 3) {
      maxZ = Math.max(maxZ, mesh.points[i]!);
      minZ = Math.min(minZ, mesh.points[i]!);
    }
    expect(minZ).toBeCloseTo(0, 4);
    expect(maxZ).toBeCloseTo(truncatedEllipsoidLength(normal), 4);
  });

  it('converges to the analytic volume as the mesh is refined', () => {
    const coarse = meshVolume(truncatedEllipsoidMesh(normal, { rings: 8, segments: 16 })) / 1000;
    const fine = meshVolume(truncatedEllipsoidMesh(normal, { rings: 64, segments: 128 })) / 1000;
    const truth = truncatedEllipsoidVolume(normal);
    expect(Math.abs(fine - truth)).toBeLessThan(Math.abs(coarse - truth) / 10);
  });
});

describe('fitTruncatedEllipsoid', () => {
  it('recovers the ellipsoid behind biplane masks, its volume within 2 %', () => {
    for (const e of [
      normal,
      { longSemiAxisMm: 65.5, shortSemiAxesMm: [31, 30] as const, truncationMm: 0.45 * 65.5 },
      { longSemiAxisMm: 60, shortSemiAxesMm: [22, 22] as const, truncationMm: 0 },
    ]) {
      const place = {
        columns: 340,
        rows: 380,
        pixelSpacingMm: [0.5, 0.5] as const,
        centreMm: [85, 25 + e.longSemiAxisMm] as const,
      };
      const a4c = ellipsoidSectionMask([{ ellipsoid: e, label: 1 }], {
        ...place,
        view: 'a4c',
        tiltDeg: 6,
      });
      const a2c = ellipsoidSectionMask([{ ellipsoid: e, label: 1 }], { ...place, view: 'a2c' });
      const fit = fitTruncatedEllipsoid(biplaneVolume(a4c, a2c));
      expect(Math.abs(fit.volumeMl / truncatedEllipsoidVolume(e) - 1)).toBeLessThan(0.02);
      expect(fit.ellipsoid.longSemiAxisMm).toBeCloseTo(e.longSemiAxisMm, -0.5); // ±1.6 mm
      expect(Math.abs(fit.ellipsoid.shortSemiAxesMm[0] - e.shortSemiAxesMm[0])).toBeLessThan(0.6);
      expect(Math.abs(fit.ellipsoid.shortSemiAxesMm[1] - e.shortSemiAxesMm[1])).toBeLessThan(0.6);
      expect(fit.rmsResidualMm).toBeLessThan(0.5);
      // The fitted surface encloses the fitted volume.
      const mesh = truncatedEllipsoidMesh(fit.ellipsoid, { rings: 48, segments: 96 });
      expect(Math.abs(meshVolume(mesh) / 1000 / fit.volumeMl - 1)).toBeLessThan(0.005);
    }
  });
});

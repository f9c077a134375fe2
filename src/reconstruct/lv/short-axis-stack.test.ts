import { describe, expect, it } from 'vitest';
import { createVolume } from '../../core/index.js';
import type { Labelmap, Mat3, Vec3 } from '../../core/index.js';
import { shortAxisLvFunction } from './lv-function.js';
import { isWatertight, meshVolume } from './mesh-volume.js';
import { shortAxisStackVolume, shortAxisSurface } from './short-axis-stack.js';
import { truncatedEllipsoidVolume } from './truncated-ellipsoid.js';
import type { TruncatedEllipsoid } from './truncated-ellipsoid.js';

const FLIP_K: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, -1];

/**
 * A short-axis stack of concentric truncated ellipsoids (long axis along z, base plane at
 * z = h), slice k centred at z = z0 − k·d, 1.5 mm pixels: a pixel takes the label of the last
 * layer containing its centre.
 */
function stack(layers: readonly [TruncatedEllipsoid, number][], z0: number, d: number): Labelmap {
  const n = 96;
  const s = 1.5;
  const a = Math.max(...layers.map(([e]) => e.longSemiAxisMm));
  const nk = Math.ceil((z0 + a) / d) + 1;
  const data = new Uint8Array(n * n * nk);
  for (const [e, label] of layers) {
    const [b1, b2] = e.shortSemiAxesMm;
    for (let k = 0; k < nk; k++) {
      const z = z0 - k * d;
      if (z > e.truncationMm) continue;
      const f = 1 - (z * z) / e.longSemiAxisMm ** 2;
      if (f <= 0) continue;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          const x = (i - n / 2) * s;
          const y = (j - n / 2) * s;
          if ((x * x) / (b1 * b1) + (y * y) / (b2 * b2) <= f) data[i + j * n + k * n * n] = label;
        }
      }
    }
  }
  return createVolume({
    dimensions: [n, n, nk],
    spacing: [s, s, d],
    origin: [(-n / 2) * s, (-n / 2) * s, z0],
    direction: FLIP_K,
    data,
  });
}

const endo = (scale: number): TruncatedEllipsoid => {
  const a = 56.7 * scale ** 0.2;
  const b = 24.5 * scale ** 0.4;
  return { longSemiAxisMm: a, shortSemiAxesMm: [b, 0.95 * b], truncationMm: 0.5 * a };
};

describe('shortAxisStackVolume (Simpson summation)', () => {
  it('is within 3 % of the analytic volume for 8 and 10 mm slices', () => {
    for (const d of [8, 10]) {
      for (const scale of [1, 0.45, 1.8]) {
        const e = endo(scale);
        // Slabs tile down from the base plane, as a basal slice placed at the annulus does.
        const mask = stack([[e, 1]], e.truncationMm - d / 2, d);
        const result = shortAxisStackVolume(mask);
        expect(Math.abs(result.volumeMl / truncatedEllipsoidVolume(e) - 1)).toBeLessThan(0.03);
        expect(result.sliceSpacingMm).toBe(d);
      }
    }
  });

  it('adds an apical cap on the smaller end slice', () => {
    const e = endo(1);
    const mask = stack([[e, 1]], e.truncationMm - 4, 8);
    const plain = shortAxisStackVolume(mask);
    const capped = shortAxisStackVolume(mask, { apexCapMm: 6 });
    const apical = plain.sliceAreasMm2.filter((a) => a > 0).at(-1)!;
    expect(capped.capMl).toBeCloseTo((apical * 6) / 2 / 1000, 10);
    expect(capped.volumeMl - plain.volumeMl).toBeCloseTo(capped.capMl, 10);
  });

  it('rejects an empty stack', () => {
    const mask = stack([[endo(1), 0]], 0, 8); // label 0 paints nothing
    expect(() => shortAxisStackVolume(mask)).toThrow(/empty/);
  });
});

describe('shortAxisSurface', () => {
  it('lofts a watertight surface whose volume is within 3 % of the analytic one', () => {
    for (const scale of [1, 0.45]) {
      const e = endo(scale);
      // Contours at the base plane and every 8 mm towards the apex; the apex point from a long-axis view.
      const mask = stack([[e, 1]], e.truncationMm, 8);
      const apex: Vec3 = [0, 0, -e.longSemiAxisMm];
      const mesh = shortAxisSurface(mask, { apex, points: 72 });
      expect(isWatertight(mesh)).toBe(true);
      const volume = meshVolume(mesh) / 1000;
      expect(Math.abs(volume / truncatedEllipsoidVolume(e) - 1)).toBeLessThan(0.03);
    }
  });

  it('closes both ends flat without an apex', () => {
    const e = endo(1);
    const mesh = shortAxisSurface(stack([[e, 1]], e.truncationMm, 8));
    expect(isWatertight(mesh)).toBe(true);
    expect(meshVolume(mesh)).toBeGreaterThan(0);
  });
});

describe('shortAxisLvFunction', () => {
  it('finds ED and ES over a cycle and the mass of a known wall', () => {
    const scales = [1, 0.8, 0.55, 0.42, 0.5, 0.75, 0.95];
    const frames = scales.map((s) => {
      const e = endo(s);
      const t = 10 + 4 * (1 - s); // thicker wall in systole
      const epi: TruncatedEllipsoid = {
        longSemiAxisMm: e.longSemiAxisMm + 0.8 * t,
        shortSemiAxesMm: [e.shortSemiAxesMm[0] + t, e.shortSemiAxesMm[1] + t],
        truncationMm: e.truncationMm,
      };
      return {
        e,
        epi,
        mask: stack(
          [
            [epi, 2],
            [e, 1],
          ],
          e.truncationMm - 3,
          6,
        ),
      };
    });
    const f = shortAxisLvFunction(frames.map((x) => x.mask));
    expect(f.edFrame).toBe(0);
    expect(f.esFrame).toBe(3);
    const edv = truncatedEllipsoidVolume(frames[0]!.e);
    const esv = truncatedEllipsoidVolume(frames[3]!.e);
    expect(Math.abs(f.edvMl / edv - 1)).toBeLessThan(0.03);
    expect(Math.abs(f.esvMl / esv - 1)).toBeLessThan(0.03);
    expect(Math.abs(f.ejectionFractionPct - (100 * (edv - esv)) / edv)).toBeLessThan(2);
    const wall = truncatedEllipsoidVolume(frames[0]!.epi) - edv;
    expect(Math.abs(f.wall!.wallVolumeMl / wall - 1)).toBeLessThan(0.03);
    expect(f.wall!.massG).toBeCloseTo(1.05 * f.wall!.wallVolumeMl, 10);
  });
});

import { describe, expect, it } from 'vitest';
import { ellipsoidSectionMask } from './ellipsoid-phantom.js';
import type { SectionOptions } from './ellipsoid-phantom.js';
import { MYOCARDIAL_DENSITY_G_PER_ML, echoLvFunction } from './lv-function.js';
import { truncatedEllipsoidVolume } from './truncated-ellipsoid.js';
import type { TruncatedEllipsoid } from './truncated-ellipsoid.js';

/** Endocardium scaled to volume fraction s of end-diastole; epicardium `t` mm outside it. */
function heart(s: number, t: number): { endo: TruncatedEllipsoid; epi: TruncatedEllipsoid } {
  const a = 56.7 * s ** 0.2;
  const b = 24.5 * s ** 0.4;
  const endo = {
    longSemiAxisMm: a,
    shortSemiAxesMm: [b, 0.92 * b] as const,
    truncationMm: 0.5 * a,
  };
  const epi = {
    longSemiAxisMm: a + 0.8 * t,
    shortSemiAxesMm: [b + t, 0.92 * b + t] as const,
    truncationMm: 0.5 * a,
  };
  return { endo, epi };
}

const place: Omit<SectionOptions, 'view'> = {
  columns: 300,
  rows: 320,
  pixelSpacingMm: [0.5, 0.5],
  centreMm: [75, 80],
};

function clip(view: 'a4c' | 'a2c', hearts: readonly ReturnType<typeof heart>[], tiltDeg = 0) {
  return hearts.map(({ endo, epi }) =>
    ellipsoidSectionMask(
      [
        { ellipsoid: epi, label: 2 },
        { ellipsoid: endo, label: 1 },
      ],
      { ...place, view, tiltDeg },
    ),
  );
}

describe('echoLvFunction', () => {
  const scales = [1, 0.85, 0.6, 0.42, 0.42, 0.7, 0.9, 0.97];
  const hearts = scales.map((s) => heart(s, 10 + 5 * (1 - s)));
  const edv = truncatedEllipsoidVolume(hearts[0]!.endo);
  const esv = truncatedEllipsoidVolume(hearts[3]!.endo);

  it('gives EDV, ESV within 3 % and EF within 2 points of the analytic values', () => {
    const f = echoLvFunction({ a4c: clip('a4c', hearts, 7), a2c: clip('a2c', hearts, -4) });
    expect(f.volumesMl).toHaveLength(scales.length);
    expect(f.edFrame).toBe(0);
    expect([3, 4]).toContain(f.esFrame);
    expect(Math.abs(f.edvMl / edv - 1)).toBeLessThan(0.03);
    expect(Math.abs(f.esvMl / esv - 1)).toBeLessThan(0.03);
    expect(Math.abs(f.ejectionFractionPct - (100 * (edv - esv)) / edv)).toBeLessThan(2);
    expect(f.strokeVolumeMl).toBeCloseTo(f.edvMl - f.esvMl, 10);
  });

  it('measures the wall volume and mass of a known myocardium at ED within 3 %', () => {
    const f = echoLvFunction({ a4c: clip('a4c', hearts), a2c: clip('a2c', hearts) });
    const wall = truncatedEllipsoidVolume(hearts[0]!.epi) - edv;
    expect(Math.abs(f.wall!.wallVolumeMl / wall - 1)).toBeLessThan(0.03);
    expect(f.wall!.massG).toBeCloseTo(MYOCARDIAL_DENSITY_G_PER_ML * f.wall!.wallVolumeMl, 10);
    expect(f.wall!.endoVolumeMl).toBe(f.edvMl);
  });

  it('picks ED and ES per view when the clips differ in length', () => {
    const f = echoLvFunction({ a4c: clip('a4c', hearts), a2c: clip('a2c', hearts.slice(1, 6)) });
    expect(f.volumesMl).toEqual([]);
    expect(f.edFrame).toEqual({ a4c: 0, a2c: 0 });
    expect(Math.abs(f.esvMl / esv - 1)).toBeLessThan(0.03);
  });

  it('has no wall without myocardium labels, and rejects empty clips', () => {
    const f = echoLvFunction(
      { a4c: clip('a4c', hearts), a2c: clip('a2c', hearts) },
      { myocardiumLabels: [7] },
    );
    expect(f.wall).toBeUndefined();
    expect(() => echoLvFunction({ a4c: [], a2c: [] })).toThrow(/at least one frame/);
  });
});

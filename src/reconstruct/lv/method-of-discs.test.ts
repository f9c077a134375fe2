import { describe, expect, it } from 'vitest';
import { ellipsoidSectionMask } from './ellipsoid-phantom.js';
import type { SectionOptions } from './ellipsoid-phantom.js';
import { findLongAxis } from './lv-long-axis.js';
import {
  areaLengthVolume,
  biplaneVolume,
  measureDiscs,
  singlePlaneDiscVolume,
} from './method-of-discs.js';
import { truncatedEllipsoidLength, truncatedEllipsoidVolume } from './truncated-ellipsoid.js';
import type { TruncatedEllipsoid } from './truncated-ellipsoid.js';

/** Long axis a, short axes b4 and b2, base plane at h = τ·a, drawn tilted on a 0.5 mm grid. */
function lv(a: number, b4: number, b2: number, tau: number): TruncatedEllipsoid {
  return { longSemiAxisMm: a, shortSemiAxesMm: [b4, b2], truncationMm: tau * a };
}

function views(
  e: TruncatedEllipsoid,
  place: Partial<SectionOptions> = {},
): { a4c: ReturnType<typeof ellipsoidSectionMask>; a2c: ReturnType<typeof ellipsoidSectionMask> } {
  const base: Omit<SectionOptions, 'view'> = {
    columns: 320,
    rows: 360,
    pixelSpacingMm: [0.5, 0.5],
    centreMm: [80, 20 + e.longSemiAxisMm],
    ...place,
  };
  return {
    a4c: ellipsoidSectionMask([{ ellipsoid: e, label: 1 }], { ...base, view: 'a4c' }),
    a2c: ellipsoidSectionMask([{ ellipsoid: e, label: 1 }], {
      ...base,
      view: 'a2c',
      tiltDeg: -(place.tiltDeg ?? 0),
    }),
  };
}

describe('biplaneVolume (method of discs)', () => {
  // Normal, small (ESV-like), dilated spherical (HFrEF-like), elongated, elliptical section,
  // base below the equator: all within 3 % of the analytic truncated-ellipsoid volume.
  const shapes: [string, TruncatedEllipsoid, Partial<SectionOptions>][] = [
    ['normal EDV', lv(56.7, 24.5, 24.5, 0.5), {}],
    ['small ESV', lv(47.6, 17.3, 16.5, 0.5), { tiltDeg: 8 }],
    ['dilated', lv(65.5, 32, 30.5, 0.45), { tiltDeg: -12, columns: 360, rows: 380 }],
    ['elongated', lv(70, 20, 22, 0.3), { tiltDeg: 20 }],
    ['half ellipsoid', lv(60, 26, 22, 0), {}],
    ['base below equator', lv(75, 28, 28, -0.2), { pixelSpacingMm: [0.45, 0.55] }],
  ];
  for (const [name, e, place] of shapes) {
    it(`is within 3 % of the analytic volume: ${name}`, () => {
      const { a4c, a2c } = views(e, place);
      const truth = truncatedEllipsoidVolume(e);
      const result = biplaneVolume(a4c, a2c);
      expect(Math.abs(result.volumeMl / truth - 1)).toBeLessThan(0.03);
      // The long axis is found to within a pixel.
      expect(Math.abs(result.lengthMm - truncatedEllipsoidLength(e))).toBeLessThan(0.8);
    });
  }

  it('finds the hinge points at the basal corners and the apex at the tip', () => {
    const e = lv(56.7, 24.5, 24.5, 0.5);
    const centre = [80, 80] as const;
    const { a4c } = views(e, { centreMm: centre, tiltDeg: 15 });
    const axis = findLongAxis(a4c);
    const t = (15 * Math.PI) / 180;
    const d = [Math.sin(t), Math.cos(t)] as const; // centre → base
    const lat = [Math.cos(t), -Math.sin(t)] as const;
    const h = e.truncationMm;
    const half = e.shortSemiAxesMm[0] * Math.sqrt(1 - 0.25);
    const corners = [-half, half].map((x) => [
      centre[0] + h * d[0] + x * lat[0],
      centre[1] + h * d[1] + x * lat[1],
    ]);
    const apex = [centre[0] - e.longSemiAxisMm * d[0], centre[1] - e.longSemiAxisMm * d[1]];
    const near = (p: readonly number[], q: readonly number[]): number =>
      Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!);
    const [h1, h2] = axis.hinges;
    const hingeError = Math.min(
      Math.max(near(h1, corners[0]!), near(h2, corners[1]!)),
      Math.max(near(h1, corners[1]!), near(h2, corners[0]!)),
    );
    expect(hingeError).toBeLessThan(1.5); // mm: three pixels
    expect(near(axis.apex, apex)).toBeLessThan(1.5); // a round apex: the farthest point slides along it
    expect(axis.direction[0] * -d[0] + axis.direction[1] * -d[1]).toBeGreaterThan(Math.cos(0.02));
  });

  it('gives the area–length volume of a nearly whole ellipsoid', () => {
    // 8A²/(3πL) is exact for a whole prolate spheroid; truncated at 0.95a the loss is ~0.1 %.
    const e = lv(50, 25, 25, 0.95);
    const { a4c } = views(e, { columns: 300, rows: 300, centreMm: [75, 70] });
    const m = measureDiscs(a4c);
    const whole = ((4 / 3) * Math.PI * 25 * 25 * 50) / 1000;
    expect(Math.abs(areaLengthVolume(m) / whole - 1)).toBeLessThan(0.03);
    expect(Math.abs(singlePlaneDiscVolume(m) / truncatedEllipsoidVolume(e) - 1)).toBeLessThan(0.03);
  });

  it('uses the longer long axis of the two views', () => {
    const e = lv(56.7, 24.5, 24.5, 0.5);
    const { a4c } = views(e);
    const short = views(lv(50, 24.5, 24.5, 0.5)).a2c;
    const result = biplaneVolume(a4c, short);
    expect(result.lengthMm).toBeCloseTo(
      Math.max(result.a4c.longAxis.lengthMm, result.a2c.longAxis.lengthMm),
      12,
    );
    expect(result.a4c.diametersMm).toHaveLength(20);
  });

  it('rejects an empty mask and a mask without pixel spacing', () => {
    const { a4c } = views(lv(56.7, 24.5, 24.5, 0.5));
    const empty = { ...a4c, data: new Uint8Array(a4c.data.length) };
    expect(() => biplaneVolume(empty, a4c)).toThrow(/A4C mask is empty/);
    const bare = {
      columns: a4c.columns,
      rows: a4c.rows,
      samplesPerPixel: 1 as const,
      data: a4c.data,
    };
    expect(() => biplaneVolume(a4c, bare)).toThrow(
      expect.objectContaining({ code: 'ERR_RECONSTRUCT_INPUT' }),
    );
  });
});

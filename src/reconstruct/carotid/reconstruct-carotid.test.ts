import { describe, expect, it } from 'vitest';
import { carotidBranch, lumenDiameterMm } from './carotid-geometry.js';
import type { CarotidSection } from './carotid-geometry.js';
import { carotidMeasurements } from './carotid-measurements.js';
import { genericCarotidGeometry } from './generic-carotid-geometry.js';
import type { CarotidGenericParameters } from './generic-carotid.js';
import { rasterizeCarotidViews } from './rasterize-carotid-views.js';
import { reconstructCarotid } from './reconstruct-carotid.js';

/** Branches long enough to leave the images, as real vessels do. */
const LONG = { icaLengthMm: 50, ecaLengthMm: 40 } as const;

/**
 * Smallest diameter error against the truth within ±0.25 mm of an axial position: the flow divider,
 * the axial origin, is found to about a pixel, which matters where the plaque's flank is steep.
 */
function error(
  sections: readonly CarotidSection[],
  s: number,
  d: number,
): { abs: number; rel: number } {
  let best = { abs: Infinity, rel: Infinity };
  for (const t of sections) {
    if (Math.abs(t.positionMm - s) > 0.25) continue;
    const ref = lumenDiameterMm(t);
    if (Math.abs(d - ref) < best.abs) best = { abs: Math.abs(d - ref), rel: Math.abs(d / ref - 1) };
  }
  return best;
}

describe('reconstructCarotid from masks drawn at 0.1 mm/px', () => {
  it.each([0, 30, 50, 70])(
    'recovers a NASCET %i percent stenosis within 3 points and the diameters within 5 percent',
    (pct) => {
      const params: Partial<CarotidGenericParameters> = {
        ...LONG,
        ...(pct > 0 ? { stenosis: { nascetPct: pct } } : {}),
      };
      const truth = genericCarotidGeometry(params);
      const { measurements: t } = carotidMeasurements(truth);
      const views = rasterizeCarotidViews(params, {
        pixelSpacingMm: 0.1,
        longitudinal: [{ covers: 'bifurcation', fromMm: -25, toMm: 35 }],
        transversal: [
          { branch: 'cca', positionMm: -20 },
          { branch: 'ica', positionMm: 6.5 },
          { branch: 'eca', positionMm: 10 },
        ],
      });
      const r = reconstructCarotid(views);
      const m = r.measurements;
      expect(m.nascetPct.value).toBeGreaterThan(pct - 3);
      expect(m.nascetPct.value).toBeLessThan(pct + 3);
      expect(Math.abs(m.ecstPct.value - t.ecstPct.value)).toBeLessThan(3);
      for (const key of [
        'ccaDiameterMm',
        'icaDistalDiameterMm',
        'ecaDiameterMm',
        'minLumenDiameterMm',
      ] as const) {
        expect(Math.abs(m[key].value / t[key].value - 1), key).toBeLessThan(0.05);
      }
      // Every measured section of every branch, against the truth at the same position.
      for (const name of ['cca', 'ica', 'eca'] as const) {
        const got = carotidBranch(r.geometry, name).sections.filter((s) => s.source === 'patient');
        const want = carotidBranch(truth, name).sections;
        expect(got.length).toBeGreaterThan(40);
        for (const s of got) {
          const e = error(want, s.positionMm, lumenDiameterMm(s));
          // 5 %, or one pixel at the narrowest throats.
          expect(
            Math.min(e.rel, e.abs / 0.1),
            `${name} at ${s.positionMm.toFixed(2)} mm`,
          ).toBeLessThan(e.abs < 0.1 ? 1 : 0.05);
        }
      }
      expect(Math.abs(m.plaqueLengthMm.value - t.plaqueLengthMm.value)).toBeLessThan(1.5);
      expect(Math.abs(m.maxWallThicknessMm.value - t.maxWallThicknessMm.value)).toBeLessThan(0.2);
      expect(m.nascetPct.provenance).toMatchObject({
        source: 'patient',
        views: ['longitudinal[0]'],
      });
      expect(m.icaAngleDeg.value).toBeCloseTo(25, 0);
    },
  );
});

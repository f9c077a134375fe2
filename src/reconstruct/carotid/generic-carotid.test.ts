import { describe, expect, it } from 'vitest';
import { carotidBranch, lumenDiameterMm, outerDiameterMm } from './carotid-geometry.js';
import { carotidMeasurements } from './carotid-measurements.js';
import { genericCarotidGeometry } from './generic-carotid-geometry.js';
import {
  CAROTID_GENERIC_DEFAULTS,
  genericSectionProfile,
  resolveCarotidModel,
} from './generic-carotid.js';
import { genericLabelAt } from './rasterize-carotid-views.js';

describe('genericCarotidGeometry', () => {
  it('has the Bharadvaj proportions: ICA 0.7 D, ECA 0.58 D, bulb 1.1 D, branches at 25°', () => {
    const g = genericCarotidGeometry();
    const D = CAROTID_GENERIC_DEFAULTS.ccaDiameterMm;
    const { measurements: m } = carotidMeasurements(g);
    expect(m.ccaDiameterMm.value).toBeCloseTo(D, 6);
    expect(m.icaDistalDiameterMm.value / D).toBeCloseTo(0.7, 6);
    expect(m.ecaDiameterMm.value / D).toBeCloseTo(0.58, 6);
    expect(m.bulbMaxDiameterMm.value / D).toBeCloseTo(1.1, 6);
    expect(m.icaAngleDeg.value).toBeCloseTo(25, 6);
    expect(m.ecaAngleDeg.value).toBeCloseTo(25, 6);
    expect(m.nascetPct.value).toBeCloseTo(0, 9);
    expect(m.nascetPct.provenance.source).toBe('generic');
    for (const b of g.branches) {
      expect(b.provenance.diameters.source).toBe('generic');
      expect(b.provenance.centerline.source).toBe('generic');
    }
  });

  it('puts the flow-divider apex at the origin, where the ICA and ECA lumens meet', () => {
    const model = resolveCarotidModel();
    // Just proximal to the apex: lumen; just distal, between the daughters: not lumen.
    expect(genericLabelAt(model, 0, 0, -0.05)).toBe(1);
    expect(genericLabelAt(model, 0, 0, 0.3)).not.toBe(1);
    // The ICA lies lateral: a right carotid has it toward −x, a left one toward +x.
    const right = carotidBranch(genericCarotidGeometry({ side: 'right' }), 'ica');
    const left = carotidBranch(genericCarotidGeometry({ side: 'left' }), 'ica');
    expect(right.sections.at(-1)?.center[0]).toBeLessThan(-10);
    expect(left.sections.at(-1)?.center[0]).toBeGreaterThan(10);
  });

  it.each([30, 50, 70])(
    'narrows the lumen to a NASCET %i percent stenosis while the outer wall stays',
    (pct) => {
      const plain = genericCarotidGeometry();
      const stenosed = genericCarotidGeometry({ stenosis: { nascetPct: pct } });
      const { measurements: m } = carotidMeasurements(stenosed);
      expect(m.nascetPct.value).toBeCloseTo(pct, 1);
      expect(m.minLumenPositionMm.value).toBeCloseTo(CAROTID_GENERIC_DEFAULTS.ccaDiameterMm, 0);
      const a = carotidBranch(plain, 'ica').sections;
      const b = carotidBranch(stenosed, 'ica').sections;
      a.forEach((s, i) => {
        const t = b[i];
        expect(t).toBeDefined();
        if (t === undefined) return;
        expect(outerDiameterMm(t)).toBeCloseTo(outerDiameterMm(s), 9);
        expect(lumenDiameterMm(t)).toBeLessThanOrEqual(lumenDiameterMm(s) + 1e-12);
      });
    },
  );

  it('thickens the plaque side by (1 + e)·δ: max wall = t + (1 + e)·depth', () => {
    const model = resolveCarotidModel({ stenosis: { nascetPct: 50, eccentricity: 0.6 } });
    const p = model.parameters;
    const D = p.ccaDiameterMm;
    const depth = (1.1 * D) / 2 - 0.5 * ((0.7 * D) / 2);
    const { measurements: m } = carotidMeasurements(
      genericCarotidGeometry({ stenosis: { nascetPct: 50, eccentricity: 0.6 } }),
    );
    expect(m.maxWallThicknessMm.value).toBeCloseTo(p.wallThicknessMm + 1.6 * depth, 2);
    const at = genericSectionProfile(model, 'ica', D);
    expect(at.offsetU).toBeCloseTo(-0.6 * depth, 9);
    // Plaque length by the Mannheim 0.5 mm rule on a raised cosine of length L:
    // L·acos(2q − 1)/π with q = 0.5 / ((1 + e)·depth).
    const q = 0.5 / (1.6 * depth);
    expect(m.plaqueLengthMm.value).toBeCloseTo((12 * Math.acos(2 * q - 1)) / Math.PI, 0);
  });

  it('rejects impossible parameters with ERR_RECONSTRUCT_INPUT', () => {
    expect(() => genericCarotidGeometry({ ccaDiameterMm: -1 })).toThrow(/ccaDiameterMm/);
    expect(() => genericCarotidGeometry({ icaAngleDeg: 80, ecaAngleDeg: 80 })).toThrow(/angles/);
    expect(() => genericCarotidGeometry({ stenosis: { nascetPct: 99 } })).toThrow(/95/);
    expect(() => genericCarotidGeometry({ stenosis: { nascetPct: 50, centerMm: 2 } })).toThrow(
      /distal to the flow divider/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { carotidBranch, lumenDiameterMm } from './carotid-geometry.js';
import type { CarotidViews } from './carotid-views.js';
import { rasterizeCarotidViews } from './rasterize-carotid-views.js';
import { reconstructCarotid } from './reconstruct-carotid.js';

const LONG = { icaLengthMm: 50, ecaLengthMm: 40 } as const;

describe('reconstructCarotid provenance and partial views', () => {
  it('keeps the ECA circular and generic in shape when no transversal cut shows it', () => {
    const views = rasterizeCarotidViews(LONG, {
      longitudinal: [{ covers: 'bifurcation', fromMm: -25, toMm: 35 }],
      transversal: [{ branch: 'cca', positionMm: -20 }],
    });
    const r = reconstructCarotid(views);
    const eca = carotidBranch(r.geometry, 'eca');
    expect(eca.provenance.crossSection).toMatchObject({ source: 'generic', note: 'circular' });
    expect(eca.provenance.diameters).toMatchObject({
      source: 'patient',
      views: ['longitudinal[0]'],
    });
    for (const s of eca.sections) expect(s.lumenSemiAxesMm[1]).toBeCloseTo(s.lumenSemiAxesMm[0], 9);
    const cca = carotidBranch(r.geometry, 'cca');
    expect(cca.provenance.crossSection).toMatchObject({
      source: 'patient',
      views: ['transversal[0]'],
    });
    expect(cca.provenance.centerline).toMatchObject({
      source: 'patient',
      views: ['longitudinal[0]'],
    });
    // Beyond the image the ICA is generic; its measured range is reported.
    const ica = carotidBranch(r.geometry, 'ica');
    const [range] = ica.provenance.diameters.rangesMm ?? [];
    expect(range?.[0]).toBeLessThan(2);
    expect(range?.[1]).toBeGreaterThan(35);
    expect(ica.sections.at(-1)?.source).toBe('generic');
    expect(r.templateProvenance.ecaDiameterRatio).toMatchObject({ source: 'patient' });
    expect(r.templateProvenance.ecaAspectRatio).toBeUndefined();
  });

  it('without a bifurcation view: the axes are generic, the ICA measured, the ECA scaled generic', () => {
    const params = { ...LONG, ccaDiameterMm: 7, stenosis: { nascetPct: 50 } };
    const views = rasterizeCarotidViews(params, {
      longitudinal: [{ covers: 'ica', fromMm: 0, toMm: 36, distalLeft: true }],
      transversal: [{ branch: 'cca', positionMm: -20 }],
    });
    const r = reconstructCarotid(views);
    const m = r.measurements;
    expect(Math.abs(m.nascetPct.value - 50)).toBeLessThan(3);
    expect(m.nascetPct.provenance).toMatchObject({ source: 'patient', views: ['longitudinal[0]'] });
    // The plaque sits at the bulb maximum, 1 D = 7 mm from the flow divider.
    expect(Math.abs(m.minLumenPositionMm.value - 7)).toBeLessThan(1);
    expect(m.ccaDiameterMm.value).toBeCloseTo(7, 1);
    expect(m.ccaDiameterMm.provenance).toMatchObject({
      source: 'patient',
      views: ['transversal[0]'],
    });
    expect(m.ecaDiameterMm.provenance.source).toBe('generic');
    // The generic ECA is scaled to the measured CCA: 0.58 D.
    expect(m.ecaDiameterMm.value / m.ccaDiameterMm.value).toBeCloseTo(0.58, 2);
    for (const b of r.geometry.branches) expect(b.provenance.centerline.source).toBe('generic');
    expect(m.icaAngleDeg.provenance.source).toBe('generic');
    expect(r.warnings.join(' ')).toMatch(/no bifurcation view/);
  });

  it('takes elliptical sections from transversal cuts (equal-area diameters within 5 %)', () => {
    const params = { ...LONG, ccaAspectRatio: 1.25, icaAspectRatio: 1.2 };
    const views = rasterizeCarotidViews(params, {
      longitudinal: [{ covers: 'bifurcation', fromMm: -25, toMm: 35 }],
      transversal: [
        { branch: 'cca', positionMm: -20 },
        { branch: 'ica', positionMm: 30 },
      ],
    });
    const r = reconstructCarotid(views);
    const D = 6.5;
    expect(Math.abs(r.measurements.ccaDiameterMm.value / (D * Math.sqrt(1.25)) - 1)).toBeLessThan(
      0.05,
    );
    expect(
      Math.abs(r.measurements.icaDistalDiameterMm.value / (0.7 * D * Math.sqrt(1.2)) - 1),
    ).toBeLessThan(0.05);
    expect(r.template.ccaAspectRatio).toBeCloseTo(1.25, 1);
    const cut = r.views.find((v) => v.view === 'transversal[0]');
    expect(cut?.lumenSemiAxesMm?.[1]).toBeCloseTo(1.25 * 3.25, 1);
    const ica = carotidBranch(r.geometry, 'ica');
    expect(ica.provenance.crossSection).toMatchObject({
      source: 'patient',
      views: ['transversal[1]'],
    });
  });

  it('places the ICA laterally for either side and flips images given the other way round', () => {
    for (const side of ['left', 'right'] as const) {
      const views = rasterizeCarotidViews(
        { ...LONG, side },
        {
          longitudinal: [
            { covers: 'bifurcation', fromMm: -25, toMm: 35, distalLeft: true, icaBottom: true },
          ],
        },
      );
      const r = reconstructCarotid(views);
      const end = carotidBranch(r.geometry, 'ica').sections.at(-1)?.center[0] ?? 0;
      expect(side === 'left' ? end : -end).toBeGreaterThan(10);
      expect(r.measurements.icaDistalDiameterMm.value).toBeCloseTo(0.7 * 6.5, 1);
    }
  });

  it('falls back to a generic wall when the masks hold lumen only', () => {
    const views = rasterizeCarotidViews(LONG, {
      lumenOnly: true,
      longitudinal: [{ covers: 'bifurcation', fromMm: -25, toMm: 35 }],
    });
    const r = reconstructCarotid(views);
    for (const b of r.geometry.branches) expect(b.provenance.wall.source).toBe('generic');
    expect(r.measurements.maxWallThicknessMm.provenance.source).toBe('generic');
    expect(r.measurements.ccaDiameterMm.value).toBeCloseTo(6.5, 1);
    expect(lumenDiameterMm(carotidBranch(r.geometry, 'cca').sections[0]!)).toBeCloseTo(6.5, 1);
  });

  it('rejects unusable masks with ERR_RECONSTRUCT_INPUT and a reason', () => {
    const mask = (data: Uint8Array, spacing = true) => ({
      columns: 20,
      rows: 20,
      samplesPerPixel: 1 as const,
      ...(spacing ? { pixelSpacing: [0.1, 0.1] as const } : {}),
      data,
    });
    const tube = new Uint8Array(400);
    for (let c = 0; c < 20; c++) for (let r = 5; r < 15; r++) tube[c + 20 * r] = 1;
    const fails = (views: CarotidViews, reason: RegExp): void => {
      let error: unknown;
      try {
        reconstructCarotid(views);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'ERR_RECONSTRUCT_INPUT' });
      expect(error instanceof Error ? error.message : '').toMatch(reason);
    };
    const cut = mask(new Uint8Array(400).fill(3));
    fails(
      {
        side: 'right',
        longitudinal: [],
        transversal: [{ mask: cut, branch: 'cca', positionMm: 0 }],
      },
      /labels must be 0/,
    );
    const noSpacing = mask(tube, false);
    fails(
      {
        side: 'right',
        longitudinal: [{ mask: noSpacing, covers: 'ica', axialOriginMm: 0 }],
        transversal: [],
      },
      /pixelSpacing/,
    );
    fails(
      {
        side: 'right',
        longitudinal: [{ mask: mask(tube), covers: 'bifurcation', icaToward: 'top' }],
        transversal: [],
      },
      /no flow divider/,
    );
    fails({ side: 'right', longitudinal: [], transversal: [] }, /no views/);
  });
});

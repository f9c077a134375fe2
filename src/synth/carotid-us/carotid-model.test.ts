import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import {
  drawCarotidModel,
  lumenArea,
  lumenChord,
  minimalDiameter,
  toSectionModel,
} from './carotid-model.js';
import { TISSUE, classifyPoint, rasterizeSection } from './kernels/carotid-section.js';
import type { PointClass, SectionBranch } from './kernels/carotid-section.js';

/** A straight tube along z of radius `r`, IMT 0.8 mm, with optional plaques. */
function tube(r: number, plaques: SectionBranch['plaques'] = [], ellipticity = 0): SectionBranch {
  return {
    origin: [0, 0, 0],
    direction: [0, 0, 1],
    reference: [1, 0, 0],
    sMinMm: -50,
    sMaxMm: 50,
    knotS: Float64Array.from([-50, 50]),
    knotR: Float64Array.from([r, r]),
    ellipticity,
    ellipseAngle: 0,
    imtMm: 0.8,
    plaques,
    maxOuterMm: r * (1 + ellipticity) + 0.8,
  };
}

describe('carotid section geometry', () => {
  it('gives a circle its area and diameter, an ellipse its axes', () => {
    expect(lumenArea(tube(3), 0)).toBeCloseTo(Math.PI * 9, 6);
    expect(minimalDiameter(tube(3), 0)).toBeCloseTo(6, 9);
    expect(minimalDiameter(tube(3, [], 0.1), 0)).toBeCloseTo(6 * 0.9, 6);
    const model = { branches: [tube(3, [], 0.1)] };
    expect(lumenChord(model, [0, 0, 0], [1, 0, 0])).toBeCloseTo(6.6, 2);
    expect(lumenChord(model, [0, 0, 0], [0, 1, 0])).toBeCloseTo(5.4, 2);
  });

  it('narrows the lumen by a plaque as the closed form says: d = 2r − h·c(s)²·(2 − κ)', () => {
    const plaque = {
      centreMm: 0,
      lengthMm: 10,
      thicknessMm: 2,
      angle: 0,
      eccentricity: 0.4,
      tissue: TISSUE.plaqueMixed,
    };
    const b = tube(3, [plaque]);
    expect(minimalDiameter(b, 0)).toBeCloseTo(6 - 2 * 1.6, 6);
    const c = Math.cos((Math.PI * 2.5) / 10) ** 2;
    expect(minimalDiameter(b, 2.5)).toBeCloseTo(6 - 2 * c * 1.6, 6);
    expect(minimalDiameter(b, 5)).toBeCloseTo(6, 9);
    // The plaque side (φ = 0, +x) is wall, the far side lumen; wall labels are 2.
    const out: PointClass = { label: 0, tissue: 0, aux: 0, facing: 0, branch: -1 };
    classifyPoint({ branches: [b] }, 2.0, 0, 0, 1, [0, 1, 0], out);
    expect([out.label, out.tissue]).toEqual([2, TISSUE.plaqueMixed]);
    classifyPoint({ branches: [b] }, -1.5, 0, 0, 1, [0, 1, 0], out);
    expect(out.label).toBe(1);
    classifyPoint({ branches: [b] }, -3.5, 0, 0, 1, [0, 1, 0], out);
    expect([out.label, out.tissue]).toEqual([2, TISSUE.intimaMedia]);
    classifyPoint({ branches: [b] }, -4.2, 0, 0, 1, [0, 1, 0], out);
    expect([out.label, out.tissue]).toEqual([0, TISSUE.adventitia]);
  });

  it('rasterizes a transversal plane: lumen pixel area ≈ π r²', () => {
    const h = 0.05;
    const raster = rasterizeSection(
      { branches: [tube(3)] },
      { origin: [-5, -5, 0], u: [1, 0, 0], v: [0, 1, 0], spacingMm: h, columns: 201, rows: 201 },
    );
    const lumen = raster.labels.reduce((n, v) => n + (v === 1 ? 1 : 0), 0);
    const wall = raster.labels.reduce((n, v) => n + (v === 2 ? 1 : 0), 0);
    expect(lumen * h * h).toBeCloseTo(Math.PI * 9, 0);
    expect(wall * h * h).toBeCloseTo(Math.PI * (3.8 ** 2 - 9), 0);
    expect(raster.lumenPixelsPerBranch).toEqual([lumen]);
  });
});

describe('drawCarotidModel', () => {
  it('draws physiological, reproducible bifurcations with measured stenoses', () => {
    const models = Array.from({ length: 40 }, (_, i) =>
      drawCarotidModel(createRandom('model-test', i), i % 2 ? 'left' : 'right', {
        ageYears: 45 + i,
        sex: i % 3 ? 'M' : 'F',
      }),
    );
    expect(
      drawCarotidModel(createRandom('model-test', 3), 'left', { ageYears: 48, sex: 'F' }),
    ).toEqual(models[3]);
    for (const m of models) {
      expect(m.ccaDiameterMm).toBeGreaterThan(5.8);
      expect(m.ccaDiameterMm).toBeLessThan(7.7);
      for (const b of Object.values(m.branches)) {
        expect(b.imtMm).toBeGreaterThanOrEqual(0.54);
        expect(b.imtMm).toBeLessThanOrEqual(1.0);
      }
      // The flow divider lies between the branches, a few mm past B.
      expect(m.flowDivider[2]).toBeGreaterThan(2);
      expect(m.flowDivider[2]).toBeLessThan(20);
      expect(m.nascetPercent).toBeGreaterThanOrEqual(0);
      expect(m.nascetPercent).toBeLessThanOrEqual(85);
      const icaPlaques = m.branches.ica.plaques;
      if (icaPlaques.length === 0) expect(m.nascetPercent).toBeLessThan(8);
      // NASCET is 1 − d_min / d_distal on the model.
      expect(m.nascetPercent).toBeCloseTo(
        Math.max(0, 100 * (1 - m.icaMinimalDiameterMm / m.icaDistalDiameterMm)),
        1,
      );
      const section = toSectionModel(m);
      const ica = section.branches[1]!;
      expect(minimalDiameter(ica, m.nascetReferenceSMm)).toBeCloseTo(m.icaDistalDiameterMm, 3);
    }
    const stenosed = models.filter((m) => m.nascetPercent > 50).length;
    expect(stenosed).toBeGreaterThan(0);
    expect(models.filter((m) => m.jugular !== undefined).length).toBeGreaterThan(20);
  });
});

import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import { LV_ECHO_FIXED_CASES, bsaMosteller, lvEchoCase } from './lv-echo-cases.js';
import { cyclePhases, ellipsoidVolumeMl, lvShapeAt, lvVolumeAt } from './lv-cycle.js';

const normal = lvEchoCase(0, createRandom('t'));

describe('lvVolumeAt', () => {
  it('holds EDV through isovolumic contraction and ESV through isovolumic relaxation', () => {
    const p = cyclePhases(75);
    expect(p.periodS).toBeCloseTo(0.8, 12);
    expect(p.ejectionEndS - p.ejectionStartS).toBeCloseTo(0.2855, 12); // 413 − 1.7·75 ms
    expect(lvVolumeAt(normal, 0)).toBe(120);
    expect(lvVolumeAt(normal, 0.049)).toBe(120);
    expect(lvVolumeAt(normal, p.ejectionEndS + 0.01)).toBe(50);
    expect(lvVolumeAt(normal, p.periodS)).toBe(120); // the next beat
  });

  it('falls monotonically in ejection, faster early, and refills 70 % in rapid filling', () => {
    const p = cyclePhases(75);
    let last = Infinity;
    for (let t = p.ejectionStartS; t <= p.ejectionEndS; t += 0.005) {
      const v = lvVolumeAt(normal, t);
      expect(v).toBeLessThanOrEqual(last);
      last = v;
    }
    const half = lvVolumeAt(normal, (p.ejectionStartS + p.ejectionEndS) / 2);
    expect(120 - half).toBeGreaterThan(0.5 * 70); // more than half the stroke volume by mid-ejection
    expect(lvVolumeAt(normal, p.rapidFillingEndS)).toBeCloseTo(50 + 0.7 * 70, 10);
    expect(lvVolumeAt(normal, p.atrialStartS)).toBeCloseTo(50 + 0.75 * 70, 10);
  });

  it('rejects a heart rate outside 30–180 bpm', () => {
    expect(() => cyclePhases(220)).toThrow(/30–180 bpm/);
    expect(cyclePhases(180).atrialStartS).toBeLessThan(60 / 180);
  });
});

describe('lvShapeAt', () => {
  it('has the requested cavity volume, length and a constant myocardial volume', () => {
    for (const spec of [
      normal,
      lvEchoCase(1, createRandom('t')),
      lvEchoCase(5, createRandom('t', 5)),
    ]) {
      const ed = lvShapeAt(spec, spec.edvMl);
      expect(ed.endoVolumeMl).toBeCloseTo(spec.edvMl, 8);
      expect(ed.endo.longSemiAxisMm + ed.endo.truncationMm).toBeCloseTo(spec.longAxisEdMm, 8);
      const es = lvShapeAt(spec, spec.esvMl);
      expect(es.endoVolumeMl).toBeCloseTo(spec.esvMl, 8);
      for (const s of [ed, es]) {
        expect(s.epiVolumeMl - s.endoVolumeMl).toBeCloseTo(spec.wallVolumeMl, 6);
        expect(ellipsoidVolumeMl(s.epi)).toBeCloseTo(s.epiVolumeMl, 12);
      }
      // The wall thickens in systole.
      expect(es.epi.shortSemiAxesMm[0] - es.endo.shortSemiAxesMm[0]).toBeGreaterThan(
        ed.epi.shortSemiAxesMm[0] - ed.endo.shortSemiAxesMm[0],
      );
    }
  });

  it('gives a normal ventricle normal dimensions (ASE 2015)', () => {
    const ed = lvShapeAt(normal, 120);
    const diameter = 2 * ed.endo.shortSemiAxesMm[0] * Math.sqrt(1 - 0.1 ** 2);
    expect(diameter).toBeGreaterThan(42); // LVIDd, men 42–58 mm
    expect(diameter).toBeLessThan(58);
    const wall = ed.epi.shortSemiAxesMm[0] - ed.endo.shortSemiAxesMm[0];
    expect(wall).toBeGreaterThan(6); // wall thickness 6–10 mm
    expect(wall).toBeLessThan(11);
    const bsa = bsaMosteller(175, 75);
    expect(bsa).toBeCloseTo(1.9094, 4); // cardiovascular.md §4
    expect(((ed.epiVolumeMl - ed.endoVolumeMl) * 1.05) / bsa).toBeLessThan(115); // LVMI, men 49–115 g/m²
  });
});

describe('lvEchoCase', () => {
  it('starts with the fixed cases and draws the others from the stream', () => {
    expect(normal).toMatchObject({ caseId: 'lv-001', edvMl: 120, esvMl: 50, heartRateBpm: 75 });
    expect(lvEchoCase(1, createRandom('t'))).toMatchObject({
      caseId: 'lv-002',
      edvMl: 216,
      esvMl: 142,
    });
    expect(LV_ECHO_FIXED_CASES).toHaveLength(3);
    const a = lvEchoCase(3, createRandom('s', 3));
    expect(lvEchoCase(3, createRandom('s', 3))).toEqual(a);
    expect(a.edvMl).toBeGreaterThanOrEqual(80);
    expect(a.edvMl).toBeLessThanOrEqual(160);
    const ef = (a.edvMl - a.esvMl) / a.edvMl;
    expect(ef).toBeGreaterThan(0.44);
    expect(ef).toBeLessThan(0.71);
  });
});

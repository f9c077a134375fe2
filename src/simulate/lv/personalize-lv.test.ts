import { describe, expect, it } from 'vitest';
import { chenSingleBeatEes } from './chen-single-beat.js';
import { H75 } from './lv-params.js';
import { pcwpFromEOverEPrime, personalizeLv } from './personalize-lv.js';

describe('personalizeLv', () => {
  it('recovers the H75 parameters from its own measurements', () => {
    const fit = personalizeLv(
      { edv: 120, esv: 50, sbp: 120, dbp: 80, hr: 75 },
      { fixed: { rc: H75.rc } },
    );
    for (const key of ['emax', 'pla', 'rp', 'c'] as const)
      expect(Math.abs(fit.params[key] / H75[key] - 1), key).toBeLessThan(0.02);
    expect(fit.maxResidual).toBeLessThan(0.01);
    expect(fit.fitted).toEqual(['emax', 'pla', 'rp', 'c']);
    expect(fit.evaluations).toBeLessThan(80);
  });

  it('fits the HFrEF medians of §2.3 within 1 mL / 1 mmHg', () => {
    const fit = personalizeLv({ edv: 216, esv: 142, sbp: 115, dbp: 70, hr: 70 });
    expect(Math.abs(fit.result.edv - 216)).toBeLessThan(1);
    expect(Math.abs(fit.result.esv - 142)).toBeLessThan(1);
    expect(Math.abs(fit.result.sbp - 115)).toBeLessThan(1);
    expect(Math.abs(fit.result.dbp - 70)).toBeLessThan(1);
  });

  it('reproduces the single-V0 HFrEF fit of §2.3 when Ees and EDP are given', () => {
    // §2.3 [C]: V0 −27.45, Emin 0.0805, P_la 19.60, R_p 0.998, C 1.615; Ea/Ees 2.3.
    const fit = personalizeLv(
      { edv: 216, esv: 142, sbp: 115, dbp: 70, hr: 70, edp: 19.6, ees: 0.66 },
      { fixed: { rc: 0.05 } },
    );
    expect(fit.params.v0es).toBeCloseTo(-27.45, 1);
    expect(fit.params.v0ed).toBe(fit.params.v0es);
    expect(fit.params.emin).toBeCloseTo(0.0805, 3);
    expect(fit.params.pla).toBeCloseTo(19.6, 1);
    expect(fit.params.rp).toBeCloseTo(0.998, 2);
    expect(fit.params.c).toBeCloseTo(1.615, 2);
    expect(fit.result.eaOverEes).toBeCloseTo(2.33, 1);
    expect(Math.abs(fit.result.strokeWork / 6533 - 1)).toBeLessThan(0.01);
  });

  it('fits the two-V0 model (Emin fixed, V0ed free) and uses E/e′ through Nagueh', () => {
    const two = personalizeLv(
      { edv: 216, esv: 142, sbp: 115, dbp: 70, hr: 70, edp: 19.6, ees: 0.66 },
      { fixed: { rc: 0.05, emin: 0.1 }, diastole: 'v0ed' },
    );
    expect(two.fitted).toContain('v0ed');
    expect(two.params.emin).toBe(0.1);
    expect(two.params.v0ed).toBeGreaterThan(two.params.v0es);
    expect(two.maxResidual).toBeLessThan(0.01);
    expect(pcwpFromEOverEPrime(8)).toBeCloseTo(11.82, 2);
    const e = personalizeLv({ edv: 150, esv: 100, sbp: 130, dbp: 70, hr: 90, eOverEPrime: 15 });
    expect(e.edpTarget).toBeCloseTo(20.5, 2);
    expect(Math.abs(e.result.edp - 20.5)).toBeLessThan(0.1);
  });

  it('rejects implausible measurements with clear messages', () => {
    const ok = { edv: 120, esv: 50, sbp: 120, dbp: 80, hr: 75 };
    const cases: [object, RegExp][] = [
      [{ esv: 130 }, /ESV 130 mL is not below EDV/],
      [{ dbp: 125 }, /DBP 125 mmHg is not below SBP/],
      [{ dbp: 115 }, /pulse pressure 5 mmHg/],
      [{ sbp: 250, dbp: 90 }, /pulse pressure 160/],
      [{ hr: 20 }, /heart rate 20 bpm/],
      [{ hr: 220 }, /heart rate 220 bpm/],
      [{ edv: 700 }, /EDV 700 mL/],
      [{ edv: Number.NaN }, /edv is NaN/],
      [{ edp: 80 }, /EDP 80/],
    ];
    for (const [patch, message] of cases) {
      expect(() => personalizeLv({ ...ok, ...patch })).toThrow(message);
      expect(() => personalizeLv({ ...ok, ...patch })).toThrow(
        expect.objectContaining({ code: 'ERR_SIMULATE_INPUT' }),
      );
    }
  });

  it('fails with ERR_SIMULATE_FIT when the residuals stay above the tolerance', () => {
    // One LM iteration from the §1.4 start cannot reach 1e-6 mL/mmHg on a dilated ventricle.
    expect(() =>
      personalizeLv(
        { edv: 260, esv: 200, sbp: 100, dbp: 60, hr: 95, edp: 25 },
        { maxIterations: 1, tolerance: 1e-6 },
      ),
    ).toThrow(expect.objectContaining({ code: 'ERR_SIMULATE_FIT' }));
  });

  it('gives the Chen single-beat Ees of §1.4 on the H75 beat (underestimate)', () => {
    expect(chenSingleBeatEes({ sbp: 120, dbp: 80, sv: 70, ef: 70 / 120 })).toBeCloseTo(1.5, 1);
  });
});

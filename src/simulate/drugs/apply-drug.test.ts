import { describe, expect, it } from 'vitest';
import { personalizeLv } from '../lv/personalize-lv.js';
import type { LvParams } from '../lv/lv-params.js';
import { simulateLv } from '../lv/simulate-lv.js';
import { applyDrug, simulateDrug } from './apply-drug.js';
import { ENTRESTO } from './builtin-drugs.js';
import type { DrugDefinition } from './drug-definition.js';

// science/cardiovascular.md §2.3 [C]: baseline fitted to the Stegmann medians (EDV 216, ESV 142,
// LVEDP 19.6, Ees 0.66; cuff 115/70, HR 70, R_c 0.05).
const baselineFit = personalizeLv(
  { edv: 216, esv: 142, sbp: 115, dbp: 70, hr: 70, edp: 19.6, ees: 0.66 },
  { fixed: { rc: 0.05 } },
);
const quiet = { simulate: { traceEvery: 0, dt: 5e-4 } } as const;

describe('Entresto on the §2.3 HFrEF patient', () => {
  const chronic = simulateDrug(baselineFit.params, ENTRESTO, { scenario: 'chronic', ...quiet });
  const acute = simulateDrug(baselineFit.params, ENTRESTO, { scenario: 'acute', ...quiet });

  it('chronic (acute + remodelling): EF +≥5 points, ESV, EDV, EDP, Ea down, Ees up, Ea/Ees 2.3 → ~1.9', () => {
    const { baseline, treated, delta } = chronic;
    expect(baseline.eaOverEes).toBeCloseTo(2.33, 1);
    expect(delta.ef).toBeGreaterThanOrEqual(5);
    expect(delta.esv).toBeLessThan(0);
    expect(delta.edv).toBeLessThan(0);
    expect(delta.edp).toBeLessThan(0);
    expect(delta.ea).toBeLessThan(0);
    expect(delta.ees).toBeGreaterThan(0);
    expect(treated.eaOverEes).toBeGreaterThan(1.7);
    expect(treated.eaOverEes).toBeLessThan(2.0);
  });

  it('chronic reproduces the §2.3 post-drug numbers within 1 mL / 1 mmHg', () => {
    // §2.3: EDV 165, ESV 96 (Stegmann medians), EF 41.8 %, 99.5/59.0 mmHg, Ea 1.42, EDP 17.8.
    const t = chronic.treated;
    expect(Math.abs(t.edv - 165)).toBeLessThan(1);
    expect(Math.abs(t.esv - 96)).toBeLessThan(1);
    expect(Math.abs(t.sbp - 99.5)).toBeLessThan(1);
    expect(Math.abs(t.dbp - 59.0)).toBeLessThan(1);
    expect(Math.abs(t.edp - 17.8)).toBeLessThan(0.1);
    expect(t.ef).toBeCloseTo(41.8, 0);
    expect(t.ea).toBeCloseTo(1.42, 1);
    expect(t.ees).toBeCloseTo(0.78, 2);
  });

  it('acute only raises SV (+17 mL) with EDV unchanged, as in §2.3', () => {
    // §2.3 acute: EDV 216, ESV 128.8, EF 40.4 %, 126/74, SV 87.
    const t = acute.treated;
    expect(Math.abs(t.edv - 216)).toBeLessThan(1);
    expect(Math.abs(t.esv - 128.8)).toBeLessThan(1);
    expect(Math.abs(t.sbp - 126)).toBeLessThan(1);
    expect(Math.abs(t.dbp - 74)).toBeLessThan(1);
    expect(acute.delta.sv).toBeGreaterThan(12);
    expect(Math.abs(acute.delta.edv)).toBeLessThan(1);
    expect(acute.applied.geometry).toEqual([]);
    expect(chronic.applied.geometry[0]).toMatchObject({ quantity: 'lvMassIndex', value: 0.83 });
  });

  it('calibrates R_p after treatment to a target SBP change', () => {
    // Without calibration the medians imply an SBP fall of ~15 mmHg; trials report −3 to −6.
    expect(chronic.delta.sbp).toBeLessThan(-12);
    const calibrated = simulateDrug(baselineFit.params, ENTRESTO, {
      scenario: 'chronic',
      sbpChange: -4,
      ...quiet,
    });
    expect(calibrated.delta.sbp).toBeCloseTo(-4, 1);
    expect(calibrated.calibration?.rpCalibrated).toBeGreaterThan(
      calibrated.calibration?.rpFromEffects ?? Infinity,
    );
    // The trade-off this exposes: holding SBP with the smaller remodelled ventricle needs more
    // R_p (×1.4), which raises ESV; the §2.3 medians and a −4 mmHg SBP change are not jointly
    // reachable through R_p alone in this open-loop model.
    expect(calibrated.treated.esv).toBeGreaterThan(chronic.treated.esv + 5);
    expect(calibrated.delta.ef).toBeLessThan(chronic.delta.ef);
  });
});

describe('applyDrug', () => {
  it('reproduces the §2.3 two-V0 refit as a parameter change set', () => {
    // Two-V0 baseline (Emin fixed 0.10) and its post-treatment refit, as multipliers/shifts.
    const two: LvParams = {
      hr: 70,
      emax: 0.66,
      emin: 0.1,
      v0es: -27.3,
      v0ed: 26.0,
      pla: 19.06,
      rmv: 0.005,
      rav: 0.001,
      rc: 0.05,
      rp: 0.992,
      c: 1.643,
      pven: 0,
    };
    const refit: DrugDefinition = {
      id: 'stegmann-two-v0',
      name: 'two-V0 refit',
      description: 'science/cardiovascular.md §2.3',
      effects: [
        {
          parameter: 'emax',
          operation: 'multiply',
          value: 0.78 / 0.66,
          scenarios: ['chronic'],
          source: '§2.3',
        },
        {
          parameter: 'rp',
          operation: 'multiply',
          value: 0.912 / 0.992,
          scenarios: ['chronic'],
          source: '§2.3',
        },
        {
          parameter: 'v0es',
          operation: 'add',
          value: -3.7,
          scenarios: ['chronic'],
          source: '§2.3',
        },
        {
          parameter: 'v0ed',
          operation: 'add',
          value: -25.6,
          scenarios: ['chronic'],
          source: '§2.3',
        },
        { parameter: 'pla', operation: 'add', value: -2.5, scenarios: ['chronic'], source: '§2.3' },
      ],
    };
    const out = simulateDrug(two, refit, quiet);
    // §2.3 two-V0 post: EDV 166, ESV 95, EF 42.7 %, 101.7/60.4.
    expect(Math.abs(out.treated.edv - 166)).toBeLessThan(1);
    expect(Math.abs(out.treated.esv - 95)).toBeLessThan(1);
    expect(Math.abs(out.treated.sbp - 101.7)).toBeLessThan(1);
    expect(Math.abs(out.treated.dbp - 60.4)).toBeLessThan(1);
    expect(out.treated.ef).toBeCloseTo(42.7, 0);
  });

  it('samples effect sizes reproducibly and lists the changes with sources', () => {
    let state = 1;
    const random = {
      normal: (): number => {
        state = (state * 48271) % 2147483647;
        return (state / 2147483647 - 0.5) * 3.4;
      },
    };
    const a = applyDrug(baselineFit.params, ENTRESTO, { random });
    expect(a.changes.map((c) => c.parameter)).toEqual(['emax', 'rp', 'pla', 'v0ed']);
    expect(a.changes.every((c) => c.source.length > 10)).toBe(true);
    const central = applyDrug(baselineFit.params, ENTRESTO);
    expect(central.params.emax).toBeCloseTo(0.66 * 1.18, 10);
    expect(a.params.emax).not.toBeCloseTo(central.params.emax, 6);
    expect(() =>
      applyDrug(baselineFit.params, {
        ...ENTRESTO,
        effects: [
          {
            parameter: 'edpvrAlpha',
            operation: 'multiply',
            value: 0.9,
            scenarios: ['chronic'],
            source: 'x',
          },
        ],
      }),
    ).toThrow(/edpvrAlpha/);
    // The baseline itself is untouched.
    expect(simulateLv(baselineFit.params, { traceEvery: 0, dt: 5e-4 }).edv).toBeCloseTo(216, 0);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOOD, PA_PER_MMHG } from './hemodynamics.js';
import { youngTsaiCoefficients, youngTsaiPressureDrop } from './young-tsai.js';

const D0 = 6e-3;
const LS = 12e-3;

/** cardiovascular.md §3.5: % diameter stenosis, and Δp (mmHg) at 4, 6 and 20 mL/s (steady). */
const TABLE = [
  [30, 0.36, 0.64, 4.43],
  [50, 1.87, 3.63, 31.1],
  [70, 17.6, 35.7, 335],
  [80, 94.3, 194, null],
] as const;

describe('youngTsaiPressureDrop', () => {
  it.each(TABLE)('%s %% stenosis (D0 6 mm, Ls 12 mm): %s / %s / %s mmHg', (pct, q4, q6, q20) => {
    const c = youngTsaiCoefficients({
      referenceDiameterM: D0,
      throatDiameterM: D0 * (1 - pct / 100),
      lengthM: LS,
    });
    const expected: readonly [number, number | null][] = [
      [4, q4],
      [6, q6],
      [20, q20],
    ];
    for (const [q, dp] of expected) {
      if (dp === null) continue; // "unphysical" in the table
      const got = youngTsaiPressureDrop(c, q * 1e-6) / PA_PER_MMHG;
      // within 1 % or 0.05 mmHg (the table is rounded)
      expect(Math.abs(got - dp), `${pct} % at ${q} mL/s: ${got}`).toBeLessThanOrEqual(
        Math.max(0.01 * dp, 0.05),
      );
    }
  });

  it('with A1 = A0 is Poiseuille over La = 0.83·Ls + 1.64·D1, linear in Q', () => {
    const c = youngTsaiCoefficients({ referenceDiameterM: D0, throatDiameterM: D0, lengthM: LS });
    const la = 0.83 * LS + 1.64 * D0;
    expect(c.effectiveLengthM).toBeCloseTo(la, 12);
    expect(c.turbulence).toBe(0);
    const q = 6e-6;
    const poiseuille = (8 * DEFAULT_BLOOD.viscosityPaS * la * q) / (Math.PI * (D0 / 2) ** 4);
    expect(youngTsaiPressureDrop(c, q) / poiseuille).toBeCloseTo(1, 12);
    expect(youngTsaiPressureDrop(c, -q)).toBeCloseTo(-youngTsaiPressureDrop(c, q), 12);
  });

  it('adds the inertial term Ku·ρ·Ls·dU/dt and keeps the sign of the flow', () => {
    const c = youngTsaiCoefficients({ referenceDiameterM: D0, throatDiameterM: 3e-3, lengthM: LS });
    const a0 = Math.PI * (D0 / 2) ** 2;
    const dqdt = 1e-4;
    expect(youngTsaiPressureDrop(c, 0, dqdt)).toBeCloseTo((1.2 * 1060 * LS * dqdt) / a0, 9);
    expect(youngTsaiPressureDrop(c, -6e-6)).toBeCloseTo(-youngTsaiPressureDrop(c, 6e-6), 9);
  });

  it('rejects a throat wider than the reference', () => {
    expect(() =>
      youngTsaiCoefficients({ referenceDiameterM: 3e-3, throatDiameterM: 4e-3, lengthM: LS }),
    ).toThrow(/D1 ≤ D0/);
  });
});

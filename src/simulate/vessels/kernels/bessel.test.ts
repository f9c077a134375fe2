import { describe, expect, it } from 'vitest';
import {
  WOMERSLEY_ASYMPTOTIC_ALPHA,
  besselJ01,
  womersleyFactors,
  womersleyFactorsAsymptotic,
  womersleyFactorsSeries,
} from './bessel.js';

/** [Re z, Im z, Re J0, Im J0, Re J1, Im J1], from mpmath 1.3 at 30 digits (rounded to doubles). */
const MPMATH: readonly (readonly number[])[] = [
  [0.5, 0.2, 0.9475709328407379, -0.048695507396165065, 0.24589971874137143, 0.0912361818905322],
  [3, -4, -8.812143793697906, 4.598437899743035, 3.6541102814142645, 8.403104256583088],
  [10, 0, -0.24593576445134835, 0.0, 0.04347274616886144, 0.0],
  [20, 1, 0.25571394495998456, -0.08001033807742222, 0.10780526090547948, 0.19151556313020984],
  [-15, 3, -0.3429552398420873, 2.017553729773522, -2.0047358030040585, -0.40624621267347666],
  [7.07, 7.07, 138.7630852256311, -56.16626893777905, 59.278279649900476, 131.81042051381354],
  [-21.2, 21.2, -44089611.95871249, 109139165.19107386, -107326332.47791171, -44872395.11753591],
  [40, -2, 0.016289115100372654, 0.45709218930073753, 0.4740474477973487, -0.00915683714936835],
];

describe('besselJ01', () => {
  it('matches mpmath for complex arguments, series and asymptotic ranges alike', () => {
    const out = new Float64Array(4);
    for (const [zr = 0, zi = 0, ...expected] of MPMATH) {
      besselJ01(zr, zi, out);
      const scale =
        Math.hypot(expected[0] ?? 0, expected[1] ?? 0) +
        Math.hypot(expected[2] ?? 0, expected[3] ?? 0);
      for (let k = 0; k < 4; k++)
        expect(
          Math.abs((out[k] ?? NaN) - (expected[k] ?? NaN)),
          `z = ${zr}${zi >= 0 ? '+' : ''}${zi}i, part ${k}`,
        ).toBeLessThan(1e-10 * scale);
    }
  });

  it('is exact at the origin and keeps the parity J0(−z) = J0(z), J1(−z) = −J1(z)', () => {
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    besselJ01(0, 0, a);
    expect([...a]).toEqual([1, 0, 0, 0]);
    for (const [zr, zi] of [
      [18, 4],
      [2, -1],
      [30, 30],
    ] as const) {
      besselJ01(zr, zi, a);
      besselJ01(-zr, -zi, b);
      expect(b[0]).toBeCloseTo(a[0] ?? NaN, 8);
      expect(b[2]).toBeCloseTo(-(a[2] ?? NaN), 8);
    }
  });
});

describe('womersleyFactors', () => {
  it('tends to Poiseuille as α → 0 (impedance 1, WSS 1, centreline 2)', () => {
    const out = new Float64Array(6);
    for (const alpha of [0, 1e-8, 1e-4]) {
      womersleyFactors(alpha, out);
      expect(out[0]).toBeCloseTo(1, 12);
      expect(out[2]).toBeCloseTo(1, 12);
      expect(out[4]).toBeCloseTo(2, 12);
      expect(
        Math.abs(out[1] ?? NaN) + Math.abs(out[3] ?? NaN) + Math.abs(out[5] ?? NaN),
      ).toBeLessThan(1e-8);
    }
  });

  it('the series and Hankel expansion agree where both are accurate (α 12–30)', () => {
    const s = new Float64Array(6);
    const h = new Float64Array(6);
    for (let alpha = 12; alpha <= 30; alpha += 1.5) {
      womersleyFactorsSeries(alpha, s);
      womersleyFactorsAsymptotic(alpha, h);
      for (let k = 0; k < 6; k += 2) {
        const mag = Math.hypot(s[k] ?? NaN, s[k + 1] ?? NaN);
        expect(
          Math.hypot((s[k] ?? NaN) - (h[k] ?? NaN), (s[k + 1] ?? NaN) - (h[k + 1] ?? NaN)),
          `α ${alpha}, part ${k}`,
        ).toBeLessThan(1e-10 * mag);
      }
    }
    expect(WOMERSLEY_ASYMPTOTIC_ALPHA).toBeGreaterThan(12);
  });

  it('tends to the inviscid limits for large α: Z′ → iωρ/(πR²), τ ∝ α, flat profile', () => {
    const out = new Float64Array(6);
    const alpha = 200;
    womersleyFactors(alpha, out);
    // Z'/(8μ/πR⁴) = (iα²/8)/(1 − F10) with F10 → 2i/Λ, so Im → (α²/8)(1 + √2/α), Re → α·√2/8
    expect((out[1] ?? NaN) / (((alpha * alpha) / 8) * (1 + Math.SQRT2 / alpha))).toBeCloseTo(1, 4);
    expect((out[0] ?? NaN) / ((alpha * Math.SQRT2) / 8)).toBeCloseTo(1, 1);
    // |τ|/Poiseuille → α/(4√1)·… grows linearly with α, phase → 45°
    expect(Math.atan2(out[3] ?? NaN, out[2] ?? NaN) * (180 / Math.PI)).toBeCloseTo(45, 0);
    expect(Math.hypot(out[4] ?? NaN, out[5] ?? NaN)).toBeCloseTo(1, 1);
  });
});

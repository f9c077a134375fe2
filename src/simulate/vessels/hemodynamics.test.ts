import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BLOOD,
  angularFrequency,
  poiseuillePressureGradient,
  poiseuilleWallShearStress,
  reynoldsNumber,
  taperedPoiseuilleResistance,
  womersleyNumber,
} from './hemodynamics.js';

const ML = 1e-6;
const MM = 1e-3;

describe('carotid numbers of cardiovascular.md §3.4 (HR 72, μ 3.5 mPa·s, ρ 1060)', () => {
  const w = angularFrequency(72);
  it('ω = 7.54 rad/s and ν = 3.30e-6 m²/s', () => {
    expect(w).toBeCloseTo(7.54, 2);
    expect(DEFAULT_BLOOD.viscosityPaS / DEFAULT_BLOOD.densityKgPerM3).toBeCloseTo(3.3e-6, 8);
  });

  it.each([
    [3.0, 4.53],
    [3.25, 4.91],
    [4.0, 6.04],
    [2.5, 3.78],
    [2.0, 3.02],
  ])('α for R = %s mm is %s', (r, alpha) => {
    expect(womersleyNumber(r * MM, w)).toBeCloseTo(alpha, 2);
  });

  it('Q = 6 mL/s, R = 3 mm: τ_w = 0.990 Pa, Re 386, dP/dx 660 Pa/m, U 0.212 m/s', () => {
    expect(poiseuilleWallShearStress(6 * ML, 3 * MM)).toBeCloseTo(0.99, 3);
    expect(Math.round(reynoldsNumber(6 * ML, 3 * MM))).toBe(386);
    expect(Math.round(poiseuillePressureGradient(6 * ML, 3 * MM))).toBe(660);
    expect((6 * ML) / (Math.PI * (3 * MM) ** 2)).toBeCloseTo(0.212, 3);
  });

  it('R = 4 mm: τ_w 0.418 Pa, Re 289; peak 23.5 mL/s: 3.88 Pa / Re 1510 (R 3), 1.64 Pa / Re 1133 (R 4)', () => {
    expect(poiseuilleWallShearStress(6 * ML, 4 * MM)).toBeCloseTo(0.418, 3);
    expect(Math.round(reynoldsNumber(6 * ML, 4 * MM))).toBe(289);
    expect(poiseuilleWallShearStress(23.5 * ML, 3 * MM)).toBeCloseTo(3.88, 2);
    expect(reynoldsNumber(23.5 * ML, 3 * MM)).toBeCloseTo(1510, -1);
    expect(poiseuilleWallShearStress(23.5 * ML, 4 * MM)).toBeCloseTo(1.64, 2);
    expect(reynoldsNumber(23.5 * ML, 4 * MM)).toBeCloseTo(1133, -0.5);
  });
});

describe('taperedPoiseuilleResistance', () => {
  it('is 8μL/(πR⁴) for a uniform tube and the integral of 8μ/(πr⁴) along a taper', () => {
    const mu = DEFAULT_BLOOD.viscosityPaS;
    expect(taperedPoiseuilleResistance(0.01, 3e-3, 3e-3)).toBeCloseTo(
      (8 * mu * 0.01) / (Math.PI * 3e-3 ** 4),
      0,
    );
    const [l, r1, r2] = [0.02, 4e-3, 2e-3];
    let integral = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const r = r1 + ((i + 0.5) / n) * (r2 - r1);
      integral += ((8 * mu) / (Math.PI * r ** 4)) * (l / n);
    }
    expect(taperedPoiseuilleResistance(l, r1, r2) / integral).toBeCloseTo(1, 7);
  });
});

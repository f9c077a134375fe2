import type { BloodProperties } from './hemodynamics.js';
import { DEFAULT_BLOOD, womersleyNumber } from './hemodynamics.js';
import { womersleyFactors } from './kernels/bessel.js';

/** A complex number. */
export interface ComplexValue {
  readonly re: number;
  readonly im: number;
}

/** Womersley's rigid-tube solution for one harmonic, relative to quasi-steady Poiseuille flow. */
export interface WomersleyRatios {
  /** Womersley number α. */
  readonly alpha: number;
  /** `|τ_n| / (4μ|Q_n|/(πR³))`: wall shear stress amplitude over the Poiseuille value. */
  readonly wssMagnitude: number;
  /** Phase of τ_n relative to Q_n, degrees (positive: τ leads the flow). */
  readonly wssPhaseDeg: number;
  /** `|u_cl| / ū`: centreline velocity amplitude over the mean velocity amplitude. */
  readonly centerlineMagnitude: number;
  /** Phase of the centreline velocity relative to the flow, degrees. */
  readonly centerlinePhaseDeg: number;
  /** Longitudinal impedance per unit length over its Poiseuille value `8μ/(πR⁴)`. */
  readonly impedance: ComplexValue;
}

const scratch = new Float64Array(6);
const DEG = 180 / Math.PI;

/**
 * The dimensionless Womersley ratios at Womersley number `alpha` (Womersley 1955, J Physiol
 * 127:553; formulas of cardiovascular.md §3.4 with `Λ = i^(3/2)α`, τ = −μ∂u/∂r at the wall):
 * the oracle table of §3.4.
 *
 * @example
 * ```ts
 * womersleyRatios(4.5).wssMagnitude; // 1.4211
 * womersleyRatios(4.5).wssPhaseDeg; // 28.97
 * ```
 */
export function womersleyRatios(alpha: number): WomersleyRatios {
  womersleyFactors(alpha, scratch);
  const [zr = 0, zi = 0, wr = 0, wi = 0, ur = 0, ui = 0] = scratch;
  return {
    alpha,
    wssMagnitude: Math.hypot(wr, wi),
    wssPhaseDeg: Math.atan2(wi, wr) * DEG,
    centerlineMagnitude: Math.hypot(ur, ui),
    centerlinePhaseDeg: Math.atan2(ui, ur) * DEG,
    impedance: { re: zr, im: zi },
  };
}

/**
 * Longitudinal impedance per unit length of a rigid tube, `Z' = ΔP_n/(L·Q_n)`, Pa·s/m⁴, at
 * angular frequency ω (rad/s): `Z' = iωρ/(πR²(1 − F10(Λ)))` (→ `8μ/(πR⁴)` as ω → 0).
 */
export function womersleyImpedance(
  radiusM: number,
  angularFrequencyRadPerS: number,
  blood: BloodProperties = DEFAULT_BLOOD,
): ComplexValue {
  womersleyFactors(womersleyNumber(radiusM, angularFrequencyRadPerS, blood), scratch);
  const poiseuille = (8 * blood.viscosityPaS) / (Math.PI * radiusM ** 4);
  return { re: poiseuille * (scratch[0] ?? 0), im: poiseuille * (scratch[1] ?? 0) };
}

/**
 * Wall shear stress phasor (Pa) of a flow harmonic `Q_n` (m³/s phasor) in a rigid tube of radius R
 * (m) at ω (rad/s): `τ_n = (μQ_n/(πR³))·(−ΛJ1(Λ)/J0(Λ))/(1 − F10)`, positive along the flow.
 */
export function womersleyWallShearStress(
  flow: ComplexValue,
  radiusM: number,
  angularFrequencyRadPerS: number,
  blood: BloodProperties = DEFAULT_BLOOD,
): ComplexValue {
  womersleyFactors(womersleyNumber(radiusM, angularFrequencyRadPerS, blood), scratch);
  const c = (4 * blood.viscosityPaS) / (Math.PI * radiusM ** 3);
  const fr = scratch[2] ?? 0;
  const fi = scratch[3] ?? 0;
  return { re: c * (flow.re * fr - flow.im * fi), im: c * (flow.re * fi + flow.im * fr) };
}

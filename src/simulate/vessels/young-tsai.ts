import { PlatformError } from '../../core/index.js';
import type { BloodProperties } from './hemodynamics.js';
import { DEFAULT_BLOOD } from './hemodynamics.js';

/** Turbulent (expansion) loss coefficient `Kt` of Young & Tsai 1973. */
export const YOUNG_TSAI_KT = 1.52;
/** Inertial coefficient `Ku` of Young & Tsai 1973. */
export const YOUNG_TSAI_KU = 1.2;

/** Geometry of an axisymmetric stenosis. */
export interface StenosisGeometry {
  /** Unobstructed (reference) diameter D0, m. */
  readonly referenceDiameterM: number;
  /** Minimum lumen diameter D1, m. */
  readonly throatDiameterM: number;
  /** Stenosis length Ls, m. */
  readonly lengthM: number;
}

/** Coefficients of the Young–Tsai pressure drop of one stenosis, in flow form (SI). */
export interface YoungTsaiCoefficients {
  /** Viscous coefficient `Kv = 32·(La/D0)·(A0/A1)²`. */
  readonly kv: number;
  /** Turbulent coefficient `Kt`. */
  readonly kt: number;
  /** Inertial coefficient `Ku`. */
  readonly ku: number;
  /** Effective length `La = 0.83·Ls + 1.64·D1`, m. */
  readonly effectiveLengthM: number;
  /** Area ratio `A0/A1`. */
  readonly areaRatio: number;
  /** Linear resistance `Kv·μ/(D0·A0)`, Pa·s/m³ (the viscous term per unit flow). */
  readonly resistance: number;
  /** Quadratic coefficient `(Kt/2)·ρ·(A0/A1 − 1)²/A0²`, Pa·s²/m⁶ (times `|Q|·Q`). */
  readonly turbulence: number;
  /** Inertance `Ku·ρ·Ls/A0`, Pa·s²/m³ (times `dQ/dt`). */
  readonly inertance: number;
}

/**
 * Young & Tsai (1973, J Biomech 6:395 and 6:547; Seeley & Young 1976) stenosis coefficients,
 * written for the flow `Q = U·A0` (cardiovascular.md §3.5):
 * `Δp = (Kv·μ/D0)·U + (Kt/2)·ρ·(A0/A1 − 1)²·|U|·U + Ku·ρ·Ls·dU/dt`, `U = Q/A0`.
 *
 * @remarks
 * With `A1 = A0` only the viscous term is left, and it is Poiseuille over the length `La`:
 * `32·La·μ·U/D0² = 8μ·La·Q/(πR⁴)`. Throws `ERR_SIMULATE_INPUT` for non-positive sizes or a
 * throat wider than the reference.
 */
export function youngTsaiCoefficients(
  geometry: StenosisGeometry,
  blood: BloodProperties = DEFAULT_BLOOD,
): YoungTsaiCoefficients {
  const { referenceDiameterM: d0, throatDiameterM: d1, lengthM: ls } = geometry;
  if (!(d0 > 0 && d1 > 0 && ls >= 0) || d1 > d0 * (1 + 1e-9)) {
    throw new PlatformError(
      'ERR_SIMULATE_INPUT',
      `stenosis geometry needs 0 < D1 ≤ D0 and Ls ≥ 0, got D0 = ${d0} m, D1 = ${d1} m, Ls = ${ls} m`,
    );
  }
  const a0 = (Math.PI * d0 * d0) / 4;
  const areaRatio = (d0 / d1) ** 2;
  const la = 0.83 * ls + 1.64 * d1;
  const kv = 32 * (la / d0) * areaRatio * areaRatio;
  return {
    kv,
    kt: YOUNG_TSAI_KT,
    ku: YOUNG_TSAI_KU,
    effectiveLengthM: la,
    areaRatio,
    resistance: (kv * blood.viscosityPaS) / (d0 * a0),
    turbulence: ((YOUNG_TSAI_KT / 2) * blood.densityKgPerM3 * (areaRatio - 1) ** 2) / (a0 * a0),
    inertance: (YOUNG_TSAI_KU * blood.densityKgPerM3 * ls) / a0,
  };
}

/**
 * Young–Tsai pressure drop across a stenosis, Pa, at flow Q (m³/s) changing at dQ/dt (m³/s²);
 * positive in the direction of flow.
 *
 * @example
 * ```ts
 * const c = youngTsaiCoefficients({ referenceDiameterM: 6e-3, throatDiameterM: 3e-3, lengthM: 12e-3 });
 * youngTsaiPressureDrop(c, 6e-6) / 133.322; // 3.63 mmHg (cardiovascular.md §3.5, 50 % stenosis)
 * ```
 */
export function youngTsaiPressureDrop(
  coefficients: YoungTsaiCoefficients,
  flowM3PerS: number,
  flowRateOfChangeM3PerS2 = 0,
): number {
  return (
    coefficients.resistance * flowM3PerS +
    coefficients.turbulence * Math.abs(flowM3PerS) * flowM3PerS +
    coefficients.inertance * flowRateOfChangeM3PerS2
  );
}

/**
 * Blood properties, unit conversions and the closed-form hemodynamic numbers of
 * cardiovascular.md §3.3–3.4 (Poiseuille, Reynolds, Womersley). SI throughout.
 */

/** Pascals per millimetre of mercury (0 °C, standard gravity). */
export const PA_PER_MMHG = 133.322387415;
/** Cubic metres per millilitre. */
export const M3_PER_ML = 1e-6;
/** Metres per millimetre. */
export const M_PER_MM = 1e-3;

/** Newtonian blood. */
export interface BloodProperties {
  /** Density, kg/m³. */
  readonly densityKgPerM3: number;
  /** Dynamic viscosity, Pa·s. */
  readonly viscosityPaS: number;
}

/**
 * Default blood: ρ = 1060 kg/m³ (openBF), μ = 3.5 mPa·s (typical large-artery value);
 * ν = 3.30e-6 m²/s (cardiovascular.md §3.3).
 */
export const DEFAULT_BLOOD: BloodProperties = { densityKgPerM3: 1060, viscosityPaS: 0.0035 };

/** Angular frequency of the fundamental, rad/s: `ω = 2π·HR/60`. */
export function angularFrequency(heartRateBpm: number): number {
  return (2 * Math.PI * heartRateBpm) / 60;
}

/** Womersley number `α = R·√(ω/ν)` (dimensionless); radius in m, ω in rad/s. */
export function womersleyNumber(
  radiusM: number,
  angularFrequencyRadPerS: number,
  blood: BloodProperties = DEFAULT_BLOOD,
): number {
  return radiusM * Math.sqrt((angularFrequencyRadPerS * blood.densityKgPerM3) / blood.viscosityPaS);
}

/** Reynolds number `Re = ρUD/μ = 4ρQ/(πDμ)` (dimensionless); flow in m³/s, radius in m. */
export function reynoldsNumber(
  flowM3PerS: number,
  radiusM: number,
  blood: BloodProperties = DEFAULT_BLOOD,
): number {
  return (4 * blood.densityKgPerM3 * flowM3PerS) / (Math.PI * 2 * radiusM * blood.viscosityPaS);
}

/** Poiseuille wall shear stress `τ_w = 4μQ/(πR³)`, Pa; flow in m³/s, radius in m. */
export function poiseuilleWallShearStress(
  flowM3PerS: number,
  radiusM: number,
  blood: BloodProperties = DEFAULT_BLOOD,
): number {
  return (4 * blood.viscosityPaS * flowM3PerS) / (Math.PI * radiusM ** 3);
}

/** Poiseuille pressure gradient `ΔP/L = 8μQ/(πR⁴)`, Pa/m; flow in m³/s, radius in m. */
export function poiseuillePressureGradient(
  flowM3PerS: number,
  radiusM: number,
  blood: BloodProperties = DEFAULT_BLOOD,
): number {
  return (8 * blood.viscosityPaS * flowM3PerS) / (Math.PI * radiusM ** 4);
}

/**
 * Poiseuille resistance of a tube whose radius varies linearly from `r1` to `r2` over `length`
 * (all m): `R = 8μL/(3π) · (r1² + r1r2 + r2²)/(r1³r2³)`, Pa·s/m³ (the integral of `8μ/(πr⁴)`
 * along the taper). Equals `8μL/(πR⁴)` when `r1 = r2 = R`.
 */
export function taperedPoiseuilleResistance(
  lengthM: number,
  r1M: number,
  r2M: number,
  blood: BloodProperties = DEFAULT_BLOOD,
): number {
  return (
    (((8 * blood.viscosityPaS * lengthM) / (3 * Math.PI)) * (r1M * r1M + r1M * r2M + r2M * r2M)) /
    (r1M ** 3 * r2M ** 3)
  );
}

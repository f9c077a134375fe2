/** Inputs of {@link chenSingleBeatEes}. */
export interface ChenSingleBeatInput {
  /** Systolic (cuff) pressure Ps [mmHg]. */
  readonly sbp: number;
  /** Diastolic pressure Pd [mmHg]. */
  readonly dbp: number;
  /** Stroke volume [mL]. */
  readonly sv: number;
  /** Ejection fraction as a fraction (0–1). */
  readonly ef: number;
  /**
   * Normalised pre-ejection time `tNd = PEP/(PEP + ET)` (Doppler).
   * @defaultValue 0.275 (the value measured on the simulated H75 beat, science/cardiovascular.md §1.4)
   */
  readonly tNd?: number;
}

/** Coefficients `a_0 … a_7` of the group-averaged normalised elastance `ENd(avg)(tNd)` (Chen 2001). */
const ENDAVG = [0.35695, -7.2266, 74.249, -307.39, 684.54, -856.92, 571.95, -159.1] as const;

/**
 * Single-beat end-systolic elastance of Chen et al., JACC 2001;38:2028–34:
 * `Ees(sb) = [Pd − ENd(est)·Ps·0.9] / [ENd(est)·SV]`, with
 * `ENd(est) = 0.0275 − 0.165·EF + 0.3656·(Pd/Ps) + 0.515·ENd(avg)` and
 * `ENd(avg) = Σ a_i·tNd^i` [mmHg/mL].
 *
 * @remarks
 * The regression coefficients are from memory of the paper (science/cardiovascular.md §1.4, tag
 * [M]). With the double-Hill activation of this model the method underestimates Ees about
 * twofold (H75: 1.50 against 2.85), so {@link personalizeLv} reports it but starts from the ESPVR
 * estimate `0.9·SBP/(ESV − V0)` instead.
 */
export function chenSingleBeatEes(input: ChenSingleBeatInput): number {
  const tNd = input.tNd ?? 0.275;
  let endAvg = 0;
  let power = 1;
  for (const a of ENDAVG) {
    endAvg += a * power;
    power *= tNd;
  }
  const endEst = 0.0275 - 0.165 * input.ef + 0.3656 * (input.dbp / input.sbp) + 0.515 * endAvg;
  return (input.dbp - endEst * input.sbp * 0.9) / (endEst * input.sv);
}

/**
 * Robust statistics for the cohort plots: quantiles, median absolute deviation, robust z-scores.
 * Degenerate input gives `NaN`, not `0`, so an empty group is never drawn as a real value.
 */

/** 1/Φ⁻¹(3/4): MAD_TO_SIGMA × MAD estimates σ of normal data; the QA stage's normative checks use it too. */
export const MAD_TO_SIGMA = 1.482602218505602;

/**
 * The q-quantile of `values` by linear interpolation between order statistics (Hyndman and Fan
 * type 7, the default of R and NumPy); `NaN` when `values` is empty.
 *
 * @param q - Between 0 and 1.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const below = sorted[lo] ?? NaN;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] ?? NaN;
  return below + (h - lo) * (above - below);
}

/** The median of `values`; `NaN` when empty. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Centre and spread of a sample, estimated robustly. */
export interface RobustSpread {
  readonly median: number;
  /**
   * Robust standard deviation: 1.4826 × MAD, which equals σ for normal data; 1.2533 × the mean
   * absolute deviation from the median when the MAD is 0; 0 when every value is the median.
   */
  readonly sigma: number;
}

/**
 * Median and robust standard deviation of `values`.
 *
 * @remarks
 * The MAD is 0 as soon as more than half the values are equal (a phantom scanned with identical
 * results), which would make every other value an infinite outlier. In that case the mean
 * absolute deviation stands in, as in Iglewicz and Hoaglin's modified z-score (1993).
 */
export function robustSpread(values: readonly number[]): RobustSpread {
  const m = median(values);
  const deviations = values.map((v) => Math.abs(v - m));
  const mad = median(deviations);
  if (mad > 0) return { median: m, sigma: MAD_TO_SIGMA * mad };
  const meanAd = deviations.reduce((sum, d) => sum + d, 0) / deviations.length;
  return { median: m, sigma: Number.isNaN(meanAd) ? NaN : 1.2533 * meanAd };
}

/**
 * Robust z-score of `value` against a {@link RobustSpread}: 0 when the spread is 0 and the value
 * is the median, `±∞` when the spread is 0 and it is not.
 */
export function robustZ(value: number, spread: RobustSpread): number {
  const d = value - spread.median;
  if (spread.sigma > 0) return d / spread.sigma;
  return d === 0 ? 0 : d > 0 ? Infinity : -Infinity;
}

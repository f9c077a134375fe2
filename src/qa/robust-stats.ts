/**
 * Robust location and scale for normative ranges: median and the median absolute deviation
 * (MAD), scaled by 1.4826 so that it estimates σ for normal data (Rousseeuw & Croux 1993). A
 * site's history contains the very defects QA looks for, so mean and SD would be pulled by them;
 * the median and MAD tolerate up to half the history being outliers.
 */

/** Consistency constant: 1.4826 · MAD estimates σ of a normal distribution (1/Φ⁻¹(3/4)). */
export const MAD_TO_SIGMA = 1.482602218505602;

/** Median of the values (average of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Median absolute deviation from the median, unscaled; NaN when empty. */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** Median and σ-scaled MAD of some values. */
export interface RobustLocationScale {
  readonly median: number;
  /** 1.4826 · MAD: an outlier-resistant estimate of the standard deviation. */
  readonly sigma: number;
  readonly n: number;
}

/**
 * Median and σ-scaled MAD of `values`.
 *
 * @example
 * ```ts
 * robustLocationScale([1, 2, 3, 4, 100]); // { median: 3, sigma: 1.4826, n: 5 }
 * ```
 */
export function robustLocationScale(values: readonly number[]): RobustLocationScale {
  return {
    median: median(values),
    sigma: MAD_TO_SIGMA * medianAbsoluteDeviation(values),
    n: values.length,
  };
}

/**
 * Robust z-score of `value` against `reference`: (value − median) / max(σ̂, floor). The floor
 * keeps a history of identical values (MAD = 0) from turning the smallest change into an
 * infinite z.
 */
export function robustZ(value: number, reference: RobustLocationScale, sigmaFloor: number): number {
  return (value - reference.median) / Math.max(reference.sigma, sigmaFloor);
}

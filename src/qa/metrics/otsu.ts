import { maskedHistogram, maskedRange, otsuSplit } from './kernels/histogram.js';
import { checkInteger } from './validate.js';

/**
 * Number of histogram bins for Otsu thresholds: 256 equal-width bins between the minimum and the
 * maximum of the selected voxels, as in scikit-image's `threshold_otsu` default.
 */
export const OTSU_BINS = 256;

/** Options of {@link otsuThreshold}. */
export interface OtsuOptions {
  /** Only voxels where the mask is non-zero take part; every voxel when absent. */
  readonly mask?: Uint8Array;
  /**
   * Number of equal-width histogram bins over [min, max] of the selected voxels.
   * @defaultValue 256 ({@link OTSU_BINS})
   */
  readonly bins?: number;
}

/** Otsu's split of an intensity distribution into a low and a high class. */
export interface OtsuResult {
  /**
   * Intensity at which the high class starts (the lower edge of its first bin), in the units of
   * the image: voxels with x ≥ threshold are "high". `Infinity` when there is no split (no
   * voxel, or all selected voxels in one bin).
   */
  readonly threshold: number;
  /** Mean of the voxels in the bins of the low class (exact, from per-bin sums); NaN if empty. */
  readonly lowMean: number;
  /** Mean of the voxels in the bins of the high class; NaN if empty. */
  readonly highMean: number;
  readonly lowCount: number;
  readonly highCount: number;
}

/**
 * Otsu's threshold (Otsu 1979, IEEE Trans SMC 9(1):62–66): the split of a histogram that maximizes
 * the between-class variance w₀·w₁·(μ₀ − μ₁)², with class means taken from bin centres.
 *
 * @remarks
 * The histogram has `bins` equal-width bins over [min, max] of the finite selected values; a value
 * x is in bin ⌊(x − min)/width⌋ (the maximum in the last bin). Ties go to the lowest split. For a
 * noise-free two-valued image every split between the two values ties, so the threshold is the
 * upper edge of the lower value's bin.
 *
 * @example
 * ```ts
 * otsuThreshold(new Float32Array([0, 0, 10, 10])).threshold; // returns 0.0390625 (= 10/256)
 * ```
 */
export function otsuThreshold(data: Float32Array, options: OtsuOptions = {}): OtsuResult {
  const bins = options.bins ?? OTSU_BINS;
  checkInteger(bins, 2, 1 << 24, 'bins');
  const range = maskedRange(data, options.mask);
  if (range.count === 0) {
    return { threshold: Infinity, lowMean: NaN, highMean: NaN, lowCount: 0, highCount: 0 };
  }
  const histogram = maskedHistogram(data, options.mask, range.min, range.max, bins);
  return otsuFromHistogram(histogram.counts, histogram.sums, range.min, histogram.width);
}

/** {@link OtsuResult} of a histogram made by `maskedHistogram`. */
export function otsuFromHistogram(
  counts: Float64Array,
  sums: Float64Array,
  min: number,
  width: number,
): OtsuResult {
  const split = width > 0 ? otsuSplit(counts, min, width) : -1;
  let lowCount = 0;
  let lowSum = 0;
  let highCount = 0;
  let highSum = 0;
  counts.forEach((c, b) => {
    const s = sums[b] ?? 0;
    if (split >= 0 && b > split) {
      highCount += c;
      highSum += s;
    } else {
      lowCount += c;
      lowSum += s;
    }
  });
  return {
    threshold: split < 0 ? Infinity : min + (split + 1) * width,
    lowMean: lowCount > 0 ? lowSum / lowCount : NaN,
    highMean: highCount > 0 ? highSum / highCount : NaN,
    lowCount,
    highCount,
  };
}

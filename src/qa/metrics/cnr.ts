import type { Volume } from '../../core/index.js';
import { maskedHistogram, maskedRange } from './kernels/histogram.js';
import { maskedMoments, momentsSampleSd } from './kernels/moments.js';
import { OTSU_BINS, otsuFromHistogram } from './otsu.js';
import { DIETRICH_FACTOR } from './snr.js';
import { checkMask } from './validate.js';

/** Result of {@link cnr}. */
export interface CnrResult {
  /** |μ_hi − μ_lo| / σ_noise (dimensionless); NaN when a class or the noise estimate is missing. */
  readonly cnr: number;
  /** Mean of the darker tissue class, in image units. */
  readonly lowMean: number;
  /** Mean of the brighter tissue class, in image units. */
  readonly highMean: number;
  /** Otsu threshold between the classes, in image units (`Infinity` when there is no split). */
  readonly threshold: number;
  /** Rayleigh-corrected noise σ, SD_bg / 0.6551364, in image units. */
  readonly noiseSigma: number;
}

/**
 * Contrast-to-noise ratio between the two tissue classes of the foreground.
 *
 * @remarks
 * The classes are a second Otsu split of the foreground intensities alone (256 equal-width bins
 * over their [min, max]; see {@link otsuThreshold}); μ_lo and μ_hi are the exact means of the
 * voxels in the bins on either side. σ_noise is the Rayleigh-corrected background SD,
 * SD_bg / 0.6551364 (sample SD, n − 1). This is the classic single-σ CNR (|μ_A − μ_B| / σ_noise,
 * the old MRIQC docs' σ_air form), not MRIQC's current √(σ_air² + σ_WM² + σ_GM²): with no tissue
 * segmentation the class variances would mix anatomy into the noise.
 */
export function cnr(volume: Volume, foreground: Uint8Array, background: Uint8Array): CnrResult {
  checkMask(volume, foreground, 'foreground');
  checkMask(volume, background, 'background');
  const range = maskedRange(volume.data, foreground);
  const noiseSigma = momentsSampleSd(maskedMoments(volume.data, background)) / DIETRICH_FACTOR;
  return cnrFromRange(volume.data, foreground, range.min, range.max, range.count, noiseSigma);
}

/** {@link CnrResult} given the foreground's range and the noise σ. */
export function cnrFromRange(
  data: Float32Array,
  foreground: Uint8Array,
  min: number,
  max: number,
  count: number,
  noiseSigma: number,
): CnrResult {
  if (count === 0) {
    return { cnr: NaN, lowMean: NaN, highMean: NaN, threshold: Infinity, noiseSigma };
  }
  const h = maskedHistogram(data, foreground, min, max, OTSU_BINS);
  const split = otsuFromHistogram(h.counts, h.sums, min, h.width);
  return {
    cnr: Math.abs(split.highMean - split.lowMean) / noiseSigma,
    lowMean: split.lowMean,
    highMean: split.highMean,
    threshold: split.threshold,
    noiseSigma,
  };
}

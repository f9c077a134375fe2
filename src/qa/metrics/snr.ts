import type { Volume } from '../../core/index.js';
import {
  differenceMoments,
  maskedMoments,
  momentsMean,
  momentsSampleSd,
} from './kernels/moments.js';
import type { Moments } from './kernels/moments.js';
import { checkMask, checkSameDimensions } from './validate.js';

/**
 * SD of Rayleigh-distributed magnitude noise over the σ of the underlying complex Gaussian noise:
 * √(2 − π/2) = 1/√(2/(4 − π)) ≈ 0.6551364, MRIQC's `DIETRICH_FACTOR` (Dietrich et al. 2007, JMRI
 * 26:375–385, eq. A.12), kept to MRIQC's 7 digits so values compare with MRIQC's `snrd_*`.
 */
export const DIETRICH_FACTOR = 0.6551364;

/** Mean of Rayleigh-distributed magnitude noise over σ: √(π/2) ≈ 1.2533. */
export const RAYLEIGH_MEAN_FACTOR = Math.sqrt(Math.PI / 2);

/** Result of {@link snrBackground}. */
export interface SnrBackgroundResult {
  /** 0.6551364 · mean_F / SD_bg (dimensionless); NaN without foreground or with fewer than 2 air voxels. */
  readonly snr: number;
  /** √(π/2) · mean_F / mean_bg (dimensionless); NaN without foreground or background. */
  readonly snrMean: number;
  /** Mean of the foreground, in image units. */
  readonly signalMean: number;
  /** Mean of the background, in image units. */
  readonly backgroundMean: number;
  /** Sample SD (n − 1) of the background, in image units. */
  readonly backgroundSd: number;
  /** σ of the complex noise, SD_bg / 0.6551364, in image units. */
  readonly noiseSigma: number;
  readonly foregroundCount: number;
  readonly backgroundCount: number;
}

/**
 * Single-image SNR by the background method (NEMA MS 1; Kaufman et al. 1989; Dietrich et al.
 * 2007): the foreground mean over the noise σ estimated from Rayleigh-distributed air.
 *
 * @remarks
 * - `snr` = 0.6551364 · mean_F / SD_bg (MRIQC `snrd`, but with the sample SD of the air where MRIQC
 *   uses its MAD), `snrMean` = √(π/2) · mean_F / mean_bg.
 * - SD is the sample SD (n − 1); sums are in doubles, shifted by the first selected voxel.
 * - Valid only for single-channel (or effectively Rayleigh) magnitude data without parallel
 *   imaging, background masking or filtering, and without ghosts in the air; for multi-coil or
 *   accelerated data use {@link snrDifference}.
 */
export function snrBackground(
  volume: Volume,
  foreground: Uint8Array,
  background: Uint8Array,
): SnrBackgroundResult {
  checkMask(volume, foreground, 'foreground');
  checkMask(volume, background, 'background');
  return snrFromMoments(
    maskedMoments(volume.data, foreground),
    maskedMoments(volume.data, background),
  );
}

/** {@link SnrBackgroundResult} from foreground and background moments. */
export function snrFromMoments(f: Moments, b: Moments): SnrBackgroundResult {
  const signalMean = momentsMean(f);
  const backgroundMean = momentsMean(b);
  const backgroundSd = momentsSampleSd(b);
  return {
    snr: (DIETRICH_FACTOR * signalMean) / backgroundSd,
    snrMean: (RAYLEIGH_MEAN_FACTOR * signalMean) / backgroundMean,
    signalMean,
    backgroundMean,
    backgroundSd,
    noiseSigma: backgroundSd / DIETRICH_FACTOR,
    foregroundCount: f.count,
    backgroundCount: b.count,
  };
}

/** Result of {@link snrDifference}. */
export interface SnrDifferenceResult {
  /** √2 · mean_ROI((a + b)/2) / SD_ROI(a − b) (dimensionless); NaN for fewer than 2 ROI voxels. */
  readonly snr: number;
  /** Mean over the ROI of (a + b)/2, in image units. */
  readonly signalMean: number;
  /** Sample SD (n − 1) over the ROI of a − b, in image units. */
  readonly differenceSd: number;
  /** Noise σ of one acquisition, SD_ROI(a − b)/√2, in image units. */
  readonly noiseSigma: number;
  readonly count: number;
}

/**
 * Two-acquisition SNR (NEMA MS 1 difference method): two identical back-to-back acquisitions on
 * the same grid, SNR = √2 · S̄ / SD_ROI(a − b).
 *
 * @remarks
 * S̄ is the ROI mean of (a + b)/2 rather than of a alone: same expectation, half the variance, and
 * symmetric in a and b. SD is the sample SD (n − 1). Robust to parallel imaging and coil
 * combination, unlike {@link snrBackground}; assumes no motion between a and b inside the ROI.
 *
 * @throws PlatformError `ERR_QA_METRIC_INPUT` when a, b and roi differ in size.
 */
export function snrDifference(a: Volume, b: Volume, roi: Uint8Array): SnrDifferenceResult {
  checkSameDimensions(a, b, 'snrDifference');
  checkMask(a, roi, 'roi');
  const { difference, meanSum } = differenceMoments(a.data, b.data, roi);
  const signalMean = difference.count === 0 ? NaN : meanSum / difference.count;
  const differenceSd = momentsSampleSd(difference);
  return {
    snr: (Math.SQRT2 * signalMean) / differenceSd,
    signalMean,
    differenceSd,
    noiseSigma: differenceSd / Math.SQRT2,
    count: difference.count,
  };
}

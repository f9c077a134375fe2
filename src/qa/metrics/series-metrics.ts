import type { Volume } from '../../core/index.js';
import { cnrFromRange } from './cnr.js';
import { efcFromSums } from './efc.js';
import { fberFromMedians } from './fber.js';
import { ghostingFromSums } from './ghosting.js';
import { gradientRatio, localNoise } from './kernels/local-noise.js';
import type { PhaseEncodingAxis } from './ghosting.js';
import { erodeInPlane } from './kernels/morphology.js';
import { edgeBand, seriesSums } from './kernels/region-sums.js';
import { medianOfSquares } from './kernels/select.js';
import { backgroundMask, foregroundMask, foregroundOfObjects, objectMask } from './masks.js';
import { centreOfMass, resampleToGrid } from './resample.js';
import { EDGE_BAND_HALF_WIDTH, sharpnessFromSums } from './sharpness.js';
import { snrDifference, snrFromMoments } from './snr.js';
import { uqi } from './uqi.js';
import { checkInteger, checkSameDimensions } from './validate.js';

/** How a reference volume is brought onto the series' grid for UQI. */
export type ReferenceAlignment = 'centre-of-mass' | 'scanner';

/** Options of {@link computeSeriesMetrics}. */
export interface SeriesMetricsOptions {
  /** In-plane voxel axis of phase encoding, for the ghost band. */
  readonly phaseAxis: PhaseEncodingAxis;
  /**
   * A reference for UQI (a previous visit, a template), on any grid: it is resampled onto the
   * series' grid (see `referenceAlignment`).
   */
  readonly reference?: Volume;
  /** A back-to-back repeat of the series on the same grid, for the difference SNR. */
  readonly repeat?: Volume;
  /**
   * `centre-of-mass`: translate the reference so that its foreground's intensity-weighted centre
   * meets the series'; `scanner`: use the LPS coordinates as they are (same session, no motion).
   * @defaultValue 'centre-of-mass'
   */
  readonly referenceAlignment?: ReferenceAlignment;
  /**
   * Margin between foreground and background, and erosion of the difference-SNR ROI, in voxels.
   * @defaultValue 3
   */
  readonly marginVoxels?: number;
  /**
   * UQI window side, in voxels.
   * @defaultValue 8
   */
  readonly uqiBlock?: number;
}

/**
 * The image-quality metrics of one series. All are dimensionless except `noiseSigma`; NaN marks a
 * metric the image does not allow (see each metric's function), never an exception.
 */
export interface SeriesMetrics {
  /** Background-method SNR, 0.6551364 · mean_F / SD_bg ({@link snrBackground}). */
  readonly snr: number;
  /** Mean-based background SNR, √(π/2) · mean_F / mean_bg. */
  readonly snrMean: number;
  /** Two-class contrast-to-noise ratio ({@link cnr}). */
  readonly cnr: number;
  /** Entropy focus criterion ({@link efc}); lower is better. */
  readonly efc: number;
  /** Foreground-background energy ratio ({@link fber}); −1 without background. */
  readonly fber: number;
  /** N/2 ghost-to-signal ratio along the phase axis ({@link ghostingRatio}). */
  readonly ghostingRatio: number;
  /** Edge sharpness, the lower of the two in-plane axes ({@link sharpness}). */
  readonly sharpness: number;
  /** mean(foreground) / σ with σ measured inside the object ({@link localNoise}). */
  readonly snrLocal: number;
  /** Phase- over readout-axis gradient energy ({@link gradientRatio}); falls with motion blur. */
  readonly gradientRatio: number;
  /** UQI against `reference` inside the series' foreground ({@link uqi}), when given. */
  readonly uqi?: number;
  /** Difference SNR against `repeat` ({@link snrDifference}), when given. */
  readonly snrDifference?: number;
  /** Rayleigh-corrected noise σ of the background, SD_bg / 0.6551364, in image units. */
  readonly noiseSigma: number;
  /** Fraction of voxels in the foreground, in [0, 1]. */
  readonly foregroundFraction: number;
}

/**
 * Computes every image-quality metric of a series, with the masks made once and the voxel
 * statistics in one fused pass.
 *
 * @remarks
 * Passes over the voxels: range and histogram for the Otsu foreground, its connected component and
 * hole filling, the in-plane dilations for the background and the edge band, then one pass for the moments, EFC, ghost
 * and edge sums and the |x| lists, one histogram pass over the foreground for the CNR split, and
 * quickselect for the FBER medians. The values equal the standalone functions' on the same masks.
 * The difference-SNR ROI is the foreground eroded in-plane by `marginVoxels`, so that edges
 * (where a little motion between repeats dominates a − b) stay out.
 *
 * @throws PlatformError `ERR_QA_METRIC_INPUT` when `repeat` has other dimensions, or an option is
 * out of range.
 */
export function computeSeriesMetrics(volume: Volume, options: SeriesMetricsOptions): SeriesMetrics {
  const margin = options.marginVoxels ?? 3;
  checkInteger(margin, 0, 1 << 16, 'marginVoxels');
  const [ni, nj, nk] = volume.dimensions;
  const objects = objectMask(volume);
  const foreground = foregroundOfObjects(volume, objects);
  const background = backgroundMask(volume, foreground, { marginVoxels: margin, objects });
  let foregroundCount = 0;
  let backgroundCount = 0;
  for (const m of foreground) foregroundCount += m;
  for (const m of background) backgroundCount += m;
  const sums = seriesSums(
    volume.data,
    foreground,
    background,
    ni,
    nj,
    nk,
    options.phaseAxis === 'i' ? 0 : 1,
    edgeBand(foreground, ni, nj, nk, EDGE_BAND_HALF_WIDTH),
    foregroundCount,
    backgroundCount,
  );
  const snr = snrFromMoments(sums.foreground, sums.background);
  const cnr = cnrFromRange(
    volume.data,
    foreground,
    sums.foregroundMin,
    sums.foregroundMax,
    foregroundCount,
    snr.noiseSigma,
  );
  const edge = sharpnessFromSums(
    sums.edges,
    snr.signalMean - (backgroundCount === 0 ? 0 : snr.backgroundMean),
    Number.isFinite(snr.backgroundSd) ? snr.backgroundSd : 0,
  );
  const result: SeriesMetrics = {
    snr: snr.snr,
    snrMean: snr.snrMean,
    cnr: cnr.cnr,
    efc: efcFromSums(sums.efc),
    fber: fberFromMedians(medianOfSquares(sums.foregroundAbs), medianOfSquares(sums.backgroundAbs)),
    ghostingRatio: ghostingFromSums(sums.ghost, snr.signalMean, foregroundCount),
    sharpness: edge.sharpness,
    snrLocal: localNoise(volume, foreground).snrLocal,
    gradientRatio: gradientRatio(volume, foreground, options.phaseAxis),
    noiseSigma: snr.noiseSigma,
    foregroundFraction: volume.data.length === 0 ? NaN : foregroundCount / volume.data.length,
  };
  const extra: { uqi?: number; snrDifference?: number } = {};
  if (options.reference !== undefined) {
    const reference = alignReference(
      options.reference,
      volume,
      foreground,
      options.referenceAlignment ?? 'centre-of-mass',
    );
    extra.uqi = uqi(reference, volume, foreground, { block: options.uqiBlock ?? 8 }).uqi;
  }
  if (options.repeat !== undefined) {
    checkSameDimensions(volume, options.repeat, 'repeat');
    const roi = erodeInPlane(foreground, ni, nj, nk, margin);
    extra.snrDifference = snrDifference(volume, options.repeat, roi).snr;
  }
  return { ...result, ...extra };
}

function sameGrid(a: Volume, b: Volume): boolean {
  const close = (x: readonly number[], y: readonly number[]): boolean =>
    x.every((v, n) => Math.abs(v - (y[n] ?? NaN)) <= 1e-6);
  return (
    close(a.dimensions, b.dimensions) &&
    close(a.spacing, b.spacing) &&
    close(a.origin, b.origin) &&
    close(a.direction, b.direction)
  );
}

/** The reference on the series' grid, translated by the centres of mass when asked. */
function alignReference(
  reference: Volume,
  volume: Volume,
  foreground: Uint8Array,
  alignment: ReferenceAlignment,
): Volume {
  if (alignment === 'scanner') {
    return sameGrid(reference, volume) ? reference : resampleToGrid(reference, volume);
  }
  const target = centreOfMass(volume, foreground);
  const source = centreOfMass(reference, foregroundMask(reference));
  const t = [target[0] - source[0], target[1] - source[1], target[2] - source[2]] as const;
  // Without a centre on either side there is nothing to align: fall back to scanner coordinates.
  return resampleToGrid(reference, volume, t.every(Number.isFinite) ? t : [0, 0, 0]);
}

import type { Volume } from '../../core/index.js';
import { ghostSums } from './kernels/region-sums.js';
import type { GhostSums } from './kernels/region-sums.js';
import { maskedMoments, momentsMean } from './kernels/moments.js';
import { backgroundMask } from './masks.js';
import { checkMask } from './validate.js';

/** In-plane voxel axis along which the phase is encoded: `i` (rows of a slice) or `j`. */
export type PhaseEncodingAxis = 'i' | 'j';

/** Options of {@link ghostingRatio}. */
export interface GhostingOptions {
  /**
   * The air mask, as from {@link backgroundMask}; computed from `foreground` with `marginVoxels`
   * when absent.
   */
  readonly background?: Uint8Array;
  /**
   * Margin for the background when it is computed here, in voxels.
   * @defaultValue 3
   */
  readonly marginVoxels?: number;
}

/**
 * Ghost-to-signal ratio along the phase-encoding axis (MRIQC `gsr_x`/`gsr_y`; Giannelli et al.
 * 2010): (μ_G − μ_NG) / μ_S, dimensionless; about 0 without a ghost, 0.1 for an N/2 ghost of 10 %.
 *
 * @remarks
 * - G, the N/2 ghost band: the foreground rolled cyclically by ⌊n/2⌋ voxels along the phase axis
 *   (as `numpy.roll`), restricted to the background, i.e. minus the foreground dilated by the
 *   margin.
 * - NG: the rest of the background.
 * - S: the foreground. μ_S is its mean, as in MRIQC's older `gsr`; MRIQC now uses the median,
 *   which differs little for a homogeneous object.
 * NaN when G, NG or S is empty, or when G holds fewer voxels than {@link MIN_GHOST_BAND_FRACTION}
 * of S: an object that fills the field of view along the phase axis (a coronal trunk with the
 * arms) leaves only slivers of air for its ghost, and their partial-volume voxels, not a ghost,
 * then decide the value.
 */
export function ghostingRatio(
  volume: Volume,
  foreground: Uint8Array,
  phaseAxis: PhaseEncodingAxis,
  options: GhostingOptions = {},
): number {
  checkMask(volume, foreground, 'foreground');
  const background =
    options.background ??
    backgroundMask(volume, foreground, {
      ...(options.marginVoxels === undefined ? {} : { marginVoxels: options.marginVoxels }),
    });
  checkMask(volume, background, 'background');
  const [ni, nj, nk] = volume.dimensions;
  const sums = ghostSums(
    volume.data,
    foreground,
    background,
    ni,
    nj,
    nk,
    phaseAxis === 'i' ? 0 : 1,
  );
  let foregroundCount = 0;
  for (const m of foreground) foregroundCount += m;
  return ghostingFromSums(
    sums,
    momentsMean(maskedMoments(volume.data, foreground)),
    foregroundCount,
  );
}

/** Smallest ghost band, as a fraction of the foreground's voxel count, {@link ghostingRatio} judges. */
export const MIN_GHOST_BAND_FRACTION = 0.05;

/** Ghost-to-signal ratio from ghost-band sums and the mean signal. */
export function ghostingFromSums(
  s: GhostSums,
  signalMean: number,
  foregroundCount: number,
): number {
  if (s.ghostCount === 0 || s.restCount === 0) return NaN;
  if (s.ghostCount < MIN_GHOST_BAND_FRACTION * foregroundCount) return NaN;
  return (s.ghostSum / s.ghostCount - s.restSum / s.restCount) / signalMean;
}

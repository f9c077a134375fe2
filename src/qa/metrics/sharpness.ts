import type { Volume } from '../../core/index.js';
import { maskedMoments, momentsMean, momentsSampleSd } from './kernels/moments.js';
import { edgeBand, edgeSums } from './kernels/region-sums.js';
import type { EdgeSums } from './kernels/region-sums.js';
import { DIETRICH_FACTOR } from './snr.js';
import { checkMask } from './validate.js';

/**
 * Half-width of the edge band, in voxels: the band holds the whole edge profile of edges blurred
 * over up to about 2·3 + 1 = 7 voxels.
 */
export const EDGE_BAND_HALF_WIDTH = 3;

/** Result of {@link sharpness}. */
export interface SharpnessResult {
  /** min(sharpnessI, sharpnessJ), dimensionless; NaN without edges or without contrast. */
  readonly sharpness: number;
  /** Edge sharpness from differences along i. */
  readonly sharpnessI: number;
  /** Edge sharpness from differences along j. */
  readonly sharpnessJ: number;
  /** Pixels in the edge band. */
  readonly bandPixels: number;
  /** Foreground/background step μ_F − μ_B, in image units. */
  readonly step: number;
  /** Noise σ used, SD_bg / 0.6551364, in image units (0 without background). */
  readonly noiseSigma: number;
}

/**
 * Edge sharpness: the in-plane gradient energy across the object's edge per unit edge length,
 * over the squared object/air step, per in-plane axis, with the noise's share subtracted; the
 * lower axis is reported, so a blur along one axis (motion along the phase-encoding direction)
 * shows.
 *
 * @remarks
 * - Edge band: the pixels within 3 voxels (square, in-plane; {@link EDGE_BAND_HALF_WIDTH}) of the
 *   foreground's boundary (foreground pixels with a 4-neighbour outside it), slice borders
 *   excluded. Edge length L = band pixels / 7.
 * - Along axis a: d_a = (x[+1] − x[−1]) / 2 per voxel, and
 *   E_a = Σ_band d_a² − Σ_band (v₋ + v₊)/4, where v± is the noise variance of each neighbour:
 *   σ² inside the foreground (Rician ≈ Gaussian) and SD_bg² outside (Rayleigh), with
 *   σ = SD_bg / 0.6551364.
 * - sharpness_a = 2·E_a / (L · (μ_F − μ_B)²). A step edge gives Σ d² = Δ²/2 per crossing, so an
 *   ideal edge normal to a scores 1 and a ramp w voxels wide about 2/w: the value reads as
 *   2 / (edge width along a, in voxels).
 * - Summing over a band that holds the whole profile, rather than taking gradients at the
 *   boundary pixels themselves, keeps the estimate free of the bias that picking pixels by their
 *   own noisy values would bring; the tests show a drop of more than 30 % under a 5-voxel motion
 *   blur and a change of under 10 % when the noise doubles.
 * - Without background, μ_B and the noise are taken as 0.
 * Gradients are per voxel, not per millimetre: compare series of one protocol.
 */
export function sharpness(
  volume: Volume,
  foreground: Uint8Array,
  background: Uint8Array,
): SharpnessResult {
  checkMask(volume, foreground, 'foreground');
  checkMask(volume, background, 'background');
  const [ni, nj, nk] = volume.dimensions;
  const b = maskedMoments(volume.data, background);
  const backgroundMean = b.count === 0 ? 0 : momentsMean(b);
  const sd = momentsSampleSd(b);
  const band = edgeBand(foreground, ni, nj, nk, EDGE_BAND_HALF_WIDTH);
  return sharpnessFromSums(
    edgeSums(volume.data, foreground, band, ni),
    momentsMean(maskedMoments(volume.data, foreground)) - backgroundMean,
    Number.isFinite(sd) ? sd : 0,
  );
}

/** {@link SharpnessResult} from edge-band sums, the step and the background SD. */
export function sharpnessFromSums(
  e: EdgeSums,
  step: number,
  backgroundSd: number,
): SharpnessResult {
  const noiseSigma = backgroundSd / DIETRICH_FACTOR;
  const inside = noiseSigma * noiseSigma;
  const outside = backgroundSd * backgroundSd;
  const length = e.count / (2 * EDGE_BAND_HALF_WIDTH + 1);
  const axis = (sum: number, foregroundNeighbours: number): number => {
    if (e.count === 0 || !(step > 0)) return NaN;
    const noise =
      (foregroundNeighbours * inside + (2 * e.count - foregroundNeighbours) * outside) / 4;
    return (2 * (sum - noise)) / (length * step * step);
  };
  const sharpnessI = axis(e.sumDi2, e.foregroundNeighboursI);
  const sharpnessJ = axis(e.sumDj2, e.foregroundNeighboursJ);
  return {
    sharpness: Math.min(sharpnessI, sharpnessJ),
    sharpnessI,
    sharpnessJ,
    bandPixels: e.count,
    step,
    noiseSigma,
  };
}

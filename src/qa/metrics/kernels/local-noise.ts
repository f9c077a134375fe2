import type { Volume } from '../../../core/index.js';
import { MAD_TO_SIGMA } from '../../robust-stats.js';
import { selectKth } from './select.js';
import type { PhaseEncodingAxis } from '../ghosting.js';
import { checkMask } from '../validate.js';

/**
 * √(Σ w²) of Immerkaer's 3×3 noise kernel [1 −2 1; −2 4 −2; 1 −2 1]: the SD of its response to
 * white noise of σ = 1 is 6.
 */
const LAPLACIAN_NORM = 6;

/** What {@link localNoise} found. */
export interface LocalNoiseResult {
  /** Noise σ estimated inside the object, in image units; NaN without usable voxels. */
  readonly noiseSigma: number;
  /** Mean of the object, in image units. */
  readonly signalMean: number;
  /** signalMean / noiseSigma (dimensionless). */
  readonly snrLocal: number;
  /** Voxels whose 3×3 in-plane neighbourhood lies inside the object (the estimator's sample). */
  readonly count: number;
}

/**
 * Noise σ measured inside the object, with no need for air: Immerkaer's (1996) 3×3 Laplacian-of-
 * Laplacian kernel, which cancels locally linear signal, applied in-plane at every voxel whose
 * neighbourhood lies in `foreground`; σ = 1.4826 · median(|response|) / 6. The median (Donoho's
 * robust scale) makes the anatomy's edges, a minority of voxels, irrelevant.
 *
 * @remarks
 * The background method needs air with Rayleigh noise; a whole-body coronal slab or a liver
 * series whose arms fill the field of view has almost none, and multi-coil parallel imaging
 * makes the air's noise unlike the object's (Dietrich 2007). This estimate holds wherever the
 * object's SNR is high enough for magnitude noise to be Gaussian (above about 3). `snrLocal` =
 * mean(foreground) / σ is the SNR QA's normative ranges track by default.
 *
 * Reference: J. Immerkaer, "Fast noise variance estimation", Computer Vision and Image
 * Understanding 64(2):300–302, 1996.
 */
export function localNoise(volume: Volume, foreground: Uint8Array): LocalNoiseResult {
  checkMask(volume, foreground, 'foreground');
  const [ni, nj, nk] = volume.dimensions;
  const data = volume.data;
  const responses = new Float64Array(data.length);
  let n = 0;
  let sum = 0;
  let count = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) {
        const p = i + ni * (j + nj * k);
        if (foreground[p] === 0) continue;
        sum += data[p]!;
        count++;
        if (i === 0 || j === 0 || i === ni - 1 || j === nj - 1) continue;
        const up = p - ni;
        const down = p + ni;
        if (
          foreground[up - 1] === 0 ||
          foreground[up] === 0 ||
          foreground[up + 1] === 0 ||
          foreground[p - 1] === 0 ||
          foreground[p + 1] === 0 ||
          foreground[down - 1] === 0 ||
          foreground[down] === 0 ||
          foreground[down + 1] === 0
        ) {
          continue;
        }
        const r =
          data[up - 1]! -
          2 * data[up]! +
          data[up + 1]! -
          2 * data[p - 1]! +
          4 * data[p]! -
          2 * data[p + 1]! +
          data[down - 1]! -
          2 * data[down]! +
          data[down + 1]!;
        responses[n++] = Math.abs(r);
      }
    }
  }
  const signalMean = count === 0 ? NaN : sum / count;
  if (n === 0) return { noiseSigma: NaN, signalMean, snrLocal: NaN, count: 0 };
  const noiseSigma = (MAD_TO_SIGMA * medianOf(responses, n)) / LAPLACIAN_NORM;
  return { noiseSigma, signalMean, snrLocal: signalMean / noiseSigma, count: n };
}

/** Median of the first n values (mean of the two middle ones for even n); reorders them. */
function medianOf(values: Float64Array, n: number): number {
  const upper = n >>> 1;
  const b = selectKth(values, upper, n);
  if (n % 2 === 1) return b;
  let a = -Infinity;
  for (let v = 0; v < upper; v++) if (values[v]! > a) a = values[v]!;
  return (a + b) / 2;
}

/**
 * Gradient-energy ratio of the phase-encoding over the readout axis: the mean squared difference
 * of in-plane neighbours along the phase axis divided by that along the other in-plane axis, both
 * over neighbour pairs inside `foreground` (dimensionless; NaN without pairs).
 *
 * @remarks
 * Motion during the acquisition smears the image along the phase-encoding axis only, so this
 * ratio falls (a 5-pixel smear divides the energy of each edge crossed along the phase axis about
 * five times; how much the ratio falls depends on how much of the total is edges: 9–15 % on a
 * two-compartment phantom, far more in textured anatomy), while white noise adds the same 2σ² to
 * both axes and leaves the anatomy's own anisotropy, which a protocol series at a site repeats,
 * as the reference. Pairs count only when both voxels are in `foreground`, so the object's outer
 * border, whose position the mask itself decides, does not enter. QA compares it with the site's history
 * rather than with a fixed bound.
 */
export function gradientRatio(
  volume: Volume,
  foreground: Uint8Array,
  phaseAxis: PhaseEncodingAxis,
): number {
  checkMask(volume, foreground, 'foreground');
  const [ni, nj, nk] = volume.dimensions;
  const data = volume.data;
  let energyI = 0;
  let pairsI = 0;
  let energyJ = 0;
  let pairsJ = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) {
        const p = i + ni * (j + nj * k);
        if (foreground[p] === 0) continue;
        if (i + 1 < ni && foreground[p + 1] !== 0) {
          const d = data[p + 1]! - data[p]!;
          energyI += d * d;
          pairsI++;
        }
        if (j + 1 < nj && foreground[p + ni] !== 0) {
          const d = data[p + ni]! - data[p]!;
          energyJ += d * d;
          pairsJ++;
        }
      }
    }
  }
  if (pairsI === 0 || pairsJ === 0) return NaN;
  const alongI = energyI / pairsI;
  const alongJ = energyJ / pairsJ;
  return phaseAxis === 'i' ? alongI / alongJ : alongJ / alongI;
}

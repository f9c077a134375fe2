import type { Volume } from '../../core/index.js';
import { maskedHistogram, maskedRange, otsuSplit } from './kernels/histogram.js';
import {
  dilateInPlane,
  fillHolesPerSlice,
  keepLargestComponent,
  removeSmallComponents,
} from './kernels/morphology.js';
import { thresholdAboveBin } from './kernels/threshold.js';
import { OTSU_BINS } from './otsu.js';
import { checkInteger, checkMask } from './validate.js';

/**
 * The foreground (head, body or phantom) of an MR magnitude volume, as a 0/1 mask laid out like
 * `volume.data`.
 *
 * @remarks
 * Method, in this order:
 * 1. Otsu threshold over the whole volume, on log(1 + max(0, x)) (256 equal-width bins between the
 *    minimum and maximum of the log values): voxels in the bins above the split. On the linear
 *    scale, a body of several tissues (fat, muscle, organs) puts its widest gap between bright fat
 *    and the rest, and Otsu then calls muscle background; on the log scale air (Rayleigh noise,
 *    a few σ) and tissue (tens of σ) are the two modes, which is the split wanted here.
 * 2. Keep the largest 3D 6-connected component: isolated bright specks in the air go, and the
 *    pieces of a slice that connect to the object through other slices stay.
 * 3. Fill holes slice by slice (k-slices): a pixel is foreground unless it is reached from the slice
 *    border through 4-connected non-foreground pixels. This puts dark tissue enclosed in the slice
 *    (CSF, bone, air in sinuses) into the foreground.
 *
 * Returns an all-zero mask when there is no split (a constant or all-zero volume). Non-finite
 * voxels are never foreground.
 */
export function foregroundMask(volume: Volume): Uint8Array {
  return foregroundOfObjects(volume, objectMask(volume));
}

/**
 * Steps 2 and 3 of {@link foregroundMask} on an {@link objectMask} already made (for callers that
 * need both masks without thresholding twice); `objects` is left unchanged.
 */
export function foregroundOfObjects(volume: Volume, objects: Uint8Array): Uint8Array {
  checkMask(volume, objects, 'objects');
  const [ni, nj, nk] = volume.dimensions;
  const mask = Uint8Array.from(objects);
  if (keepLargestComponent(mask, ni, nj, nk) > 0) fillHolesPerSlice(mask, ni, nj, nk);
  return mask;
}

/**
 * Every voxel above the log-domain Otsu threshold of {@link foregroundMask} (step 1 only): the
 * object and anything else bright in the field of view (an arm beside the trunk, the other knee).
 */
export function objectMask(volume: Volume): Uint8Array {
  const logData = new Float32Array(volume.data.length);
  for (let v = 0; v < logData.length; v++) {
    const x = volume.data[v] ?? NaN;
    logData[v] = x > 0 ? Math.log1p(x) : x === x ? 0 : NaN;
  }
  const range = maskedRange(logData, undefined);
  if (range.count === 0) return new Uint8Array(volume.data.length);
  const histogram = maskedHistogram(logData, undefined, range.min, range.max, OTSU_BINS);
  const split = histogram.width > 0 ? otsuSplit(histogram.counts, range.min, histogram.width) : -1;
  return thresholdAboveBin(logData, range.min, histogram.width, OTSU_BINS, split);
}

/** Options of {@link backgroundMask}. */
export interface BackgroundMaskOptions {
  /**
   * Margin kept free around the foreground, in voxels, in-plane (i and j): a square
   * (2m+1)×(2m+1) dilation of each k-slice of the foreground. It keeps the partial-volume edge and
   * slight blurring out of the noise estimate.
   * @defaultValue 3
   */
  readonly marginVoxels?: number;
  /** The volume's {@link objectMask}, when the caller has it already; left unchanged. */
  readonly objects?: Uint8Array;
}

/**
 * The air around the object: voxels farther than `marginVoxels` (in-plane, square neighbourhood)
 * from every foreground voxel of their slice and from every other supra-threshold voxel
 * ({@link objectMask}), as a 0/1 mask.
 *
 * @remarks
 * Deliberately simple: ghosts, zero-filled padding, and coil-shading in the air stay in it. The
 * background SNR and noise estimates are valid only where the air holds Rayleigh noise (see
 * {@link snrBackground}); {@link ghostingRatio} splits it further along the phase-encoding axis.
 * A volume whose foreground fills the field of view has an empty background.
 */
export function backgroundMask(
  volume: Volume,
  foreground: Uint8Array,
  options: BackgroundMaskOptions = {},
): Uint8Array {
  checkMask(volume, foreground, 'foreground');
  const margin = options.marginVoxels ?? 3;
  checkInteger(margin, 0, 1 << 16, 'marginVoxels');
  const [ni, nj, nk] = volume.dimensions;
  // Everything bright counts as not-air, not only the foreground's component: an arm lying beside
  // the trunk in the air would otherwise enter the noise estimate as "background".
  const occupied =
    options.objects === undefined ? objectMask(volume) : Uint8Array.from(options.objects);
  checkMask(volume, occupied, 'objects');
  // Noise specks above the threshold are air, not objects: only components of at least 1 % of
  // the largest one (and 8 voxels) keep the air around them out of the background.
  removeSmallComponents(occupied, ni, nj, nk, 0.01, 8);
  for (let v = 0; v < occupied.length; v++) occupied[v] = (occupied[v] ?? 0) | (foreground[v] ?? 0);
  const dilated = dilateInPlane(occupied, ni, nj, nk, margin);
  for (let v = 0; v < dilated.length; v++) dilated[v] = dilated[v] === 0 ? 1 : 0;
  return dilated;
}

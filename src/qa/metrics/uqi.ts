import type { Volume } from '../../core/index.js';
import { uqiBoxSums } from './kernels/box-uqi.js';
import { checkInteger, checkMask, checkSameDimensions } from './validate.js';

/** Options of {@link uqi}. */
export interface UqiOptions {
  /**
   * Window side B, in voxels (the window is B×B in the i–j plane).
   * @defaultValue 8 (as in the paper)
   */
  readonly block?: number;
}

/** Result of {@link uqi}. */
export interface UqiResult {
  /** Mean Q over the counted windows, in [−1, 1]; NaN when no window counts. */
  readonly uqi: number;
  /** Windows averaged: inside the mask with a non-zero denominator. */
  readonly windows: number;
  /** Windows inside the mask skipped for a zero denominator (flat in both images, or both 0). */
  readonly skippedWindows: number;
}

/**
 * Universal image quality index (Wang & Bovik 2002, IEEE SPL 9(3):81–84) of `test` against
 * `reference` on the same grid: Q = 4σ_xy·x̄·ȳ / ((σ_x² + σ_y²)(x̄² + ȳ²)) in every B×B window,
 * averaged.
 *
 * @remarks
 * - Windows are B×B in the i–j plane of each k-slice, stepped one voxel, and count only when all
 *   B² voxels are inside `mask`: the background is masked out, since UQI (SSIM with C1 = C2 = 0)
 *   is unstable on flat air.
 * - Per window, from box sums of summed-area tables in doubles:
 *   Q = 4·Σx·Σy·(NΣxy − ΣxΣy) / ((N(Σx² + Σy²) − (Σx)² − (Σy)²)·((Σx)² + (Σy)²)), N = B².
 * - Windows whose denominator is zero (to the tables' rounding: both windows flat, or both all
 *   zero) are skipped and counted in `skippedWindows`, not set to 1 as in the authors' MATLAB code.
 *
 * @throws PlatformError `ERR_QA_METRIC_INPUT` when the volumes or mask differ in size, or B is not
 * in [1, min(nᵢ, nⱼ)].
 */
export function uqi(
  reference: Volume,
  test: Volume,
  mask: Uint8Array,
  options: UqiOptions = {},
): UqiResult {
  checkSameDimensions(reference, test, 'uqi');
  checkMask(reference, mask, 'mask');
  const [ni, nj, nk] = reference.dimensions;
  const block = options.block ?? 8;
  checkInteger(block, 1, Math.min(ni, nj), 'block');
  const s = uqiBoxSums(reference.data, test.data, mask, ni, nj, nk, block);
  return {
    uqi: s.windows === 0 ? NaN : s.sumQ / s.windows,
    windows: s.windows,
    skippedWindows: s.skipped,
  };
}

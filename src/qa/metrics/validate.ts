import { PlatformError } from '../../core/index.js';
import type { Volume, VoxelArray } from '../../core/index.js';

/** Throws ERR_QA_METRIC_INPUT unless `mask` has one entry per voxel of `volume`. */
export function checkMask(volume: Volume<VoxelArray>, mask: Uint8Array, name: string): void {
  if (mask.length !== volume.data.length) {
    throw new PlatformError(
      'ERR_QA_METRIC_INPUT',
      `${name} has ${mask.length} entries, the volume has ${volume.data.length} voxels`,
    );
  }
}

/** Throws ERR_QA_METRIC_INPUT unless the two volumes have the same dimensions. */
export function checkSameDimensions(
  a: Volume<VoxelArray>,
  b: Volume<VoxelArray>,
  what: string,
): void {
  const [ai, aj, ak] = a.dimensions;
  const [bi, bj, bk] = b.dimensions;
  if (ai !== bi || aj !== bj || ak !== bk) {
    throw new PlatformError(
      'ERR_QA_METRIC_INPUT',
      `${what}: dimensions ${ai}×${aj}×${ak} and ${bi}×${bj}×${bk} differ`,
    );
  }
}

/** Throws ERR_QA_METRIC_INPUT unless `value` is an integer in [min, max]. */
export function checkInteger(value: number, min: number, max: number, name: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PlatformError(
      'ERR_QA_METRIC_INPUT',
      `${name} must be an integer in [${min}, ${max}], got ${value}`,
    );
  }
}

import { PlatformError, createVolume, indexToWorld } from '../../core/index.js';
import type { Mat3, Vec3, Volume, VoxelArray } from '../../core/index.js';
import { weightedIndexSums } from './kernels/moments.js';
import { resampleTrilinear } from './kernels/trilinear.js';
import { checkMask } from './validate.js';

/** The grid of a volume without its voxels: what {@link resampleToGrid} resamples into. */
export type VolumeGeometry = Pick<
  Volume<VoxelArray>,
  'dimensions' | 'spacing' | 'origin' | 'direction' | 'frameOfReferenceUid'
>;

type Row3 = readonly [number, number, number];

/** Row-major 3×3 product. */
function multiply(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let m = 0; m < 3; m++) s += (a[r * 3 + m] ?? 0) * (b[m * 3 + c] ?? 0);
      out.push(s);
    }
  }
  return out;
}

/** Row-major matrix of the voxel-index → LPS map: direction (column by column) times spacing. */
function indexToLps(g: VolumeGeometry): number[] {
  const d: Mat3 = g.direction;
  const s = g.spacing;
  // Column c of the map is direction axis c scaled by spacing c.
  return [
    d[0] * s[0], d[3] * s[1], d[6] * s[2],
    d[1] * s[0], d[4] * s[1], d[7] * s[2],
    d[2] * s[0], d[5] * s[1], d[8] * s[2],
  ]; // prettier-ignore
}

/** Inverse of a row-major 3×3 matrix by cofactors. */
function invert(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as unknown as readonly [
    number, number, number, number, number, number, number, number, number,
  ]; // prettier-ignore
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  if (!(Math.abs(det) > 0) || !Number.isFinite(det)) {
    throw new PlatformError(
      'ERR_QA_METRIC_INPUT',
      'volume geometry is singular (direction or spacing)',
    );
  }
  const r = 1 / det;
  return [
    (e * i - f * h) * r, (c * h - b * i) * r, (b * f - c * e) * r,
    (f * g - d * i) * r, (a * i - c * g) * r, (c * d - a * f) * r,
    (d * h - e * g) * r, (b * g - a * h) * r, (a * e - b * d) * r,
  ]; // prettier-ignore
}

/**
 * Resamples `source` onto the grid of `target` by patient (LPS) coordinates, trilinearly, moving
 * the source by `translationMm` first: out(p) = source(p − t) for every target voxel centre p.
 *
 * @remarks
 * - Both grids may have any direction cosines and spacing (the maps are inverted in full, not
 *   assumed orthonormal).
 * - A point is inside the source when its continuous voxel index lies in [−0.5, n − 0.5) on every
 *   axis (ITK's convention); within the outer half voxel the edge value repeats. Points outside are
 *   0, i.e. air.
 * - Interpolation is in doubles; the result is stored as Float32.
 * - Use with {@link centreOfMass} to align a previous visit before {@link uqi}:
 *   `t = centreOfMass(target, fgT) − centreOfMass(source, fgS)`.
 *
 * @param translationMm - Translation applied to the source, in millimetres (LPS).
 * @returns A volume with `target`'s geometry and frame of reference.
 */
export function resampleToGrid(
  source: Volume,
  target: VolumeGeometry,
  translationMm: Vec3 = [0, 0, 0],
): Volume {
  const toSource = invert(indexToLps(source));
  const a = multiply(toSource, indexToLps(target));
  const offset: Row3 = [
    target.origin[0] - translationMm[0] - source.origin[0],
    target.origin[1] - translationMm[1] - source.origin[1],
    target.origin[2] - translationMm[2] - source.origin[2],
  ];
  const t = [0, 1, 2].map(
    (r) =>
      (toSource[r * 3] ?? 0) * offset[0] +
      (toSource[r * 3 + 1] ?? 0) * offset[1] +
      (toSource[r * 3 + 2] ?? 0) * offset[2],
  );
  const [ni, nj, nk] = target.dimensions;
  const data = new Float32Array(ni * nj * nk);
  resampleTrilinear(source.data, source.dimensions, data, target.dimensions, a, t);
  return createVolume({
    dimensions: target.dimensions,
    spacing: target.spacing,
    origin: target.origin,
    direction: target.direction,
    data,
    ...(target.frameOfReferenceUid === undefined
      ? {}
      : { frameOfReferenceUid: target.frameOfReferenceUid }),
  });
}

/**
 * Intensity-weighted centre of the voxels in `mask`, in LPS millimetres: Σ w·p / Σ w over the
 * mask, with w = max(x, 0) and p the voxel centre.
 *
 * @returns [NaN, NaN, NaN] when the mask holds no positive voxel.
 */
export function centreOfMass(volume: Volume, mask: Uint8Array): Vec3 {
  checkMask(volume, mask, 'mask');
  const [ni, nj, nk] = volume.dimensions;
  const { w, si, sj, sk } = weightedIndexSums(volume.data, mask, ni, nj, nk);
  if (w === 0) return [NaN, NaN, NaN];
  return indexToWorld(volume, [si / w, sj / w, sk / w]);
}

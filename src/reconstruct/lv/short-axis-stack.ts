import { PlatformError, indexToWorld } from '../../core/index.js';
import type { Labelmap, TriangleMesh, Vec3 } from '../../core/index.js';
import { rayBoundary, sliceMoments } from './kernels/mask-sampling.js';
import { labelTable } from './labels.js';
import { loftContours } from './loft-contours.js';

/** Options shared by the short-axis stack functions. */
export interface ShortAxisOptions {
  /** Labels of the region (e.g. `[1]` for the cavity, `[1, 2]` for the epicardial volume). @defaultValue every non-zero label */
  readonly labels?: readonly number[];
}

/** Options of {@link shortAxisStackVolume}. */
export interface StackVolumeOptions extends ShortAxisOptions {
  /**
   * Distance from the apical edge of the last slab to the apex, in mm (e.g. from a long-axis
   * view): adds a paraboloid cap `A·d/2` on the apical slice's area `A`. @defaultValue 0 (no cap)
   */
  readonly apexCapMm?: number;
}

/** A short-axis stack volume by Simpson's summation. */
export interface StackVolume {
  /** Volume, in mL. */
  readonly volumeMl: number;
  /** Area of the region on each slice (k order), in mm². */
  readonly sliceAreasMm2: readonly number[];
  /** Slice spacing used (the volume's k spacing), in mm. */
  readonly sliceSpacingMm: number;
  /** Apical cap included in `volumeMl`, in mL. */
  readonly capMl: number;
}

function pixelAreaMm2(mask: Labelmap): number {
  const d = mask.direction;
  // |i × j| scaled by the spacings: the in-plane pixel area even for skewed axes.
  const cx = d[1] * d[5] - d[2] * d[4];
  const cy = d[2] * d[3] - d[0] * d[5];
  const cz = d[0] * d[4] - d[1] * d[3];
  return Math.abs(mask.spacing[0] * mask.spacing[1]) * Math.hypot(cx, cy, cz);
}

function sliceAreas(
  mask: Labelmap,
  table: Uint8Array,
): { count: number; sumColumn: number; sumRow: number }[] {
  const [ni, nj, nk] = mask.dimensions;
  const out = [];
  for (let k = 0; k < nk; k++) out.push(sliceMoments(mask.data, k * ni * nj, ni, nj, table));
  return out;
}

/** Index of the end slice with the smaller area among the first and last non-empty slices. */
function apicalEnd(areas: readonly number[]): { first: number; last: number; apexIsLast: boolean } {
  const first = areas.findIndex((a) => a > 0);
  let last = -1;
  areas.forEach((a, k) => {
    if (a > 0) last = k;
  });
  if (first < 0)
    throw new PlatformError(
      'ERR_RECONSTRUCT_INPUT',
      'short-axis mask is empty: no LV region on any slice',
    );
  return { first, last, apexIsLast: (areas[last] ?? 0) <= (areas[first] ?? 0) };
}

/**
 * LV volume from a short-axis stack by Simpson's summation (disc summation): `V = Σ Aₖ · d`,
 * the region's area on each slice times the slice spacing `d` (each slice stands for a slab of
 * thickness `d` centred on it), plus an optional apical cap beyond the last slab.
 *
 * @remarks
 * The stack is a {@link Labelmap} with k along the long axis (slices of a cine stack at one
 * phase). The apical end is the end slice with the smaller area. Throws `ERR_RECONSTRUCT_INPUT`
 * for an empty mask.
 */
export function shortAxisStackVolume(mask: Labelmap, options?: StackVolumeOptions): StackVolume {
  const table = labelTable(options?.labels);
  const pixel = pixelAreaMm2(mask);
  const sliceAreasMm2 = sliceAreas(mask, table).map((m) => m.count * pixel);
  const d = Math.abs(mask.spacing[2]);
  const { first, last, apexIsLast } = apicalEnd(sliceAreasMm2);
  let mm3 = 0;
  for (const a of sliceAreasMm2) mm3 += a * d;
  const capMm = options?.apexCapMm ?? 0;
  if (!(capMm >= 0))
    throw new PlatformError('ERR_RECONSTRUCT_INPUT', `apexCapMm must be ≥ 0, got ${capMm}`);
  const capMm3 = ((sliceAreasMm2[apexIsLast ? last : first] ?? 0) * capMm) / 2;
  return {
    volumeMl: (mm3 + capMm3) / 1000,
    sliceAreasMm2,
    sliceSpacingMm: d,
    capMl: capMm3 / 1000,
  };
}

/** Options of {@link shortAxisSurface}. */
export interface StackSurfaceOptions extends ShortAxisOptions {
  /** Points per contour. @defaultValue 64 */
  readonly points?: number;
  /** Apex, in mm (LPS): the apical contour is joined to it; without it that end is closed flat. */
  readonly apex?: Vec3;
}

/**
 * A watertight LV surface from a short-axis stack: on each non-empty slice the region's contour
 * is traced by rays from its centroid at `points` equal angles (so contours have matched points;
 * the region must be star-shaped about its centroid, as a cavity is), the contours are lofted
 * ({@link loftContours}) from the basal end (the larger end slice) to the apex, and both ends
 * are capped. Points in the labelmap's patient coordinates (LPS, mm).
 *
 * Throws `ERR_RECONSTRUCT_INPUT` for an empty mask or a gap (an empty slice between non-empty ones).
 */
export function shortAxisSurface(mask: Labelmap, options?: StackSurfaceOptions): TriangleMesh {
  const table = labelTable(options?.labels);
  const n = options?.points ?? 64;
  if (!Number.isInteger(n) || n < 3)
    throw new PlatformError('ERR_RECONSTRUCT_INPUT', `points must be ≥ 3, got ${n}`);
  const [ni, nj] = mask.dimensions;
  const moments = sliceAreas(mask, table);
  const { first, last, apexIsLast } = apicalEnd(moments.map((m) => m.count));
  const contours: Vec3[][] = [];
  for (let k = first; k <= last; k++) {
    const m = moments[k];
    if (m === undefined || m.count === 0) {
      throw new PlatformError(
        'ERR_RECONSTRUCT_INPUT',
        `short-axis mask has a gap: slice ${k} is empty between ${first} and ${last}`,
      );
    }
    const ci = m.sumColumn / m.count;
    const cj = m.sumRow / m.count;
    const ring: Vec3[] = [];
    for (let q = 0; q < n; q++) {
      const phi = (2 * Math.PI * q) / n;
      const dx = Math.cos(phi);
      const dy = Math.sin(phi);
      const t = rayBoundary(mask.data, k * ni * nj, ni, nj, table, ci, cj, dx, dy, 0.125);
      ring.push(indexToWorld(mask, [ci + t * dx, cj + t * dy, k]));
    }
    contours.push(ring);
  }
  if (!apexIsLast) contours.reverse();
  return loftContours(contours, options?.apex === undefined ? {} : { apex: options.apex });
}

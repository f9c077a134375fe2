import { PlatformError } from '../../core/index.js';
import type { Image2D } from '../../core/index.js';
import { chordLength, maskMoments } from './kernels/mask-sampling.js';
import { boundaryPoints, longAxisOf, maskView } from './lv-long-axis.js';
import type { LvLongAxis } from './lv-long-axis.js';

/** Number of discs of the method of discs (Lang et al. 2015, JASE 28:1–39). */
export const SIMPSON_DISCS = 20;

const MM3_PER_ML = 1000;

/** The discs of one apical view: long axis, disc diameters and mask area. */
export interface DiscMeasurement {
  readonly longAxis: LvLongAxis;
  /**
   * Disc diameters from base to apex, in mm: the mask's extent along the perpendicular to the
   * long axis through the centre of each of the equal slices of the axis.
   */
  readonly diametersMm: readonly number[];
  /** Mask area, in mm². */
  readonly areaMm2: number;
}

/** Options of the disc methods. */
export interface DiscOptions {
  /** Number of discs. @defaultValue 20 ({@link SIMPSON_DISCS}) */
  readonly discs?: number;
}

function discCount(options: DiscOptions | undefined): number {
  const n = options?.discs ?? SIMPSON_DISCS;
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new PlatformError(
      'ERR_RECONSTRUCT_INPUT',
      `discs must be an integer in 1–1000, got ${n}`,
    );
  return n;
}

/**
 * Measures the discs of one apical view (4- or 2-chamber) of a binary LV mask (non-zero
 * inside): finds the long axis ({@link findLongAxis}), divides it into `discs` equal slices and
 * measures the mask's width perpendicular to the axis through the middle of each.
 *
 * @remarks
 * Widths are the length of the perpendicular line inside the mask, sampled every quarter pixel
 * (nearest pixel), so a concave stretch of wall is not bridged. Throws `ERR_RECONSTRUCT_INPUT`
 * for an empty mask or one without pixel spacing.
 */
export function measureDiscs(mask: Image2D, options?: DiscOptions, name = 'mask'): DiscMeasurement {
  const n = discCount(options);
  const view = maskView(mask, name);
  const xy = boundaryPoints(view, name);
  const axis = longAxisOf(view, xy);
  const [ux, uy] = axis.direction;
  const vx = -uy;
  const vy = ux;
  // Half-width of the search line: the farthest boundary point from the axis, plus a pixel.
  let reach = 0;
  for (let i = 0; i < xy.length; i += 2) {
    const d = Math.abs(((xy[i] ?? 0) - axis.base[0]) * vx + ((xy[i + 1] ?? 0) - axis.base[1]) * vy);
    if (d > reach) reach = d;
  }
  reach += Math.max(view.sx, view.sy);
  const step = 0.25 * Math.min(view.sx, view.sy);
  const diametersMm: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = ((i + 0.5) * axis.lengthMm) / n;
    const px = axis.base[0] + s * ux;
    const py = axis.base[1] + s * uy;
    diametersMm.push(
      chordLength(
        view.data,
        view.columns,
        view.rows,
        view.sx,
        view.sy,
        px,
        py,
        vx,
        vy,
        -reach,
        reach,
        step,
      ),
    );
  }
  const { count } = maskMoments(view.data, view.columns, view.rows);
  return { longAxis: axis, diametersMm, areaMm2: count * view.sx * view.sy };
}

/** A biplane method-of-discs volume and the measurements it came from. */
export interface BiplaneVolume {
  /** Volume, in mL. */
  readonly volumeMl: number;
  /** The long axis used, the longer of the two views', in mm. */
  readonly lengthMm: number;
  readonly a4c: DiscMeasurement;
  readonly a2c: DiscMeasurement;
}

/**
 * Biplane method of discs (modified Simpson's rule; Lang et al. 2015, JASE 28:1–39, Table 1):
 * `V = π/4 · Σ aᵢ·bᵢ · L/N`, with `aᵢ`, `bᵢ` the disc diameters of the apical 4- and
 * 2-chamber views, `N` = 20 discs and `L` the longer of the two long axes.
 *
 * @param a4c - Binary mask of the apical 4-chamber view (non-zero inside), with pixel spacing.
 * @param a2c - Binary mask of the apical 2-chamber view.
 * @returns The volume in mL, and both views' measurements.
 *
 * @example
 * ```ts
 * const { volumeMl } = biplaneVolume(a4cEndoAtEd, a2cEndoAtEd); // EDV, mL
 * ```
 */
export function biplaneVolume(a4c: Image2D, a2c: Image2D, options?: DiscOptions): BiplaneVolume {
  const n = discCount(options);
  const m4 = measureDiscs(a4c, { discs: n }, 'A4C mask');
  const m2 = measureDiscs(a2c, { discs: n }, 'A2C mask');
  const lengthMm = Math.max(m4.longAxis.lengthMm, m2.longAxis.lengthMm);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (m4.diametersMm[i] ?? 0) * (m2.diametersMm[i] ?? 0);
  return {
    volumeMl: ((Math.PI / 4) * sum * lengthMm) / n / MM3_PER_ML,
    lengthMm,
    a4c: m4,
    a2c: m2,
  };
}

/**
 * Single-plane method of discs: {@link biplaneVolume} with one view's diameters used for both,
 * `V = π/4 · Σ aᵢ² · L/N`, in mL (assumes circular discs).
 */
export function singlePlaneDiscVolume(measurement: DiscMeasurement): number {
  const n = measurement.diametersMm.length;
  let sum = 0;
  for (const d of measurement.diametersMm) sum += d * d;
  return ((Math.PI / 4) * sum * measurement.longAxis.lengthMm) / n / MM3_PER_ML;
}

/**
 * Single-plane area–length volume, `V = 8·A² / (3·π·L)` (Lang et al. 2015, Table 1), in mL, from
 * the mask area `A` and the long axis `L`: exact for a full prolate ellipsoid.
 */
export function areaLengthVolume(measurement: DiscMeasurement): number {
  const a = measurement.areaMm2;
  return (8 * a * a) / (3 * Math.PI * measurement.longAxis.lengthMm) / MM3_PER_ML;
}

import {
  PlatformError,
  TAG,
  dot,
  firstNumber,
  isUid,
  numbers,
  parseFrameOfReferenceUid,
} from '../../core/index.js';
import type { Dimensions, DicomJson, FrameOfReferenceUid, Mat3, Vec3 } from '../../core/index.js';
import {
  addScaled,
  angleDeg,
  norm,
  normalize,
  readSliceAttributes,
  sliceLabel,
  sub,
} from './slice-attributes.js';
import { sliceOrder } from './sort-slices.js';
import type { SortSlicesOptions } from './sort-slices.js';

/** Options of {@link seriesGeometry}. */
export interface SeriesGeometryOptions extends SortSlicesOptions {
  /**
   * Largest deviation of a spacing between consecutive slices from their mean, in millimetres,
   * before the series is reported as unevenly spaced.
   * @defaultValue 0.01
   */
  readonly spacingToleranceMm?: number;
  /**
   * Largest angle between the stacking direction and the slice normal, in degrees, before the
   * series is reported as tilted (gantry tilt or shear). Positions written with one decimal, as
   * some older scanners do, make untilted stacks lean by a few hundredths of a degree.
   * @defaultValue 0.1
   */
  readonly tiltToleranceDeg?: number;
}

/** Something the geometry noticed: reported, never thrown. */
export interface GeometryWarning {
  /**
   * Stable short code: `SINGLE_SLICE_SPACING`, `UNEVEN_SPACING`, `GANTRY_TILT`,
   * `SPACING_BETWEEN_SLICES_DIFFERS`, `ORIENTATION_NOT_ORTHONORMAL`, `INVALID_FRAME_OF_REFERENCE`.
   */
  readonly code: string;
  readonly message: string;
}

/** Spacing between consecutive slice positions (Euclidean distance), in millimetres. */
export interface SliceSpacingStats {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

/** How regular the series is, and what was assumed to make it a volume. */
export interface GeometryReport {
  /** Number of slices. */
  readonly sliceCount: number;
  /** True for one slice: the slice spacing then comes from attributes, not positions. */
  readonly singleSlice: boolean;
  /** Unit slice normal (row cosines × column cosines), LPS. */
  readonly normal: Vec3;
  /**
   * Angle between the stacking direction (first to last slice position) and the slice normal,
   * in degrees: non-zero for gantry tilt or sheared stacks. The volume's k axis follows the
   * stacking direction so every slice keeps its position.
   */
  readonly gantryTiltDeg: number;
  /** Whether {@link GeometryReport.gantryTiltDeg} exceeds the tolerance. */
  readonly tilted: boolean;
  /** Gantry/Detector Tilt (0018,1120) as written by a CT scanner, in degrees, when present. */
  readonly declaredGantryTiltDeg?: number;
  /** Spacing between consecutive slice positions, in millimetres; for one slice, the assumed one. */
  readonly sliceSpacing: SliceSpacingStats;
  /** Largest deviation of a consecutive spacing from the mean spacing, in millimetres. */
  readonly unevenSpacing: number;
  /** Whether {@link GeometryReport.unevenSpacing} exceeds the tolerance. */
  readonly uneven: boolean;
  /**
   * Largest distance between a slice's Image Position (Patient) and the centre the regular grid
   * gives its first voxel, in millimetres: what regular sampling costs an uneven series.
   */
  readonly maxPositionErrorMm: number;
  readonly warnings: readonly GeometryWarning[];
}

/**
 * The regular grid of a series, in the {@link Volume} contract of core: LPS millimetres, origin
 * at the centre of voxel (0, 0, 0), direction stored column by column.
 */
export interface SeriesGeometry {
  /** Input index of each slice, in stacking order: `order[k]` becomes slice k of the volume. */
  readonly order: readonly number[];
  /** Columns (0028,0011), Rows (0028,0010), number of slices. */
  readonly dimensions: Dimensions;
  /** Image Position (Patient) of the first slice in stacking order, LPS mm. */
  readonly origin: Vec3;
  /**
   * Column spacing (PixelSpacing[1]), row spacing (PixelSpacing[0]), slice spacing (mean
   * distance between consecutive positions, not Slice Thickness), in millimetres.
   */
  readonly spacing: Vec3;
  /**
   * i: row cosines (IOP[0..2]); j: column cosines (IOP[3..5]); k: unit vector from the first to
   * the last slice position (the normal for one slice).
   */
  readonly direction: Mat3;
  /** Frame of Reference UID (0020,0052) shared by the slices, when present and well formed. */
  readonly frameOfReferenceUid?: FrameOfReferenceUid;
  readonly report: GeometryReport;
}

const DEFAULT_SPACING_TOLERANCE_MM = 0.01;
const DEFAULT_TILT_TOLERANCE_DEG = 0.1;
/** Cosines rounded to six decimals stay well within this of unit length and orthogonality. */
const ORTHONORMAL_TOLERANCE = 1e-3;
const PIXEL_SPACING_TOLERANCE_MM = 1e-4;

/** Pixel Spacing (0028,0030) as [row spacing, column spacing] in mm, when two positive values. */
function pixelSpacingOf(dataset: DicomJson): readonly [number, number] | undefined {
  const ps = numbers(dataset, TAG.PixelSpacing);
  if (ps?.length !== 2) return undefined;
  const [row, column] = ps;
  return row !== undefined && column !== undefined && row > 0 && column > 0
    ? [row, column]
    : undefined;
}

/** Pixel Spacing as [row spacing, column spacing], in mm, required equal on every slice. */
function readPixelSpacing(datasets: readonly DicomJson[]): readonly [number, number] {
  let first: readonly [number, number] | undefined;
  for (const [i, dataset] of datasets.entries()) {
    const ps = pixelSpacingOf(dataset);
    if (ps === undefined) {
      throw new PlatformError(
        'ERR_SERIES_GEOMETRY',
        `${sliceLabel(dataset, i)} has no usable PixelSpacing (0028,0030)` +
          ` [${numbers(dataset, TAG.PixelSpacing)?.join(', ') ?? ''}]`,
      );
    }
    first ??= ps;
    if (
      Math.max(Math.abs(ps[0] - first[0]), Math.abs(ps[1] - first[1])) > PIXEL_SPACING_TOLERANCE_MM
    ) {
      throw new PlatformError(
        'ERR_SERIES_INCONSISTENT',
        `PixelSpacing (0028,0030) differs: [${first.join(', ')}] in slice 0 and [${ps.join(', ')}] in ${sliceLabel(dataset, i)}`,
      );
    }
  }
  if (first === undefined) throw new PlatformError('ERR_SERIES_EMPTY', 'the series has no slices');
  return first;
}

/** Consecutive pairs: [x0, x1], [x1, x2], … */
function pairs<T>(xs: readonly T[]): (readonly [T, T])[] {
  const out: (readonly [T, T])[] = [];
  let previous: T | undefined;
  for (const [i, x] of xs.entries()) {
    if (i > 0) out.push([previous as T, x]);
    previous = x;
  }
  return out;
}

/**
 * Computes the regular grid of a series of single-frame slices from their Image Position
 * (Patient) (0020,0032), Image Orientation (Patient) (0020,0037) and Pixel Spacing (0028,0030)
 * (PS3.3 §C.7.6.2), with a report of how regular it is. The slices may come in any order.
 *
 * @remarks
 * The slice spacing and the k axis come from the positions, never from Slice Thickness (which is
 * the excitation width) or Spacing Between Slices (which vendors fill inconsistently): the k
 * axis is the unit vector from the first to the last position and the spacing their distance
 * divided by the slice count less one, so the first and last slices land exactly on their
 * positions. A tilted or sheared stack (CT gantry tilt) therefore gets a non-orthogonal direction
 * matrix and is reported in `gantryTiltDeg`; uneven spacing is reported, not resampled.
 *
 * A single slice takes its spacing from Spacing Between Slices (0018,0088), else Slice
 * Thickness (0018,0050), else 1 mm, with a `SINGLE_SLICE_SPACING` warning.
 *
 * Errors: those of {@link sliceOrder}; `ERR_SERIES_GEOMETRY` when Pixel Spacing is missing;
 * `ERR_SERIES_INCONSISTENT` when it differs between slices.
 *
 * @example
 * ```ts
 * seriesGeometry(axialSlices).direction; // identity orientation, positions along +z
 * // returns [1, 0, 0, 0, 1, 0, 0, 0, 1]
 * ```
 */
export function seriesGeometry(
  datasets: readonly DicomJson[],
  options: SeriesGeometryOptions = {},
): SeriesGeometry {
  const { order, normal, positions } = sliceOrder(datasets, options);
  const [firstIndex] = order;
  const [origin] = positions;
  const lastPosition = positions.at(-1);
  const firstDataset = firstIndex === undefined ? undefined : datasets[firstIndex];
  if (
    firstIndex === undefined ||
    firstDataset === undefined ||
    origin === undefined ||
    lastPosition === undefined
  ) {
    throw new PlatformError('ERR_SERIES_EMPTY', 'the series has no slices');
  }
  const first = readSliceAttributes(firstDataset, firstIndex);
  const { rows, columns } = first;
  if (rows === undefined || columns === undefined || rows < 1 || columns < 1) {
    throw new PlatformError(
      'ERR_SERIES_GEOMETRY',
      `${sliceLabel(firstDataset, firstIndex)} has no usable Rows (0028,0010) and Columns (0028,0011)`,
    );
  }
  const [rowSpacing, columnSpacing] = readPixelSpacing(datasets);
  const warnings: GeometryWarning[] = [];

  const orthogonality = Math.abs(dot(first.row, first.column));
  const rawRow = norm(first.rowRaw);
  const rawColumn = norm(first.columnRaw);
  if (
    orthogonality > ORTHONORMAL_TOLERANCE ||
    Math.abs(rawRow - 1) > ORTHONORMAL_TOLERANCE ||
    Math.abs(rawColumn - 1) > ORTHONORMAL_TOLERANCE
  ) {
    warnings.push({
      code: 'ORIENTATION_NOT_ORTHONORMAL',
      message:
        `ImageOrientationPatient [${first.orientation.join(', ')}] is not orthonormal ` +
        `(|row| ${rawRow.toFixed(6)}, |column| ${rawColumn.toFixed(6)}, row·column ${orthogonality.toExponential(2)}); cosines normalized`,
    });
  }

  const n = order.length;
  const spacingTolerance = options.spacingToleranceMm ?? DEFAULT_SPACING_TOLERANCE_MM;
  const declaredTilt = firstNumber(firstDataset, TAG.GantryDetectorTilt);
  const spacingBetween = firstNumber(firstDataset, TAG.SpacingBetweenSlices);
  let k: Vec3;
  let sliceSpacing: number;
  let stats: SliceSpacingStats;
  let unevenSpacing = 0;
  let maxPositionErrorMm = 0;
  if (n === 1) {
    k = normal;
    const thickness = firstNumber(firstDataset, TAG.SliceThickness);
    const [value, source] =
      spacingBetween !== undefined && spacingBetween > 0
        ? [spacingBetween, 'SpacingBetweenSlices (0018,0088)']
        : thickness !== undefined && thickness > 0
          ? [thickness, 'SliceThickness (0018,0050)']
          : [1, 'neither SpacingBetweenSlices nor SliceThickness is present; 1 mm assumed'];
    sliceSpacing = value;
    stats = { mean: value, min: value, max: value };
    warnings.push({
      code: 'SINGLE_SLICE_SPACING',
      message: `one slice: slice spacing ${value} mm from ${source}`,
    });
  } else {
    const span = sub(lastPosition, origin);
    k = normalize(span);
    sliceSpacing = norm(span) / (n - 1);
    const steps = pairs(positions).map(([a, b]) => norm(sub(b, a)));
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    stats = { mean, min: Math.min(...steps), max: Math.max(...steps) };
    unevenSpacing = Math.max(...steps.map((d) => Math.abs(d - mean)));
    for (const [s, position] of positions.entries()) {
      const onGrid = addScaled(origin, s * sliceSpacing, k);
      maxPositionErrorMm = Math.max(maxPositionErrorMm, norm(sub(position, onGrid)));
    }
    if (unevenSpacing > spacingTolerance) {
      warnings.push({
        code: 'UNEVEN_SPACING',
        message:
          `slice spacing varies from ${stats.min.toFixed(4)} to ${stats.max.toFixed(4)} mm ` +
          `(mean ${mean.toFixed(4)}, max deviation ${unevenSpacing.toFixed(4)} mm); the volume ` +
          `uses ${sliceSpacing.toFixed(4)} mm, which puts slices up to ${maxPositionErrorMm.toFixed(4)} mm off their positions`,
      });
    }
    if (
      spacingBetween !== undefined &&
      spacingBetween > 0 &&
      Math.abs(spacingBetween - sliceSpacing) > Math.max(spacingTolerance, 0.01 * sliceSpacing)
    ) {
      warnings.push({
        code: 'SPACING_BETWEEN_SLICES_DIFFERS',
        message: `SpacingBetweenSlices (0018,0088) says ${spacingBetween} mm, positions say ${sliceSpacing.toFixed(4)} mm; positions used`,
      });
    }
  }
  const gantryTiltDeg = angleDeg(k, normal);
  const tilted = gantryTiltDeg > (options.tiltToleranceDeg ?? DEFAULT_TILT_TOLERANCE_DEG);
  if (tilted) {
    warnings.push({
      code: 'GANTRY_TILT',
      message:
        `slices are stacked ${gantryTiltDeg.toFixed(4)}° off their normal` +
        (declaredTilt === undefined ? '' : ` (GantryDetectorTilt (0018,1120) ${declaredTilt}°)`) +
        '; the k axis follows the stacking direction, so the grid is sheared',
    });
  }

  const uid = first.frameOfReferenceUid;
  if (uid !== undefined && !isUid(uid)) {
    warnings.push({
      code: 'INVALID_FRAME_OF_REFERENCE',
      message: `FrameOfReferenceUID (0020,0052) "${uid}" is not a valid UID; left out of the volume`,
    });
  }
  const report: GeometryReport = {
    sliceCount: n,
    singleSlice: n === 1,
    normal,
    gantryTiltDeg,
    tilted,
    ...(declaredTilt === undefined ? {} : { declaredGantryTiltDeg: declaredTilt }),
    sliceSpacing: stats,
    unevenSpacing,
    uneven: unevenSpacing > spacingTolerance,
    maxPositionErrorMm,
    warnings,
  };
  return {
    order,
    dimensions: [columns, rows, n],
    origin,
    spacing: [columnSpacing, rowSpacing, sliceSpacing],
    direction: [...first.row, ...first.column, ...k],
    ...(uid !== undefined && isUid(uid)
      ? { frameOfReferenceUid: parseFrameOfReferenceUid(uid) }
      : {}),
    report,
  };
}

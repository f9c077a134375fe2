// Reading the per-slice attributes the geometry needs, and the small vector kit it uses.
// Internal to src/dicom/geometry: the public API is sort-slices, series-geometry,
// series-to-volume and frames-to-images.
import {
  PlatformError,
  TAG,
  cross,
  dot,
  firstNumber,
  firstString,
  numbers,
} from '../../core/index.js';
import type { DicomJson, Vec3 } from '../../core/index.js';

/** Tags read here that core's TAG does not name (PS3.6). */
export const GEOMETRY_TAG = {
  SequenceOfUltrasoundRegions: '00186011',
  RegionSpatialFormat: '00186012',
  PhysicalUnitsXDirection: '00186024',
  PhysicalUnitsYDirection: '00186026',
  PhysicalDeltaX: '0018602C',
  PhysicalDeltaY: '0018602E',
  SharedFunctionalGroupsSequence: '52009229',
  PerFrameFunctionalGroupsSequence: '52009230',
  PixelMeasuresSequence: '00289110',
} as const;

/** What one slice contributes to the series geometry, read from its dataset. */
export interface SliceAttributes {
  /** Image Position (Patient) (0020,0032): centre of the first transmitted pixel, LPS mm. */
  readonly position: Vec3;
  /** Unit row direction cosines: the direction of increasing column index (IOP[0..2]). */
  readonly row: Vec3;
  /** Unit column direction cosines: the direction of increasing row index (IOP[3..5]). */
  readonly column: Vec3;
  /** Row and column cosines as written, before normalization. */
  readonly rowRaw: Vec3;
  readonly columnRaw: Vec3;
  /** The six values of Image Orientation (Patient) (0020,0037) as written. */
  readonly orientation: readonly number[];
  readonly rows: number | undefined;
  readonly columns: number | undefined;
  readonly instanceNumber: number | undefined;
  readonly frameOfReferenceUid: string | undefined;
}

/** A person-readable name for slice `index` of the input, for error messages. */
export function sliceLabel(dataset: DicomJson, index: number): string {
  const instance = firstNumber(dataset, TAG.InstanceNumber);
  return instance === undefined ? `slice ${index}` : `slice ${index} (InstanceNumber ${instance})`;
}

/**
 * Reads position and orientation; throws `ERR_SERIES_GEOMETRY` when either is missing or
 * degenerate, as in ultrasound and secondary capture, which carry no patient geometry.
 */
export function readSliceAttributes(dataset: DicomJson, index: number): SliceAttributes {
  const position = tuple3(numbers(dataset, TAG.ImagePositionPatient));
  const iop = numbers(dataset, TAG.ImageOrientationPatient);
  if (position === undefined) {
    throw new PlatformError(
      'ERR_SERIES_GEOMETRY',
      `${sliceLabel(dataset, index)} has no usable ImagePositionPatient (0020,0032): ` +
        'a volume needs patient positions (ultrasound and secondary capture have none; use framesToImages)',
    );
  }
  const rowRaw = tuple3(iop?.slice(0, 3));
  const columnRaw = tuple3(iop?.slice(3));
  if (iop === undefined || rowRaw === undefined || columnRaw === undefined) {
    throw new PlatformError(
      'ERR_SERIES_GEOMETRY',
      `${sliceLabel(dataset, index)} has no usable ImageOrientationPatient (0020,0037): ` +
        'a volume needs patient orientation (ultrasound and secondary capture have none; use framesToImages)',
    );
  }
  // Half a unit is far from any real cosine rounding: below it the attribute is garbage.
  if (norm(rowRaw) < 0.5 || norm(columnRaw) < 0.5 || norm(cross(rowRaw, columnRaw)) < 0.5) {
    throw new PlatformError(
      'ERR_SERIES_GEOMETRY',
      `${sliceLabel(dataset, index)} has degenerate ImageOrientationPatient (0020,0037) [${iop.join(', ')}]`,
    );
  }
  return {
    position,
    row: normalize(rowRaw),
    column: normalize(columnRaw),
    rowRaw,
    columnRaw,
    orientation: iop,
    rows: firstNumber(dataset, TAG.Rows),
    columns: firstNumber(dataset, TAG.Columns),
    instanceNumber: firstNumber(dataset, TAG.InstanceNumber),
    frameOfReferenceUid: firstString(dataset, TAG.FrameOfReferenceUID),
  };
}

/** Exactly three numbers as a {@link Vec3}, else `undefined`. */
export function tuple3(values: readonly number[] | undefined): Vec3 | undefined {
  if (values?.length !== 3) return undefined;
  const [x, y, z] = values;
  return x === undefined || y === undefined || z === undefined ? undefined : [x, y, z];
}

/** The unit slice normal: row cosines × column cosines (PS3.3 §C.7.6.2.1.1). */
export function sliceNormal(slice: SliceAttributes): Vec3 {
  return normalize(cross(slice.row, slice.column));
}

/** Euclidean length. */
export function norm(v: Vec3): number {
  return Math.hypot(v[0], v[1], v[2]);
}

/** `v / |v|`; the caller guarantees `v` is not zero. */
export function normalize(v: Vec3): Vec3 {
  const n = norm(v);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** `a - b`. */
export function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

/** `a + s * b`. */
export function addScaled(a: Vec3, s: number, b: Vec3): Vec3 {
  return [a[0] + s * b[0], a[1] + s * b[1], a[2] + s * b[2]];
}

/** Angle between two unit vectors in degrees, accurate near 0 (atan2, not acos). */
export function angleDeg(a: Vec3, b: Vec3): number {
  return (Math.atan2(norm(cross(a, b)), dot(a, b)) * 180) / Math.PI;
}

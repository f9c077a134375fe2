import { PlatformError, dot } from '../../core/index.js';
import type { DicomJson, Vec3 } from '../../core/index.js';
import { readSliceAttributes, sliceLabel, sliceNormal } from './slice-attributes.js';
import type { SliceAttributes } from './slice-attributes.js';

/** Options of {@link sliceOrder} and {@link sortSlices}. */
export interface SortSlicesOptions {
  /**
   * Largest difference between two slices' Image Orientation (Patient) values (direction
   * cosines, unitless) still taken as the same orientation. DS values carry about six decimals.
   * @defaultValue 1e-4
   */
  readonly orientationTolerance?: number;
  /**
   * Two slices whose positions along the normal differ by less than this, in millimetres,
   * occupy the same slice position.
   * @defaultValue 1e-3
   */
  readonly positionToleranceMm?: number;
}

/** The stacking order of a series, as computed by {@link sliceOrder}. */
export interface SliceOrder {
  /** Input index of each slice, in stacking order: `order[k]` is the slice at k. */
  readonly order: readonly number[];
  /** Unit slice normal, row cosines × column cosines of Image Orientation (Patient), LPS. */
  readonly normal: Vec3;
  /** Image Position (Patient) of each slice in stacking order, LPS mm. */
  readonly positions: readonly Vec3[];
  /** Position of each slice along the normal, in stacking order (ascending), in millimetres. */
  readonly offsets: readonly number[];
}

/** One input slice while it is sorted. */
interface Entry {
  readonly index: number;
  readonly dataset: DicomJson;
  readonly slice: SliceAttributes;
  /** Position along the normal, mm. */
  readonly offset: number;
}

const DEFAULT_ORIENTATION_TOLERANCE = 1e-4;
const DEFAULT_POSITION_TOLERANCE_MM = 1e-3;
/** How many duplicate positions an error message lists before it says "…". */
const MAX_LISTED = 5;

function inconsistent(message: string): PlatformError {
  return new PlatformError('ERR_SERIES_INCONSISTENT', message);
}

function label(entry: Entry): string {
  return sliceLabel(entry.dataset, entry.index);
}

/** Throws `ERR_SERIES_INCONSISTENT` naming the first attribute on which the slices disagree. */
function checkConsistent(first: Entry, entries: readonly Entry[], tolerance: number): void {
  const frames = new Set(
    entries.map((e) => e.slice.frameOfReferenceUid).filter((u) => u !== undefined),
  );
  if (frames.size > 1) {
    throw inconsistent(
      `FrameOfReferenceUID (0020,0052) differs between slices (${[...frames].join(', ')}): ` +
        'their positions are in different patient coordinate systems',
    );
  }
  const reference = first.slice;
  for (const entry of entries) {
    const s = entry.slice;
    if (s.rows !== reference.rows) {
      throw inconsistent(
        `Rows (0028,0010) differ: ${reference.rows} in ${label(first)}, ${s.rows} in ${label(entry)}`,
      );
    }
    if (s.columns !== reference.columns) {
      throw inconsistent(
        `Columns (0028,0011) differ: ${reference.columns} in ${label(first)}, ${s.columns} in ${label(entry)}`,
      );
    }
    const deviation = Math.max(
      ...s.orientation.map((v, c) => Math.abs(v - (reference.orientation[c] ?? NaN))),
    );
    if (!(deviation <= tolerance)) {
      throw inconsistent(
        `ImageOrientationPatient (0020,0037) differs: [${reference.orientation.join(', ')}] in ` +
          `${label(first)}, [${s.orientation.join(', ')}] in ${label(entry)} (mixed ` +
          'orientations, e.g. a localizer, are not one volume)',
      );
    }
  }
}

/** Throws `ERR_SERIES_INCONSISTENT` when two or more slices share a position along the normal. */
function checkDistinct(sorted: readonly Entry[], tolerance: number): void {
  // Groups of consecutive (sorted) slices closer than the tolerance to the group's last one.
  const groups: Entry[][] = [];
  for (const entry of sorted) {
    const group = groups.at(-1);
    const last = group?.at(-1);
    if (group !== undefined && last !== undefined && entry.offset - last.offset < tolerance) {
      group.push(entry);
    } else {
      groups.push([entry]);
    }
  }
  if (groups.length === sorted.length) return;
  const sizes = new Set(groups.map((g) => g.length));
  if (sizes.size === 1) {
    // Every position holds the same number of images: echoes, phases or repeated acquisitions,
    // which need splitting into volumes (a 4D series), not a dedup.
    const [perPosition] = sizes;
    throw inconsistent(
      `${groups.length} slice positions hold ${perPosition} images each (${sorted.length} images): ` +
        'multiple echoes, phases or acquisitions share each position; split the series, e.g. by ' +
        'EchoNumbers (0018,0086), TemporalPositionIdentifier (0020,0100) or AcquisitionNumber (0020,0012)',
    );
  }
  const duplicates = groups.filter((g) => g.length > 1);
  const listed = duplicates.slice(0, MAX_LISTED).map((g) => {
    const at = g[0]?.offset ?? NaN;
    return `${g.length} images at ${at.toFixed(3)} mm along the normal: ${g.map(label).join(', ')}`;
  });
  const more = duplicates.length > MAX_LISTED ? `; … ${duplicates.length - MAX_LISTED} more` : '';
  throw inconsistent(
    `duplicate slice positions (count per position varies): ${listed.join('; ')}${more}`,
  );
}

/**
 * Computes the stacking order of the slices of one series: ascending position along the slice
 * normal (the projection of Image Position (Patient) (0020,0032) onto the cross product of the
 * two Image Orientation (Patient) (0020,0037) direction cosines, PS3.3 §C.7.6.2.1.1), with
 * Instance Number (0020,0013) as tie-break.
 *
 * @remarks
 * Instance Number and Slice Location are not used for order: neither is required to follow
 * the geometry, and Slice Location's reference point is vendor-defined.
 *
 * Throws `ERR_SERIES_EMPTY` for no slices, `ERR_SERIES_GEOMETRY` when a slice lacks position or
 * orientation, and `ERR_SERIES_INCONSISTENT` naming the attribute when the slices disagree on
 * orientation, Rows, Columns or Frame of Reference UID, or when positions repeat (with the count
 * per position when every position repeats, as multiple echoes or phases do).
 */
export function sliceOrder(
  datasets: readonly DicomJson[],
  options: SortSlicesOptions = {},
): SliceOrder {
  const [firstDataset] = datasets;
  if (firstDataset === undefined) {
    throw new PlatformError('ERR_SERIES_EMPTY', 'the series has no slices');
  }
  const firstSlice = readSliceAttributes(firstDataset, 0);
  const normal = sliceNormal(firstSlice);
  const entries: Entry[] = datasets.map((dataset, index) => {
    const slice = index === 0 ? firstSlice : readSliceAttributes(dataset, index);
    return { index, dataset, slice, offset: dot(slice.position, normal) };
  });
  const [first] = entries;
  if (first === undefined) throw new PlatformError('ERR_INTERNAL', 'no first slice');
  checkConsistent(first, entries, options.orientationTolerance ?? DEFAULT_ORIENTATION_TOLERANCE);
  const sorted = [...entries].sort(
    (a, b) =>
      a.offset - b.offset ||
      (a.slice.instanceNumber ?? 0) - (b.slice.instanceNumber ?? 0) ||
      a.index - b.index,
  );
  checkDistinct(sorted, options.positionToleranceMm ?? DEFAULT_POSITION_TOLERANCE_MM);
  return {
    order: sorted.map((e) => e.index),
    normal,
    positions: sorted.map((e) => e.slice.position),
    offsets: sorted.map((e) => e.offset),
  };
}

/**
 * Returns the slices of one series in stacking order (see {@link sliceOrder} for the rule and
 * the errors). The input is not modified.
 *
 * @example
 * ```ts
 * sortSlices([at(0, 0, 5), at(0, 0, -5), at(0, 0, 0)]); // axial, identity orientation
 * // returns the slices at z = -5, 0, 5
 * ```
 */
export function sortSlices<T extends DicomJson>(
  slices: readonly T[],
  options: SortSlicesOptions = {},
): T[] {
  const { order } = sliceOrder(slices, options);
  return order.map((i) => slices[i]).filter((s): s is T => s !== undefined);
}

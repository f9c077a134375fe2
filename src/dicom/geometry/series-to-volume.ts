import { PlatformError, createVolume } from '../../core/index.js';
import type { DicomJson, Volume, VoxelArray } from '../../core/index.js';
import { firstInexact } from './kernels/voxels.js';
import { seriesGeometry } from './series-geometry.js';
import type { GeometryReport, SeriesGeometryOptions } from './series-geometry.js';
import { sliceLabel } from './slice-attributes.js';

/** One single-frame slice of a series: its attributes and its decoded pixels. */
export interface SeriesSlice {
  /** The slice's attributes (DICOM JSON model, or the in-memory `DicomDataset`). */
  readonly dataset: DicomJson;
  /**
   * One frame, Rows × Columns samples, row-major (column index fastest), already converted to
   * modality values (Rescale Slope and Intercept applied, PS3.3 §C.11.1).
   */
  readonly pixels: ArrayLike<number>;
}

/** A constructor of one of the {@link VoxelArray} types, e.g. `Int16Array`. */
export type VoxelArrayConstructor<T extends VoxelArray> = new (length: number) => T;

/**
 * Options of {@link seriesToVolume}: those of {@link seriesGeometry}, and the voxel type.
 *
 * @remarks
 * There is no resampling of unevenly spaced series yet: the volume keeps the first and last
 * positions exactly, and the report says how far the others are off the regular grid.
 */
export interface SeriesToVolumeOptions<
  T extends VoxelArray = Float32Array,
> extends SeriesGeometryOptions {
  /**
   * Array type of the volume's voxels. Slices already of this type are copied as they are
   * (a memcpy): passing the stored `Int16Array` frames of a series without rescale, with
   * `Int16Array` here, skips two float conversions of every voxel. An integer type accepts
   * only values it holds exactly: a value it would wrap, truncate or zero throws
   * `ERR_USAGE` instead of being stored silently changed.
   * @defaultValue `Float32Array` (values rounded to single precision, as modality values are)
   */
  readonly voxelArray?: VoxelArrayConstructor<T>;
}

/** A series assembled into a volume, with its geometry report. */
export interface SeriesVolume<T extends VoxelArray = Float32Array> {
  /** The scalar volume, slices in stacking order (see {@link SeriesGeometry}). */
  readonly volume: Volume<T>;
  /** Input index of each slice, in stacking order: `order[k]` is slice k of the volume. */
  readonly order: readonly number[];
  readonly report: GeometryReport;
}

/**
 * Assembles single-frame slices of one series into a {@link Volume} of modality values: the
 * geometry of {@link seriesGeometry} (LPS mm, origin at the centre of the first voxel of the
 * first slice in stacking order, k along the stacking direction) and the pixels copied in that
 * order, i fastest.
 *
 * @remarks
 * Errors: those of {@link seriesGeometry}; `ERR_VOLUME_SHAPE` when a slice's pixel count is not
 * Rows × Columns (colour images are not scalar volumes: use {@link framesToImages});
 * `ERR_USAGE` when an integer `voxelArray` cannot hold a value exactly.
 *
 * @example
 * ```ts
 * const { volume, report } = seriesToVolume(slices.map((s) => ({ dataset: s.dataset, pixels: s.hu })));
 * writeNifti1(volume);
 * ```
 */
export function seriesToVolume(
  slices: readonly SeriesSlice[],
  options?: SeriesToVolumeOptions,
): SeriesVolume;
export function seriesToVolume<T extends VoxelArray>(
  slices: readonly SeriesSlice[],
  options: SeriesToVolumeOptions<T> & { readonly voxelArray: VoxelArrayConstructor<T> },
): SeriesVolume<T>;
export function seriesToVolume(
  slices: readonly SeriesSlice[],
  options: SeriesToVolumeOptions<VoxelArray> = {},
): SeriesVolume<VoxelArray> {
  const { voxelArray = Float32Array, ...geometryOptions } = options;
  const datasets = slices.map((s) => s.dataset);
  const geometry = seriesGeometry(datasets, geometryOptions);
  const [columns, rows, n] = geometry.dimensions;
  const perSlice = columns * rows;
  const data = new voxelArray(perSlice * n);
  // Float targets round as modality values always were; integer targets must hold them exactly.
  const exact = !(data instanceof Float32Array || data instanceof Float64Array);
  for (const [k, input] of geometry.order.entries()) {
    const slice = slices[input];
    if (slice === undefined) throw new PlatformError('ERR_INTERNAL', `no slice ${input}`);
    if (slice.pixels.length !== perSlice) {
      throw new PlatformError(
        'ERR_VOLUME_SHAPE',
        `${sliceLabel(slice.dataset, input)} has ${slice.pixels.length} pixel values, Rows × Columns ` +
          `is ${rows} × ${columns} = ${perSlice} (one frame of one sample per pixel is expected)`,
      );
    }
    // A memcpy when the types match; a native conversion otherwise (Int16Array to float32, …).
    data.set(slice.pixels, k * perSlice);
    if (exact && !(slice.pixels instanceof voxelArray)) {
      const at = firstInexact(data, k * perSlice, slice.pixels);
      if (at >= 0) {
        throw new PlatformError(
          'ERR_USAGE',
          `${sliceLabel(slice.dataset, input)} pixel ${at} is ${slice.pixels[at]}, which ` +
            `${voxelArray.name} cannot hold exactly`,
        );
      }
    }
  }
  const volume = createVolume({
    dimensions: geometry.dimensions,
    spacing: geometry.spacing,
    origin: geometry.origin,
    direction: geometry.direction,
    data,
    ...(geometry.frameOfReferenceUid === undefined
      ? {}
      : { frameOfReferenceUid: geometry.frameOfReferenceUid }),
  });
  return { volume, order: geometry.order, report: geometry.report };
}

import { PlatformError, createVolume } from '../../core/index.js';
import type { DicomJson, Volume } from '../../core/index.js';
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

/**
 * Options of {@link seriesToVolume}: those of {@link seriesGeometry}.
 *
 * @remarks
 * There is no resampling of unevenly spaced series yet: the volume keeps the first and last
 * positions exactly, and the report says how far the others are off the regular grid.
 */
export type SeriesToVolumeOptions = SeriesGeometryOptions;

/** A series assembled into a volume, with its geometry report. */
export interface SeriesVolume {
  /** The scalar volume, slices in stacking order (see {@link SeriesGeometry}). */
  readonly volume: Volume;
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
 * Rows × Columns (colour images are not scalar volumes: use {@link framesToImages}).
 *
 * @example
 * ```ts
 * const { volume, report } = seriesToVolume(slices.map((s) => ({ dataset: s.dataset, pixels: s.hu })));
 * writeNifti1(volume);
 * ```
 */
export function seriesToVolume(
  slices: readonly SeriesSlice[],
  options: SeriesToVolumeOptions = {},
): SeriesVolume {
  const datasets = slices.map((s) => s.dataset);
  const geometry = seriesGeometry(datasets, options);
  const [columns, rows, n] = geometry.dimensions;
  const perSlice = columns * rows;
  const data = new Float32Array(perSlice * n);
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
    // Converts to float32 natively for typed arrays (Int16Array, Uint16Array, …).
    data.set(slice.pixels, k * perSlice);
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

import { PlatformError } from './errors.js';
import type { FrameOfReferenceUid } from './ids.js';

/** A point or vector in patient space (DICOM LPS), in millimetres. */
export type Vec3 = readonly [x: number, y: number, z: number];

/** Voxel counts along i, j, k. */
export type Dimensions = readonly [i: number, j: number, k: number];

/**
 * Direction cosines of the i, j and k axes in LPS, stored column by column:
 * `direction[0..2]` is the i axis (DICOM row direction), `[3..5]` the j axis,
 * `[6..8]` the k axis (slice normal).
 *
 * @remarks
 * Same layout as vtk.js `vtkImageData.getDirection()` and cornerstone3D's `ImageVolume.direction`.
 * ITK and ITK-Wasm store the same matrix row by row: transpose at that boundary.
 */
// prettier-ignore
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

/** The voxel arrays a volume may hold. */
export type VoxelArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;

/**
 * A 3D scalar image on a regular grid, in patient coordinates (LPS, millimetres).
 * Voxel (i, j, k) is `data[i + j * dimensions[0] + k * dimensions[0] * dimensions[1]]` (i fastest).
 */
export interface Volume<T extends VoxelArray = Float32Array> {
  readonly dimensions: Dimensions;
  /** Distance between voxel centres along i, j, k, in millimetres. */
  readonly spacing: Vec3;
  /** LPS position of the centre of voxel (0, 0, 0), in millimetres. */
  readonly origin: Vec3;
  readonly direction: Mat3;
  readonly data: T;
  readonly frameOfReferenceUid?: FrameOfReferenceUid;
}

/** A labelmap produced by segmentation: 0 is background. */
export type Labelmap = Volume<Uint8Array>;

/** The identity direction: i along L (+x), j along P (+y), k along S (+z). */
export const IDENTITY_DIRECTION: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** Builds a volume after checking that `data` holds exactly the voxels `dimensions` asks for. */
export function createVolume<T extends VoxelArray>(fields: Volume<T>): Volume<T> {
  const [ni, nj, nk] = fields.dimensions;
  if (fields.data.length !== ni * nj * nk) {
    throw new PlatformError(
      'ERR_VOLUME_SHAPE',
      `data has ${fields.data.length} voxels, dimensions ${ni}×${nj}×${nk} need ${ni * nj * nk}`,
    );
  }
  return fields;
}

/**
 * Maps a continuous voxel index to LPS millimetres.
 *
 * @example
 * ```ts
 * indexToWorld({ ...volume, origin: [-10, 20, 30], spacing: [0.5, 0.5, 2] }, [1, 1, 1]);
 * // returns [-9.5, 20.5, 32] for the identity direction
 * ```
 */
export function indexToWorld(volume: Volume<VoxelArray>, [i, j, k]: Vec3): Vec3 {
  const { origin: o, spacing: s, direction: d } = volume;
  const [a, b, c] = [i * s[0], j * s[1], k * s[2]];
  return [
    o[0] + d[0] * a + d[3] * b + d[6] * c,
    o[1] + d[1] * a + d[4] * b + d[7] * c,
    o[2] + d[2] * a + d[5] * b + d[8] * c,
  ];
}

/** Cross product of two 3-vectors. */
export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Dot product of two 3-vectors. */
export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** A 2D image or frame (ultrasound, a single slice, a video frame), samples interleaved per pixel. */
export interface Image2D<T extends VoxelArray = VoxelArray> {
  /** Pixels per row. */
  readonly columns: number;
  /** Number of rows. */
  readonly rows: number;
  /** Samples per pixel: 1 for grey, 3 for RGB. */
  readonly samplesPerPixel: 1 | 3;
  /** Physical size of a pixel (column spacing, row spacing) in millimetres, when known. */
  readonly pixelSpacing?: readonly [column: number, row: number];
  /** Samples, row-major, interleaved (R, G, B, R, G, B, …) when `samplesPerPixel` is 3. */
  readonly data: T;
}

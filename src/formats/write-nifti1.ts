import { gzipSync } from 'node:zlib';
import { PlatformError } from '../core/index.js';
import type { Volume, VoxelArray } from '../core/index.js';
import {
  NIFTI1_DATATYPE,
  NIFTI1_HEADER_SIZE,
  NIFTI1_UNITS,
  NIFTI1_VOX_OFFSET,
  NIFTI1_XFORM,
  nifti1Bitpix,
  nifti1DatatypeOf,
  nifti1QuaternFromAffine,
  volumeToNifti1Affine,
} from './nifti1-header.js';
import type { Nifti1DatatypeName } from './nifti1-header.js';
import { copyExactIntegers, swapBytes } from './kernels/voxels.js';

/** Options of {@link writeNifti1}. */
export interface WriteNifti1Options {
  /**
   * Free text for `descrip` (at most 79 ASCII characters are kept; others become `?`).
   * @defaultValue 'medscale'
   */
  readonly description?: string;
  /**
   * Datatype to store. Integer targets accept only values they hold exactly: a non-integer or
   * out-of-range voxel throws `ERR_EXPORT` instead of being rounded or clipped silently.
   * @defaultValue the datatype of `volume.data`
   */
  readonly datatype?: Nifti1DatatypeName;
}

/** Options of {@link writeNifti1Gz}. */
export interface WriteNifti1GzOptions extends WriteNifti1Options {
  /**
   * zlib compression level, 0 (store) to 9 (smallest).
   * @defaultValue 6
   */
  readonly level?: number;
}

const ARRAYS = {
  uint8: Uint8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
} as const;

const INTEGER_RANGE: Partial<Record<Nifti1DatatypeName, readonly [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Puts the voxels into `out` from byte {@link NIFTI1_VOX_OFFSET} on, as `datatype`, little
 * endian. Converting straight into the file buffer (352 is a multiple of 8, so every element
 * type is aligned there) saves a second voxel-sized allocation and copy.
 */
function putVoxels(
  out: Uint8Array<ArrayBuffer>,
  data: VoxelArray,
  datatype: Nifti1DatatypeName,
): void {
  const target = new ARRAYS[datatype](out.buffer, NIFTI1_VOX_OFFSET, data.length);
  const range = INTEGER_RANGE[datatype];
  if (nifti1DatatypeOf(data) === datatype || range === undefined) {
    // Same type, or a float target: TypedArray.prototype.set copies or converts natively.
    target.set(data);
  } else {
    const v = copyExactIntegers(data, target, range[0], range[1]);
    if (v >= 0) {
      throw new PlatformError(
        'ERR_EXPORT',
        `voxel ${v} is ${data[v]}, which ${datatype} cannot hold exactly; store float32 or rescale first`,
      );
    }
  }
  if (!HOST_IS_LITTLE_ENDIAN && target.BYTES_PER_ELEMENT > 1) {
    // NIfTI readers detect endianness from sizeof_hdr; we always write little endian.
    swapBytes(out.subarray(NIFTI1_VOX_OFFSET), target.BYTES_PER_ELEMENT);
  }
}

function putAscii(view: DataView, offset: number, text: string, size: number): void {
  // The field is NUL-terminated: keep at most size - 1 printable ASCII characters.
  const limit = Math.min(text.length, size - 1);
  for (let i = 0; i < limit; i++) {
    const code = text.charCodeAt(i);
    view.setUint8(offset + i, code >= 0x20 && code < 0x7f ? code : 0x3f);
  }
}

/**
 * Encodes a volume as a single-file NIfTI-1 image (`.nii`): the 348-byte header, a 4-byte
 * extension flag of zeros, voxel data at `vox_offset` 352, little endian
 * (NIfTI-1 header spec, nifti1.h, NIfTI DFWG 2004).
 *
 * @remarks
 * Orientation: `sform` holds the exact voxel-to-RAS+ affine of the volume (its LPS geometry
 * with x and y negated, see {@link volumeToNifti1Affine}); `qform` holds the same rotation as a
 * quaternion, with `qfac = pixdim[0] = -1` when the direction matrix is a reflection, as
 * nifti1.h requires. Both codes are 1 (`NIFTI_XFORM_SCANNER_ANAT`). A tilted (sheared) grid has
 * no exact qform: the qform then carries the nearest rotation and only the sform is exact.
 *
 * Other fields: `dim` = [3, i, j, k, 1, 1, 1, 1]; `pixdim[1..3]` = spacing in mm;
 * `xyzt_units` = mm | s (10); `scl_slope` 1 and `scl_inter` 0 (values are stored as they are).
 *
 * @example
 * ```ts
 * writeFileSync('t1.nii', writeNifti1(volume, { description: 'T1 MPRAGE' }));
 * ```
 */
export function writeNifti1(
  volume: Volume<VoxelArray>,
  options: WriteNifti1Options = {},
): Uint8Array {
  const { data } = volume;
  const datatype = options.datatype ?? nifti1DatatypeOf(data);
  const [ni, nj, nk] = volume.dimensions;
  if (ni * nj * nk !== data.length) {
    throw new PlatformError(
      'ERR_VOLUME_SHAPE',
      `data has ${data.length} voxels, dimensions need ${ni * nj * nk}`,
    );
  }
  // dim[] is a signed short: a larger axis cannot be described in NIfTI-1 at all.
  if (Math.max(ni, nj, nk) > 32767) {
    throw new PlatformError(
      'ERR_EXPORT',
      `dimension ${Math.max(ni, nj, nk)} exceeds NIfTI-1's 32767`,
    );
  }
  const out = new Uint8Array(NIFTI1_VOX_OFFSET + (data.length * nifti1Bitpix(datatype)) / 8);
  const view = new DataView(out.buffer);
  const le = true;
  view.setInt32(0, NIFTI1_HEADER_SIZE, le); // sizeof_hdr
  view.setUint8(38, 0x72); // regular = 'r' (ANALYZE 7.5 legacy, still expected by some readers)
  const dims = [3, ni, nj, nk, 1, 1, 1, 1];
  for (const [i, v] of dims.entries()) view.setInt16(40 + 2 * i, v, le);
  view.setInt16(70, NIFTI1_DATATYPE[datatype], le);
  view.setInt16(72, nifti1Bitpix(datatype), le);

  const affine = volumeToNifti1Affine(volume);
  const quatern = nifti1QuaternFromAffine(affine);
  const pixdim = [
    quatern.qfac,
    volume.spacing[0],
    volume.spacing[1],
    volume.spacing[2],
    0,
    0,
    0,
    0,
  ];
  for (const [i, v] of pixdim.entries()) view.setFloat32(76 + 4 * i, v, le);
  view.setFloat32(108, NIFTI1_VOX_OFFSET, le); // vox_offset
  view.setFloat32(112, 1, le); // scl_slope
  view.setFloat32(116, 0, le); // scl_inter
  view.setUint8(123, NIFTI1_UNITS.mm | NIFTI1_UNITS.sec); // xyzt_units
  putAscii(view, 148, options.description ?? 'medscale', 80); // descrip
  view.setInt16(252, NIFTI1_XFORM.scannerAnat, le); // qform_code
  view.setInt16(254, NIFTI1_XFORM.scannerAnat, le); // sform_code
  const qform = [quatern.b, quatern.c, quatern.d, ...quatern.offset];
  for (const [i, v] of qform.entries()) view.setFloat32(256 + 4 * i, v, le);
  for (const [i, v] of affine.entries()) view.setFloat32(280 + 4 * i, v, le); // srow_x/y/z
  putAscii(view, 344, 'n+1', 4); // magic: header and data in one file
  // Bytes 348..351: extension flag, left zero (no extensions).

  putVoxels(out, data, datatype);
  return out;
}

/**
 * {@link writeNifti1} compressed with gzip (RFC 1952, node:zlib), for a `.nii.gz` file.
 */
export function writeNifti1Gz(
  volume: Volume<VoxelArray>,
  options: WriteNifti1GzOptions = {},
): Uint8Array {
  const { level, ...rest } = options;
  const gz = gzipSync(writeNifti1(volume, rest), level === undefined ? {} : { level });
  return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength);
}

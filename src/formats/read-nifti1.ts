import { gunzipSync } from 'node:zlib';
import { PlatformError } from '../core/index.js';
import type { VoxelArray } from '../core/index.js';
import {
  NIFTI1_HEADER_SIZE,
  nifti1AffineFromQuatern,
  nifti1Bitpix,
  nifti1DatatypeName,
} from './nifti1-header.js';
import type { Nifti1Affine, Nifti1DatatypeName, Nifti1Quatern } from './nifti1-header.js';
import { swapBytes } from './kernels/voxels.js';

/** The fields of a NIfTI-1 header that describe the grid, as {@link readNifti1Header} reads them. */
export interface Nifti1Header {
  /** Whether the header (and data) are little endian. */
  readonly littleEndian: boolean;
  /** `dim[1..dim[0]]`: voxel counts per axis. */
  readonly dimensions: readonly number[];
  /** `pixdim[0..7]` as stored: `pixdim[0]` is qfac, `[1..3]` the voxel size in `xyzt_units`. */
  readonly pixdim: readonly number[];
  readonly datatype: Nifti1DatatypeName;
  readonly bitpix: number;
  /** Byte offset of the voxel data in the (uncompressed) file. */
  readonly voxOffset: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly xyztUnits: number;
  readonly qformCode: number;
  readonly sformCode: number;
  readonly quatern: Nifti1Quatern;
  /** The affine the qform describes (voxel index to RAS+ mm). */
  readonly qformAffine: Nifti1Affine;
  /** `srow_x`, `srow_y`, `srow_z` (voxel index to RAS+ mm). */
  readonly sformAffine: Nifti1Affine;
  readonly description: string;
  /** `n+1` for a single `.nii` file, `ni1` for a `.hdr`/`.img` pair. */
  readonly magic: string;
}

/** A NIfTI-1 image: its header and its voxels. */
export interface Nifti1Image {
  readonly header: Nifti1Header;
  /** Voxels in file order (i fastest), in host byte order, as stored (no scl_slope applied). */
  readonly data: VoxelArray;
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

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bad(message: string): PlatformError {
  return new PlatformError('ERR_USAGE', `not a readable NIfTI-1 file: ${message}`);
}

/** Uncompresses `.nii.gz` input (gzip magic 1f 8b); leaves `.nii` as it is. */
function inflateIfGzip(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const raw = gunzipSync(bytes);
    return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  }
  return bytes;
}

function ascii(bytes: Uint8Array, offset: number, size: number): string {
  const field = bytes.subarray(offset, offset + size);
  const end = field.indexOf(0);
  return String.fromCharCode(...field.subarray(0, end < 0 ? size : end));
}

function parseHeader(bytes: Uint8Array): Nifti1Header {
  if (bytes.length < NIFTI1_HEADER_SIZE) throw bad(`${bytes.length} bytes, a header is 348`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Endianness is whatever makes sizeof_hdr read 348 (nifti1.h).
  let le: boolean;
  if (view.getInt32(0, true) === NIFTI1_HEADER_SIZE) le = true;
  else if (view.getInt32(0, false) === NIFTI1_HEADER_SIZE) le = false;
  else throw bad('sizeof_hdr is not 348');
  const magic = ascii(bytes, 344, 4);
  if (magic !== 'n+1' && magic !== 'ni1') throw bad(`magic "${magic}" (ANALYZE 7.5 is not read)`);
  const rank = view.getInt16(40, le);
  if (rank < 1 || rank > 7) throw bad(`dim[0] is ${rank}`);
  const dimensions = Array.from({ length: rank }, (_, i) => view.getInt16(42 + 2 * i, le));
  const pixdim = Array.from({ length: 8 }, (_, i) => view.getFloat32(76 + 4 * i, le));
  const [qfacStored = 1, dx = 0, dy = 0, dz = 0] = pixdim;
  const datatype = nifti1DatatypeName(view.getInt16(70, le));
  const f32 = (offset: number): number => view.getFloat32(offset, le);
  const quatern: Nifti1Quatern = {
    b: f32(256),
    c: f32(260),
    d: f32(264),
    // nifti1.h: pixdim[0] should be ±1; readers take anything else as 1.
    qfac: qfacStored < 0 ? -1 : 1,
    offset: [f32(268), f32(272), f32(276)],
  };
  const sform = Array.from({ length: 12 }, (_, i) => f32(280 + 4 * i)) as unknown as Nifti1Affine;
  return {
    littleEndian: le,
    dimensions,
    pixdim,
    datatype,
    bitpix: view.getInt16(72, le),
    voxOffset: f32(108),
    sclSlope: f32(112),
    sclInter: f32(116),
    xyztUnits: view.getUint8(123),
    qformCode: view.getInt16(252, le),
    sformCode: view.getInt16(254, le),
    quatern,
    qformAffine: nifti1AffineFromQuatern(quatern, [dx, dy, dz]),
    sformAffine: sform,
    description: ascii(bytes, 148, 80),
    magic,
  };
}

/**
 * Reads the header of a single-file NIfTI-1 image (`.nii`, or `.nii.gz`, uncompressed first),
 * in either byte order (nifti1.h). Throws `ERR_USAGE` when the bytes are not NIfTI-1 or the
 * datatype is not one a core `Volume` can hold.
 */
export function readNifti1Header(bytes: Uint8Array): Nifti1Header {
  return parseHeader(inflateIfGzip(bytes));
}

/**
 * Reads a single-file NIfTI-1 image (`.nii` or `.nii.gz`): its header and its voxels as a
 * typed array of the stored datatype, in host byte order.
 *
 * @example
 * ```ts
 * const { header, data } = readNifti1(writeNifti1(volume));
 * // header.sformAffine equals volumeToNifti1Affine(volume) to float32 precision
 * ```
 */
export function readNifti1(bytes: Uint8Array): Nifti1Image {
  const raw = inflateIfGzip(bytes);
  const header = parseHeader(raw);
  if (header.bitpix !== nifti1Bitpix(header.datatype)) {
    throw bad(`bitpix ${header.bitpix} does not match datatype ${header.datatype}`);
  }
  const count = header.dimensions.reduce((a, b) => a * Math.max(b, 1), 1);
  const size = header.bitpix / 8;
  const start = Math.floor(header.voxOffset);
  if (start < NIFTI1_HEADER_SIZE || start + count * size > raw.length) {
    throw bad(
      `${count} voxels at offset ${start} need ${start + count * size} bytes, file has ${raw.length}`,
    );
  }
  // Copy: the data may not be aligned to the element size inside the file buffer.
  // (Buffer.prototype.slice is a view, not a copy: copy explicitly.)
  const copy = new Uint8Array(count * size);
  copy.set(raw.subarray(start, start + count * size));
  if (header.littleEndian !== HOST_IS_LITTLE_ENDIAN && size > 1) {
    swapBytes(copy, size);
  }
  return { header, data: new ARRAYS[header.datatype](copy.buffer, 0, count) };
}

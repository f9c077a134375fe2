/**
 * File formats: pure writers (and the readers their tests need) from core data to bytes.
 * NIfTI-1 for volumes, PNG for images. Imports only `core/` and node:zlib.
 * @packageDocumentation
 */
export { writeNifti1, writeNifti1Gz } from './write-nifti1.js';
export type { WriteNifti1Options, WriteNifti1GzOptions } from './write-nifti1.js';
export { readNifti1, readNifti1Header } from './read-nifti1.js';
export type { Nifti1Header, Nifti1Image } from './read-nifti1.js';
export {
  NIFTI1_DATATYPE,
  NIFTI1_HEADER_SIZE,
  NIFTI1_UNITS,
  NIFTI1_VOX_OFFSET,
  NIFTI1_XFORM,
  nifti1AffineFromQuatern,
  nifti1QuaternFromAffine,
  volumeToNifti1Affine,
} from './nifti1-header.js';
export type { Nifti1Affine, Nifti1DatatypeName, Nifti1Quatern } from './nifti1-header.js';
export { writePng } from './write-png.js';
export type { PngImage, WritePngOptions } from './write-png.js';
export { crc32 } from './kernels/crc32.js';
export { readPng, type DecodedPng, type PngColourType, type ReadPngOptions } from './read-png.js';

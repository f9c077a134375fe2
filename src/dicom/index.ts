/**
 * DICOM: Part 10 read and write, pixel data decoding, series geometry, de-identification.
 * Pure library: bytes and datasets in, datasets and typed arrays out.
 * @packageDocumentation
 */
export type { DicomDataset, DicomElement } from './part10/dicom-dataset.js';
export { readPart10 } from './part10/read-part10.js';
export type { Part10, DicomWarning, ReadPart10Options } from './part10/read-part10.js';
export { writePart10 } from './part10/write-part10.js';
export { TRANSFER_SYNTAX, isEncapsulated } from './part10/transfer-syntax.js';
export type { KnownTransferSyntax } from './part10/transfer-syntax.js';
export {
  Deidentifier,
  shiftDate,
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
} from './deidentify/deidentify.js';
export type { DeidentifyOptions, DeidentifyResult } from './deidentify/deidentify.js';

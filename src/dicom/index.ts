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
export { toDicomJson, STUDY_LEVEL_TAGS, SERIES_LEVEL_TAGS } from './model/to-dicom-json.js';
export type { ToDicomJsonOptions } from './model/to-dicom-json.js';
export { sortSlices, sliceOrder } from './geometry/sort-slices.js';
export type { SliceOrder, SortSlicesOptions } from './geometry/sort-slices.js';
export { seriesGeometry } from './geometry/series-geometry.js';
export type {
  GeometryReport,
  GeometryWarning,
  SeriesGeometry,
  SeriesGeometryOptions,
  SliceSpacingStats,
} from './geometry/series-geometry.js';
export { seriesToVolume } from './geometry/series-to-volume.js';
export type {
  SeriesSlice,
  SeriesToVolumeOptions,
  SeriesVolume,
} from './geometry/series-to-volume.js';
export { framesToImages } from './geometry/frames-to-images.js';
export { transferSyntaxName } from './part10/transfer-syntax.js';
export { decodePixelData } from './pixel/decode-pixel-data.js';
export type {
  DecodePixelDataOptions,
  DecodedPixels,
  ModalityRescale,
  OutputPhotometricInterpretation,
  PixelArray,
  VoiLutFunction,
  VoiWindow,
} from './pixel/decoded-pixels.js';
export { toModalityValues } from './pixel/modality.js';
export { frameToDisplay } from './pixel/frame-to-display.js';
export type { DisplayFrame, FrameToDisplayOptions } from './pixel/frame-to-display.js';
export * from './dimse/index.js';
export * from './seg/index.js';

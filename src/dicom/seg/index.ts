/**
 * DICOM Segmentation (SEG) objects: a writer from medscale labelmaps.
 * @packageDocumentation
 */
export {
  CAROTID_SEGMENT_CODES,
  newDicomUid,
  SEGMENTATION_STORAGE,
  writeDicomSeg,
} from './write-dicom-seg.js';
export type {
  CodedConcept,
  SegSegment,
  SegSource,
  SegSourceImage,
  WriteDicomSegOptions,
} from './write-dicom-seg.js';
export { SEG_TAGS } from './seg-tags.js';
export type { SegKeyword } from './seg-tags.js';

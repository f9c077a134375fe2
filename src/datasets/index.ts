/**
 * Importing segmentation datasets: image/mask pairs with a patient key from folders of PNG,
 * NIfTI-1 or DICOM files (masks also as DICOM SEG), paired by a file-name pattern or by the
 * ground truth of `medscale synth carotid-us`. A shell module: it reads files through the
 * `formats/` and `dicom/` stages.
 * @packageDocumentation
 */
export { DEFAULT_PAIR_PATTERN, loadSegmentationDataset } from './load-segmentation-dataset.js';
export type {
  DatasetLayout,
  DatasetProblem,
  DatasetProblemKind,
  LoadSegmentationDatasetOptions,
  SegmentationDataset,
  SegmentationSample,
} from './load-segmentation-dataset.js';
export { DICOM_SEG_STORAGE, segToLabelFrames } from './dicom-seg.js';
export type { SegLabelOptions } from './dicom-seg.js';
export { formatOf, readImageFile } from './read-image-file.js';
export type { ImageFileFormat, ReadFrames } from './read-image-file.js';

/**
 * Segmentation stage: the customized U-Net (tfjs), its training and evaluation, preprocessing,
 * augmentation and metrics (Dice, IoU, precision, recall, F1, HD95).
 * @packageDocumentation
 */
export { initTfBackend } from './backend.js';
export type { TfBackendChoice } from './backend.js';
export { registerTrainingKernels } from './kernels/training-kernels.js';
export {
  buildUnet,
  countParameters,
  DEFAULT_UNET,
  PAPER_UNET,
  unetConvFlops,
  validateUnetConfig,
} from './unet.js';
export type { UnetConfig } from './unet.js';
export {
  cropWindowFor,
  DEFAULT_PREPROCESSING,
  parsePreprocessing,
  preprocessImage,
  preprocessMask,
  restoreLabelMap,
} from './preprocessing.js';
export type {
  CropWindow,
  Normalization,
  OverlayMasking,
  PreprocessingConfig,
  SegmentationSample,
} from './preprocessing.js';
export { augmentSample, DEFAULT_AUGMENTATION } from './augment.js';
export type { AugmentationConfig } from './augment.js';
export { createRng, shuffleInPlace } from './random.js';
export type { Rng, RngState } from './random.js';
export { splitByPatient } from './split.js';
export type { PatientSplit } from './split.js';
export {
  binaryMetrics,
  hausdorff95,
  labelMask,
  meanSd,
  percentile,
  STRUCTURES,
  structureMetrics,
} from './metrics.js';
export type {
  BinaryMetrics,
  MeanSd,
  PixelSpacing,
  Structure,
  StructureMetrics,
} from './metrics.js';
export { confusionCounts, segmentationLoss } from './losses.js';
export { scoresFromCounts, trainingCurvesSvg } from './curves.js';
export type { EpochRecord, PhaseScores } from './curves.js';
export { fileModelHandler, loadModelFromDir } from './checkpoint.js';
export { trainUnet, trainUnetInThread } from './train-unet.js';
export type { TrainProgress, TrainUnetOptions, TrainUnetResult } from './train-unet.js';
export {
  aggregateEvaluations,
  evaluateSegmentation,
  formatEvaluationTable,
  loadSegmentationModel,
  predictLabelMaps,
} from './evaluate.js';
export type {
  AggregateMetrics,
  ImageEvaluation,
  LoadedSegmentationModel,
  SegmentationEvaluation,
} from './evaluate.js';
export { makeSyntheticVesselSamples } from './synthetic-vessels.js';
export type { SyntheticVesselOptions } from './synthetic-vessels.js';
export * from './onnx/index.js';

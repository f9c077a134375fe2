/**
 * ONNX inference for segmentation: export of tfjs U-Nets to ONNX, onnxruntime-node inference of
 * medscale's and users' own models (nnU-Net, MONAI exports) with sliding-window tiling, and the
 * tfjs fallback on the same pipeline.
 * @packageDocumentation
 */
export { exportTfjsToOnnx, ONNX_INPUT_NAME, ONNX_OUTPUT_NAME } from './export-tfjs-to-onnx.js';
export type { ExportOnnxOptions } from './export-tfjs-to-onnx.js';
export { encodeOnnxModel, readOnnxModelInfo, ONNX_OPSET, ONNX_IR_VERSION } from './onnx-graph.js';
export type {
  OnnxAttribute,
  OnnxDim,
  OnnxInitializer,
  OnnxModelInfo,
  OnnxModelSpec,
  OnnxNode,
  OnnxValueInfo,
} from './onnx-graph.js';
export {
  METADATA_KEYS,
  medscaleUnetConfig,
  parseSegmentModelConfig,
  segmentLabels,
} from './segment-model-config.js';
export type { IntensityNormalization, SegmentModelConfig } from './segment-model-config.js';
export { OnnxSegmenter, predictOnnx, resolveModelConfig } from './onnx-segmenter.js';
export type { GridSegmentation, ImageSegmentation } from './onnx-segmenter.js';
export { createOnnxRunner, createTfjsRunner } from './segment-runner.js';
export type { ChannelsFirstTensor, OnnxRunnerOptions, SegmentRunner } from './segment-runner.js';
export { gaussianImportanceMap, tilePositions } from './kernels/sliding-window.js';
export { renderLabelOverlay } from './kernels/overlay.js';

/**
 * Segmentation stage: U-Net model, training, evaluation and inference (tfjs, onnxruntime-node).
 */
export {};

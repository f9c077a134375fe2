import * as tf from '@tensorflow/tfjs';
import { PlatformError } from '../core/index.js';

/**
 * Architecture of the customized U-Net (Ronneberger et al. 2015, "U-Net: Convolutional Networks
 * for Biomedical Image Segmentation", MICCAI, with batch normalization after every convolution
 * and three convolutions per decoder block as in the carotid-ultrasound study this reproduces).
 */
export interface UnetConfig {
  /** Channels per level, shallow to deep; its length is the number of levels. */
  readonly widths: readonly number[];
  /** Model input height and width in pixels; each must be divisible by 2^(levels − 1). */
  readonly inputSize: readonly [number, number];
  /** Output channels, one sigmoid each: 0 lumen, 1 wall. */
  readonly outputChannels: number;
  /**
   * Batch-normalization momentum of the moving statistics. 0.9, not Keras's 0.99: short runs
   * otherwise leave the inference statistics far from the data (DESIGN.md §5).
   */
  readonly bnMomentum: number;
  /** Seed of the weight initializers. */
  readonly seed: number;
}

/**
 * CPU-sized default: 4 levels of 8/16/32/64 channels (0.13 M parameters) at 128×128,
 * trainable from scratch on one wasm thread within minutes.
 */
export const DEFAULT_UNET: UnetConfig = {
  widths: [8, 16, 32, 64],
  inputSize: [128, 128],
  outputChannels: 2,
  bnMomentum: 0.9,
  seed: 1,
};

/** The study's full-size network: six levels of 24, 64, 128, 256, 512 and 768 channels at 512². */
export const PAPER_UNET: UnetConfig = {
  widths: [24, 64, 128, 256, 512, 768],
  inputSize: [512, 512],
  outputChannels: 2,
  bnMomentum: 0.9,
  seed: 1,
};

/** Checks a configuration; throws `ERR_SEGMENT_MODEL` saying what to change. */
export function validateUnetConfig(config: UnetConfig): void {
  const levels = config.widths.length;
  if (levels < 2)
    throw new PlatformError('ERR_SEGMENT_MODEL', 'a U-Net needs at least 2 levels (widths)');
  for (const w of config.widths) {
    if (!Number.isInteger(w) || w <= 0)
      throw new PlatformError(
        'ERR_SEGMENT_MODEL',
        `widths must be positive integers, got ${config.widths.join(',')}`,
      );
  }
  const f = 2 ** (levels - 1);
  for (const s of config.inputSize) {
    if (!Number.isInteger(s) || s <= 0 || s % f !== 0)
      throw new PlatformError(
        'ERR_SEGMENT_MODEL',
        `input size ${config.inputSize.join('×')} must be divisible by ${f} for ${levels} levels`,
      );
  }
  if (!Number.isInteger(config.outputChannels) || config.outputChannels < 1)
    throw new PlatformError('ERR_SEGMENT_MODEL', 'outputChannels must be a positive integer');
}

/**
 * Builds the U-Net as a tfjs-layers functional model from standard layers only, so an exporter
 * can walk `model.layers` and map each to one ONNX node. Layer names (`l` counts levels from 1;
 * `k` counts convolutions in a block from 1):
 *
 * - `input` — `[null, H, W, 1]`, NHWC;
 * - encoder level `l` (all but the deepest): `enc{l}_conv{k}` (3×3, `same`, no bias),
 *   `enc{l}_bn{k}`, `enc{l}_relu{k}` for k = 1, 2, then `enc{l}_pool` (max pooling 2×2/2);
 * - the deepest level `L` (bottleneck): `enc{L}_conv{k}`, `enc{L}_bn{k}`, `enc{L}_relu{k}`, k = 1, 2;
 * - decoder level `l` = L−1 … 1: `dec{l}_up` (transposed convolution 2×2/2 to widths[l−1]
 *   channels, with bias), `dec{l}_concat` ([up, skip from `enc{l}_relu2`], channel axis),
 *   `dec{l}_conv{k}`, `dec{l}_bn{k}`, `dec{l}_relu{k}` for k = 1, 2, 3;
 * - `head` — 1×1 convolution with bias and sigmoid activation, `outputChannels` channels.
 *
 * Convolutions before batch normalization carry no bias (the normalization's β replaces it).
 */
export function buildUnet(config: UnetConfig = DEFAULT_UNET): tf.LayersModel {
  validateUnetConfig(config);
  let seed = config.seed;
  const init = (): ReturnType<typeof tf.initializers.heNormal> =>
    tf.initializers.heNormal({ seed: seed++ });
  const convBnRelu = (x: tf.SymbolicTensor, name: string, k: number, filters: number) => {
    const conv = tf.layers
      .conv2d({
        name: `${name}_conv${k}`,
        filters,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        kernelInitializer: init(),
      })
      .apply(x) as tf.SymbolicTensor;
    const bn = tf.layers
      .batchNormalization({ name: `${name}_bn${k}`, momentum: config.bnMomentum, epsilon: 1e-3 })
      .apply(conv) as tf.SymbolicTensor;
    return tf.layers
      .activation({ name: `${name}_relu${k}`, activation: 'relu' })
      .apply(bn) as tf.SymbolicTensor;
  };
  const [h, w] = config.inputSize;
  const input = tf.input({ name: 'input', shape: [h, w, 1] });
  const skips: tf.SymbolicTensor[] = [];
  let x: tf.SymbolicTensor = input;
  const levels = config.widths.length;
  for (let l = 1; l <= levels; l++) {
    const width = config.widths[l - 1] ?? 1;
    x = convBnRelu(x, `enc${l}`, 1, width);
    x = convBnRelu(x, `enc${l}`, 2, width);
    if (l < levels) {
      skips.push(x);
      x = tf.layers
        .maxPooling2d({ name: `enc${l}_pool`, poolSize: 2, strides: 2, padding: 'valid' })
        .apply(x) as tf.SymbolicTensor;
    }
  }
  for (let l = levels - 1; l >= 1; l--) {
    const width = config.widths[l - 1] ?? 1;
    const up = tf.layers
      .conv2dTranspose({
        name: `dec${l}_up`,
        filters: width,
        kernelSize: 2,
        strides: 2,
        padding: 'same',
        kernelInitializer: init(),
      })
      .apply(x) as tf.SymbolicTensor;
    const skip = skips[l - 1];
    if (skip === undefined) throw new PlatformError('ERR_INTERNAL', 'U-Net skip missing');
    x = tf.layers
      .concatenate({ name: `dec${l}_concat`, axis: -1 })
      .apply([up, skip]) as tf.SymbolicTensor;
    for (let k = 1; k <= 3; k++) x = convBnRelu(x, `dec${l}`, k, width);
  }
  const output = tf.layers
    .conv2d({
      name: 'head',
      filters: config.outputChannels,
      kernelSize: 1,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ name: 'unet', inputs: input, outputs: output });
}

/**
 * Multiply–add FLOPs (2 per multiply–add) of one forward pass through the convolutions of a
 * U-Net for one image of `height`×`width` pixels: 3×3 and 1×1 convolutions and the 2×2/2
 * transposed convolutions; batch normalization, ReLU and pooling are not counted. The backward
 * pass costs about twice this (input and filter gradients).
 */
export function unetConvFlops(config: UnetConfig, height: number, width: number): number {
  let flops = 0;
  const widths = config.widths;
  const levels = widths.length;
  let cin = 1;
  for (let l = 1; l <= levels; l++) {
    const px = (height / 2 ** (l - 1)) * (width / 2 ** (l - 1));
    const c = widths[l - 1] ?? 0;
    flops += 2 * px * 9 * (cin * c + c * c);
    cin = c;
  }
  for (let l = levels - 1; l >= 1; l--) {
    const px = (height / 2 ** (l - 1)) * (width / 2 ** (l - 1));
    const c = widths[l - 1] ?? 0;
    const deeper = widths[l] ?? 0;
    flops += 2 * (px / 4) * 4 * deeper * c; // transposed conv: each input pixel feeds a 2×2 block
    flops += 2 * px * 9 * (2 * c * c + c * c + c * c);
  }
  flops += 2 * height * width * (widths[0] ?? 0) * config.outputChannels;
  return flops;
}

/** Number of trainable parameters of a built model. */
export function countParameters(model: tf.LayersModel): number {
  return model.trainableWeights.reduce(
    (n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    0,
  );
}

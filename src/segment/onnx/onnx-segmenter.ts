import { readFile } from 'node:fs/promises';
import type * as tf from '@tensorflow/tfjs';
import { PlatformError, createVolume, errorMessage } from '../../core/index.js';
import type { Image2D, Labelmap, Volume, VoxelArray } from '../../core/index.js';
import { preprocessImage, restoreLabelMap } from '../preprocessing.js';
import {
  applyActivation,
  clipAffine,
  decideLabels,
  meanStd,
  percentileOf,
  toGrey,
} from './kernels/intensity.js';
import { nchwToNhwc } from './kernels/layout.js';
import { orientationMap, permuteFlip } from './kernels/orient.js';
import { resampleLinear, resampleNearest } from './kernels/resample.js';
import {
  accumulatePatch,
  cropChannels,
  extractPatch,
  gaussianImportanceMap,
  padToAtLeast,
  tilePositions,
} from './kernels/sliding-window.js';
import type { Dims3 } from './kernels/sliding-window.js';
import { readOnnxModelInfo } from './onnx-graph.js';
import { METADATA_KEYS, parseSegmentModelConfig } from './segment-model-config.js';
import type { IntensityNormalization, SegmentModelConfig } from './segment-model-config.js';
import { createOnnxRunner, createTfjsRunner } from './segment-runner.js';
import type { SegmentRunner } from './segment-runner.js';

/** Scores and labels of one grid (see {@link OnnxSegmenter.segmentGrid}). */
export interface GridSegmentation {
  /** Labels on the input grid, C-order `[D, H, W]`. */
  readonly labels: Uint8Array;
  /** Per-channel probabilities (after `activation`), channels first, on `scoreDims`. */
  readonly scores: Float32Array;
  /** Grid of `scores`: the model-spacing grid, `[D, H, W]`. */
  readonly scoreDims: Dims3;
  /** Number of network evaluations (tiles) run. */
  readonly tiles: number;
}

/** A 2D label map: row-major, `rows`×`columns`, values as {@link SegmentModelConfig} says. */
export interface ImageSegmentation {
  readonly labels: Uint8Array;
  readonly rows: number;
  readonly columns: number;
}

/**
 * The model config of an ONNX model: `explicit` when given, else the one medscale embedded in
 * its metadata. Throws `ERR_SEGMENT_MODEL` when neither exists.
 */
export function resolveModelConfig(bytes: Uint8Array, explicit?: unknown): SegmentModelConfig {
  if (explicit !== undefined) return parseSegmentModelConfig(explicit);
  const info = readOnnxModelInfo(bytes);
  const json = info.metadata[METADATA_KEYS.config];
  if (json === undefined)
    throw new PlatformError(
      'ERR_SEGMENT_MODEL',
      'the ONNX model carries no medscale config (metadata "medscale.config"): give --config preprocessing.json with patchSize, normalization, activation and classes',
    );
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new PlatformError(
      'ERR_SEGMENT_MODEL',
      `the embedded medscale.config is not JSON (${errorMessage(error)})`,
    );
  }
  return parseSegmentModelConfig(value);
}

function normalize(v: Float32Array, n: IntensityNormalization): void {
  switch (n.method) {
    case 'none':
      return;
    case 'zscore': {
      const [lo, hi] = n.clip ?? [-Infinity, Infinity];
      if (n.clip !== undefined) clipAffine(v, lo, hi, 0, 1);
      const own = n.mean === undefined || n.std === undefined ? meanStd(v) : undefined;
      const mean = n.mean ?? own?.mean ?? 0;
      const std = n.std ?? own?.std ?? 1;
      clipAffine(v, -Infinity, Infinity, mean, 1 / Math.max(std, 1e-8));
      return;
    }
    case 'percentile': {
      const lo = percentileOf(v, n.low);
      const hi = percentileOf(v, n.high);
      clipAffine(v, lo, hi, lo, hi > lo ? 1 / (hi - lo) : 1);
      return;
    }
    case 'fixed':
      clipAffine(v, n.min, n.max, n.min, 1 / (n.max - n.min));
  }
}

/**
 * Segments images and volumes with one network (onnxruntime-node, or tfjs as the fallback) and
 * its {@link SegmentModelConfig}: grey conversion, normalization, resampling to the model's
 * spacing (linear), centred zero padding to the patch size, sliding-window tiling with overlap
 * and Gaussian importance weighting (nnU-Net; Isensee et al. 2021, Nat. Methods 18:203), the
 * output activation, argmax or thresholding, and nearest-neighbour resampling of the labels back
 * to the input grid. Models trained by medscale use their ultrasound preprocessing instead.
 * Holds a session: call {@link OnnxSegmenter.dispose}.
 */
export class OnnxSegmenter {
  readonly config: SegmentModelConfig;
  readonly #runner: SegmentRunner;
  readonly #gaussian: Float32Array;
  readonly #patch: Dims3;

  private constructor(runner: SegmentRunner, config: SegmentModelConfig) {
    this.#runner = runner;
    this.config = config;
    const p = config.patchSize;
    this.#patch =
      config.spatialDims === 3 ? [p[0] ?? 1, p[1] ?? 1, p[2] ?? 1] : [1, p[0] ?? 1, p[1] ?? 1];
    this.#gaussian = config.gaussian
      ? gaussianImportanceMap(this.#patch)
      : new Float32Array(this.#patch[0] * this.#patch[1] * this.#patch[2]).fill(1);
  }

  /**
   * Opens an ONNX model (bytes or file path) on onnxruntime-node with 2 intra-op threads.
   * `config`: a {@link SegmentModelConfig} object (parsed and checked); absent, the model's
   * embedded one.
   */
  static async open(
    model: Uint8Array | string,
    config?: unknown,
    threads = 2,
  ): Promise<OnnxSegmenter> {
    let bytes: Uint8Array;
    if (typeof model === 'string') {
      try {
        bytes = new Uint8Array(await readFile(model));
      } catch (error) {
        throw new PlatformError(
          'ERR_IO',
          `cannot read the model ${model} (${errorMessage(error)})`,
        );
      }
    } else bytes = model;
    const resolved = resolveModelConfig(bytes, config);
    return new OnnxSegmenter(
      await createOnnxRunner(bytes, { layout: resolved.layout, threads }),
      resolved,
    );
  }

  /** The tfjs fallback: the same pipeline on a tfjs-layers model (channels last). */
  static fromTfjs(model: tf.LayersModel, config: unknown): OnnxSegmenter {
    return new OnnxSegmenter(createTfjsRunner(model), parseSegmentModelConfig(config));
  }

  /** The engine behind this segmenter (`onnxruntime-node`, `tfjs-wasm`, …). */
  get engine(): string {
    return this.#runner.engine;
  }

  /** Releases the session. */
  dispose(): Promise<void> {
    return this.#runner.dispose();
  }

  /**
   * Segments one grid of raw intensities, C-order `[D, H, W]` (D = 1 for an image), with voxel
   * `spacing` in mm in the same order (needed only when the config resamples).
   */
  async segmentGrid(
    data: Float32Array,
    dims: Dims3,
    spacing?: readonly [number, number, number],
  ): Promise<GridSegmentation> {
    const c = this.config;
    if (data.length !== dims[0] * dims[1] * dims[2])
      throw new PlatformError(
        'ERR_SEGMENT_INPUT',
        `grid of ${data.length} values is not ${dims.join('×')}`,
      );
    const values = Float32Array.from(data);
    normalize(values, c.normalization);
    let modelDims = dims;
    if (c.spacing !== undefined && spacing !== undefined) {
      const target = c.spatialDims === 3 ? c.spacing : [spacing[0], ...c.spacing];
      const size = (a: number): number =>
        Math.max(1, Math.round(((dims[a] ?? 1) * (spacing[a] ?? 1)) / (target[a] ?? 1)));
      modelDims = [size(0), size(1), size(2)];
    }
    const resampled = resampleLinear(values, dims, modelDims);
    const { scores, tiles } = await this.#slidingWindow(resampled, modelDims);
    const channels = scores.length / (modelDims[0] * modelDims[1] * modelDims[2]);
    const n = modelDims[0] * modelDims[1] * modelDims[2];
    if (c.activation !== 'none') applyActivation(scores, channels, n, c.activation);
    const labels = decideLabels(scores, channels, n, c.decision, c.threshold);
    return {
      labels: resampleNearest(labels, modelDims, dims),
      scores,
      scoreDims: modelDims,
      tiles,
    };
  }

  async #slidingWindow(
    data: Float32Array,
    dims: Dims3,
  ): Promise<{ scores: Float32Array; tiles: number }> {
    const patch = this.#patch;
    const padded = padToAtLeast(data, dims, patch, 0);
    const pd = padded.dims;
    const starts = [0, 1, 2].map((a) =>
      tilePositions(pd[a] ?? 1, patch[a] ?? 1, this.config.overlap),
    );
    const tile = new Float32Array(patch[0] * patch[1] * patch[2]);
    const shape = this.config.spatialDims === 3 ? [1, 1, ...patch] : [1, 1, patch[1], patch[2]];
    let acc: Float32Array | undefined;
    let channels = 0;
    const norm = new Float32Array(pd[0] * pd[1] * pd[2]);
    let tiles = 0;
    for (const z of starts[0] ?? [0])
      for (const y of starts[1] ?? [0])
        for (const x of starts[2] ?? [0]) {
          const start: Dims3 = [z, y, x];
          extractPatch(padded.data, pd, start, patch, tile);
          const out = await this.#runner.run({ data: tile, shape });
          const outSpatial = out.shape.slice(2).reduce((a, b) => a * b, 1);
          if (outSpatial !== tile.length)
            throw new PlatformError(
              'ERR_SEGMENT_MODEL',
              `the model maps a ${shape.slice(2).join('×')} patch to [${out.shape.join(', ')}]; a segmentation model must keep the spatial size`,
            );
          if (acc === undefined) {
            channels = out.shape[1] ?? 1;
            acc = new Float32Array(channels * norm.length);
          }
          accumulatePatch(acc, norm, pd, channels, out.data, this.#gaussian, start, patch);
          tiles++;
        }
    if (acc === undefined) throw new PlatformError('ERR_INTERNAL', 'no tile was run');
    for (let k = 0; k < channels; k++)
      for (let i = 0; i < norm.length; i++)
        acc[k * norm.length + i] = (acc[k * norm.length + i] ?? 0) / (norm[i] ?? 1);
    return { scores: cropChannels(acc, pd, channels, padded.offset, dims), tiles };
  }

  /** Segments a 2D image (grey or RGB); the model sees rows × columns. */
  async segmentImage(image: Image2D): Promise<ImageSegmentation> {
    const { rows, columns, samplesPerPixel: spp } = image;
    const us = this.config.ultrasound;
    if (us !== undefined) {
      const x = preprocessImage(
        { image: Float32Array.from(image.data), width: columns, height: rows, channels: spp },
        us,
      );
      const [ih, iw] = us.inputSize;
      const out = await this.#runner.run({ data: x, shape: [1, 1, ih, iw] });
      const ch = out.shape[1] ?? 1;
      if (ch !== 2)
        throw new PlatformError(
          'ERR_SEGMENT_MODEL',
          `the model has ${ch} output channels; ultrasound preprocessing needs 2 (lumen, wall)`,
        );
      const probs = nchwToNhwc(out.data, 1, 2, ih * iw);
      return {
        labels: restoreLabelMap(probs, columns, rows, us, this.config.threshold),
        rows,
        columns,
      };
    }
    if (this.config.spatialDims === 3)
      throw new PlatformError(
        'ERR_SEGMENT_INPUT',
        'the model is a 3D (volume) model: give a volume (NIfTI or a DICOM series), not an image',
      );
    const grey = toGrey(image.data, rows * columns, spp);
    const ps = image.pixelSpacing;
    const r = await this.segmentGrid(
      grey,
      [1, rows, columns],
      ps === undefined ? undefined : [1, ps[1], ps[0]],
    );
    return { labels: r.labels, rows, columns };
  }

  /**
   * Segments a volume into a labelmap on the same grid. The model sees the C-order array
   * `[k, j, i]` after reorientation to `config.orientation` (nearest axes, flips only);
   * 2D models run slice by slice along the (reoriented) k axis.
   */
  async segmentVolume(volume: Volume<VoxelArray>): Promise<Labelmap> {
    const d = volume.dimensions;
    let data = Float32Array.from(volume.data);
    let dims: [number, number, number] = [d[0], d[1], d[2]];
    let spacing: [number, number, number] = [
      volume.spacing[0],
      volume.spacing[1],
      volume.spacing[2],
    ];
    const o = this.config.orientation;
    const map = o === 'native' ? undefined : orientationMap(volume.direction, o);
    if (map !== undefined) {
      data = permuteFlip(data, [d[0], d[1], d[2]], map.perm, map.flip);
      dims = [d[map.perm[0] ?? 0] ?? 1, d[map.perm[1] ?? 1] ?? 1, d[map.perm[2] ?? 2] ?? 1];
      spacing = [0, 1, 2].map((a) => volume.spacing[map.perm[a] ?? a] ?? 1) as [
        number,
        number,
        number,
      ];
    }
    let labels: Uint8Array;
    if (this.config.ultrasound !== undefined) {
      labels = new Uint8Array(data.length);
      const slice = dims[0] * dims[1];
      for (let k = 0; k < dims[2]; k++) {
        const r = await this.segmentImage({
          rows: dims[1],
          columns: dims[0],
          samplesPerPixel: 1,
          data: data.subarray(k * slice, (k + 1) * slice),
        });
        labels.set(r.labels, k * slice);
      }
    } else {
      // C-order [k, j, i]: D = k, H = j, W = i; spacing likewise reversed.
      const r = await this.segmentGrid(
        data,
        [dims[2], dims[1], dims[0]],
        [spacing[2], spacing[1], spacing[0]],
      );
      labels = r.labels;
    }
    if (map !== undefined)
      labels = permuteFlip(labels, [d[0], d[1], d[2]], map.perm, map.flip, true);
    return createVolume({
      dimensions: volume.dimensions,
      spacing: volume.spacing,
      origin: volume.origin,
      direction: volume.direction,
      data: labels,
      ...(volume.frameOfReferenceUid === undefined
        ? {}
        : { frameOfReferenceUid: volume.frameOfReferenceUid }),
    });
  }
}

/**
 * One-shot inference: opens `model` (ONNX bytes or path) with `config` (or the embedded one),
 * segments an image or a volume, and releases the session.
 */
export async function predictOnnx(
  model: Uint8Array | string,
  input: Image2D | Volume<VoxelArray>,
  config?: unknown,
): Promise<ImageSegmentation | Labelmap> {
  const segmenter = await OnnxSegmenter.open(model, config);
  try {
    return 'dimensions' in input
      ? await segmenter.segmentVolume(input)
      : await segmenter.segmentImage(input);
  } finally {
    await segmenter.dispose();
  }
}

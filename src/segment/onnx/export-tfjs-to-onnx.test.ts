import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { PlatformError } from '../../core/index.js';
import { predictLabelMaps } from '../evaluate.js';
import { DEFAULT_PREPROCESSING } from '../preprocessing.js';
import { createRng } from '../random.js';
import { buildUnet } from '../unet.js';
import { exportTfjsToOnnx } from './export-tfjs-to-onnx.js';
import { readOnnxModelInfo } from './onnx-graph.js';
import { OnnxSegmenter } from './onnx-segmenter.js';
import { medscaleUnetConfig } from './segment-model-config.js';
import { nchwToNhwc, nhwcToNchw } from './kernels/layout.js';

/** A small U-Net of every layer type the exporter maps, with seeded random weights. */
function smallUnet(seed: number, withDropout = false): tf.LayersModel {
  const rng = createRng(seed);
  const input = tf.input({ shape: [null, null, 1] });
  const block = (x: tf.SymbolicTensor, f: number, name: string): tf.SymbolicTensor => {
    const c = tf.layers
      .conv2d({ name: `${name}_c`, filters: f, kernelSize: 3, padding: 'same', useBias: false })
      .apply(x) as tf.SymbolicTensor;
    const b = tf.layers
      .batchNormalization({ name: `${name}_bn`, epsilon: 1e-3 })
      .apply(c) as tf.SymbolicTensor;
    return tf.layers
      .activation({ name: `${name}_r`, activation: 'relu' })
      .apply(b) as tf.SymbolicTensor;
  };
  const e1 = block(input, 4, 'e1');
  const p1 = tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(e1) as tf.SymbolicTensor;
  let e2 = block(p1, 8, 'e2');
  if (withDropout) e2 = tf.layers.dropout({ rate: 0.5 }).apply(e2) as tf.SymbolicTensor;
  const p2 = tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(e2) as tf.SymbolicTensor;
  const bott = tf.layers
    .conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' })
    .apply(p2) as tf.SymbolicTensor;
  const u2 = tf.layers
    .conv2dTranspose({ filters: 8, kernelSize: 2, strides: 2, padding: 'same' })
    .apply(bott) as tf.SymbolicTensor;
  const c2 = tf.layers.concatenate({ axis: -1 }).apply([u2, e2]) as tf.SymbolicTensor;
  const d2 = block(c2, 8, 'd2');
  const u1 = tf.layers
    .conv2dTranspose({ filters: 4, kernelSize: 2, strides: 2, padding: 'same' })
    .apply(d2) as tf.SymbolicTensor;
  const c1 = tf.layers.concatenate({ axis: -1 }).apply([u1, e1]) as tf.SymbolicTensor;
  const d1 = block(c1, 4, 'd1');
  const head = tf.layers
    .conv2d({ filters: 2, kernelSize: 1, activation: 'sigmoid' })
    .apply(d1) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: head });
  // Random weights everywhere, BN statistics included (variance positive), so folding is exercised.
  model.setWeights(
    model.weights.map((w) => {
      const shape = w.shape as number[];
      const n = shape.reduce((a, b) => a * b, 1);
      const v = new Float32Array(n);
      const isVar = w.name.includes('moving_variance');
      for (let i = 0; i < n; i++) v[i] = isVar ? 0.5 + rng.next() : (rng.next() - 0.5) * 0.8;
      return tf.tensor(v, shape);
    }),
  );
  return model;
}

async function runOnnx(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
  const r = await session.run({ input: new ort.Tensor('float32', x, dims) });
  const out = r['output']?.data as Float32Array;
  await session.release();
  return out;
}

describe('exportTfjsToOnnx', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const foldBatchNorm of [true, false]) {
    it(`matches tfjs to < 1e-4 on a small U-Net (fold BN: ${foldBatchNorm})`, async () => {
      const model = smallUnet(7, true);
      const bytes = exportTfjsToOnnx(model, { foldBatchNorm });
      const [n, h, w] = [2, 24, 40];
      const rng = createRng(3);
      const x = Float32Array.from({ length: n * h * w }, () => rng.next());
      const expected = tf.tidy(
        () => (model.predict(tf.tensor4d(x, [n, h, w, 1])) as tf.Tensor).dataSync() as Float32Array,
      );
      const got = nchwToNhwc(
        await runOnnx(bytes, nhwcToNchw(x, n, 1, h * w), [n, 1, h, w]),
        n,
        2,
        h * w,
      );
      let maxDiff = 0;
      for (let i = 0; i < got.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs((got[i] ?? 0) - (expected[i] ?? 0)));
      expect(got.length).toBe(expected.length);
      expect(maxDiff).toBeLessThan(1e-4);
      model.dispose();
    });
  }

  it('records layout, source and config in metadata_props', () => {
    const model = smallUnet(1);
    const info = readOnnxModelInfo(exportTfjsToOnnx(model, { metadata: { extra: 'x' } }));
    expect(info.metadata['medscale.layout']).toBe('NCHW');
    expect(info.metadata['extra']).toBe('x');
    expect(info.opset).toBe(17);
    expect(info.inputs[0]?.shape).toEqual(['batch', 1, 'height', 'width']);
    expect(info.outputs[0]?.shape).toEqual(['batch', 2, 'out_height', 'out_width']);
    model.dispose();
  });

  it('names the layer it cannot export', () => {
    const input = tf.input({ shape: [8, 8, 1] });
    const out = tf.layers
      .conv2d({ name: 'ok', filters: 2, kernelSize: 3, padding: 'same' })
      .apply(input) as tf.SymbolicTensor;
    const flat = tf.layers.flatten({ name: 'flat_here' }).apply(out) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: flat });
    expect(() => exportTfjsToOnnx(model)).toThrow(PlatformError);
    expect(() => exportTfjsToOnnx(model)).toThrow(/flat_here.*Flatten/);
    model.dispose();
  });

  it('onnxruntime and the tfjs fallback give the same sliding-window result (< 1e-4)', async () => {
    const model = smallUnet(11);
    const config = {
      spatialDims: 2,
      patchSize: [32, 32],
      normalization: { method: 'zscore' },
      activation: 'none',
      decision: 'threshold',
      classes: ['lumen', 'wall'],
    };
    const onnxSeg = await OnnxSegmenter.open(
      exportTfjsToOnnx(model, { config: { ...config, version: 1 } as never }),
    );
    const tfjsSeg = OnnxSegmenter.fromTfjs(model, config);
    expect(tfjsSeg.engine).toBe('tfjs-cpu');
    const rng = createRng(5);
    const [rows, cols] = [70, 90];
    const image = Float32Array.from({ length: rows * cols }, () => rng.next() * 255);
    const a = await onnxSeg.segmentGrid(image, [1, rows, cols]);
    const b = await tfjsSeg.segmentGrid(image, [1, rows, cols]);
    let maxDiff = 0;
    for (let i = 0; i < a.scores.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs((a.scores[i] ?? 0) - (b.scores[i] ?? 0)));
    expect(a.tiles).toBe(b.tiles);
    expect(maxDiff).toBeLessThan(1e-4);
    let differ = 0;
    for (let i = 0; i < a.labels.length; i++) if (a.labels[i] !== b.labels[i]) differ++;
    expect(differ).toBeLessThanOrEqual(2); // only pixels within rounding of the 0.5 threshold
    await onnxSeg.dispose();
    model.dispose();
  });

  it('a medscale U-Net exported with its preprocessing labels images as predictLabelMaps does', async () => {
    const model = buildUnet({
      widths: [4, 8],
      inputSize: [32, 32],
      outputChannels: 2,
      bnMomentum: 0.9,
      seed: 3,
    });
    const preprocessing = {
      ...DEFAULT_PREPROCESSING,
      crop: { width: 48, height: 40 },
      inputSize: [32, 32] as const,
    };
    const config = medscaleUnetConfig(preprocessing);
    const segmenter = await OnnxSegmenter.open(exportTfjsToOnnx(model, { config }));
    const rng = createRng(21);
    const [width, height] = [60, 50];
    const image = Uint8Array.from({ length: width * height * 3 }, (_, i) => {
      const p = Math.floor(i / 3);
      const grey = 40 + ((p % width) * 3 + Math.floor(p / width) * 2) + Math.floor(rng.next() * 30);
      return p % 97 === 0 && i % 3 === 0 ? 255 : grey; // a few coloured overlay pixels
    });
    const [expected] = await predictLabelMaps({ model, preprocessing }, [
      { image, width, height, channels: 3 },
    ]);
    const got = await segmenter.segmentImage({
      columns: width,
      rows: height,
      samplesPerPixel: 3,
      data: image,
    });
    expect(expected).toBeDefined();
    expect(got.labels.length).toBe(width * height);
    let differ = 0;
    for (let i = 0; i < got.labels.length; i++) if (got.labels[i] !== expected?.[i]) differ++;
    expect(differ).toBeLessThanOrEqual(2);
    expect(new Set(got.labels).size).toBeGreaterThan(1);
    await segmenter.dispose();
    model.dispose();
  });
});

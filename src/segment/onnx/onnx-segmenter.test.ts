import { describe, expect, it } from 'vitest';
import { createVolume } from '../../core/index.js';
import type { Mat3 } from '../../core/index.js';
import { gaussianImportanceMap, tilePositions } from './kernels/sliding-window.js';
import { encodeOnnxModel } from './onnx-graph.js';
import type { OnnxNode } from './onnx-graph.js';
import { OnnxSegmenter } from './onnx-segmenter.js';
import { METADATA_KEYS } from './segment-model-config.js';

/** 2D model of 1×1 convolutions only (translation-equivariant): 1 → 3 (ReLU) → 2 channels. */
function pointwiseModel2d(): Uint8Array {
  return encodeOnnxModel({
    name: 'pointwise',
    inputs: [{ name: 'x', shape: ['n', 1, 'h', 'w'] }],
    outputs: [{ name: 'y', shape: ['n', 2, 'h', 'w'] }],
    initializers: [
      { name: 'w1', dims: [3, 1, 1, 1], data: new Float32Array([1.5, -2, 0.7]) },
      { name: 'b1', dims: [3], data: new Float32Array([0.1, 0.3, -0.2]) },
      { name: 'w2', dims: [2, 3, 1, 1], data: new Float32Array([1, -1, 0.5, -0.8, 0.6, 1.2]) },
      { name: 'b2', dims: [2], data: new Float32Array([0, -0.1]) },
    ],
    nodes: [
      {
        opType: 'Conv',
        inputs: ['x', 'w1', 'b1'],
        outputs: ['a'],
        attributes: { kernel_shape: { ints: [1, 1] } },
      },
      { opType: 'Relu', inputs: ['a'], outputs: ['r'] },
      {
        opType: 'Conv',
        inputs: ['r', 'w2', 'b2'],
        outputs: ['y'],
        attributes: { kernel_shape: { ints: [1, 1] } },
      },
    ],
  });
}

/**
 * A tiny "nnU-Net-like" 3D model with 3 classes: a 3×3×3 convolution (identity kernel, zero
 * padding), then a 1×1×1 convolution to class logits (0, 10·(x − 0.3), 20·(x − 0.65)) and a
 * softmax. Class by intensity: below 0.3 → 0, from 0.3 to 1 → 1, above 1 → 2.
 */
function threeClassModel3d(config?: object): Uint8Array {
  const k = new Float32Array(27);
  k[13] = 1;
  return encodeOnnxModel({
    name: 'tiny-3d',
    inputs: [{ name: 'image', shape: ['n', 1, 'd', 'h', 'w'] }],
    outputs: [{ name: 'probabilities', shape: ['n', 3, 'd', 'h', 'w'] }],
    initializers: [
      { name: 'k', dims: [1, 1, 3, 3, 3], data: k },
      { name: 'w', dims: [3, 1, 1, 1, 1], data: new Float32Array([0, 10, 20]) },
      { name: 'b', dims: [3], data: new Float32Array([0, -3, -13]) },
    ],
    nodes: [
      {
        opType: 'Conv',
        inputs: ['image', 'k'],
        outputs: ['f'],
        attributes: { kernel_shape: { ints: [3, 3, 3] }, pads: { ints: [1, 1, 1, 1, 1, 1] } },
      } satisfies OnnxNode,
      {
        opType: 'Conv',
        inputs: ['f', 'w', 'b'],
        outputs: ['logits'],
        attributes: { kernel_shape: { ints: [1, 1, 1] } },
      },
      {
        opType: 'Softmax',
        inputs: ['logits'],
        outputs: ['probabilities'],
        attributes: { axis: { int: 1 } },
      },
    ],
    ...(config === undefined
      ? {}
      : { metadata: { [METADATA_KEYS.config]: JSON.stringify(config) } }),
  });
}

const expectedClass = (x: number): number => (x < 0.3 ? 0 : x < 1 ? 1 : 2);

describe('sliding-window kernels', () => {
  it('Gaussian importance map: peak 1 at ⌊P/2⌋, exp(−½) at one σ = P/8, separable', () => {
    const g = gaussianImportanceMap([1, 32, 48]);
    expect(g.length).toBe(32 * 48);
    expect(g[16 * 48 + 24]).toBeCloseTo(1, 6);
    expect(g[(16 + 4) * 48 + 24]).toBeCloseTo(Math.exp(-0.5), 5); // σ_H = 4
    expect(g[16 * 48 + 24 + 6]).toBeCloseTo(Math.exp(-0.5), 5); // σ_W = 6
    expect(g[0]).toBeCloseTo(Math.exp(-0.5 * (16 / 4) ** 2 - 0.5 * (24 / 6) ** 2), 8);
    expect(Math.min(...g)).toBeGreaterThan(0);
  });

  it('tile positions cover the axis with ≥ the requested overlap', () => {
    expect(tilePositions(64, 64, 0.5)).toEqual([0]);
    expect(tilePositions(100, 32, 0.5)).toEqual([0, 14, 27, 41, 54, 68]);
    const p = tilePositions(517, 128, 0.5);
    expect(p[0]).toBe(0);
    expect(p[p.length - 1]).toBe(517 - 128);
    for (let i = 1; i < p.length; i++)
      expect((p[i] ?? 0) - (p[i - 1] ?? 0)).toBeLessThanOrEqual(64);
  });
});

describe('OnnxSegmenter', () => {
  it('sliding window over a larger image equals one pass of a translation-equivariant model', async () => {
    const [rows, columns] = [100, 75];
    const data = Float32Array.from(
      { length: rows * columns },
      (_, i) => Math.sin(i * 0.37) * 2 + ((i * 7) % 13) / 13,
    );
    const base = {
      spatialDims: 2,
      normalization: { method: 'zscore' },
      activation: 'sigmoid',
      classes: ['a', 'b'],
    };
    const model = pointwiseModel2d();
    const tiled = await OnnxSegmenter.open(model, { ...base, patchSize: [32, 32] });
    const single = await OnnxSegmenter.open(model, { ...base, patchSize: [rows, columns] });
    const a = await tiled.segmentGrid(data, [1, rows, columns]);
    const b = await single.segmentGrid(data, [1, rows, columns]);
    expect(a.tiles).toBe(6 * 4);
    expect(b.tiles).toBe(1);
    let maxDiff = 0;
    for (let i = 0; i < a.scores.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs((a.scores[i] ?? 0) - (b.scores[i] ?? 0)));
    expect(maxDiff).toBeLessThan(1e-5);
    expect(a.labels).toEqual(b.labels);
    // Patch larger than the image: centred padding, cropped back.
    const big = await OnnxSegmenter.open(model, { ...base, patchSize: [128, 96] });
    const c = await big.segmentGrid(data, [1, rows, columns]);
    expect(c.labels).toEqual(b.labels);
    await Promise.all([tiled.dispose(), single.dispose(), big.dispose()]);
  });

  it('3D softmax model: argmax labels match the analytic classes, with tiling, resampling and reorientation', async () => {
    const config = {
      spatialDims: 3,
      patchSize: [8, 8, 8],
      normalization: { method: 'none' },
      activation: 'none',
      decision: 'argmax',
      classes: ['background', 'lumen', 'wall'],
      orientation: 'LPS',
    };
    const segmenter = await OnnxSegmenter.open(threeClassModel3d(config));
    expect(segmenter.config.decision).toBe('argmax');
    const dims = [13, 11, 9] as const;
    const n = dims[0] * dims[1] * dims[2];
    // Piecewise-constant slabs along i so the 3×3×3 identity kernel and resampling keep values.
    const value = (i: number): number => [0.1, 0.6, 1.4][Math.floor(i / 5)] ?? 0;
    const data = Float32Array.from({ length: n }, (_, v) => value(v % dims[0]));
    // A flipped, permuted direction: i along −y, j along +x, k along −z.
    const direction: Mat3 = [0, -1, 0, 1, 0, 0, 0, 0, -1];
    const volume = createVolume({
      dimensions: dims,
      spacing: [0.8, 1, 2],
      origin: [0, 0, 0],
      direction,
      data,
    });
    const labels = await segmenter.segmentVolume(volume);
    expect(labels.dimensions).toEqual(dims);
    let wrong = 0;
    for (let v = 0; v < n; v++) if (labels.data[v] !== expectedClass(value(v % dims[0]))) wrong++;
    expect(wrong).toBe(0);
    expect(new Set(labels.data)).toEqual(new Set([0, 1, 2]));
    await segmenter.dispose();
  });

  it('resamples to the model spacing and back (nearest for labels)', async () => {
    const config = {
      spatialDims: 3,
      patchSize: [4, 8, 8],
      spacing: [1, 1, 1],
      normalization: { method: 'none' },
      activation: 'none',
      decision: 'argmax',
      classes: ['background', 'x', 'y'],
    };
    const segmenter = await OnnxSegmenter.open(threeClassModel3d(), config);
    const dims = [20, 6, 5] as const;
    const value = (i: number): number => (i < 10 ? 0.1 : 0.6);
    const data = Float32Array.from({ length: 600 }, (_, v) => value(v % 20));
    const r = await segmenter.segmentGrid(data, [dims[2], dims[1], dims[0]], [2, 1, 0.5]);
    expect(r.scoreDims).toEqual([10, 6, 10]);
    for (let v = 0; v < 600; v++) {
      const i = v % 20;
      if (i !== 9 && i !== 10) expect(r.labels[v]).toBe(expectedClass(value(i)));
    }
    await segmenter.dispose();
  });

  it('asks for --config when a third-party model has none', async () => {
    await expect(OnnxSegmenter.open(pointwiseModel2d())).rejects.toThrow(/--config/);
    await expect(
      OnnxSegmenter.open(pointwiseModel2d(), { patchSize: [8], classes: ['a'] }),
    ).rejects.toThrow(/patchSize/);
  });
});

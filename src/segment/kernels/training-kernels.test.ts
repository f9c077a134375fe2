import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerTrainingKernels } from './training-kernels.js';

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { x: [2, 7, 6, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' }, // channels-as-batch path
  { x: [1, 6, 6, 2], filter: [3, 3, 2, 3], stride: 1, pad: 'valid' },
  { x: [2, 8, 8, 3], filter: [2, 2, 3, 4], stride: 2, pad: 'same' }, // space-to-depth path
  { x: [1, 9, 7, 2], filter: [3, 3, 2, 5], stride: 2, pad: 'same' }, // im2col path
];

function values(shape: readonly number[], f: (i: number) => number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: n }, (_, i) => f(i)),
    [...shape],
  );
}

/** Gradients of conv2d, conv2dTranspose and batch normalization on the current backend. */
function gradients(c: Case): Float32Array[] {
  return tf.tidy(() => {
    const x = values(c.x, (i) => Math.sin(i * 0.37)) as tf.Tensor4D;
    const w = values(c.filter, (i) => Math.cos(i * 0.91)) as tf.Tensor4D;
    const out: Float32Array[] = [];
    const conv = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf
        .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad)
        .square()
        .sum(),
    );
    for (const g of conv([x, w])) out.push(g.dataSync() as Float32Array);
    if (c.pad === 'same') {
      const [b, h, wd, cin] = c.x;
      const wt = values([c.filter[0], c.filter[1], 4, cin], (i) =>
        Math.cos(i * 0.3),
      ) as tf.Tensor4D;
      const shape: [number, number, number, number] = [b, h * c.stride, wd * c.stride, 4];
      out.push(tf.conv2dTranspose(x, wt, shape, c.stride, 'same').dataSync() as Float32Array);
      const up = tf.grads((a: tf.Tensor, f: tf.Tensor) =>
        tf
          .conv2dTranspose(a as tf.Tensor4D, f as tf.Tensor4D, shape, c.stride, 'same')
          .square()
          .sum(),
      );
      for (const g of up([x, wt])) out.push(g.dataSync() as Float32Array);
    }
    // Batch normalization as tfjs-layers trains it: moments of the batch, then batchNorm.
    const cin = c.x[3];
    const gamma = values([cin], (i) => 1 + 0.1 * i);
    const beta = values([cin], (i) => 0.05 * i);
    const bn = tf.grads((a: tf.Tensor, g: tf.Tensor, be: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.batchNorm(a, mean, variance, be, g, 1e-3).mul(a).sum();
    });
    for (const g of bn([x, gamma, beta])) out.push(g.dataSync() as Float32Array);
    return out;
  });
}

describe('wasm training kernels', () => {
  const reference: Float32Array[][] = [];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    for (const c of CASES) reference.push(gradients(c));
    registerTrainingKernels('wasm');
    await tf.setBackend('wasm');
  });

  it('match the cpu backend for conv2d, conv2dTranspose and batch-norm gradients', () => {
    expect(tf.getBackend()).toBe('wasm');
    CASES.forEach((c, k) => {
      const got = gradients(c);
      const want = reference[k]!;
      expect(got.length).toBe(want.length);
      got.forEach((g, j) => {
        const r = want[j]!;
        expect(g.length).toBe(r.length);
        let worst = 0;
        for (let i = 0; i < g.length; i++)
          worst = Math.max(worst, Math.abs(g[i]! - r[i]!) / (1 + Math.abs(r[i]!)));
        expect(worst, `case ${k}, gradient ${j}`).toBeLessThan(1e-4);
      });
    });
  });

  it('leave no tensors behind', () => {
    const before = tf.memory().numTensors;
    gradients(CASES[0]!);
    expect(tf.memory().numTensors).toBe(before);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from './backend.js';
import {
  buildUnet,
  countParameters,
  DEFAULT_UNET,
  PAPER_UNET,
  unetConvFlops,
  validateUnetConfig,
} from './unet.js';

describe('buildUnet', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('builds the documented layers from standard tfjs layers, NHWC in, two sigmoid channels out', () => {
    const model = buildUnet({ ...DEFAULT_UNET, widths: [4, 8, 16], inputSize: [32, 32] });
    const names = model.layers.map((l) => l.name);
    expect(names[0]).toBe('input');
    expect(names).toEqual(
      expect.arrayContaining([
        'enc1_conv1',
        'enc1_bn1',
        'enc1_relu1',
        'enc1_conv2',
        'enc1_bn2',
        'enc1_relu2',
        'enc1_pool',
        'enc3_conv2',
        'enc3_relu2',
        'dec2_up',
        'dec2_concat',
        'dec2_conv3',
        'dec1_up',
        'dec1_concat',
        'dec1_conv1',
        'dec1_bn3',
        'dec1_relu3',
        'head',
      ]),
    );
    expect(names).not.toContain('enc3_pool');
    const classes = new Set(model.layers.map((l) => l.getClassName()));
    expect([...classes].sort()).toEqual(
      [
        'Activation',
        'BatchNormalization',
        'Concatenate',
        'Conv2D',
        'Conv2DTranspose',
        'InputLayer',
        'MaxPooling2D',
      ].sort(),
    );
    expect(model.inputs[0]!.shape).toEqual([null, 32, 32, 1]);
    expect(model.outputs[0]!.shape).toEqual([null, 32, 32, 2]);
    const head = model.getLayer('head').getConfig();
    expect(head['activation']).toBe('sigmoid');
    expect(model.getLayer('enc1_bn1').getConfig()['momentum']).toBe(0.9);
    expect(
      model
        .getLayer('dec1_up')
        .getWeights()
        .map((w) => w.shape),
    ).toEqual([[2, 2, 4, 8], [4]]);
    const y = tf.tidy(
      () => (model.predict(tf.ones([2, 32, 32, 1])) as tf.Tensor).arraySync() as number[][][][],
    );
    expect(y[0]![5]![5]![1]).toBeGreaterThan(0);
    expect(y[0]![5]![5]![1]).toBeLessThan(1);
    model.dispose();
  });

  it('is seeded: the same seed gives the same weights', () => {
    const cfg = { ...DEFAULT_UNET, widths: [4, 8], inputSize: [16, 16] as const };
    const a = buildUnet(cfg);
    const b = buildUnet(cfg);
    const c = buildUnet({ ...cfg, seed: 2 });
    const w = (m: tf.LayersModel) =>
      Array.from(m.getLayer('enc1_conv1').getWeights()[0]!.dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    for (const m of [a, b, c]) m.dispose();
  });

  it('counts parameters and convolution FLOPs analytically', () => {
    const cfg = { ...DEFAULT_UNET, widths: [2, 4], inputSize: [8, 8] as const };
    const model = buildUnet(cfg);
    // enc1: 9·1·2 + 9·2·2 (+ BN γβ 2·2·2); enc2: 9·2·4 + 9·4·4 (+ 2·2·4); up: 4·4·2 + 2;
    // dec1: 9·4·2 + 9·2·2 + 9·2·2 (+ 3·2·2); head: 2·2 + 2.
    expect(countParameters(model)).toBe(18 + 36 + 8 + 72 + 144 + 16 + 34 + 72 + 36 + 36 + 12 + 6);
    const px1 = 64;
    const px2 = 16;
    const flops =
      2 * px1 * 9 * (1 * 2 + 2 * 2) +
      2 * px2 * 9 * (2 * 4 + 4 * 4) +
      2 * px2 * 4 * 4 * 2 +
      2 * px1 * 9 * (4 * 2 + 2 * 2 + 2 * 2) +
      2 * px1 * 2 * 2;
    expect(unetConvFlops(cfg, 8, 8)).toBe(flops);
    expect(unetConvFlops(PAPER_UNET, 512, 512)).toBeGreaterThan(100e9);
    model.dispose();
  });

  it('rejects sizes the pooling cannot divide and bad widths', () => {
    expect(() => {
      validateUnetConfig({ ...DEFAULT_UNET, inputSize: [100, 128] });
    }).toThrow(/divisible by 8/);
    expect(() => {
      validateUnetConfig({ ...DEFAULT_UNET, widths: [8] });
    }).toThrow(/at least 2 levels/);
    expect(() => {
      validateUnetConfig({ ...DEFAULT_UNET, widths: [8, 0] });
    }).toThrow(/positive integers/);
  });
});

import { describe, expect, it } from 'vitest';
import { augmentSample, DEFAULT_AUGMENTATION } from './augment.js';
import type { AugmentationConfig } from './augment.js';
import {
  cropWindowFor,
  DEFAULT_PREPROCESSING,
  parsePreprocessing,
  preprocessImage,
  preprocessMask,
  restoreLabelMap,
} from './preprocessing.js';
import type { PreprocessingConfig } from './preprocessing.js';
import { createRng } from './random.js';
import { splitByPatient } from './split.js';
import { makeSyntheticVesselSamples } from './synthetic-vessels.js';

const PRE: PreprocessingConfig = {
  ...DEFAULT_PREPROCESSING,
  crop: { width: 64, height: 64 },
  normalization: { method: 'fixed', max: 255 },
  inputSize: [64, 64],
};

describe('preprocessing', () => {
  it('zeroes colour overlays, the border and pixels outside the region, then crops and normalizes', () => {
    const w = 80;
    const h = 70;
    const image = new Uint8Array(w * h * 3).fill(200);
    image.set([255, 0, 0], (10 * w + 40) * 3); // a red pixel inside the crop
    const config: PreprocessingConfig = {
      ...PRE,
      overlays: {
        maskColour: true,
        colourTolerance: 8,
        borderPx: 0,
        region: [
          [8, 3],
          [72, 3],
          [72, 40],
          [8, 40],
        ],
      },
    };
    const out = preprocessImage({ image, width: w, height: h, channels: 3 }, config);
    const win = cropWindowFor(config, w, h);
    expect(win).toEqual({ x: 8, y: 3, width: 64, height: 64 });
    const at = (x: number, y: number): number => out[(y - win.y) * 64 + (x - win.x)]!;
    expect(at(40, 10)).toBe(0); // colour pixel
    expect(at(41, 10)).toBeCloseTo(200 / 255, 6); // grey pixel kept
    expect(at(41, 50)).toBe(0); // outside the region polygon
    const bordered = preprocessImage(
      { image, width: w, height: h, channels: 3 },
      { ...PRE, overlays: { maskColour: false, colourTolerance: 0, borderPx: 12 } },
    );
    expect(bordered[0]).toBe(0); // image x 8 < 12: frame
    expect(bordered[10 * 64 + 20]).toBeGreaterThan(0);
    expect(() => preprocessImage({ image, width: w, height: h + 1 }, PRE)).toThrow(
      /1 or 3 channels/,
    );
  });

  it('maps percentiles to [0, 1] and resamples to the input size', () => {
    const w = 64;
    const image = new Float32Array(w * w).map((_, i) => 1 + (i % w)); // a ramp along x
    const out = preprocessImage(
      { image, width: w, height: w },
      { ...PRE, normalization: { method: 'percentile', low: 0, high: 100 }, inputSize: [32, 32] },
    );
    expect(out.length).toBe(32 * 32);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
    expect(Math.max(...out)).toBeGreaterThan(0.9);
  });

  it('restores a label map from lumen/wall probabilities into the original frame', () => {
    const [s] = makeSyntheticVesselSamples({
      patients: 1,
      imagesPerPatient: 1,
      width: 96,
      height: 64,
      spacingMm: 0.1,
      seed: 2,
    });
    const mask = preprocessMask(s!.mask, 96, 64, PRE);
    const probs = new Float32Array(64 * 64 * 2);
    mask.forEach((v, i) => {
      if (v === 1) probs[i * 2] = 0.9;
      if (v === 2) probs[i * 2 + 1] = 0.8;
    });
    const restored = restoreLabelMap(probs, 96, 64, PRE);
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 96; x++) {
        const want = x >= 16 && x < 80 ? s!.mask[y * 96 + x] : 0;
        expect(restored[y * 96 + x]).toBe(want);
      }
    }
  });

  it('round-trips preprocessing.json and names the bad field', () => {
    const withRegion: PreprocessingConfig = {
      ...DEFAULT_PREPROCESSING,
      crop: { x: 3, y: 4, width: 256, height: 200 },
      overlays: {
        ...DEFAULT_PREPROCESSING.overlays,
        region: [
          [0, 0],
          [10, 0],
          [5, 9],
        ],
      },
    };
    expect(parsePreprocessing(JSON.parse(JSON.stringify(withRegion)))).toEqual(withRegion);
    expect(() => parsePreprocessing({ ...withRegion, version: 2 })).toThrow(/version/);
    expect(() => parsePreprocessing({ ...withRegion, inputSize: [0, 3] })).toThrow(
      /inputSize\[0\]/,
    );
    expect(() =>
      parsePreprocessing({
        ...withRegion,
        normalization: { method: 'percentile', low: 50, high: 10 },
      }),
    ).toThrow(/normalization/);
  });
});

describe('augmentation', () => {
  const w = 48;
  const h = 40;
  const image = new Float32Array(w * h).map((_, i) => ((i * 7) % 13) / 13);
  const labels = new Uint8Array(w * h).map((_, i) => (i % w < 10 ? 1 : i % w < 14 ? 2 : 0));

  it('is deterministic for a seed and keeps labels and intensities valid', () => {
    const a = augmentSample(image, labels, w, h, DEFAULT_AUGMENTATION, createRng(5));
    const b = augmentSample(image, labels, w, h, DEFAULT_AUGMENTATION, createRng(5));
    const c = augmentSample(image, labels, w, h, DEFAULT_AUGMENTATION, createRng(6));
    expect(a.image).toEqual(b.image);
    expect(a.labels).toEqual(b.labels);
    expect(a.image).not.toEqual(c.image);
    expect(a.labels.every((v) => v <= 2)).toBe(true);
    expect(a.image.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('is the identity with every transform off, and a horizontal flip mirrors exactly', () => {
    const off: AugmentationConfig = {
      flipHorizontal: false,
      flipVertical: false,
      rotationDeg: 0,
      scale: [1, 1],
      brightness: 0,
      contrast: [1, 1],
      gamma: [1, 1],
      speckle: 0,
      elasticPx: 0,
      elasticGrid: 4,
    };
    const same = augmentSample(image, labels, w, h, off, createRng(1));
    expect(same.labels).toEqual(labels);
    same.image.forEach((v, i) => {
      expect(v).toBeCloseTo(image[i]!, 5);
    });
    // Find a seed whose first draw flips, then check the mirror.
    const seed = [1, 2, 3, 4, 5, 6].find((s) => createRng(s).next() < 0.5)!;
    const flipped = augmentSample(
      image,
      labels,
      w,
      h,
      { ...off, flipHorizontal: true },
      createRng(seed),
    );
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        expect(flipped.labels[y * w + x]).toBe(labels[y * w + (w - 1 - x)]);
  });
});

describe('splitByPatient', () => {
  it('splits patients 8:1:1 without ever putting one patient in two sets', () => {
    const ids = Array.from({ length: 60 }, (_, i) => `P${i % 20}`); // 20 patients, 3 images each
    const split = splitByPatient(ids, [8, 1, 1], 3);
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([16, 2, 2]);
    const all = [...split.train, ...split.validation, ...split.test];
    expect(new Set(all).size).toBe(20);
    expect(all.length).toBe(20);
    expect(splitByPatient(ids, [8, 1, 1], 3)).toEqual(split);
    expect(splitByPatient(ids, [8, 1, 1], 4)).not.toEqual(split);
    const small = splitByPatient(['a', 'b', 'c', 'a'], [8, 1, 1], 1);
    expect([small.train.length, small.validation.length, small.test.length]).toEqual([1, 1, 1]);
    expect(() => splitByPatient(['a', 'b'])).toThrow(/at least 3 patients/);
  });
});

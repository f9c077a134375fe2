import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSegmentation, formatEvaluationTable } from './evaluate.js';
import { DEFAULT_PREPROCESSING } from './preprocessing.js';
import type { PreprocessingConfig } from './preprocessing.js';
import { makeSyntheticVesselSamples } from './synthetic-vessels.js';
import { trainUnet } from './train-unet.js';
import type { TrainUnetOptions, TrainUnetResult } from './train-unet.js';

const PRE: PreprocessingConfig = {
  ...DEFAULT_PREPROCESSING,
  crop: { width: 64, height: 64 },
  inputSize: [32, 32],
};

const samples = makeSyntheticVesselSamples({
  patients: 10,
  imagesPerPatient: 2,
  width: 80,
  height: 64,
  spacingMm: 0.2,
  seed: 3,
});

describe('trainUnet pipeline (tiny model, few steps)', () => {
  let root: string;
  let straight: TrainUnetResult;
  const base = (outDir: string): TrainUnetOptions => ({
    outDir,
    widths: [4, 8],
    preprocessing: PRE,
    batchSize: 4,
    stepsPerEpoch: 4,
    learningRate: 3e-3,
    seed: 5,
  });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-unet-'));
    // Three epochs straight through, in the worker thread.
    const progress: string[] = [];
    straight = await trainUnet(samples, {
      ...base(join(root, 'a')),
      maxEpochs: 3,
      onProgress: (p) => progress.push(p.phase),
    });
    expect(progress.filter((p) => p === 'train').length).toBe(12);
    expect(progress.filter((p) => p === 'checkpoint').length).toBe(3);
  }, 60_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lowers the loss, splits by patient and writes model, checkpoint and curves', async () => {
    const losses = straight.history.map((h) => h.train.loss);
    expect(losses[2]).toBeLessThan(losses[0]!);
    expect(straight.history[2]!.validation!.loss).toBeLessThan(
      straight.history[0]!.validation!.loss,
    );
    expect(straight.epochs).toBe(3);
    expect(straight.stoppedBy).toBe('max-epochs');
    const { train, validation, test } = straight.split;
    expect([train.length, validation.length, test.length]).toEqual([8, 1, 1]);
    expect(new Set([...train, ...validation, ...test]).size).toBe(10);
    const state = JSON.parse(
      await readFile(join(straight.checkpointDir, 'state.json'), 'utf8'),
    ) as {
      epoch: number;
      rng: number[];
    };
    expect(state.epoch).toBe(3);
    expect(state.rng).toHaveLength(4);
    expect((await readFile(join(straight.checkpointDir, 'optimizer.bin'))).length).toBeGreaterThan(
      0,
    );
    const pre = JSON.parse(
      await readFile(join(straight.modelDir, 'preprocessing.json'), 'utf8'),
    ) as unknown;
    expect(pre).toEqual(PRE);
    expect(await readFile(straight.curvesSvg, 'utf8')).toMatch(
      /^<svg[\s\S]*polyline[\s\S]*<\/svg>\n$/,
    );
    const curves = JSON.parse(await readFile(straight.curvesJson, 'utf8')) as unknown[];
    expect(curves).toHaveLength(3);
  });

  it('resumes from a checkpoint to exactly the uninterrupted run (seeded and reproducible)', async () => {
    const out = join(root, 'b');
    const first = await trainUnet(samples, { ...base(out), maxEpochs: 2, worker: false });
    expect(first.epochs).toBe(2);
    const resumed = await trainUnet(samples, {
      ...base(out),
      maxEpochs: 3,
      resume: true,
      worker: false,
    });
    expect(resumed.epochs).toBe(3);
    expect(resumed.history).toHaveLength(3);
    resumed.history.forEach((h, i) => {
      const s = straight.history[i]!;
      expect(h.train.loss).toBeCloseTo(s.train.loss, 5);
      expect(h.validation!.loss).toBeCloseTo(s.validation!.loss, 5);
    });
    await expect(
      trainUnet(samples, {
        ...base(out),
        widths: [4, 4],
        maxEpochs: 4,
        resume: true,
        worker: false,
      }),
    ).rejects.toThrow(/another architecture/);
  }, 30_000);

  it('evaluates the model on the test patients', async () => {
    const test = new Set(straight.split.test);
    const testSamples = samples.filter((s) => test.has(s.patientId));
    const evaluation = await evaluateSegmentation(straight.modelDir, testSamples);
    expect(evaluation.images).toHaveLength(2);
    for (const image of evaluation.images) {
      expect(test.has(image.patientId)).toBe(true);
      expect(image.truthPixelsOutsideCrop).toBeGreaterThan(0); // 80-pixel-wide images, 64² crop
      for (const s of ['lumen', 'wall'] as const) {
        const m = image.metrics[s];
        expect(m.dice).toBeGreaterThanOrEqual(0);
        expect(m.dice).toBeLessThanOrEqual(1);
        expect(m.tp + m.fn).toBeGreaterThan(0); // the structure is in every synthetic image
      }
    }
    expect(evaluation.aggregate.lumen.dice.n).toBe(2);
    const table = formatEvaluationTable(evaluation);
    expect(table).toMatch(/^Structure\s+Precision\s+Recall\s+F1\s+Dice\s+IoU\s+HD95 \(mm\)/);
    expect(table).toMatch(/\nlumen\s+\d\.\d{3} ± \d\.\d{3}/);
  });
});

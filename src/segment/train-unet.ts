import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PlatformError, deserializeError, errorMessage } from '../core/index.js';
import type { SerializedError } from '../core/index.js';
import { augmentSample, DEFAULT_AUGMENTATION } from './augment.js';
import type { AugmentationConfig } from './augment.js';
import { initTfBackend } from './backend.js';
import type { TfBackendChoice } from './backend.js';
import {
  fileModelHandler,
  loadModelFromDir,
  loadNamedTensors,
  replaceDirAtomically,
  saveNamedTensors,
} from './checkpoint.js';
import { scoresFromCounts, trainingCurvesSvg } from './curves.js';
import type { EpochRecord, PhaseScores } from './curves.js';
import { confusionCounts, segmentationLoss } from './losses.js';
import { DEFAULT_PREPROCESSING, preprocessImage, preprocessMask } from './preprocessing.js';
import type { PreprocessingConfig, SegmentationSample } from './preprocessing.js';
import { createRng, shuffleInPlace } from './random.js';
import type { RngState } from './random.js';
import { splitByPatient } from './split.js';
import type { PatientSplit } from './split.js';
import { buildUnet, DEFAULT_UNET } from './unet.js';
import type { UnetConfig } from './unet.js';

/** Options of {@link trainUnet}. */
export interface TrainUnetOptions {
  /** Output folder: `model/` (best), `checkpoint/` (latest), curves, split. */
  readonly outDir: string;
  /** Channels per level (default 8, 16, 32, 64). */
  readonly widths?: readonly number[];
  /** Preprocessing; its `inputSize` is the model's input size. */
  readonly preprocessing?: PreprocessingConfig;
  /** Augmentation, or `null` for none. */
  readonly augmentation?: AugmentationConfig | null;
  /** Most epochs (default 100). */
  readonly maxEpochs?: number;
  /** Images per optimizer step (default 4). */
  readonly batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  readonly learningRate?: number;
  /** Stop after this many epochs without a better validation loss (default 10). */
  readonly patience?: number;
  /** Wall-clock budget in minutes: training stops at the end of the step that exceeds it. */
  readonly minutes?: number;
  /** Optimizer steps per epoch (default: one pass over the training images). */
  readonly stepsPerEpoch?: number;
  /** Seed of weights, split, shuffling and augmentation (default 1). */
  readonly seed?: number;
  /** Train:validation:test patient ratio (default 8:1:1). */
  readonly splitRatio?: readonly [number, number, number];
  /** Continue from `outDir/checkpoint` when it exists. */
  readonly resume?: boolean;
  /** tfjs backend (default `auto`: tfjs-node when installed, else wasm). */
  readonly backend?: TfBackendChoice;
  /** Run in a worker thread (default true; wasm is single-threaded and would block). */
  readonly worker?: boolean;
  /** Progress, after every step and phase. */
  readonly onProgress?: (progress: TrainProgress) => void;
}

/** A progress report of training. */
export interface TrainProgress {
  readonly phase: 'train' | 'validate' | 'checkpoint';
  /** 1-based epoch. */
  readonly epoch: number;
  readonly maxEpochs: number;
  /** Steps done in this epoch. */
  readonly step: number;
  readonly stepsPerEpoch: number;
  /** Loss of the last step. */
  readonly loss: number;
  /** Seconds since training (this run) started. */
  readonly elapsedS: number;
}

/** What {@link trainUnet} returns. */
export interface TrainUnetResult {
  /** Folder of the best model (lowest validation loss): model.json, weights.bin, preprocessing.json, unet.json. */
  readonly modelDir: string;
  /** Folder of the latest checkpoint. */
  readonly checkpointDir: string;
  /** Training curves as JSON and SVG. */
  readonly curvesJson: string;
  readonly curvesSvg: string;
  /** Epochs completed (including those of resumed runs). */
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly bestValidationLoss: number;
  /** Why training ended. */
  readonly stoppedBy: 'max-epochs' | 'early-stopping' | 'time';
  readonly history: readonly EpochRecord[];
  readonly split: PatientSplit;
  /** The tfjs backend that trained. */
  readonly backend: string;
  /** Mean seconds per optimizer step in this run. */
  readonly secondsPerStep: number;
  /** Model architecture. */
  readonly unet: UnetConfig;
}

/** The serializable part of the options (what crosses into the worker). */
export type TrainUnetJob = Omit<TrainUnetOptions, 'onProgress' | 'worker'>;

interface TrainState {
  readonly version: 1;
  readonly epoch: number;
  readonly rng: RngState;
  /** `null` in JSON until a first validation (JSON has no infinity). */
  readonly bestValidationLoss: number | null;
  readonly bestEpoch: number;
  readonly epochsWithoutImprovement: number;
  readonly history: readonly EpochRecord[];
  readonly unet: UnetConfig;
  readonly split: PatientSplit;
}

interface Prepared {
  readonly images: Float32Array[];
  readonly labels: Uint8Array[];
}

function prepare(samples: readonly SegmentationSample[], pre: PreprocessingConfig): Prepared {
  return {
    images: samples.map((s) => preprocessImage(s, pre)),
    labels: samples.map((s) => preprocessMask(s.mask, s.width, s.height, pre)),
  };
}

/** `[n, H, W, 1]` images and `[n, H, W, 2]` lumen/wall targets of a batch. */
function batchTensors(
  images: readonly Float32Array[],
  labels: readonly Uint8Array[],
  h: number,
  w: number,
): { x: tf.Tensor4D; y: tf.Tensor4D } {
  const n = images.length;
  const px = h * w;
  const xs = new Float32Array(n * px);
  const ys = new Float32Array(n * px * 2);
  for (let b = 0; b < n; b++) {
    xs.set(images[b] ?? new Float32Array(px), b * px);
    const lab = labels[b];
    if (lab === undefined) continue;
    for (let i = 0; i < px; i++) {
      const v = lab[i];
      if (v === 1) ys[(b * px + i) * 2] = 1;
      else if (v === 2) ys[(b * px + i) * 2 + 1] = 1;
    }
  }
  return { x: tf.tensor4d(xs, [n, h, w, 1]), y: tf.tensor4d(ys, [n, h, w, 2]) };
}

function addCounts(
  acc: number[][],
  counts: Float32Array | Int32Array | Uint8Array,
  c: number,
): void {
  for (let k = 0; k < c; k++) {
    const row = acc[k] ?? [0, 0, 0];
    row[0] = (row[0] ?? 0) + (counts[k] ?? 0);
    row[1] = (row[1] ?? 0) + (counts[c + k] ?? 0);
    row[2] = (row[2] ?? 0) + (counts[2 * c + k] ?? 0);
    acc[k] = row;
  }
}

async function validate(
  model: tf.LayersModel,
  data: Prepared,
  h: number,
  w: number,
  batchSize: number,
): Promise<PhaseScores | null> {
  if (data.images.length === 0) return null;
  const acc: number[][] = [];
  let lossSum = 0;
  for (let i = 0; i < data.images.length; i += batchSize) {
    const { x, y } = batchTensors(
      data.images.slice(i, i + batchSize),
      data.labels.slice(i, i + batchSize),
      h,
      w,
    );
    const [loss, counts] = tf.tidy(() => {
      const p = model.predict(x) as tf.Tensor4D;
      return [segmentationLoss(y, p), confusionCounts(y, p)];
    });
    lossSum += ((await loss.data())[0] ?? Number.NaN) * x.shape[0];
    addCounts(acc, await counts.data(), 2);
    tf.dispose([x, y, loss, counts]);
  }
  return scoresFromCounts(lossSum / data.images.length, acc as [number, number, number][]);
}

async function saveModelDir(
  dir: string,
  model: tf.LayersModel,
  unet: UnetConfig,
  pre: PreprocessingConfig,
): Promise<void> {
  await replaceDirAtomically(dir, async (tmp) => {
    await model.save(fileModelHandler(tmp));
    await writeFile(join(tmp, 'preprocessing.json'), `${JSON.stringify(pre, null, 2)}\n`);
    await writeFile(join(tmp, 'unet.json'), `${JSON.stringify(unet, null, 2)}\n`);
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Trains the U-Net in the calling thread (see {@link trainUnet}, which normally runs this in a
 * worker thread).
 */
export async function trainUnetInThread(
  samples: readonly SegmentationSample[],
  options: TrainUnetOptions,
): Promise<TrainUnetResult> {
  const started = performance.now();
  const backend = await initTfBackend(options.backend ?? 'auto');
  const pre = options.preprocessing ?? DEFAULT_PREPROCESSING;
  const seed = options.seed ?? 1;
  const unet: UnetConfig = {
    ...DEFAULT_UNET,
    widths: options.widths ?? DEFAULT_UNET.widths,
    inputSize: pre.inputSize,
    seed,
  };
  const [h, w] = pre.inputSize;
  const batchSize = options.batchSize ?? 4;
  const maxEpochs = options.maxEpochs ?? 100;
  const patience = options.patience ?? 10;
  const augmentation =
    options.augmentation === undefined ? DEFAULT_AUGMENTATION : options.augmentation;
  const split = splitByPatient(
    samples.map((s) => s.patientId),
    options.splitRatio ?? [8, 1, 1],
    seed,
  );
  const inSet = (ids: readonly string[]) => {
    const set = new Set(ids);
    return samples.filter((s) => set.has(s.patientId));
  };
  const train = prepare(inSet(split.train), pre);
  const val = prepare(inSet(split.validation), pre);
  if (train.images.length === 0)
    throw new PlatformError('ERR_SEGMENT_TRAIN', 'no training images after the patient split');
  const stepsPerEpoch = options.stepsPerEpoch ?? Math.ceil(train.images.length / batchSize);
  const modelDir = join(options.outDir, 'model');
  const checkpointDir = join(options.outDir, 'checkpoint');
  await mkdir(options.outDir, { recursive: true });

  const model = buildUnet(unet);
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  let rng = createRng(seed);
  let epoch = 0;
  let bestValidationLoss = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let sinceBest = 0;
  let history: EpochRecord[] = [];
  if (options.resume === true) {
    let state: TrainState | undefined;
    try {
      state = JSON.parse(await readFile(join(checkpointDir, 'state.json'), 'utf8')) as TrainState;
    } catch {
      state = undefined; // nothing to resume: start fresh
    }
    if (state !== undefined) {
      if (!sameJson(state.unet, unet) || !sameJson(state.split, split)) {
        throw new PlatformError(
          'ERR_SEGMENT_TRAIN',
          `the checkpoint in ${checkpointDir} was trained with another architecture, seed or data split; use a new --out folder or the same settings`,
        );
      }
      const saved = await loadModelFromDir(checkpointDir);
      model.setWeights(saved.getWeights());
      saved.dispose();
      await optimizer.setWeights(await loadNamedTensors(checkpointDir, 'optimizer'));
      rng = createRng(state.rng);
      epoch = state.epoch;
      bestValidationLoss = state.bestValidationLoss ?? Number.POSITIVE_INFINITY;
      bestEpoch = state.bestEpoch;
      sinceBest = state.epochsWithoutImprovement;
      history = [...state.history];
    }
  }
  await writeFile(join(options.outDir, 'split.json'), `${JSON.stringify(split, null, 2)}\n`);
  const variables = model.trainableWeights.map((w) => {
    const v = w.read();
    if (!(v instanceof tf.Variable))
      throw new PlatformError('ERR_INTERNAL', `weight ${w.name} is not a tf.Variable`);
    return v;
  });
  const report = (p: Omit<TrainProgress, 'elapsedS' | 'maxEpochs' | 'stepsPerEpoch'>): void =>
    options.onProgress?.({
      ...p,
      maxEpochs,
      stepsPerEpoch,
      elapsedS: (performance.now() - started) / 1000,
    });
  const budgetMs =
    options.minutes === undefined ? Number.POSITIVE_INFINITY : options.minutes * 60_000;
  let stoppedBy: TrainUnetResult['stoppedBy'] = 'max-epochs';
  let totalSteps = 0;
  let stepMs = 0;
  const order: number[] = [];
  while (epoch < maxEpochs) {
    const epochStart = performance.now();
    const acc: number[][] = [];
    let lossSum = 0;
    let steps = 0;
    let outOfTime = false;
    for (let s = 0; s < stepsPerEpoch; s++) {
      if (performance.now() - started > budgetMs) {
        outOfTime = true;
        break;
      }
      const imgs: Float32Array[] = [];
      const labs: Uint8Array[] = [];
      for (let b = 0; b < batchSize; b++) {
        if (order.length === 0) order.push(...shuffleInPlace([...train.images.keys()], rng));
        const k = order.pop() ?? 0;
        const img = train.images[k] ?? new Float32Array(h * w);
        const lab = train.labels[k] ?? new Uint8Array(h * w);
        if (augmentation === null) {
          imgs.push(img);
          labs.push(lab);
        } else {
          const a = augmentSample(img, lab, w, h, augmentation, rng);
          imgs.push(a.image);
          labs.push(a.labels);
        }
      }
      const t0 = performance.now();
      const { x, y } = batchTensors(imgs, labs, h, w);
      let counts: tf.Tensor | undefined;
      const loss = optimizer.minimize(
        () => {
          const p = model.apply(x, { training: true }) as tf.Tensor4D;
          counts = tf.keep(confusionCounts(y, p));
          return segmentationLoss(y, p);
        },
        true,
        variables,
      );
      if (loss === null || counts === undefined)
        throw new PlatformError('ERR_INTERNAL', 'the optimizer returned no loss');
      const lossValue = (await loss.data())[0] ?? Number.NaN;
      addCounts(acc, await counts.data(), 2);
      tf.dispose([x, y, loss, counts]);
      stepMs += performance.now() - t0;
      totalSteps++;
      if (!Number.isFinite(lossValue))
        throw new PlatformError(
          'ERR_SEGMENT_TRAIN',
          `the loss became ${lossValue} at epoch ${epoch + 1}: lower the learning rate`,
        );
      lossSum += lossValue;
      steps++;
      report({ phase: 'train', epoch: epoch + 1, step: steps, loss: lossValue });
    }
    if (steps === 0) {
      stoppedBy = 'time';
      break;
    }
    epoch++;
    report({ phase: 'validate', epoch, step: steps, loss: lossSum / steps });
    const trainScores = scoresFromCounts(lossSum / steps, acc as [number, number, number][]);
    const valScores = await validate(model, val, h, w, batchSize);
    history.push({
      epoch,
      train: trainScores,
      validation: valScores,
      steps,
      seconds: (performance.now() - epochStart) / 1000,
    });
    const monitored = valScores?.loss ?? trainScores.loss;
    report({ phase: 'checkpoint', epoch, step: steps, loss: monitored });
    if (monitored < bestValidationLoss - 1e-4) {
      bestValidationLoss = monitored;
      bestEpoch = epoch;
      sinceBest = 0;
      await saveModelDir(modelDir, model, unet, pre);
    } else {
      sinceBest++;
    }
    const state: TrainState = {
      version: 1,
      epoch,
      rng: rng.state(),
      bestValidationLoss,
      bestEpoch,
      epochsWithoutImprovement: sinceBest,
      history,
      unet,
      split,
    };
    // The RNG state saved is the one the next epoch starts from; the shuffle queue must then be
    // empty, so epochs always start a fresh permutation.
    order.length = 0;
    const optimizerWeights = await optimizer.getWeights();
    await replaceDirAtomically(checkpointDir, async (tmp) => {
      await model.save(fileModelHandler(tmp));
      await saveNamedTensors(tmp, 'optimizer', optimizerWeights);
      await writeFile(join(tmp, 'state.json'), `${JSON.stringify(state)}\n`);
      await writeFile(join(tmp, 'preprocessing.json'), `${JSON.stringify(pre, null, 2)}\n`);
      await writeFile(join(tmp, 'unet.json'), `${JSON.stringify(unet, null, 2)}\n`);
    });
    await writeCurves(options.outDir, history);
    if (outOfTime) {
      stoppedBy = 'time';
      break;
    }
    if (sinceBest >= patience) {
      stoppedBy = 'early-stopping';
      break;
    }
  }
  model.dispose();
  optimizer.dispose();
  await writeCurves(options.outDir, history);
  return {
    modelDir,
    checkpointDir,
    curvesJson: join(options.outDir, 'curves.json'),
    curvesSvg: join(options.outDir, 'curves.svg'),
    epochs: epoch,
    bestEpoch,
    bestValidationLoss,
    stoppedBy,
    history,
    split,
    backend,
    secondsPerStep: totalSteps === 0 ? Number.NaN : stepMs / totalSteps / 1000,
    unet,
  };
}

async function writeCurves(outDir: string, history: readonly EpochRecord[]): Promise<void> {
  await writeFile(join(outDir, 'curves.json'), `${JSON.stringify(history, null, 2)}\n`);
  await writeFile(join(outDir, 'curves.svg'), trainingCurvesSvg(history));
}

/** Messages from the training worker. */
export type TrainWorkerReply =
  | { readonly progress: TrainProgress }
  | { readonly ok: true; readonly value: TrainUnetResult }
  | { readonly ok: false; readonly error: SerializedError };

/**
 * Trains the customized U-Net on annotated images: patient-level 8:1:1 split, seeded
 * augmentation, Adam on BCE + soft Dice, validation every epoch, the best model and the latest
 * checkpoint (weights, optimizer state, epoch, RNG state) saved atomically, early stopping on
 * the validation loss, a wall-clock budget, resume, and training curves as JSON and SVG.
 * Runs in a worker thread by default (tfjs wasm is single-threaded); the same seed and data give
 * the same model.
 *
 * @param samples - annotated images; masks 0 background, 1 lumen, 2 wall.
 * @param options - see {@link TrainUnetOptions}.
 */
export async function trainUnet(
  samples: readonly SegmentationSample[],
  options: TrainUnetOptions,
): Promise<TrainUnetResult> {
  const { onProgress, worker: inWorker, ...job } = options;
  if (inWorker === false) return trainUnetInThread(samples, options);
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './train-worker.ts' : './train-worker.js', import.meta.url);
  const bootstrap = new URL('../../scripts/ts-worker-bootstrap.mjs', import.meta.url);
  const worker = fromSource
    ? new Worker(bootstrap, { workerData: { entry: entry.href } })
    : new Worker(entry);
  return new Promise<TrainUnetResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (reply: TrainWorkerReply) => {
      if ('progress' in reply) {
        onProgress?.(reply.progress);
        return;
      }
      settled = true;
      void worker.terminate();
      if (reply.ok) resolve(reply.value);
      else reject(deserializeError(reply.error));
    });
    worker.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(
        new PlatformError(
          'ERR_SEGMENT_TRAIN',
          `the training worker failed: ${errorMessage(error)}`,
        ),
      );
    });
    worker.on('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(
        new PlatformError('ERR_SEGMENT_TRAIN', `the training worker exited with code ${code}`),
      );
    });
    worker.postMessage({ samples, job } satisfies TrainWorkerRequest);
  });
}

/** The message that starts the training worker. */
export interface TrainWorkerRequest {
  readonly samples: readonly SegmentationSample[];
  readonly job: TrainUnetJob;
}

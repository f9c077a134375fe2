import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PlatformError, errorMessage } from '../../core/index.js';
import type * as SegmentModule from '../../segment/index.js';
import type {
  PatientSplit,
  PreprocessingConfig,
  SegmentationSample,
  TfBackendChoice,
} from '../../segment/index.js';
import { parsePositiveInt } from '../global-options.js';
import { printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { registerSegmentPredict } from './segment-predict.js';
import { loadSegmentationDataset } from '../../datasets/index.js';

/** Parses a comma list of positive integers (`8,16,32,64`). */
export function parseWidths(value: string): number[] {
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (parts.length < 2 || parts.some((n) => !Number.isInteger(n) || n <= 0))
    throw new InvalidArgumentError(
      `expected at least two positive integers like 8,16,32,64, got "${value}"`,
    );
  return parts;
}

/** Parses `N` or `WxH`, optionally `+X+Y` (a crop window's position). */
export function parseWindow(value: string): {
  width: number;
  height: number;
  x?: number;
  y?: number;
} {
  const m = /^(\d+)(?:x(\d+))?(?:\+(-?\d+)\+(-?\d+))?$/.exec(value.trim());
  if (m === null)
    throw new InvalidArgumentError(`expected N, WxH or WxH+X+Y in pixels, got "${value}"`);
  const width = Number(m[1]);
  const height = m[2] === undefined ? width : Number(m[2]);
  if (width <= 0 || height <= 0)
    throw new InvalidArgumentError(`sizes must be positive, got "${value}"`);
  return {
    width,
    height,
    ...(m[3] === undefined ? {} : { x: Number(m[3]), y: Number(m[4]) }),
  };
}

function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

function parseBackend(value: string): TfBackendChoice {
  if (value !== 'auto' && value !== 'wasm' && value !== 'cpu' && value !== 'tensorflow')
    throw new InvalidArgumentError(`expected auto, wasm, cpu or tensorflow, got "${value}"`);
  return value;
}

interface DataFlags {
  images?: string;
  synthetic?: number;
  imagesPerPatient: number;
  imageSize: { width: number; height: number };
  dataSeed: number;
}

function withData(command: Command): Command {
  return command
    .option(
      '--images <dir>',
      'image/mask pairs with a patient key: a folder written by `medscale synth carotid-us` (its ground-truth.json pairs them), or PNG/NIfTI/DICOM/DICOM SEG files named <patient>_<index>_image|mask',
    )
    .option(
      '--synthetic <patients>',
      'use simple synthetic carotid-like images with exact masks instead of --images',
      parsePositiveInt,
    )
    .option('--images-per-patient <n>', 'synthetic images per patient', parsePositiveInt, 4)
    .option('--image-size <WxH>', 'synthetic image size in pixels', parseWindow, {
      width: 320,
      height: 256,
    })
    .option('--data-seed <n>', 'seed of the synthetic images', parsePositiveInt, 7);
}

type SegmentStage = typeof SegmentModule;

/**
 * The segment stage, loaded on first use: it pulls in tfjs, whose import takes seconds, and
 * every other command would pay for it.
 */
async function segmentStage(): Promise<SegmentStage> {
  return import('../../segment/index.js');
}

async function loadSamples(flags: DataFlags): Promise<SegmentationSample[]> {
  if (flags.images !== undefined) {
    const dataset = await loadSegmentationDataset(flags.images, { frames: 'first' });
    if (dataset.samples.length === 0)
      throw new PlatformError(
        'ERR_SEGMENT_INPUT',
        `no image/mask pairs in ${flags.images}${dataset.problems.length > 0 ? `: ${dataset.problems.length} problem(s), first: ${JSON.stringify(dataset.problems[0])}` : ''}`,
      );
    return dataset.samples.map((s) => ({
      patientId: s.patientId,
      image: s.image.data as Float32Array | Uint8Array,
      width: s.image.columns,
      height: s.image.rows,
      channels: s.image.samplesPerPixel,
      mask: s.mask.data,
      // The dataset gives [column, row] spacing; the segment stage takes [row, column].
      pixelSpacing: [s.pixelSpacing?.[1] ?? 0.1, s.pixelSpacing?.[0] ?? 0.1],
    }));
  }
  if (flags.synthetic === undefined)
    throw new PlatformError(
      'ERR_USAGE',
      'no training data: give --images <dir> (image/mask pairs) or --synthetic <patients>',
    );
  const { makeSyntheticVesselSamples } = await segmentStage();
  return makeSyntheticVesselSamples({
    patients: flags.synthetic,
    imagesPerPatient: flags.imagesPerPatient,
    width: flags.imageSize.width,
    height: flags.imageSize.height,
    spacingMm: 0.1,
    seed: flags.dataSeed,
  });
}

interface TrainFlags extends DataFlags {
  out: string;
  widths: number[];
  inputSize: { width: number; height: number };
  crop?: { width: number; height: number; x?: number; y?: number };
  epochs: number;
  minutes?: number;
  batchSize: number;
  lr: number;
  patience: number;
  seed: number;
  resume?: boolean;
  augment: boolean;
  backend: TfBackendChoice;
  worker: boolean;
  json?: boolean;
}

/** `medscale segment train|eval|predict`: the customized U-Net for carotid lumen and wall. */
export function registerSegment(program: Command): void {
  const segment = program
    .command('segment')
    .description('U-Net segmentation of lumen and wall: train, evaluate, predict (ONNX)');
  registerSegmentPredict(segment);

  withData(
    segment
      .command('train')
      .description(
        'train the U-Net (patient split 8:1:1, augmentation, early stopping, checkpoints, curves) in a worker thread',
      )
      .requiredOption(
        '--out <dir>',
        'output folder: model/, checkpoint/, curves.json, curves.svg, split.json',
      )
      .option(
        '--widths <list>',
        'channels per level, shallow to deep',
        parseWidths,
        [8, 16, 32, 64],
      )
      .option('--input-size <N|WxH>', 'model input size in pixels', parseWindow, {
        width: 128,
        height: 128,
      })
      .option(
        '--crop <N|WxH[+X+Y]>',
        'static crop window (default: centred, at most 512×512)',
        parseWindow,
      )
      .option('--epochs <n>', 'most epochs', parsePositiveInt, 100)
      .option('--minutes <m>', 'wall-clock budget in minutes', parsePositiveNumber)
      .option('--batch-size <n>', 'images per step', parsePositiveInt, 4)
      .option('--lr <rate>', 'Adam learning rate', parsePositiveNumber, 1e-3)
      .option(
        '--patience <n>',
        'early stopping: epochs without a better validation loss',
        parsePositiveInt,
        10,
      )
      .option(
        '--seed <n>',
        'seed of weights, split, shuffling and augmentation',
        parsePositiveInt,
        1,
      )
      .option('--resume', 'continue from <out>/checkpoint')
      .option('--no-augment', 'train without data augmentation')
      .option(
        '--backend <name>',
        'auto (tfjs-node when installed, else wasm), wasm, cpu, tensorflow',
        parseBackend,
        'auto',
      )
      .option('--no-worker', 'train in the main thread')
      .option('--json', 'print the result as JSON'),
  ).action(async (flags: TrainFlags) => {
    const samples = await loadSamples(flags);
    const { DEFAULT_PREPROCESSING, trainUnet } = await segmentStage();
    const first = samples[0];
    const crop = flags.crop ?? {
      width: Math.min(512, first?.width ?? 512),
      height: Math.min(512, first?.height ?? 512),
    };
    const preprocessing: PreprocessingConfig = {
      ...DEFAULT_PREPROCESSING,
      crop,
      inputSize: [flags.inputSize.height, flags.inputSize.width],
    };
    const progress = createProgress('segment train', flags.json === true);
    try {
      const result = await trainUnet(samples, {
        outDir: flags.out,
        widths: flags.widths,
        preprocessing,
        ...(flags.augment ? {} : { augmentation: null }),
        maxEpochs: flags.epochs,
        ...(flags.minutes === undefined ? {} : { minutes: flags.minutes }),
        batchSize: flags.batchSize,
        learningRate: flags.lr,
        patience: flags.patience,
        seed: flags.seed,
        resume: flags.resume === true,
        backend: flags.backend,
        worker: flags.worker,
        onProgress: (p) => {
          progress.update(
            (p.epoch - 1) * p.stepsPerEpoch + p.step,
            p.maxEpochs * p.stepsPerEpoch,
            `epoch ${p.epoch}/${p.maxEpochs} ${p.phase} loss ${p.loss.toFixed(4)}`,
          );
        },
      });
      progress.stop();
      if (flags.json === true) {
        printJson(result);
        return;
      }
      const last = result.history[result.history.length - 1];
      process.stdout.write(
        [
          `trained ${result.epochs} epoch(s) on ${result.backend} (${result.stoppedBy}), ${(result.secondsPerStep * 1000).toFixed(0)} ms/step`,
          `best epoch ${result.bestEpoch}: validation loss ${result.bestValidationLoss.toFixed(4)}`,
          last?.validation === null || last === undefined
            ? ''
            : `last epoch validation F1: lumen ${last.validation.f1ByStructure.lumen.toFixed(3)}, wall ${last.validation.f1ByStructure.wall.toFixed(3)}`,
          `patients: ${result.split.train.length} train, ${result.split.validation.length} validation, ${result.split.test.length} test`,
          `model: ${result.modelDir}`,
          `curves: ${result.curvesSvg}`,
        ]
          .filter((l) => l !== '')
          .join('\n') + '\n',
      );
    } finally {
      progress.stop();
    }
  });

  withData(
    segment
      .command('eval')
      .description(
        'evaluate a trained model: precision, recall, F1, Dice, IoU, HD95 (mm) per image and mean ± SD per structure',
      )
      .requiredOption('--model <dir>', 'model folder written by segment train (<out>/model)')
      .option(
        '--split <file>',
        "evaluate only the test patients of this split.json (training's <out>/split.json)",
      )
      .option('--report <file>', 'also write the full evaluation (per image) as JSON')
      .option('--backend <name>', 'auto, wasm, cpu, tensorflow', parseBackend, 'auto')
      .option('--json', 'print the evaluation as JSON'),
  ).action(
    async (
      flags: DataFlags & {
        model: string;
        split?: string;
        report?: string;
        backend: TfBackendChoice;
        json?: boolean;
      },
    ) => {
      let samples = await loadSamples(flags);
      const { evaluateSegmentation, formatEvaluationTable } = await segmentStage();
      if (flags.split !== undefined) {
        let split: PatientSplit;
        try {
          split = JSON.parse(await readFile(flags.split, 'utf8')) as PatientSplit;
        } catch (error) {
          throw new PlatformError(
            'ERR_IO',
            `cannot read the split ${flags.split}: ${errorMessage(error)}`,
          );
        }
        const test = new Set(split.test);
        samples = samples.filter((s) => test.has(s.patientId));
        if (samples.length === 0)
          throw new PlatformError(
            'ERR_SEGMENT_INPUT',
            `no images of the test patients in ${flags.split}`,
          );
      }
      const evaluation = await evaluateSegmentation(flags.model, samples, {
        backend: flags.backend,
      });
      if (flags.report !== undefined)
        await writeFile(flags.report, `${JSON.stringify(evaluation, null, 2)}\n`);
      if (flags.json === true) printJson(evaluation);
      else process.stdout.write(formatEvaluationTable(evaluation));
    },
  );
}

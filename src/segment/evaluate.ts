import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PlatformError, errorMessage } from '../core/index.js';
import { initTfBackend } from './backend.js';
import type { TfBackendChoice } from './backend.js';
import { loadModelFromDir } from './checkpoint.js';
import { meanSd, STRUCTURES, structureMetrics } from './metrics.js';
import type { BinaryMetrics, MeanSd, Structure, StructureMetrics } from './metrics.js';
import { cropLabels } from './kernels/image-ops.js';
import {
  cropWindowFor,
  parsePreprocessing,
  preprocessImage,
  restoreLabelMap,
} from './preprocessing.js';
import type { PreprocessingConfig, SegmentationSample } from './preprocessing.js';

/** A trained model with the preprocessing it was trained with. */
export interface LoadedSegmentationModel {
  readonly model: tf.LayersModel;
  readonly preprocessing: PreprocessingConfig;
}

/**
 * Loads a model folder written by `trainUnet` (`model.json`, `weights.bin`,
 * `preprocessing.json`), starting the tfjs backend first.
 */
export async function loadSegmentationModel(
  dir: string,
  backend: TfBackendChoice = 'auto',
): Promise<LoadedSegmentationModel> {
  await initTfBackend(backend);
  let pre: unknown;
  try {
    pre = JSON.parse(await readFile(join(dir, 'preprocessing.json'), 'utf8'));
  } catch (error) {
    throw new PlatformError(
      'ERR_SEGMENT_MODEL',
      `cannot read ${join(dir, 'preprocessing.json')} (${errorMessage(error)}): give a model folder written by medscale segment train`,
    );
  }
  return { model: await loadModelFromDir(dir), preprocessing: parsePreprocessing(pre) };
}

/**
 * Segments images: preprocessing, the network in inference mode (batches of `batchSize`), and
 * label maps (0 background, 1 lumen, 2 wall) in each original image's frame.
 */
export async function predictLabelMaps(
  loaded: LoadedSegmentationModel,
  images: readonly Pick<SegmentationSample, 'image' | 'width' | 'height' | 'channels'>[],
  batchSize = 4,
): Promise<Uint8Array[]> {
  const [h, w] = loaded.preprocessing.inputSize;
  const out: Uint8Array[] = [];
  for (let i = 0; i < images.length; i += batchSize) {
    const batch = images.slice(i, i + batchSize);
    const xs = new Float32Array(batch.length * h * w);
    batch.forEach((s, b) => {
      xs.set(preprocessImage(s, loaded.preprocessing), b * h * w);
    });
    const x = tf.tensor4d(xs, [batch.length, h, w, 1]);
    const p = loaded.model.predict(x) as tf.Tensor4D;
    const probs = (await p.data()) as Float32Array;
    tf.dispose([x, p]);
    const c = p.shape[3];
    if (c !== 2)
      throw new PlatformError(
        'ERR_SEGMENT_MODEL',
        `the model has ${c} output channels, expected 2 (lumen, wall)`,
      );
    batch.forEach((s, b) => {
      out.push(
        restoreLabelMap(
          probs.subarray(b * h * w * 2, (b + 1) * h * w * 2),
          s.width,
          s.height,
          loaded.preprocessing,
        ),
      );
    });
  }
  return out;
}

/** Metrics of one image. */
export interface ImageEvaluation {
  readonly index: number;
  readonly patientId: string;
  /** Metrics inside the crop window, at the image's own resolution and spacing. */
  readonly metrics: StructureMetrics;
  /**
   * Annotated (lumen or wall) pixels outside the crop window: not scored, as the network never
   * sees them; non-zero means the crop cuts the annotated vessel.
   */
  readonly truthPixelsOutsideCrop: number;
}

/** Mean ± SD of every metric of one structure over the images. */
export type AggregateMetrics = Readonly<
  Record<'precision' | 'recall' | 'f1' | 'dice' | 'iou' | 'hd95Mm', MeanSd>
>;

/** The result of {@link evaluateSegmentation}. */
export interface SegmentationEvaluation {
  readonly images: readonly ImageEvaluation[];
  readonly aggregate: Readonly<Record<Structure, AggregateMetrics>>;
}

/** Aggregates per-image metrics into mean ± SD per structure. */
export function aggregateEvaluations(
  images: readonly ImageEvaluation[],
): Readonly<Record<Structure, AggregateMetrics>> {
  const agg = (s: Structure): AggregateMetrics => {
    const pick = (k: keyof BinaryMetrics): MeanSd => meanSd(images.map((e) => e.metrics[s][k]));
    return {
      precision: pick('precision'),
      recall: pick('recall'),
      f1: pick('f1'),
      dice: pick('dice'),
      iou: pick('iou'),
      hd95Mm: pick('hd95Mm'),
    };
  };
  return { lumen: agg('lumen'), wall: agg('wall') };
}

/**
 * Evaluates a segmentation model on annotated images: precision, recall, F1, Dice, IoU and HD95
 * (mm) of lumen and wall per image, in the original image frame and pixel spacing, and their
 * mean ± SD (as the study's Table 1).
 *
 * @param model - a model folder, or a loaded model.
 * @param samples - annotated images (usually the test patients).
 */
export async function evaluateSegmentation(
  model: string | LoadedSegmentationModel,
  samples: readonly SegmentationSample[],
  options: { readonly backend?: TfBackendChoice; readonly batchSize?: number } = {},
): Promise<SegmentationEvaluation> {
  const loaded =
    typeof model === 'string' ? await loadSegmentationModel(model, options.backend) : model;
  try {
    const maps = await predictLabelMaps(loaded, samples, options.batchSize ?? 4);
    const images = samples.map((s, index): ImageEvaluation => {
      const win = cropWindowFor(loaded.preprocessing, s.width, s.height);
      const crop = (m: Uint8Array): Uint8Array =>
        cropLabels(m, s.width, s.height, win.x, win.y, win.width, win.height);
      const truth = crop(s.mask);
      let inside = 0;
      let all = 0;
      for (const v of truth) if (v !== 0) inside++;
      for (const v of s.mask) if (v !== 0) all++;
      return {
        index,
        patientId: s.patientId,
        metrics: structureMetrics(
          crop(maps[index] ?? new Uint8Array(s.width * s.height)),
          truth,
          win.width,
          win.height,
          s.pixelSpacing,
        ),
        truthPixelsOutsideCrop: all - inside,
      };
    });
    return { images, aggregate: aggregateEvaluations(images) };
  } finally {
    if (typeof model === 'string') loaded.model.dispose();
  }
}

/**
 * Formats the aggregate metrics as a text table like the study's Table 1: one row per
 * structure, mean ± SD per metric (HD95 in mm).
 */
export function formatEvaluationTable(evaluation: SegmentationEvaluation): string {
  const cols = ['Structure', 'Precision', 'Recall', 'F1', 'Dice', 'IoU', 'HD95 (mm)', 'n'];
  const f = (m: MeanSd, digits: number): string =>
    m.n === 0 ? '-' : `${m.mean.toFixed(digits)} ± ${m.sd.toFixed(digits)}`;
  const rows = STRUCTURES.map((s) => {
    const a = evaluation.aggregate[s];
    return [
      s,
      f(a.precision, 3),
      f(a.recall, 3),
      f(a.f1, 3),
      f(a.dice, 3),
      f(a.iou, 3),
      f(a.hd95Mm, 2),
      String(evaluation.images.length),
    ];
  });
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

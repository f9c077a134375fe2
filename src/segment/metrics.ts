import { PlatformError } from '../core/index.js';
import { maskBoundary, squaredDistanceTransform } from './kernels/distance-transform.js';

/** Overlap and boundary metrics of one binary structure in one image. */
export interface BinaryMetrics {
  /** TP / (TP + FP); 1 when nothing was predicted and nothing is there. */
  readonly precision: number;
  /** TP / (TP + FN) (sensitivity); 1 when the structure is absent and not predicted. */
  readonly recall: number;
  /** 2·P·R / (P + R); equal to Dice for binary masks, reported as the study does. */
  readonly f1: number;
  /** Dice similarity coefficient 2|A∩B| / (|A| + |B|). */
  readonly dice: number;
  /** Intersection over union (Jaccard index) |A∩B| / |A∪B|. */
  readonly iou: number;
  /**
   * 95th percentile of the pooled boundary-to-boundary distances in both directions (mm), as
   * MedPy's `hd95`; `null` when exactly one of the two masks is empty, 0 when both are.
   */
  readonly hd95Mm: number | null;
  /** True positive pixels. */
  readonly tp: number;
  /** False positive pixels. */
  readonly fp: number;
  /** False negative pixels. */
  readonly fn: number;
}

/** The structures the U-Net segments; label values in masks are 1 (lumen) and 2 (wall). */
export const STRUCTURES = ['lumen', 'wall'] as const;
/** A segmented structure. */
export type Structure = (typeof STRUCTURES)[number];

/** Metrics of every structure in one image. */
export type StructureMetrics = Readonly<Record<Structure, BinaryMetrics>>;

/** Row and column pixel spacing in mm. */
export type PixelSpacing = readonly [number, number];

/** Linear-interpolated percentile (NumPy's default) of `values`, `p` in [0, 100]. */
export function percentile(values: Float64Array | readonly number[], p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (pos - lo);
}

/**
 * 95th percentile symmetric Hausdorff distance between the boundaries of two binary masks (mm):
 * every boundary pixel of each mask contributes its distance to the nearest boundary pixel of the
 * other, and the 95th percentile of the pooled distances is returned (Huttenlocher et al. 1993;
 * percentile form as MedPy's `hd95`).
 */
export function hausdorff95(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
  spacing: PixelSpacing,
): number | null {
  const ba = maskBoundary(a, width, height);
  const bb = maskBoundary(b, width, height);
  let na = 0;
  let nb = 0;
  for (let i = 0; i < ba.length; i++) {
    na += ba[i] ?? 0;
    nb += bb[i] ?? 0;
  }
  if (na === 0 && nb === 0) return 0;
  if (na === 0 || nb === 0) return null;
  const [dy, dx] = spacing;
  const toB = squaredDistanceTransform(bb, width, height, dy, dx);
  const toA = squaredDistanceTransform(ba, width, height, dy, dx);
  const d = new Float64Array(na + nb);
  let k = 0;
  for (let i = 0; i < ba.length; i++) {
    if (ba[i] !== 0) d[k++] = Math.sqrt(toB[i] ?? 0);
    if (bb[i] !== 0) d[k++] = Math.sqrt(toA[i] ?? 0);
  }
  return percentile(d, 95);
}

/**
 * Precision, recall, F1, Dice, IoU and HD95 of a predicted binary mask against the truth
 * (both `height`×`width`, row-major, non-zero = inside).
 */
export function binaryMetrics(
  predicted: Uint8Array,
  truth: Uint8Array,
  width: number,
  height: number,
  spacing: PixelSpacing,
): BinaryMetrics {
  if (predicted.length !== width * height || truth.length !== width * height) {
    throw new PlatformError(
      'ERR_SEGMENT_INPUT',
      `masks must have ${width}×${height} pixels, got ${predicted.length} and ${truth.length}`,
    );
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i] !== 0;
    const t = truth[i] !== 0;
    if (p && t) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  const precision = tp + fp === 0 ? (fn === 0 ? 1 : 0) : tp / (tp + fp);
  const recall = tp + fn === 0 ? (fp === 0 ? 1 : 0) : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const denom = 2 * tp + fp + fn;
  const dice = denom === 0 ? 1 : (2 * tp) / denom;
  const iou = tp + fp + fn === 0 ? 1 : tp / (tp + fp + fn);
  const hd95Mm = hausdorff95(predicted, truth, width, height, spacing);
  return { precision, recall, f1, dice, iou, hd95Mm, tp, fp, fn };
}

/** The binary mask of one label value in a label map. */
export function labelMask(labels: Uint8Array, value: number): Uint8Array {
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = labels[i] === value ? 1 : 0;
  return out;
}

/**
 * Metrics of lumen (label 1) and wall (label 2) of a predicted label map against the truth.
 */
export function structureMetrics(
  predicted: Uint8Array,
  truth: Uint8Array,
  width: number,
  height: number,
  spacing: PixelSpacing,
): StructureMetrics {
  return {
    lumen: binaryMetrics(labelMask(predicted, 1), labelMask(truth, 1), width, height, spacing),
    wall: binaryMetrics(labelMask(predicted, 2), labelMask(truth, 2), width, height, spacing),
  };
}

/** Mean and sample standard deviation of the finite values in a list. */
export interface MeanSd {
  readonly mean: number;
  /** Sample SD (n − 1); 0 for a single value. */
  readonly sd: number;
  /** Values that entered (finite, non-null). */
  readonly n: number;
}

/** Mean ± SD of the finite, non-null values; `NaN` mean when there are none. */
export function meanSd(values: readonly (number | null)[]): MeanSd {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length === 0) return { mean: Number.NaN, sd: Number.NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const ss = v.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, sd: v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0, n: v.length };
}

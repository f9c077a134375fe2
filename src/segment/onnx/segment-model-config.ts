import { PlatformError } from '../../core/index.js';
import { parsePreprocessing } from '../preprocessing.js';
import type { PreprocessingConfig } from '../preprocessing.js';

/** `metadata_props` keys medscale writes into and reads from ONNX models. */
export const METADATA_KEYS = {
  /** {@link SegmentModelConfig} as JSON. */
  config: 'medscale.config',
  /** `NCHW` (channels first) or `NHWC`. */
  layout: 'medscale.layout',
  /** What the model was exported from. */
  source: 'medscale.source',
} as const;

/** Intensity normalization applied before the network (nnU-Net's schemes and medscale's). */
export type IntensityNormalization =
  | { readonly method: 'none' }
  | {
      /**
       * (x − mean) / std. Absent mean/std: the image's own (nnU-Net "ZScoreNormalization", MR);
       * with `clip`: clipped first, as nnU-Net's "CTNormalization" does with the dataset's
       * 0.5/99.5 percentiles and fixed mean/std.
       */
      readonly method: 'zscore';
      readonly mean?: number;
      readonly std?: number;
      readonly clip?: readonly [number, number];
    }
  | {
      /** Clip to the `low`–`high` percentiles of the image, then map to 0–1. */
      readonly method: 'percentile';
      readonly low: number;
      readonly high: number;
    }
  | {
      /** Clip to the fixed range `min`–`max`, then map to 0–1. */
      readonly method: 'fixed';
      readonly min: number;
      readonly max: number;
    };

/**
 * How to run a segmentation network: stored as `metadata_props["medscale.config"]` in models
 * medscale exports and given as `--config preprocessing.json` for other models.
 *
 * Axis order: the network sees a 2D image as rows × columns `[H, W]` and a volume as the C-order
 * array of `Volume.data`, `[k, j, i]` = `[D, H, W]` (the order SimpleITK's `GetArrayFromImage`
 * gives nnU-Net), after the reorientation `orientation` asks for. `patchSize` and `spacing`
 * follow that order.
 */
export interface SegmentModelConfig {
  /** Format version of this object. */
  readonly version: 1;
  /** Tensor layout of the model: channels first (`NCHW`/`NCDHW`, PyTorch, medscale exports) or last. */
  readonly layout: 'NCHW' | 'NHWC';
  /** 2 for image models (volumes run slice by slice), 3 for volume models. */
  readonly spatialDims: 2 | 3;
  /** Input channels; grey images fill 1, RGB images are converted to grey first. */
  readonly inputChannels: 1;
  /** Patch (tile) size in voxels, model axis order (`[H, W]` or `[D, H, W]`). */
  readonly patchSize: readonly number[];
  /** Voxel spacing the model was trained at, in mm, model axis order; absent: no resampling. */
  readonly spacing?: readonly number[];
  readonly normalization: IntensityNormalization;
  /** Applied by medscale to the (Gaussian-averaged) outputs; `none` when the graph ends in it. */
  readonly activation: 'sigmoid' | 'softmax' | 'none';
  /**
   * `argmax`: label = channel of the highest score (channel 0 is background, nnU-Net).
   * `threshold`: label = 1 + channel of the highest probability if it exceeds `threshold`,
   * else 0 (one sigmoid per structure, medscale's lumen/wall U-Net).
   */
  readonly decision: 'argmax' | 'threshold';
  /** Probability threshold of the `threshold` decision. */
  readonly threshold: number;
  /** Names of the output channels, in order (`argmax`: index 0 names the background). */
  readonly classes: readonly string[];
  /** Tile overlap fraction of the sliding window, in [0, 1) (nnU-Net: 0.5). */
  readonly overlap: number;
  /** Gaussian importance weighting of tiles (σ = patch/8; Isensee et al. 2021, nnU-Net). */
  readonly gaussian: boolean;
  /** Reorient volumes before the network: `native` (as stored), or axes nearest to LPS or RAS. */
  readonly orientation: 'native' | 'LPS' | 'RAS';
  /**
   * medscale's ultrasound preprocessing (crop, overlay masking, normalization, resampling to its
   * `inputSize`), used instead of the generic steps for models trained by `medscale segment train`.
   */
  readonly ultrasound?: PreprocessingConfig;
}

/** The labels a configuration produces: label value → name (background 0 excluded). */
export function segmentLabels(config: SegmentModelConfig): { value: number; name: string }[] {
  return config.decision === 'argmax'
    ? config.classes.slice(1).map((name, i) => ({ value: i + 1, name }))
    : config.classes.map((name, i) => ({ value: i + 1, name }));
}

/**
 * Configuration for a U-Net trained by medscale (two sigmoid channels lumen/wall ending the
 * graph) with its ultrasound preprocessing.
 */
export function medscaleUnetConfig(
  preprocessing: PreprocessingConfig,
  outputChannels = 2,
): SegmentModelConfig {
  return {
    version: 1,
    layout: 'NCHW',
    spatialDims: 2,
    inputChannels: 1,
    patchSize: [...preprocessing.inputSize],
    normalization: { method: 'none' },
    activation: 'none',
    decision: 'threshold',
    threshold: 0.5,
    classes:
      outputChannels === 2
        ? ['lumen', 'wall']
        : Array.from({ length: outputChannels }, (_, i) => `class${i + 1}`),
    overlap: 0.5,
    gaussian: true,
    orientation: 'native',
    ultrasound: preprocessing,
  };
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads and checks a model configuration (JSON object); fills defaults (layout NCHW, overlap
 * 0.5, Gaussian on, threshold 0.5, orientation native, activation none, decision argmax for
 * softmax and threshold otherwise). Throws `ERR_SEGMENT_MODEL` naming the bad field.
 */
export function parseSegmentModelConfig(value: unknown): SegmentModelConfig {
  const bad = (field: string, want: string): never => {
    throw new PlatformError('ERR_SEGMENT_MODEL', `model config: ${field} must be ${want}`);
  };
  if (!isObj(value)) return bad('the config', 'a JSON object');
  if (value['version'] !== undefined && value['version'] !== 1) bad('version', '1');
  const oneOf = <T extends string>(field: string, allowed: readonly T[], dflt: T): T => {
    const v = value[field] ?? dflt;
    return allowed.includes(v as T) ? (v as T) : bad(field, allowed.join(' or '));
  };
  const nums = (field: string, v: unknown, n: number, positive: boolean): number[] =>
    Array.isArray(v) &&
    v.length === n &&
    v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0))
      ? (v as number[])
      : bad(field, `${n} ${positive ? 'positive ' : ''}numbers`);
  const ultrasound =
    value['ultrasound'] === undefined ? undefined : parsePreprocessing(value['ultrasound']);
  const spatialDims = value['spatialDims'] ?? 2;
  if (spatialDims !== 2 && spatialDims !== 3) bad('spatialDims', '2 or 3');
  const dims = spatialDims as 2 | 3;
  const patchSize = nums('patchSize', value['patchSize'] ?? ultrasound?.inputSize, dims, true);
  if (!patchSize.every(Number.isInteger)) bad('patchSize', 'integers');
  const spacing =
    value['spacing'] === undefined ? undefined : nums('spacing', value['spacing'], dims, true);
  const n = value['normalization'] ?? { method: 'none' };
  if (!isObj(n)) return bad('normalization', 'an object');
  let normalization: IntensityNormalization;
  switch (n['method']) {
    case 'none':
      normalization = { method: 'none' };
      break;
    case 'zscore': {
      const num = (f: string): number | undefined =>
        n[f] === undefined
          ? undefined
          : typeof n[f] === 'number'
            ? n[f]
            : bad(`normalization.${f}`, 'a number');
      const mean = num('mean');
      const std = num('std');
      if (std !== undefined && std <= 0) bad('normalization.std', 'positive');
      const clip =
        n['clip'] === undefined
          ? undefined
          : (nums('normalization.clip', n['clip'], 2, false) as [number, number]);
      normalization = {
        method: 'zscore',
        ...(mean === undefined ? {} : { mean }),
        ...(std === undefined ? {} : { std }),
        ...(clip === undefined ? {} : { clip }),
      };
      break;
    }
    case 'percentile': {
      const [low, high] = nums('normalization low/high', [n['low'], n['high']], 2, false);
      if (!(low !== undefined && high !== undefined && low >= 0 && high <= 100 && low < high))
        bad('normalization low/high', 'percentiles with 0 ≤ low < high ≤ 100');
      normalization = { method: 'percentile', low: low ?? 0, high: high ?? 100 };
      break;
    }
    case 'fixed': {
      const [min, max] = nums('normalization min/max', [n['min'], n['max']], 2, false);
      if (!(min !== undefined && max !== undefined && min < max))
        bad('normalization min/max', 'min < max');
      normalization = { method: 'fixed', min: min ?? 0, max: max ?? 1 };
      break;
    }
    default:
      return bad('normalization.method', 'none, zscore, percentile or fixed');
  }
  const activation = oneOf('activation', ['sigmoid', 'softmax', 'none'] as const, 'none');
  const decision = oneOf(
    'decision',
    ['argmax', 'threshold'] as const,
    activation === 'softmax' ? 'argmax' : 'threshold',
  );
  const threshold = value['threshold'] ?? 0.5;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1))
    bad('threshold', 'a number in [0, 1]');
  const classes = value['classes'];
  if (
    !Array.isArray(classes) ||
    classes.length === 0 ||
    !classes.every((c) => typeof c === 'string')
  )
    bad('classes', 'a non-empty list of output channel names');
  const overlap = value['overlap'] ?? 0.5;
  if (typeof overlap !== 'number' || !(overlap >= 0 && overlap < 1))
    bad('overlap', 'a number in [0, 1)');
  const gaussian = value['gaussian'] ?? true;
  if (typeof gaussian !== 'boolean') bad('gaussian', 'true or false');
  if ((value['inputChannels'] ?? 1) !== 1)
    bad('inputChannels', '1 (multi-channel inputs are not supported yet)');
  return {
    version: 1,
    layout: oneOf('layout', ['NCHW', 'NHWC'] as const, 'NCHW'),
    spatialDims: dims,
    inputChannels: 1,
    patchSize,
    ...(spacing === undefined ? {} : { spacing }),
    normalization,
    activation,
    decision,
    threshold: threshold as number,
    classes: classes as string[],
    overlap: overlap as number,
    gaussian: gaussian as boolean,
    orientation: oneOf('orientation', ['native', 'LPS', 'RAS'] as const, 'native'),
    ...(ultrasound === undefined ? {} : { ultrasound }),
  };
}

import { PlatformError } from '../core/index.js';
import {
  cropFloat,
  cropLabels,
  polygonMask,
  resizeBilinear,
  resizeNearest,
  toGreyMaskingColour,
} from './kernels/image-ops.js';
import type { PixelSpacing } from './metrics.js';

/**
 * One annotated image: the dataset interface of training and evaluation. Masks label each pixel
 * 0 (background), 1 (lumen) or 2 (wall).
 */
export interface SegmentationSample {
  /** Pseudonymous patient id; splits never put one patient in two sets. */
  readonly patientId: string;
  /** Pixels, row-major, `channels` interleaved values each (grey or RGB). */
  readonly image: Float32Array | Uint8Array;
  /** Image width in pixels. */
  readonly width: number;
  /** Image height in pixels. */
  readonly height: number;
  /** 1 (grey) or 3 (RGB); inferred from the array length when absent. */
  readonly channels?: 1 | 3;
  /** Label map, `height`×`width`: 0 background, 1 lumen, 2 wall. */
  readonly mask: Uint8Array;
  /** Row and column spacing in mm. */
  readonly pixelSpacing: PixelSpacing;
}

/** A static crop window in image pixels; `x`/`y` absent: centred. */
export interface CropWindow {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
}

/** How overlays are removed before the network sees an image. */
export interface OverlayMasking {
  /** Zero pixels whose colour channels differ (colour bars, Doppler boxes, coloured text). */
  readonly maskColour: boolean;
  /** Channel difference (in image units) still counted as grey. */
  readonly colourTolerance: number;
  /** Zero a frame of this many pixels along every image edge (frames, rulers). */
  readonly borderPx: number;
  /**
   * The ultrasound sector or region as a polygon of (x, y) image pixels; pixels outside are
   * zeroed (tables, logos, text outside the sector). Absent: the whole image.
   */
  readonly region?: readonly (readonly [number, number])[];
}

/** Intensity normalization to about [0, 1]. */
export type Normalization =
  | {
      /** Map the `low`–`high` percentiles of the unmasked pixels to 0–1, clamping. */
      readonly method: 'percentile';
      readonly low: number;
      readonly high: number;
    }
  | {
      /** Divide by a fixed maximum (255 for 8-bit images), clamping to 0–1. */
      readonly method: 'fixed';
      readonly max: number;
    };

/**
 * Preprocessing of images for the U-Net, stored as `preprocessing.json` beside a trained model
 * so inference (tfjs or ONNX) repeats it exactly.
 */
export interface PreprocessingConfig {
  /** Format version of this object. */
  readonly version: 1;
  /** Static crop placed so the arterial tree lies inside (default 512×512, centred). */
  readonly crop: CropWindow;
  /** Overlay removal. */
  readonly overlays: OverlayMasking;
  /** Intensity normalization. */
  readonly normalization: Normalization;
  /** Model input height and width (the crop is resampled to it). */
  readonly inputSize: readonly [number, number];
}

/** Default preprocessing: centred 512×512 crop, colour overlays masked, 1–99th percentile, 128². */
export const DEFAULT_PREPROCESSING: PreprocessingConfig = {
  version: 1,
  crop: { width: 512, height: 512 },
  overlays: { maskColour: true, colourTolerance: 8, borderPx: 0 },
  normalization: { method: 'percentile', low: 1, high: 99 },
  inputSize: [128, 128],
};

/** The crop window of a `width`×`height` image in pixels (centred when x/y are absent). */
export function cropWindowFor(
  config: PreprocessingConfig,
  width: number,
  height: number,
): { x: number; y: number; width: number; height: number } {
  const c = config.crop;
  return {
    x: c.x ?? Math.floor((width - c.width) / 2),
    y: c.y ?? Math.floor((height - c.height) / 2),
    width: c.width,
    height: c.height,
  };
}

function channelsOf(sample: {
  image: ArrayLike<number>;
  width: number;
  height: number;
  channels?: number;
}): number {
  const c = sample.channels ?? sample.image.length / (sample.width * sample.height);
  if ((c !== 1 && c !== 3) || sample.image.length !== sample.width * sample.height * c) {
    throw new PlatformError(
      'ERR_SEGMENT_INPUT',
      `image of ${sample.image.length} values is not ${sample.width}×${sample.height} with 1 or 3 channels`,
    );
  }
  return c;
}

/**
 * Preprocesses one image into the model's input: grey conversion with colour overlays zeroed,
 * border and out-of-region pixels zeroed, static crop, normalization, bilinear resampling to
 * `inputSize`. Returns `inputSize[0]·inputSize[1]` floats, row-major.
 */
export function preprocessImage(
  sample: Pick<SegmentationSample, 'image' | 'width' | 'height' | 'channels'>,
  config: PreprocessingConfig,
): Float32Array {
  const { width, height } = sample;
  const channels = channelsOf(sample);
  const o = config.overlays;
  const grey = toGreyMaskingColour(
    sample.image,
    width * height,
    channels,
    o.maskColour,
    o.colourTolerance,
  );
  const valid = new Uint8Array(width * height).fill(1);
  if (o.region !== undefined && o.region.length >= 3)
    valid.set(polygonMask(o.region, width, height));
  if (o.borderPx > 0) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (x < o.borderPx || y < o.borderPx || x >= width - o.borderPx || y >= height - o.borderPx)
          valid[y * width + x] = 0;
      }
    }
  }
  for (let i = 0; i < grey.length; i++) if (valid[i] === 0) grey[i] = 0;
  const win = cropWindowFor(config, width, height);
  const cropped = cropFloat(grey, width, height, win.x, win.y, win.width, win.height, 0);
  normalizeInPlace(cropped, config.normalization);
  const [ih, iw] = config.inputSize;
  return win.width === iw && win.height === ih
    ? cropped
    : resizeBilinear(cropped, win.width, win.height, iw, ih);
}

function normalizeInPlace(values: Float32Array, n: Normalization): void {
  let lo = 0;
  let hi: number;
  if (n.method === 'fixed') {
    hi = n.max;
  } else {
    // Percentiles of the non-zero pixels: masked overlays and padding are zero.
    const nz = values.filter((v) => v !== 0).sort();
    if (nz.length === 0) return;
    const at = (p: number): number =>
      nz[Math.min(nz.length - 1, Math.max(0, Math.round((p / 100) * (nz.length - 1))))] ?? 0;
    lo = at(n.low);
    hi = at(n.high);
  }
  const scale = hi > lo ? 1 / (hi - lo) : 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    values[i] = v === 0 ? 0 : Math.min(1, Math.max(0, (v - lo) * scale));
  }
}

/** The label map in the model's input frame: crop, then nearest-neighbour resampling. */
export function preprocessMask(
  mask: Uint8Array,
  width: number,
  height: number,
  config: PreprocessingConfig,
): Uint8Array {
  if (mask.length !== width * height)
    throw new PlatformError(
      'ERR_SEGMENT_INPUT',
      `mask of ${mask.length} pixels does not match the ${width}×${height} image`,
    );
  const win = cropWindowFor(config, width, height);
  const cropped = cropLabels(mask, width, height, win.x, win.y, win.width, win.height);
  const [ih, iw] = config.inputSize;
  return win.width === iw && win.height === ih
    ? cropped
    : resizeNearest(cropped, win.width, win.height, iw, ih);
}

/**
 * Turns the network's two sigmoid channels (lumen, wall; `inputSize` pixels, interleaved) back
 * into a label map of the original `width`×`height` image: bilinear upsampling of the
 * probabilities to the crop size, then per pixel the more probable structure if its
 * probability exceeds `threshold`, else background; zero outside the crop.
 */
export function restoreLabelMap(
  probabilities: Float32Array,
  width: number,
  height: number,
  config: PreprocessingConfig,
  threshold = 0.5,
): Uint8Array {
  const [ih, iw] = config.inputSize;
  const win = cropWindowFor(config, width, height);
  const up =
    win.width === iw && win.height === ih
      ? probabilities
      : resizeBilinear(probabilities, iw, ih, win.width, win.height, 2);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < win.height; y++) {
    const sy = y + win.y;
    if (sy < 0 || sy >= height) continue;
    for (let x = 0; x < win.width; x++) {
      const sx = x + win.x;
      if (sx < 0 || sx >= width) continue;
      const k = (y * win.width + x) * 2;
      const lumen = up[k] ?? 0;
      const wall = up[k + 1] ?? 0;
      const best = Math.max(lumen, wall);
      out[sy * width + sx] = best <= threshold ? 0 : lumen >= wall ? 1 : 2;
    }
  }
  return out;
}

/**
 * Reads and checks a `preprocessing.json` object; throws `ERR_FORMAT` naming the bad field.
 */
export function parsePreprocessing(value: unknown): PreprocessingConfig {
  const bad = (field: string, want: string): never => {
    throw new PlatformError(
      'ERR_FORMAT',
      `preprocessing.json: ${field} must be ${want}; write it as medscale segment train does`,
    );
  };
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const posInt = (v: unknown, f: string): number =>
    typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : bad(f, 'a positive integer');
  if (!isObj(value)) return bad('the file', 'a JSON object');
  if (value['version'] !== 1) bad('version', '1');
  const crop = value['crop'];
  if (!isObj(crop)) return bad('crop', 'an object');
  const optInt = (v: unknown, f: string): number | undefined =>
    v === undefined
      ? undefined
      : typeof v === 'number' && Number.isInteger(v)
        ? v
        : bad(f, 'an integer');
  const cx = optInt(crop['x'], 'crop.x');
  const cy = optInt(crop['y'], 'crop.y');
  const cropOut: CropWindow = {
    ...(cx === undefined ? {} : { x: cx }),
    ...(cy === undefined ? {} : { y: cy }),
    width: posInt(crop['width'], 'crop.width'),
    height: posInt(crop['height'], 'crop.height'),
  };
  const ov = value['overlays'];
  if (!isObj(ov)) return bad('overlays', 'an object');
  if (typeof ov['maskColour'] !== 'boolean') bad('overlays.maskColour', 'true or false');
  if (typeof ov['colourTolerance'] !== 'number') bad('overlays.colourTolerance', 'a number');
  if (typeof ov['borderPx'] !== 'number' || ov['borderPx'] < 0)
    bad('overlays.borderPx', 'a number ≥ 0');
  const region = ov['region'];
  if (
    region !== undefined &&
    !(
      Array.isArray(region) &&
      region.every(
        (p) => Array.isArray(p) && p.length === 2 && p.every((c) => typeof c === 'number'),
      )
    )
  )
    bad('overlays.region', 'a list of [x, y] pairs');
  const norm = value['normalization'];
  if (!isObj(norm)) return bad('normalization', 'an object');
  let normalization: Normalization;
  if (norm['method'] === 'percentile') {
    const low = norm['low'];
    const high = norm['high'];
    if (
      typeof low !== 'number' ||
      typeof high !== 'number' ||
      !(low >= 0 && low < high && high <= 100)
    )
      return bad('normalization.low/high', 'percentiles with 0 ≤ low < high ≤ 100');
    normalization = { method: 'percentile', low, high };
  } else if (norm['method'] === 'fixed') {
    const max = norm['max'];
    if (typeof max !== 'number' || !(max > 0)) return bad('normalization.max', 'a number > 0');
    normalization = { method: 'fixed', max };
  } else {
    return bad('normalization.method', '"percentile" or "fixed"');
  }
  const size = value['inputSize'];
  if (!Array.isArray(size) || size.length !== 2) return bad('inputSize', '[height, width]');
  return {
    version: 1,
    crop: cropOut,
    overlays: {
      maskColour: ov['maskColour'] as boolean,
      colourTolerance: ov['colourTolerance'] as number,
      borderPx: ov['borderPx'] as number,
      ...(region === undefined ? {} : { region: region as [number, number][] }),
    },
    normalization,
    inputSize: [posInt(size[0], 'inputSize[0]'), posInt(size[1], 'inputSize[1]')],
  };
}

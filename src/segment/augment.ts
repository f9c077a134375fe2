import { remap } from './kernels/image-ops.js';
import type { Rng } from './random.js';

/**
 * Data augmentation of training images (Shorten & Khoshgoftaar 2019, "A survey on Image Data
 * Augmentation for Deep Learning", J Big Data 6:60; elastic deformation as Simard et al. 2003).
 * Each field's zero/identity value switches that transform off.
 */
export interface AugmentationConfig {
  /** Flip left–right with probability ½ (carotid views are imaged from both sides). */
  readonly flipHorizontal: boolean;
  /** Flip top–bottom with probability ½. */
  readonly flipVertical: boolean;
  /** Maximum rotation in degrees (uniform in ±). */
  readonly rotationDeg: number;
  /** Isotropic scale range. */
  readonly scale: readonly [number, number];
  /** Additive brightness shift range (normalized units, uniform in ±). */
  readonly brightness: number;
  /** Contrast factor range (around the image mean). */
  readonly contrast: readonly [number, number];
  /** Gamma range (applied to the [0, 1] intensities). */
  readonly gamma: readonly [number, number];
  /** Multiplicative speckle noise SD (Rayleigh-like ultrasound speckle approximated as Gaussian). */
  readonly speckle: number;
  /** Elastic displacement amplitude in pixels (0: off). */
  readonly elasticPx: number;
  /** Control points per side of the elastic displacement grid (its smoothness). */
  readonly elasticGrid: number;
}

/** Moderate defaults for ultrasound. */
export const DEFAULT_AUGMENTATION: AugmentationConfig = {
  flipHorizontal: true,
  flipVertical: false,
  rotationDeg: 10,
  scale: [0.9, 1.1],
  brightness: 0.1,
  contrast: [0.8, 1.2],
  gamma: [0.8, 1.25],
  speckle: 0.1,
  elasticPx: 3,
  elasticGrid: 4,
};

/**
 * Augments one preprocessed image and its label map (`width`×`height`) with random draws from
 * `rng`: one geometric map (flips, rotation, scaling, elastic displacement; bilinear for the
 * image, nearest for labels), then brightness, contrast, gamma and speckle on the intensities.
 * Deterministic for a given generator state.
 */
export function augmentSample(
  image: Float32Array,
  labels: Uint8Array,
  width: number,
  height: number,
  config: AugmentationConfig,
  rng: Rng,
): { image: Float32Array; labels: Uint8Array } {
  const flipX = config.flipHorizontal && rng.next() < 0.5 ? -1 : 1;
  const flipY = config.flipVertical && rng.next() < 0.5 ? -1 : 1;
  const angle = (rng.uniform(-config.rotationDeg, config.rotationDeg) * Math.PI) / 180;
  const s = rng.uniform(config.scale[0], config.scale[1]);
  const g = Math.max(2, Math.round(config.elasticGrid));
  const gridX = new Float32Array(g * g);
  const gridY = new Float32Array(g * g);
  if (config.elasticPx > 0) {
    for (let i = 0; i < g * g; i++) {
      gridX[i] = rng.uniform(-config.elasticPx, config.elasticPx);
      gridY[i] = rng.uniform(-config.elasticPx, config.elasticPx);
    }
  }
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const cos = Math.cos(angle) / s;
  const sin = Math.sin(angle) / s;
  const mapX = new Float32Array(width * height);
  const mapY = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = (y / Math.max(1, height - 1)) * (g - 1);
    const gy0 = Math.min(Math.floor(gy), g - 2);
    const ty = gy - gy0;
    for (let x = 0; x < width; x++) {
      const gx = (x / Math.max(1, width - 1)) * (g - 1);
      const gx0 = Math.min(Math.floor(gx), g - 2);
      const tx = gx - gx0;
      const i00 = gy0 * g + gx0;
      const bil = (a: Float32Array): number =>
        ((a[i00] ?? 0) * (1 - tx) + (a[i00 + 1] ?? 0) * tx) * (1 - ty) +
        ((a[i00 + g] ?? 0) * (1 - tx) + (a[i00 + g + 1] ?? 0) * tx) * ty;
      const dx = (x - cx) * flipX;
      const dy = (y - cy) * flipY;
      const k = y * width + x;
      mapX[k] = cx + cos * dx - sin * dy + bil(gridX);
      mapY[k] = cy + sin * dx + cos * dy + bil(gridY);
    }
  }
  const out = remap(image, labels, width, height, mapX, mapY, 0);
  const img = out.image;
  const brightness = rng.uniform(-config.brightness, config.brightness);
  const contrast = rng.uniform(config.contrast[0], config.contrast[1]);
  const gamma = rng.uniform(config.gamma[0], config.gamma[1]);
  let mean = 0;
  for (const v of img) mean += v;
  mean /= img.length;
  for (let i = 0; i < img.length; i++) {
    let v = img[i] ?? 0;
    v = Math.min(1, Math.max(0, (v - mean) * contrast + mean + brightness));
    v = v ** gamma;
    if (config.speckle > 0) v *= 1 + config.speckle * rng.normal();
    img[i] = Math.min(1, Math.max(0, v));
  }
  return { image: img, labels: out.labels };
}

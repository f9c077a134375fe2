import type { SegmentationSample } from './preprocessing.js';
import { createRng } from './random.js';

/** Options of {@link makeSyntheticVesselSamples}. */
export interface SyntheticVesselOptions {
  /** Number of patients. */
  readonly patients: number;
  /** Images per patient. */
  readonly imagesPerPatient: number;
  /** Image width in pixels. */
  readonly width: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Pixel spacing in mm (both axes). */
  readonly spacingMm: number;
  /** Seed. */
  readonly seed: number;
  /** Add a colour bar overlay (RGB images) to exercise overlay masking. */
  readonly colourOverlay?: boolean;
}

/**
 * Simple longitudinal carotid-like B-mode images with exact masks, for tests and benchmarks
 * until the realistic generator (`medscale synth carotid-us`) is connected: a gently curved,
 * tilted vessel whose dark lumen (label 1) is bounded by two bright wall bands (label 2), in
 * textured tissue, with multiplicative speckle and additive noise. Each patient has its own
 * vessel size, wall thickness and position; images of one patient vary slightly, as frames of
 * one scan do. Pixels are 8-bit grey (or RGB with a colour bar).
 */
export function makeSyntheticVesselSamples(options: SyntheticVesselOptions): SegmentationSample[] {
  const { width: w, height: h } = options;
  const rng = createRng(options.seed);
  const out: SegmentationSample[] = [];
  for (let p = 0; p < options.patients; p++) {
    const lumenHalf = h * rng.uniform(0.08, 0.13);
    const wall = h * rng.uniform(0.035, 0.055);
    const centre = h * rng.uniform(0.4, 0.6);
    const tissue = rng.uniform(0.25, 0.4);
    for (let k = 0; k < options.imagesPerPatient; k++) {
      const tilt = rng.uniform(-0.12, 0.12);
      const bend = h * rng.uniform(-0.04, 0.04);
      const phase = rng.uniform(0, Math.PI * 2);
      const c0 = centre + h * rng.uniform(-0.03, 0.03);
      const r = lumenHalf * rng.uniform(0.95, 1.05);
      const img = new Float32Array(w * h);
      const mask = new Uint8Array(w * h);
      for (let x = 0; x < w; x++) {
        const cy = c0 + tilt * (x - w / 2) + bend * Math.sin((Math.PI * x) / w + phase);
        for (let y = 0; y < h; y++) {
          const d = Math.abs(y - cy);
          const i = y * w + x;
          let v: number;
          if (d < r) {
            mask[i] = 1;
            v = 0.04;
          } else if (d < r + wall) {
            mask[i] = 2;
            v = 0.85;
          } else {
            v = tissue * (0.8 + 0.4 * Math.sin(x * 0.07 + y * 0.05) ** 2);
          }
          const speckle = Math.max(0, 1 + 0.35 * rng.normal());
          img[i] = Math.min(1, Math.max(0, v * speckle + 0.03 * rng.normal()));
        }
      }
      const channels = options.colourOverlay === true ? 3 : 1;
      const image = new Uint8Array(w * h * channels);
      for (let i = 0; i < w * h; i++) {
        const g = Math.round((img[i] ?? 0) * 255);
        for (let c = 0; c < channels; c++) image[i * channels + c] = g;
      }
      if (channels === 3) {
        // A colour bar along the right edge, as scanners draw for Doppler scales.
        for (let y = Math.floor(h * 0.1); y < Math.floor(h * 0.5); y++) {
          for (let x = w - 6; x < w - 2; x++) {
            const i = (y * w + x) * 3;
            image[i] = 255;
            image[i + 1] = Math.round((255 * y) / h);
            image[i + 2] = 0;
          }
        }
      }
      out.push({
        patientId: `P${String(p + 1).padStart(3, '0')}`,
        image,
        width: w,
        height: h,
        channels,
        mask,
        pixelSpacing: [options.spacingMm, options.spacingMm],
      });
    }
  }
  return out;
}

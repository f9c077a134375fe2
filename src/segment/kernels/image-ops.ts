// Pixel loops of preprocessing and augmentation: grey conversion, overlay masking, resampling.
// Images are row-major, one float per pixel unless stated.

/**
 * Grey values of an image with 1 or 3 interleaved channels, zeroing colour pixels (any two
 * channels differing by more than `tolerance`): ultrasound B-mode is grey, so colour marks
 * overlays such as colour bars, Doppler boxes, text and calipers.
 */
export function toGreyMaskingColour(
  image: ArrayLike<number>,
  pixels: number,
  channels: number,
  maskColour: boolean,
  tolerance: number,
): Float32Array {
  const out = new Float32Array(pixels);
  if (channels === 1) {
    for (let i = 0; i < pixels; i++) out[i] = image[i]!;
    return out;
  }
  for (let i = 0; i < pixels; i++) {
    const r = image[i * channels]!;
    const g = image[i * channels + 1]!;
    const b = image[i * channels + 2]!;
    if (
      maskColour &&
      (Math.abs(r - g) > tolerance || Math.abs(g - b) > tolerance || Math.abs(r - b) > tolerance)
    ) {
      out[i] = 0;
    } else {
      out[i] = (r + g + b) / 3;
    }
  }
  return out;
}

/** Marks pixels (centres) inside a polygon of (x, y) vertices, even–odd rule. */
export function polygonMask(
  polygon: readonly (readonly [number, number])[],
  width: number,
  height: number,
): Uint8Array {
  const out = new Uint8Array(width * height);
  const n = polygon.length;
  const xs: number[] = [];
  for (let y = 0; y < height; y++) {
    const py = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const [xi, yi] = polygon[i]!;
      const [xj, yj] = polygon[j]!;
      if (yi > py !== yj > py) xs.push(xi + ((py - yi) * (xj - xi)) / (yj - yi));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const x0 = Math.max(0, Math.ceil(xs[k]! - 0.5));
      const x1 = Math.min(width - 1, Math.floor(xs[k + 1]! - 0.5));
      for (let x = x0; x <= x1; x++) out[y * width + x] = 1;
    }
  }
  return out;
}

/**
 * Copies the window (x0, y0, w, h) of a `width`×`height` image, filling outside with `fill`.
 */
export function cropFloat(
  src: Float32Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  fill: number,
): Float32Array {
  const out = new Float32Array(w * h).fill(fill);
  for (let y = 0; y < h; y++) {
    const sy = y + y0;
    if (sy < 0 || sy >= height) continue;
    for (let x = 0; x < w; x++) {
      const sx = x + x0;
      if (sx >= 0 && sx < width) out[y * w + x] = src[sy * width + sx]!;
    }
  }
  return out;
}

/** As {@link cropFloat} for label maps (outside = 0). */
export function cropLabels(
  src: Uint8Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = y + y0;
    if (sy < 0 || sy >= height) continue;
    for (let x = 0; x < w; x++) {
      const sx = x + x0;
      if (sx >= 0 && sx < width) out[y * w + x] = src[sy * width + sx]!;
    }
  }
  return out;
}

/**
 * Bilinear resampling of a `channels`-interleaved float image (pixel-centre aligned, as
 * `tf.image.resizeBilinear` with `halfPixelCenters`), edges clamped.
 */
export function resizeBilinear(
  src: Float32Array,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
  channels = 1,
): Float32Array {
  const out = new Float32Array(dw * dh * channels);
  const fx = sw / dw;
  const fy = sh / dh;
  for (let y = 0; y < dh; y++) {
    const syf = Math.min(Math.max((y + 0.5) * fy - 0.5, 0), sh - 1);
    const y0 = Math.floor(syf);
    const y1 = Math.min(y0 + 1, sh - 1);
    const wy = syf - y0;
    for (let x = 0; x < dw; x++) {
      const sxf = Math.min(Math.max((x + 0.5) * fx - 0.5, 0), sw - 1);
      const x0 = Math.floor(sxf);
      const x1 = Math.min(x0 + 1, sw - 1);
      const wx = sxf - x0;
      for (let c = 0; c < channels; c++) {
        const a = src[(y0 * sw + x0) * channels + c]!;
        const b = src[(y0 * sw + x1) * channels + c]!;
        const d = src[(y1 * sw + x0) * channels + c]!;
        const e = src[(y1 * sw + x1) * channels + c]!;
        out[(y * dw + x) * channels + c] =
          (a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy;
      }
    }
  }
  return out;
}

/** Nearest-neighbour resampling of a label map (pixel-centre aligned). */
export function resizeNearest(
  src: Uint8Array,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
): Uint8Array {
  const out = new Uint8Array(dw * dh);
  for (let y = 0; y < dh; y++) {
    const sy = Math.min(Math.floor(((y + 0.5) * sh) / dh), sh - 1);
    for (let x = 0; x < dw; x++) {
      const sx = Math.min(Math.floor(((x + 0.5) * sw) / dw), sw - 1);
      out[y * dw + x] = src[sy * sw + sx]!;
    }
  }
  return out;
}

/**
 * Samples an image at arbitrary source coordinates (`mapX`, `mapY` per output pixel): bilinear
 * for intensities (outside → `fill`), nearest for labels (outside → 0). The geometric half of
 * augmentation: flips, rotation, scaling and elastic displacement all become one map.
 */
export function remap(
  image: Float32Array,
  labels: Uint8Array,
  width: number,
  height: number,
  mapX: Float32Array,
  mapY: Float32Array,
  fill: number,
): { image: Float32Array; labels: Uint8Array } {
  const n = width * height;
  const outImage = new Float32Array(n);
  const outLabels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const sx = mapX[i]!;
    const sy = mapY[i]!;
    const xn = Math.round(sx);
    const yn = Math.round(sy);
    if (xn >= 0 && yn >= 0 && xn < width && yn < height) outLabels[i] = labels[yn * width + xn]!;
    if (sx < 0 || sy < 0 || sx > width - 1 || sy > height - 1) {
      outImage[i] = fill;
      continue;
    }
    const x0 = Math.floor(sx);
    const y0 = Math.floor(sy);
    const x1 = Math.min(x0 + 1, width - 1);
    const y1 = Math.min(y0 + 1, height - 1);
    const wx = sx - x0;
    const wy = sy - y0;
    const a = image[y0 * width + x0]!;
    const b = image[y0 * width + x1]!;
    const c = image[y1 * width + x0]!;
    const d = image[y1 * width + x1]!;
    outImage[i] = (a * (1 - wx) + b * wx) * (1 - wy) + (c * (1 - wx) + d * wx) * wy;
  }
  return { image: outImage, labels: outLabels };
}

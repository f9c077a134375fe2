/**
 * Channels-last `[n, spatial…, c]` → channels-first `[n, c, spatial…]`; `pixels` is the product
 * of the spatial sizes.
 */
export function nhwcToNchw(x: Float32Array, n: number, c: number, pixels: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++) {
    const base = b * c * pixels;
    for (let p = 0; p < pixels; p++)
      for (let k = 0; k < c; k++) out[base + k * pixels + p] = x[base + p * c + k]!;
  }
  return out;
}

/** Channels-first `[n, c, spatial…]` → channels-last `[n, spatial…, c]`. */
export function nchwToNhwc(x: Float32Array, n: number, c: number, pixels: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++) {
    const base = b * c * pixels;
    for (let k = 0; k < c; k++)
      for (let p = 0; p < pixels; p++) out[base + p * c + k] = x[base + k * pixels + p]!;
  }
  return out;
}

/** Largest stored value of 12-bit pixel data (Bits Stored 12, PS3.3 C.7.6.3.1). */
const MAX_STORED = 4095;

/**
 * Turns a label image into 12-bit magnitude pixels with Rician noise:
 * `|(s + σ·n₁) + i·σ·n₂|`, rounded and clipped to 0–4095, where `s = signal[label]` and n₁, n₂
 * are independent standard normal deviates. In air (s = 0) this is Rayleigh noise with mean
 * σ·√(π/2) (Gudbjartsson & Patz 1995, "The Rician distribution of noisy MRI data", MRM 34:910).
 *
 * @param signal - noise-free signal per label, in stored pixel values.
 * @param sigma - σ of the noise in each of the real and imaginary channels, in stored pixel values.
 * @param state - xoshiro128** state (four 32-bit words), advanced in place.
 * @param gauss - 65,536 standard normal deviates (see `gaussianTable`).
 */
export function renderRician(
  labels: Uint8Array,
  count: number,
  signal: Float64Array,
  sigma: number,
  state: Uint32Array,
  gauss: Float64Array,
  out: Uint16Array,
): void {
  // The generator state lives in locals for the loop (xoshiro128**, Blackman & Vigna 2018).
  let s0 = state[0]! | 0;
  let s1 = state[1]! | 0;
  let s2 = state[2]! | 0;
  let s3 = state[3]! | 0;
  for (let i = 0; i < count; i++) {
    const x = Math.imul(s1, 5);
    const r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    // Two 16-bit halves of one output index two independent table entries.
    const re = signal[labels[i]!]! + sigma * gauss[r & 0xffff]!;
    const im = sigma * gauss[r >>> 16]!;
    const v = Math.sqrt(re * re + im * im) + 0.5;
    out[i] = v >= MAX_STORED ? MAX_STORED : v | 0;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/**
 * {@link renderRician} of a noise-free image instead of a label image: `image[i]` is the signal
 * of pixel `i`, in stored pixel values. Draws the same noise, pixel by pixel, as `renderRician`
 * from the same state, so where `image[i] === signal[labels[i]]` both give the same pixel; the
 * artefact kernels (ghosting, blur) work on such an image.
 *
 * @param sigma - σ of the noise in each of the real and imaginary channels, in stored pixel values.
 * @param state - xoshiro128** state (four 32-bit words), advanced in place.
 * @param gauss - 65,536 standard normal deviates (see `gaussianTable`).
 */
export function renderRicianImage(
  image: Float64Array,
  count: number,
  sigma: number,
  state: Uint32Array,
  gauss: Float64Array,
  out: Uint16Array,
): void {
  let s0 = state[0]! | 0;
  let s1 = state[1]! | 0;
  let s2 = state[2]! | 0;
  let s3 = state[3]! | 0;
  for (let i = 0; i < count; i++) {
    const x = Math.imul(s1, 5);
    const r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const re = image[i]! + sigma * gauss[r & 0xffff]!;
    const im = sigma * gauss[r >>> 16]!;
    const v = Math.sqrt(re * re + im * im) + 0.5;
    out[i] = v >= MAX_STORED ? MAX_STORED : v | 0;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

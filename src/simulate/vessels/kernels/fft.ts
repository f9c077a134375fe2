/**
 * In-place radix-2 complex FFT (Cooley–Tukey, decimation in time, bit-reversed input order).
 * Used to move periodic signals between time samples and harmonics.
 */

/** Whether `n` is a power of two (at least 2). */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

/**
 * Transforms `(re, im)` in place: `X_k = Σ_j x_j e^(sign·2πi·jk/N)`, no scaling.
 * `sign = −1` is the forward transform, `+1` the inverse (divide by N yourself).
 * N = `re.length` must be a power of two.
 */
export function fftInPlace(re: Float64Array, im: Float64Array, sign: 1 | -1): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (sign * 2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    const half = len >> 1;
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < half; k++) {
        const a = i + k;
        const b = a + half;
        const xr = re[b]! * cr - im[b]! * ci;
        const xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

/**
 * Harmonics of a real periodic signal of N samples: `X_n = (1/N) Σ_j x_j e^(−2πi·nj/N)` for
 * n = 0..N/2, so that `x(t_j) = Σ_n X_n e^(iω_n t_j)` over n = −N/2+1..N/2 with `X_(−n) = conj(X_n)`.
 * Returns [re, im], each of length N/2 + 1.
 */
export function realToHarmonics(x: Float64Array): [Float64Array, Float64Array] {
  const n = x.length;
  const re = Float64Array.from(x);
  const im = new Float64Array(n);
  fftInPlace(re, im, -1);
  const h = (n >> 1) + 1;
  const outRe = new Float64Array(h);
  const outIm = new Float64Array(h);
  for (let k = 0; k < h; k++) {
    outRe[k] = re[k]! / n;
    outIm[k] = im[k]! / n;
  }
  return [outRe, outIm];
}

/**
 * Inverse of {@link realToHarmonics}: N real samples from the harmonics n = 0..N/2. The Nyquist
 * harmonic contributes its real part only (its imaginary part is not representable in N samples).
 */
export function harmonicsToReal(
  hRe: Float64Array,
  hIm: Float64Array,
  n: number,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const h = n >> 1;
  re[0] = hRe[0]!;
  for (let k = 1; k < h; k++) {
    re[k] = hRe[k]!;
    im[k] = hIm[k]!;
    re[n - k] = hRe[k]!;
    im[n - k] = -hIm[k]!;
  }
  re[h] = hRe[h]!;
  fftInPlace(re, im, 1);
  out.set(re);
  return out;
}

// Grayscale pipeline loops: Modality LUT as a linear rescale (PS3.3 C.11.1.1.2) and VOI LUT
// windowing to 8 bits (PS3.3 C.11.2.1.2 and C.11.2.1.3).

/** `out[i] = in[i] × slope + intercept`, in single precision. */
export function rescaleInto(
  values: ArrayLike<number>,
  slope: number,
  intercept: number,
  out: Float32Array,
): void {
  if (
    values instanceof Int16Array ||
    values instanceof Uint16Array ||
    values instanceof Int8Array ||
    values instanceof Uint8Array
  ) {
    // Integers of up to 16 bits are exact in single precision: let the engine convert them
    // natively (a memcpy-speed loop in C++), then rescale in place reading one array type, so
    // the loop stays monomorphic. out[i] reads back the exact integer, and the arithmetic is
    // the same double-precision expression as below, so the results are bit for bit the same.
    out.set(values);
    if (slope === 1 && intercept === 0) return;
    rescaleInPlace(out, values.length, slope, intercept);
    return;
  }
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * slope + intercept;
}

/** `out[i] = out[i] × slope + intercept`, in single precision. */
function rescaleInPlace(out: Float32Array, n: number, slope: number, intercept: number): void {
  for (let i = 0; i < n; i++) out[i] = out[i]! * slope + intercept;
}

/** VOI LUT Function (0028,1056) values (PS3.3 C.11.2.1.3). */
export type VoiLutFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

/**
 * Windows one sample per pixel to [0, 255]: rescales each stored value, applies the VOI
 * function with the given centre and width (both in rescaled units), and inverts when
 * `invert` (MONOCHROME1: the lowest value is displayed white, PS3.3 C.7.6.3.1.2).
 */
export function windowToUint8(
  values: ArrayLike<number>,
  slope: number,
  intercept: number,
  center: number,
  width: number,
  fn: VoiLutFunction,
  invert: boolean,
  out: Uint8Array,
): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]! * slope + intercept;
    let y: number;
    if (fn === 'LINEAR') {
      // C.11.2.1.2.1: width − 1 spans the output range, centre offset by ½.
      const lower = center - 0.5 - (width - 1) / 2;
      const upper = center - 0.5 + (width - 1) / 2;
      y = x <= lower ? 0 : x > upper ? 255 : ((x - (center - 0.5)) / (width - 1) + 0.5) * 255;
    } else if (fn === 'LINEAR_EXACT') {
      // C.11.2.1.3.2
      const lower = center - width / 2;
      const upper = center + width / 2;
      y = x <= lower ? 0 : x > upper ? 255 : ((x - center) / width + 0.5) * 255;
    } else {
      // C.11.2.1.3.1
      y = 255 / (1 + Math.exp((-4 * (x - center)) / width));
    }
    const v = Math.round(y);
    const clamped = v < 0 ? 0 : v > 255 ? 255 : v;
    out[i] = invert ? 255 - clamped : clamped;
  }
}

/** Scales samples of `bits` bits to [0, 255], rounding: colour frames of more than 8 bits. */
export function scaleToUint8(values: ArrayLike<number>, bits: number, out: Uint8Array): void {
  const factor = 255 / (2 ** bits - 1);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i]! * factor);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
}

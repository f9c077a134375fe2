/** Number of entries of {@link gaussianTable}: one per 16-bit random index. */
export const GAUSSIAN_TABLE_SIZE = 65536;

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error below
 * 1.15e-9; P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
 * function", 2003).
 */
export function inverseNormalCdf(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
    -3.066479806614716e1, 2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
    -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -inverseNormalCdf(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

let table: Float64Array | undefined;

/**
 * Standard normal deviates at the 65,536 quantile midpoints `(i + ½) / 65536`, rescaled to unit
 * variance. A 16-bit random index into it is a Gaussian sample.
 *
 * @remarks
 * Why a table: the noise kernel needs two Gaussian samples per voxel, tens of millions per full
 * session. A lookup costs a shift and a load, where Box–Muller costs a log, a square root and two
 * trigonometric calls. The price is that the tails stop at ±4.2 σ (probability 3·10⁻⁵), which no
 * QA metric here can see; the rescaling makes the variance exactly 1, so σ estimates are unbiased.
 */
export function gaussianTable(): Float64Array {
  if (table !== undefined) return table;
  const t = new Float64Array(GAUSSIAN_TABLE_SIZE);
  let sumSquares = 0;
  for (let i = 0; i < GAUSSIAN_TABLE_SIZE; i++) {
    const z = inverseNormalCdf((i + 0.5) / GAUSSIAN_TABLE_SIZE);
    t[i] = z;
    sumSquares += z * z;
  }
  // The table is symmetric, so its mean is 0 up to rounding; only the variance needs fixing.
  const s = 1 / Math.sqrt(sumSquares / GAUSSIAN_TABLE_SIZE);
  for (let i = 0; i < GAUSSIAN_TABLE_SIZE; i++) t[i] = t[i]! * s;
  table = t;
  return t;
}

/**
 * Solves a dense real linear system by Gaussian elimination with partial pivoting.
 *
 * @param a - the n×n matrix, row-major; overwritten.
 * @param b - the right-hand side; overwritten with the solution.
 * @returns false when a pivot vanishes (singular matrix).
 */
export function solveDenseInPlace(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = Math.abs(a[c * n + c]!);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(a[r * n + c]!);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (!(best > 0)) return false;
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const t = a[c * n + k]!;
        a[c * n + k] = a[p * n + k]!;
        a[p * n + k] = t;
      }
      const t = b[c]!;
      b[c] = b[p]!;
      b[p] = t;
    }
    const inv = 1 / a[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! * inv;
      if (f === 0) continue;
      const rowR = r * n;
      const rowC = c * n;
      for (let k = c + 1; k < n; k++) a[rowR + k] = a[rowR + k]! - f * a[rowC + k]!;
      b[r] = b[r]! - f * b[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r * n + k]! * b[k]!;
    b[r] = s / a[r * n + r]!;
  }
  return true;
}

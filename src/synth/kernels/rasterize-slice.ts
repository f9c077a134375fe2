/** Floats per packed primitive (must match `PRIMITIVE_STRIDE` in body-model.ts). */
const STRIDE = 16;

/**
 * The plane of one image, in patient coordinates (LPS, millimetres): pixel (row r, column c) is
 * centred at `origin + c·rowStep + r·columnStep`.
 */
export interface SlicePlane {
  /** Centre of the first transmitted pixel: Image Position (Patient) (PS3.3 C.7.6.2.1.1). */
  readonly origin: Float64Array;
  /** Offset from one column to the next: row direction cosines × column spacing, in mm. */
  readonly rowStep: Float64Array;
  /** Offset from one row to the next: column direction cosines × row spacing, in mm. */
  readonly columnStep: Float64Array;
  /** Unit normal of the plane. */
  readonly normal: Float64Array;
  readonly rows: number;
  readonly columns: number;
}

/**
 * Paints the tissue label of every pixel centre of a slice into `labels` (row-major,
 * `rows × columns`), evaluating the packed solids of `primitives` in order so that later solids overwrite
 * earlier ones. Pixels outside every solid get label 0 (air).
 *
 * @remarks
 * Works on whole rows, not voxels: along a row `p(t) = o + t·rowStep` the inside of an ellipsoid
 * or cylinder is one interval of `t` (a quadratic in the solid's unit frame), so each solid costs
 * one square root per row and each pixel one `fill` store, O(solids + pixels) per row instead of
 * O(solids × pixels). Solids farther from the plane than their bounding radius are culled per
 * slice.
 *
 * @param scratch - at least `primitives.length / 16 × 10` floats of work space, reused between calls.
 */
export function rasterizeSlice(
  primitives: Float64Array,
  plane: SlicePlane,
  labels: Uint8Array,
  scratch: Float64Array,
): void {
  const { origin: o, rowStep: rs, columnStep: cs, normal: n, rows, columns } = plane;
  labels.fill(0, 0, rows * columns);
  const count = primitives.length / STRIDE;
  const rowLength = Math.hypot(rs[0]!, rs[1]!, rs[2]!);
  const colLength = Math.hypot(cs[0]!, cs[1]!, cs[2]!);
  const width = (columns - 1) * rowLength;
  const height = (rows - 1) * colLength;

  // Per active solid, 10 floats: label, q00 (unit-frame position of pixel 0,0), qr (per column), qc (per row).
  let active = 0;
  for (let i = 0; i < count; i++) {
    const b = i * STRIDE;
    const dx = o[0]! - primitives[b + 2]!;
    const dy = o[1]! - primitives[b + 3]!;
    const dz = o[2]! - primitives[b + 4]!;
    const radius = primitives[b + 5]!;
    // Cull: centre too far from the plane, or its projection too far outside the image rectangle.
    const distance = -(dx * n[0]! + dy * n[1]! + dz * n[2]!);
    if (distance > radius || distance < -radius) continue;
    const u = -(dx * rs[0]! + dy * rs[1]! + dz * rs[2]!) / rowLength;
    const v = -(dx * cs[0]! + dy * cs[1]! + dz * cs[2]!) / colLength;
    if (u < -radius || u > width + radius || v < -radius || v > height + radius) continue;
    const m = b + 6;
    const s = active * 10;
    scratch[s] = primitives[b + 1]! + primitives[b]! * 256; // label + 256 for cylinders
    for (let k = 0; k < 3; k++) {
      const m0 = primitives[m + 3 * k]!;
      const m1 = primitives[m + 3 * k + 1]!;
      const m2 = primitives[m + 3 * k + 2]!;
      scratch[s + 1 + k] = m0 * dx + m1 * dy + m2 * dz;
      scratch[s + 4 + k] = m0 * rs[0]! + m1 * rs[1]! + m2 * rs[2]!;
      scratch[s + 7 + k] = m0 * cs[0]! + m1 * cs[1]! + m2 * cs[2]!;
    }
    active++;
  }

  const last = columns - 1;
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    for (let a = 0; a < active; a++) {
      const s = a * 10;
      const code = scratch[s]!;
      const x0 = scratch[s + 1]! + r * scratch[s + 7]!;
      const y0 = scratch[s + 2]! + r * scratch[s + 8]!;
      const z0 = scratch[s + 3]! + r * scratch[s + 9]!;
      const xr = scratch[s + 4]!;
      const yr = scratch[s + 5]!;
      const zr = scratch[s + 6]!;
      let t0: number;
      let t1: number;
      if (code < 256) {
        const qa = xr * xr + yr * yr + zr * zr;
        const qb = 2 * (x0 * xr + y0 * yr + z0 * zr);
        const qc = x0 * x0 + y0 * y0 + z0 * z0 - 1;
        const disc = qb * qb - 4 * qa * qc;
        if (disc < 0) continue;
        const root = Math.sqrt(disc);
        t0 = (-qb - root) / (2 * qa);
        t1 = (-qb + root) / (2 * qa);
      } else {
        const qa = xr * xr + yr * yr;
        const qc = x0 * x0 + y0 * y0 - 1;
        if (qa < 1e-12) {
          // The row runs parallel to the axis: inside everywhere or nowhere.
          if (qc > 0) continue;
          t0 = -Infinity;
          t1 = Infinity;
        } else {
          const qb = 2 * (x0 * xr + y0 * yr);
          const disc = qb * qb - 4 * qa * qc;
          if (disc < 0) continue;
          const root = Math.sqrt(disc);
          t0 = (-qb - root) / (2 * qa);
          t1 = (-qb + root) / (2 * qa);
        }
        // Caps: |z0 + t·zr| ≤ 1.
        if (zr > 1e-12 || zr < -1e-12) {
          let ta = (-1 - z0) / zr;
          let tb = (1 - z0) / zr;
          if (ta > tb) {
            const swap = ta;
            ta = tb;
            tb = swap;
          }
          if (ta > t0) t0 = ta;
          if (tb < t1) t1 = tb;
        } else if (z0 > 1 || z0 < -1) {
          continue;
        }
      }
      if (t1 < 0 || t0 > last || t0 > t1) continue;
      const start = t0 <= 0 ? 0 : Math.ceil(t0);
      const end = t1 >= last ? last : Math.floor(t1);
      if (start <= end) labels.fill(code % 256, base + start, base + end + 1);
    }
  }
}

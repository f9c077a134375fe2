// Hot loops over binary LV masks: boundary extraction and chord sampling. The mask is a
// `rows × columns` array, row-major, non-zero inside; loop bounds are the index checks.

/**
 * Centres of the boundary pixels of a binary mask (inside pixels with a 4-neighbour outside
 * or on the image edge), as pixel indices `[column, row, column, row, …]`.
 */
export function boundaryPixels(data: ArrayLike<number>, columns: number, rows: number): Int32Array {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = r * columns;
    for (let c = 0; c < columns; c++) {
      if (data[row + c] === 0) continue;
      if (
        c === 0 ||
        r === 0 ||
        c === columns - 1 ||
        r === rows - 1 ||
        data[row + c - 1] === 0 ||
        data[row + c + 1] === 0 ||
        data[row - columns + c] === 0 ||
        data[row + columns + c] === 0
      ) {
        out.push(c, r);
      }
    }
  }
  return Int32Array.from(out);
}

/** Number of non-zero pixels and the sums of their column and row indices (for the centroid). */
export function maskMoments(
  data: ArrayLike<number>,
  columns: number,
  rows: number,
): { readonly count: number; readonly sumColumn: number; readonly sumRow: number } {
  let count = 0;
  let sumColumn = 0;
  let sumRow = 0;
  for (let r = 0; r < rows; r++) {
    const row = r * columns;
    for (let c = 0; c < columns; c++) {
      if (data[row + c] !== 0) {
        count++;
        sumColumn += c;
        sumRow += r;
      }
    }
  }
  return { count, sumColumn, sumRow };
}

/**
 * Length, in millimetres, of the part of the line `p + t·v`, `t` in `[t0, t1]` (millimetres),
 * that lies inside the mask, by nearest-pixel sampling every `step` millimetres. Pixel (c, r)
 * covers `[(c − ½)·sx, (c + ½)·sx] × [(r − ½)·sy, (r + ½)·sy]`; `v` is a unit vector.
 */
export function chordLength(
  data: ArrayLike<number>,
  columns: number,
  rows: number,
  sx: number,
  sy: number,
  px: number,
  py: number,
  vx: number,
  vy: number,
  t0: number,
  t1: number,
  step: number,
): number {
  const n = Math.max(1, Math.ceil((t1 - t0) / step));
  const dt = (t1 - t0) / n;
  let inside = 0;
  for (let i = 0; i < n; i++) {
    const t = t0 + (i + 0.5) * dt;
    const c = Math.round((px + t * vx) / sx);
    const r = Math.round((py + t * vy) / sy);
    if (c < 0 || r < 0 || c >= columns || r >= rows) continue;
    if (data[r * columns + c] !== 0) inside++;
  }
  return inside * dt;
}

/**
 * Distance, in pixels, from `(cx, cy)` (pixel indices) along the unit direction `(dx, dy)` to
 * the edge of the region whose samples `inside[value]` is 1, in slice `offset` of `data`:
 * marching in `step`-pixel steps with nearest-pixel lookups, the edge lies halfway between the
 * last inside and the first outside sample.
 */
export function rayBoundary(
  data: ArrayLike<number>,
  offset: number,
  columns: number,
  rows: number,
  inside: Uint8Array,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
  step: number,
): number {
  const maxT = columns + rows;
  let last = 0;
  for (let t = 0; t <= maxT; t += step) {
    const c = Math.round(cx + t * dx);
    const r = Math.round(cy + t * dy);
    if (c < 0 || r < 0 || c >= columns || r >= rows) break;
    if (inside[data[offset + r * columns + c]!] !== 1) {
      if (t > 0) return (last + t) / 2;
      return 0;
    }
    last = t;
  }
  return last;
}

/** Pixel count and index sums of the samples of slice `offset` whose `inside[value]` is 1. */
export function sliceMoments(
  data: ArrayLike<number>,
  offset: number,
  columns: number,
  rows: number,
  inside: Uint8Array,
): { readonly count: number; readonly sumColumn: number; readonly sumRow: number } {
  let count = 0;
  let sumColumn = 0;
  let sumRow = 0;
  for (let r = 0; r < rows; r++) {
    const row = offset + r * columns;
    for (let c = 0; c < columns; c++) {
      if (inside[data[row + c]!] === 1) {
        count++;
        sumColumn += c;
        sumRow += r;
      }
    }
  }
  return { count, sumColumn, sumRow };
}

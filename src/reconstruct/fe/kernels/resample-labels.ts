/**
 * Resamples a label grid onto a coarser (or finer) grid of `cells` cells that covers the same
 * extent: cell `a` along an axis spans voxel indices `[-0.5 + a·f, -0.5 + (a + 1)·f)` with
 * `f = n / cells`.
 *
 * - `centre`: the label of the voxel nearest the cell centre.
 * - `majority`: the most frequent label among the voxels whose centres fall in the cell
 *   (ties go to the lower label); falls back to the centre voxel when no voxel centre falls in the
 *   cell (upsampling).
 */
export function resampleLabelsKernel(
  data: Uint8Array,
  dims: readonly [number, number, number],
  cells: readonly [number, number, number],
  mode: 'centre' | 'majority',
): Uint8Array {
  const [ni, nj, nk] = dims;
  const [ci, cj, ck] = cells;
  const fi = ni / ci;
  const fj = nj / cj;
  const fk = nk / ck;
  const out = new Uint8Array(ci * cj * ck);
  const sliceStride = ni * nj;
  const centreOf = (a: number, f: number, n: number): number =>
    Math.min(n - 1, Math.max(0, Math.round(-0.5 + (a + 0.5) * f)));
  // First voxel whose centre lies at or after the cell's lower face, per cell along each axis.
  const starts = (c: number, f: number, n: number): Int32Array => {
    const s = new Int32Array(c + 1);
    for (let a = 0; a <= c; a++) s[a] = Math.min(n, Math.max(0, Math.ceil(-0.5 + a * f - 1e-9)));
    return s;
  };
  const si = starts(ci, fi, ni);
  const sj = starts(cj, fj, nj);
  const sk = starts(ck, fk, nk);
  const counts = new Uint32Array(256);
  let o = 0;
  for (let c = 0; c < ck; c++) {
    for (let b = 0; b < cj; b++) {
      for (let a = 0; a < ci; a++, o++) {
        const centre =
          data[centreOf(a, fi, ni) + centreOf(b, fj, nj) * ni + centreOf(c, fk, nk) * sliceStride]!;
        if (mode === 'centre') {
          out[o] = centre;
          continue;
        }
        const i0 = si[a]!;
        const i1 = si[a + 1]!;
        const j0 = sj[b]!;
        const j1 = sj[b + 1]!;
        const k0 = sk[c]!;
        const k1 = sk[c + 1]!;
        if (i1 <= i0 || j1 <= j0 || k1 <= k0) {
          out[o] = centre;
          continue;
        }
        let best = 0;
        let bestCount = 0;
        for (let k = k0; k < k1; k++) {
          for (let j = j0; j < j1; j++) {
            let v = j * ni + k * sliceStride + i0;
            for (let i = i0; i < i1; i++, v++) counts[data[v]!]!++;
          }
        }
        // Clear only the bins this cell touched, finding the winner on the way.
        for (let k = k0; k < k1; k++) {
          for (let j = j0; j < j1; j++) {
            let v = j * ni + k * sliceStride + i0;
            for (let i = i0; i < i1; i++, v++) {
              const label = data[v]!;
              const n = counts[label]!;
              if (n > bestCount || (n === bestCount && n > 0 && label < best)) {
                best = label;
                bestCount = n;
              }
              counts[label] = 0;
            }
          }
        }
        out[o] = best;
      }
    }
  }
  return out;
}

/** Normalised 1D Gaussian weights for `sigma` (voxels), truncated at 3σ. */
export function gaussianWeights(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const w = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let r = -radius; r <= radius; r++) {
    const x = Math.exp((-0.5 * r * r) / (sigma * sigma));
    w[r + radius] = x;
    sum += x;
  }
  for (let r = 0; r < w.length; r++) w[r]! /= sum;
  return w;
}

/**
 * Separable Gaussian blur of a 3D field in place (three 1D passes), edge voxels replicated.
 * `sigma` is per axis in voxels; an axis with sigma 0 is left alone.
 */
export function gaussianBlur3d(
  field: Float32Array,
  dims: readonly [number, number, number],
  sigma: readonly [number, number, number],
): void {
  const [ni, nj, nk] = dims;
  const strides = [1, ni, ni * nj];
  const lengths = [ni, nj, nk];
  const line = new Float64Array(Math.max(ni, nj, nk));
  for (let axis = 0; axis < 3; axis++) {
    const s = sigma[axis]!;
    if (!(s > 0)) continue;
    const w = gaussianWeights(s);
    const radius = (w.length - 1) / 2;
    const n = lengths[axis]!;
    const stride = strides[axis]!;
    // Iterate over every line along `axis`: the start index runs over the other two axes.
    const [oa, ob] = [0, 1, 2].filter((a) => a !== axis) as [number, number];
    for (let b = 0; b < lengths[ob]!; b++) {
      for (let a = 0; a < lengths[oa]!; a++) {
        const s0 = a * strides[oa]! + b * strides[ob]!;
        let any = false;
        for (let x = 0; x < n; x++) {
          const val = field[s0 + x * stride]!;
          line[x] = val;
          if (val !== line[0]) any = true;
        }
        // A constant line stays constant: skip it (most of a label box is empty).
        if (!any) continue;
        for (let x = 0; x < n; x++) {
          let acc = 0;
          for (let r = -radius; r <= radius; r++) {
            let y = x + r;
            y = y < 0 ? 0 : y >= n ? n - 1 : y;
            acc += w[r + radius]! * line[y]!;
          }
          field[s0 + x * stride] = acc;
        }
      }
    }
  }
}

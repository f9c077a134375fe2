/** Spatial sizes `[D, H, W]` (2D images use D = 1). */
export type Dims3 = readonly [number, number, number];

/**
 * Gaussian importance map of a patch (nnU-Net, Isensee et al. 2021, `compute_gaussian`):
 * exp(−Σ (x − c)² / 2σ²) per voxel with c = ⌊P/2⌋ and σ = P/8 on each axis, scaled to a maximum
 * of 1, and values below 1e-8 raised to the smallest positive value so that no voxel of a tile
 * is ignored. C-order `[D, H, W]`.
 */
export function gaussianImportanceMap(patch: Dims3, sigmaScale = 1 / 8): Float32Array {
  const axes = patch.map((p) => {
    const c = Math.floor(p / 2);
    const s = p * sigmaScale;
    return Float64Array.from({ length: p }, (_, x) =>
      p === 1 ? 1 : Math.exp(-((x - c) ** 2) / (2 * s * s)),
    );
  });
  const [ad, ah, aw] = axes as [Float64Array, Float64Array, Float64Array];
  const [d, h, w] = patch;
  const out = new Float32Array(d * h * w);
  let max = 0;
  for (let z = 0; z < d; z++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v = ad[z]! * ah[y]! * aw[x]!;
        out[(z * h + y) * w + x] = v;
        if (v > max) max = v;
      }
  let minPositive = Infinity;
  for (let i = 0; i < out.length; i++) {
    out[i] = out[i]! / max;
    if (out[i]! >= 1e-8 && out[i]! < minPositive) minPositive = out[i]!;
  }
  for (let i = 0; i < out.length; i++) if (out[i]! < 1e-8) out[i] = minPositive;
  return out;
}

/**
 * Tile start positions along one axis of `size` voxels for tiles of `patch` voxels overlapping by
 * `overlap` (nnU-Net `compute_steps_for_sliding_window`): n = ⌈(size − patch) / (patch·(1 −
 * overlap))⌉ + 1 tiles spread evenly from 0 to size − patch. Needs size ≥ patch.
 */
export function tilePositions(size: number, patch: number, overlap: number): number[] {
  if (size <= patch) return [0];
  const target = Math.max(1, patch * (1 - overlap));
  const n = Math.ceil((size - patch) / target) + 1;
  const step = (size - patch) / (n - 1);
  return Array.from({ length: n }, (_, i) => Math.round(i * step));
}

/** Copies the patch at `start` out of a C-order `[D, H, W]` array. */
export function extractPatch(
  src: Float32Array,
  dims: Dims3,
  start: Dims3,
  patch: Dims3,
  out: Float32Array,
): void {
  const [, h, w] = dims;
  const [pd, ph, pw] = patch;
  for (let z = 0; z < pd; z++)
    for (let y = 0; y < ph; y++) {
      const s = ((start[0] + z) * h + start[1] + y) * w + start[2];
      out.set(src.subarray(s, s + pw), (z * ph + y) * pw);
    }
}

/**
 * Adds `weight`·`tile` (channels-first `[C, pd, ph, pw]`) into `acc` (`[C, D, H, W]`) at `start`,
 * and `weight` into `norm` (`[D, H, W]`).
 */
export function accumulatePatch(
  acc: Float32Array,
  norm: Float32Array,
  dims: Dims3,
  channels: number,
  tile: Float32Array,
  weight: Float32Array,
  start: Dims3,
  patch: Dims3,
): void {
  const [d, h, w] = dims;
  const [pd, ph, pw] = patch;
  const vol = d * h * w;
  const pvol = pd * ph * pw;
  for (let z = 0; z < pd; z++)
    for (let y = 0; y < ph; y++) {
      const row = ((start[0] + z) * h + start[1] + y) * w + start[2];
      const prow = (z * ph + y) * pw;
      for (let x = 0; x < pw; x++) norm[row + x] = norm[row + x]! + weight[prow + x]!;
      for (let c = 0; c < channels; c++) {
        const a = c * vol + row;
        const t = c * pvol + prow;
        for (let x = 0; x < pw; x++) acc[a + x] = acc[a + x]! + tile[t + x]! * weight[prow + x]!;
      }
    }
}

/** Pads a C-order `[D, H, W]` array with `value` to at least `min` per axis, centred. */
export function padToAtLeast(
  src: Float32Array,
  dims: Dims3,
  min: Dims3,
  value = 0,
): { data: Float32Array; dims: Dims3; offset: Dims3 } {
  const nd: Dims3 = [
    Math.max(dims[0], min[0]),
    Math.max(dims[1], min[1]),
    Math.max(dims[2], min[2]),
  ];
  if (nd[0] === dims[0] && nd[1] === dims[1] && nd[2] === dims[2])
    return { data: src, dims, offset: [0, 0, 0] };
  const off: Dims3 = [
    Math.floor((nd[0] - dims[0]) / 2),
    Math.floor((nd[1] - dims[1]) / 2),
    Math.floor((nd[2] - dims[2]) / 2),
  ];
  const out = new Float32Array(nd[0] * nd[1] * nd[2]).fill(value);
  for (let z = 0; z < dims[0]; z++)
    for (let y = 0; y < dims[1]; y++) {
      const s = (z * dims[1] + y) * dims[2];
      out.set(src.subarray(s, s + dims[2]), ((z + off[0]) * nd[1] + y + off[1]) * nd[2] + off[2]);
    }
  return { data: out, dims: nd, offset: off };
}

/** Crops channels-first `[C, D, H, W]` back to `dims` at `offset` (inverse of padding). */
export function cropChannels(
  src: Float32Array,
  padded: Dims3,
  channels: number,
  offset: Dims3,
  dims: Dims3,
): Float32Array {
  if (padded[0] === dims[0] && padded[1] === dims[1] && padded[2] === dims[2]) return src;
  const vol = dims[0] * dims[1] * dims[2];
  const pvol = padded[0] * padded[1] * padded[2];
  const out = new Float32Array(channels * vol);
  for (let c = 0; c < channels; c++)
    for (let z = 0; z < dims[0]; z++)
      for (let y = 0; y < dims[1]; y++) {
        const s = c * pvol + ((z + offset[0]) * padded[1] + y + offset[1]) * padded[2] + offset[2];
        out.set(src.subarray(s, s + dims[2]), c * vol + (z * dims[1] + y) * dims[2]);
      }
  return out;
}

import type { Dims3 } from './sliding-window.js';

/**
 * Trilinear resampling of a C-order `[D, H, W]` array to `to` voxels per axis, voxel centres
 * aligned (x_src = (x_dst + ½)·n_src/n_dst − ½, clamped at the borders), as for images.
 */
export function resampleLinear(src: Float32Array, from: Dims3, to: Dims3): Float32Array {
  if (from[0] === to[0] && from[1] === to[1] && from[2] === to[2]) return src;
  const taps = from.map((n, a) => {
    const m = to[a]!;
    const i0 = new Int32Array(m);
    const i1 = new Int32Array(m);
    const f = new Float32Array(m);
    for (let x = 0; x < m; x++) {
      const s = Math.min(n - 1, Math.max(0, ((x + 0.5) * n) / m - 0.5));
      i0[x] = Math.floor(s);
      i1[x] = Math.min(n - 1, i0[x]! + 1);
      f[x] = s - i0[x]!;
    }
    return { i0, i1, f };
  });
  const [tz, ty, tx] = taps as [(typeof taps)[0], (typeof taps)[0], (typeof taps)[0]];
  const [, h, w] = from;
  const out = new Float32Array(to[0] * to[1] * to[2]);
  let o = 0;
  for (let z = 0; z < to[0]; z++) {
    const z0 = tz.i0[z]! * h;
    const z1 = tz.i1[z]! * h;
    const fz = tz.f[z]!;
    for (let y = 0; y < to[1]; y++) {
      const y0 = ty.i0[y]!;
      const y1 = ty.i1[y]!;
      const fy = ty.f[y]!;
      const r00 = (z0 + y0) * w;
      const r01 = (z0 + y1) * w;
      const r10 = (z1 + y0) * w;
      const r11 = (z1 + y1) * w;
      for (let x = 0; x < to[2]; x++) {
        const x0 = tx.i0[x]!;
        const x1 = tx.i1[x]!;
        const fx = tx.f[x]!;
        const a = src[r00 + x0]! + (src[r00 + x1]! - src[r00 + x0]!) * fx;
        const b = src[r01 + x0]! + (src[r01 + x1]! - src[r01 + x0]!) * fx;
        const c = src[r10 + x0]! + (src[r10 + x1]! - src[r10 + x0]!) * fx;
        const d = src[r11 + x0]! + (src[r11 + x1]! - src[r11 + x0]!) * fx;
        const ab = a + (b - a) * fy;
        const cd = c + (d - c) * fy;
        out[o++] = ab + (cd - ab) * fz;
      }
    }
  }
  return out;
}

/** Nearest-neighbour resampling of a C-order `[D, H, W]` label array, voxel centres aligned. */
export function resampleNearest(src: Uint8Array, from: Dims3, to: Dims3): Uint8Array {
  if (from[0] === to[0] && from[1] === to[1] && from[2] === to[2]) return src;
  const idx = from.map((n, a) => {
    const m = to[a]!;
    return Int32Array.from({ length: m }, (_, x) =>
      Math.min(n - 1, Math.floor(((x + 0.5) * n) / m)),
    );
  });
  const [iz, iy, ix] = idx as [Int32Array, Int32Array, Int32Array];
  const [, h, w] = from;
  const out = new Uint8Array(to[0] * to[1] * to[2]);
  let o = 0;
  for (let z = 0; z < to[0]; z++)
    for (let y = 0; y < to[1]; y++) {
      const row = (iz[z]! * h + iy[y]!) * w;
      for (let x = 0; x < to[2]; x++) out[o++] = src[row + ix[x]!]!;
    }
  return out;
}

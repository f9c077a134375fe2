/**
 * Trilinear resampling through an affine map from output voxel indices to source voxel indices.
 */

/**
 * Fills `out` (dimensions `od`) with `source` (dimensions `sd`) sampled at
 * s = A·(i, j, k) + t, A row-major 3×3. A sample counts as inside when every coordinate lies in
 * [−0.5, n − 0.5) (ITK's continuous-index convention); coordinates are then clamped to [0, n − 1]
 * so the outer half voxel repeats the edge. Outside samples are 0.
 */
export function resampleTrilinear(
  source: Float32Array,
  sd: readonly [number, number, number],
  out: Float32Array,
  od: readonly [number, number, number],
  a: readonly number[],
  t: readonly number[],
): void {
  const [sni, snj, snk] = sd;
  const [oni, onj, onk] = od;
  const sSlice = sni * snj;
  const [a00, a01, a02, a10, a11, a12, a20, a21, a22] = a as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [t0, t1, t2] = t as [number, number, number];
  let v = 0;
  for (let k = 0; k < onk; k++) {
    for (let j = 0; j < onj; j++) {
      const bx = a01 * j + a02 * k + t0;
      const by = a11 * j + a12 * k + t1;
      const bz = a21 * j + a22 * k + t2;
      for (let i = 0; i < oni; i++, v++) {
        let x = a00 * i + bx;
        let y = a10 * i + by;
        let z = a20 * i + bz;
        if (!(
          x >= -0.5 &&
          x < sni - 0.5 &&
          y >= -0.5 &&
          y < snj - 0.5 &&
          z >= -0.5 &&
          z < snk - 0.5
        )) {
          out[v] = 0;
          continue;
        }
        x = x < 0 ? 0 : x > sni - 1 ? sni - 1 : x;
        y = y < 0 ? 0 : y > snj - 1 ? snj - 1 : y;
        z = z < 0 ? 0 : z > snk - 1 ? snk - 1 : z;
        let i0 = Math.floor(x);
        let j0 = Math.floor(y);
        let k0 = Math.floor(z);
        if (i0 > sni - 2) i0 = Math.max(0, sni - 2);
        if (j0 > snj - 2) j0 = Math.max(0, snj - 2);
        if (k0 > snk - 2) k0 = Math.max(0, snk - 2);
        const fx = x - i0;
        const fy = y - j0;
        const fz = z - k0;
        // Neighbour steps are 0 along an axis of a single voxel.
        const di = sni > 1 ? 1 : 0;
        const dj = snj > 1 ? sni : 0;
        const dk = snk > 1 ? sSlice : 0;
        const p = i0 + j0 * sni + k0 * sSlice;
        const c00 = source[p]! + fx * (source[p + di]! - source[p]!);
        const c10 = source[p + dj]! + fx * (source[p + dj + di]! - source[p + dj]!);
        const c01 = source[p + dk]! + fx * (source[p + dk + di]! - source[p + dk]!);
        const c11 = source[p + dk + dj]! + fx * (source[p + dk + dj + di]! - source[p + dk + dj]!);
        const c0 = c00 + fy * (c10 - c00);
        const c1 = c01 + fy * (c11 - c01);
        out[v] = c0 + fz * (c1 - c0);
      }
    }
  }
}

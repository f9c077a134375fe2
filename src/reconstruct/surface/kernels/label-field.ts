import type { VoxelArray } from '../../../core/index.js';

/** Inclusive voxel box `[i0, j0, k0, i1, j1, k1]`, or `undefined` when no voxel matches. */
export type VoxelBox = readonly [number, number, number, number, number, number];

/** The bounding box of the voxels equal to `label` (or, with `label` undefined, of all non-zero voxels). */
export function labelBox(
  data: VoxelArray,
  dims: readonly [number, number, number],
  label: number | undefined,
): VoxelBox | undefined {
  const [ni, nj, nk] = dims;
  let i0 = ni,
    j0 = nj,
    k0 = nk,
    i1 = -1,
    j1 = -1,
    k1 = -1;
  let g = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++, g++) {
        const v = data[g]!;
        if (label === undefined ? v === 0 : v !== label) continue;
        if (i < i0) i0 = i;
        if (i > i1) i1 = i;
        if (j < j0) j0 = j;
        if (j > j1) j1 = j;
        if (k < k0) k0 = k;
        if (k > k1) k1 = k;
      }
    }
  }
  return i1 < 0 ? undefined : [i0, j0, k0, i1, j1, k1];
}

/** The distinct non-zero values of a label volume, ascending. */
export function distinctLabels(data: VoxelArray): number[] {
  const seen = new Set<number>();
  let last = 0;
  for (const v of data) {
    if (v !== 0 && v !== last) {
      seen.add(v);
      last = v;
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * The 0/1 indicator of `label` over `box` grown by `pad` voxels on every side (voxels outside the
 * volume are 0, so surfaces that touch the volume's border close).
 *
 * @returns The field, its dimensions, and the voxel index of its first voxel in the volume.
 */
export function indicatorField(
  data: VoxelArray,
  dims: readonly [number, number, number],
  label: number,
  box: VoxelBox,
  pad: number,
): { field: Float32Array; dims: [number, number, number]; offset: [number, number, number] } {
  const [ni, nj] = dims;
  const o: [number, number, number] = [box[0] - pad, box[1] - pad, box[2] - pad];
  const fd: [number, number, number] = [
    box[3] - box[0] + 1 + 2 * pad,
    box[4] - box[1] + 1 + 2 * pad,
    box[5] - box[2] + 1 + 2 * pad,
  ];
  const field = new Float32Array(fd[0] * fd[1] * fd[2]);
  for (let k = box[2]; k <= box[5]; k++) {
    for (let j = box[1]; j <= box[4]; j++) {
      const src = box[0] + ni * (j + nj * k);
      const dst = box[0] - o[0] + fd[0] * (j - o[1] + fd[1] * (k - o[2]));
      for (let i = 0; i <= box[3] - box[0]; i++) field[dst + i] = data[src + i] === label ? 1 : 0;
    }
  }
  return { field, dims: fd, offset: o };
}

/** Copies any voxel array into float32 (the type the isosurface kernel reads). */
export function toFloat32(data: VoxelArray): Float32Array {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  for (let g = 0; g < data.length; g++) out[g] = data[g]!;
  return out;
}

/**
 * Maps voxel-index points to LPS millimetres in place: `p = origin + M (offset + idx)` with
 * `M = direction · diag(spacing)` given as 9 numbers column by column.
 */
export function indexToWorldPoints(
  points: Float32Array,
  m: readonly number[],
  origin: readonly number[],
  offset: readonly [number, number, number],
): void {
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = m as [
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
  const [ox, oy, oz] = origin as [number, number, number];
  for (let p = 0; p < points.length; p += 3) {
    const i = points[p]! + offset[0];
    const j = points[p + 1]! + offset[1];
    const k = points[p + 2]! + offset[2];
    points[p] = ox + m0 * i + m3 * j + m6 * k;
    points[p + 1] = oy + m1 * i + m4 * j + m7 * k;
    points[p + 2] = oz + m2 * i + m5 * j + m8 * k;
  }
}

/** Reverses the winding of every triangle in place (swaps its second and third vertex). */
export function flipTriangles(triangles: Uint32Array): void {
  for (let t = 0; t < triangles.length; t += 3) {
    const b = triangles[t + 1]!;
    triangles[t + 1] = triangles[t + 2]!;
    triangles[t + 2] = b;
  }
}

/**
 * Pads a field with one voxel on every side whose values mirror the border voxels about `level`
 * (`2 level − v` for border values `v ≥ level`, kept just below the level): marching cubes then
 * closes surfaces cut by the volume's border with caps exactly half a voxel outside it.
 */
export function padClosed(
  src: Float32Array,
  dims: readonly [number, number, number],
  level: number,
): { field: Float32Array; dims: [number, number, number] } {
  const [ni, nj, nk] = dims;
  const pd: [number, number, number] = [ni + 2, nj + 2, nk + 2];
  const field = new Float32Array(pd[0] * pd[1] * pd[2]);
  const below = level - 1e-6 * (1 + Math.abs(level));
  let g = 0;
  for (let k = 0; k < pd[2]; k++) {
    const kk = Math.min(Math.max(k - 1, 0), nk - 1);
    const kBorder = k === 0 || k === pd[2] - 1;
    for (let j = 0; j < pd[1]; j++) {
      const jj = Math.min(Math.max(j - 1, 0), nj - 1);
      const jBorder = kBorder || j === 0 || j === pd[1] - 1;
      for (let i = 0; i < pd[0]; i++, g++) {
        const ii = Math.min(Math.max(i - 1, 0), ni - 1);
        const v = src[ii + ni * (jj + nj * kk)]!;
        if (!(jBorder || i === 0 || i === pd[0] - 1)) field[g] = v;
        else field[g] = v >= level ? Math.min(2 * level - v, below) : v;
      }
    }
  }
  return { field, dims: pd };
}

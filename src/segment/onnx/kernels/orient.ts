/**
 * Axis permutation and flips that bring an `[i, j, k]` grid with direction cosines `direction`
 * (column by column, as `Volume.direction`) nearest to `target`: LPS (+x, +y, +z) or RAS
 * (−x, −y, +z). `perm[a]` is the source axis of new axis a; `flip[a]` reverses it.
 */
export function orientationMap(
  direction: readonly number[],
  target: 'LPS' | 'RAS',
): { perm: number[]; flip: boolean[] } {
  const sign = target === 'LPS' ? [1, 1, 1] : [-1, -1, 1];
  const perm: number[] = [];
  const flip: boolean[] = [];
  const used = new Set<number>();
  for (let t = 0; t < 3; t++) {
    let best = -1;
    let bestV = -1;
    for (let a = 0; a < 3; a++) {
      if (used.has(a)) continue;
      const v = Math.abs(direction[a * 3 + t]!);
      if (v > bestV) {
        bestV = v;
        best = a;
      }
    }
    used.add(best);
    perm.push(best);
    flip.push(direction[best * 3 + t]! * sign[t]! < 0);
  }
  return { perm, flip };
}

/**
 * Reorders a grid stored i fastest (`dims` = [ni, nj, nk]) by `perm`/`flip`; with `inverse`
 * undoes it (then `dims` are the source grid's). Returns the new array and its dims.
 */
export function permuteFlip<T extends Float32Array | Uint8Array>(
  src: T,
  dims: readonly [number, number, number],
  perm: readonly number[],
  flip: readonly boolean[],
  inverse = false,
): T {
  const nd = [dims[perm[0]!]!, dims[perm[1]!]!, dims[perm[2]!]!];
  const out = new (src.constructor as new (n: number) => T)(src.length);
  const s = [1, dims[0], dims[0] * dims[1]];
  const idx = [0, 0, 0];
  let o = 0;
  for (let c = 0; c < nd[2]!; c++)
    for (let b = 0; b < nd[1]!; b++)
      for (let a = 0; a < nd[0]!; a++) {
        const n = [a, b, c];
        for (let t = 0; t < 3; t++) idx[perm[t]!] = flip[t] ? nd[t]! - 1 - n[t]! : n[t]!;
        const si = idx[0]! * s[0]! + idx[1]! * s[1]! + idx[2]! * s[2]!;
        if (inverse) out[si] = src[o++]!;
        else out[o++] = src[si]!;
      }
  return out;
}

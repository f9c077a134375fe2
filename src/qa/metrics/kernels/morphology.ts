/**
 * Binary morphology on 0/1 `Uint8Array` masks laid out like `Volume.data` (i fastest).
 */

/**
 * Keeps only the largest 6-connected component of `mask`, in place; returns its voxel count.
 * Ties go to the component met first in memory order.
 */
export function keepLargestComponent(mask: Uint8Array, ni: number, nj: number, nk: number): number {
  const n = mask.length;
  let foreground = 0;
  for (let v = 0; v < n; v++) if (mask[v] !== 0) foreground++;
  if (foreground === 0) return 0;
  const queue = new Int32Array(foreground);
  const slice = ni * nj;
  // Visits a component from `seed`, turning `from` into `to`; returns its size.
  // Visits a component from `seed`, turning `from` into `to`; returns its size. Written out
  // without helper closures: this loop touches every foreground voxel twice.
  const flood = (seed: number, from: number, to: number): number => {
    let head = 0;
    let tail = 0;
    mask[seed] = to;
    queue[tail++] = seed;
    while (head < tail) {
      const v = queue[head++]!;
      const vk = (v / slice) | 0;
      const inSlice = v - vk * slice;
      const j = (inSlice / ni) | 0;
      const i = inSlice - j * ni;
      let u = v - 1;
      if (i > 0 && mask[u] === from) {
        mask[u] = to;
        queue[tail++] = u;
      }
      u = v + 1;
      if (i < ni - 1 && mask[u] === from) {
        mask[u] = to;
        queue[tail++] = u;
      }
      u = v - ni;
      if (j > 0 && mask[u] === from) {
        mask[u] = to;
        queue[tail++] = u;
      }
      u = v + ni;
      if (j < nj - 1 && mask[u] === from) {
        mask[u] = to;
        queue[tail++] = u;
      }
      u = v - slice;
      if (vk > 0 && mask[u] === from) {
        mask[u] = to;
        queue[tail++] = u;
      }
      u = v + slice;
      if (vk < nk - 1 && mask[u] === from) {
        mask[u] = to;
        queue[tail++] = u;
      }
    }
    return tail;
  };
  let bestSeed = 0;
  let bestSize = 0;
  for (let v = 0; v < n; v++) {
    if (mask[v] !== 1) continue;
    const size = flood(v, 1, 2);
    if (size > bestSize) {
      bestSize = size;
      bestSeed = v;
    }
  }
  flood(bestSeed, 2, 3);
  for (let v = 0; v < n; v++) mask[v] = mask[v] === 3 ? 1 : 0;
  return bestSize;
}

/**
 * Fills holes slice by slice, in place: a pixel of a k-slice becomes 1 unless it is 0 and
 * 4-connected through 0-pixels of that slice to the slice border.
 */
export function fillHolesPerSlice(mask: Uint8Array, ni: number, nj: number, nk: number): void {
  const slice = ni * nj;
  const outside = new Uint8Array(slice);
  const queue = new Int32Array(slice);
  for (let k = 0; k < nk; k++) {
    const base = k * slice;
    outside.fill(0);
    let tail = 0;
    // Seeds: every background pixel on the slice border.
    for (let p = 0; p < slice; p++) {
      const i = p % ni;
      const onBorder = p < ni || p >= slice - ni || i === 0 || i === ni - 1;
      if (onBorder && mask[base + p] === 0) {
        outside[p] = 1;
        queue[tail++] = p;
      }
    }
    let head = 0;
    while (head < tail) {
      const p = queue[head++]!;
      const i = p % ni;
      let q = p - 1;
      if (i > 0 && outside[q] === 0 && mask[base + q] === 0) {
        outside[q] = 1;
        queue[tail++] = q;
      }
      q = p + 1;
      if (i < ni - 1 && outside[q] === 0 && mask[base + q] === 0) {
        outside[q] = 1;
        queue[tail++] = q;
      }
      q = p - ni;
      if (p >= ni && outside[q] === 0 && mask[base + q] === 0) {
        outside[q] = 1;
        queue[tail++] = q;
      }
      q = p + ni;
      if (p < slice - ni && outside[q] === 0 && mask[base + q] === 0) {
        outside[q] = 1;
        queue[tail++] = q;
      }
    }
    for (let p = 0; p < slice; p++) if (outside[p] === 0) mask[base + p] = 1;
  }
}

/**
 * In-plane dilation by a (2m+1)×(2m+1) square, done as two separable 1D passes (along i, then j):
 * a pixel is set when some set pixel of its slice lies within `m` pixels along both i and j.
 */
export function dilateInPlane(
  mask: Uint8Array,
  ni: number,
  nj: number,
  nk: number,
  m: number,
): Uint8Array {
  const rows = new Uint8Array(mask.length);
  // Along i: distance to the nearest set pixel on the left and on the right of each pixel.
  for (let row = 0; row < nj * nk; row++) {
    const base = row * ni;
    let last = -Infinity;
    for (let i = 0; i < ni; i++) {
      if (mask[base + i] !== 0) last = i;
      if (i - last <= m) rows[base + i] = 1;
    }
    last = Infinity;
    for (let i = ni - 1; i >= 0; i--) {
      if (mask[base + i] !== 0) last = i;
      if (last - i <= m) rows[base + i] = 1;
    }
  }
  // Along j, row by row (cache-friendly), keeping the last set row per column.
  const out = new Uint8Array(mask.length);
  const slice = ni * nj;
  const last = new Float64Array(ni);
  for (let k = 0; k < nk; k++) {
    const base = k * slice;
    last.fill(-Infinity);
    for (let j = 0; j < nj; j++) {
      const row = base + j * ni;
      for (let i = 0; i < ni; i++) {
        if (rows[row + i] !== 0) last[i] = j;
        if (j - last[i]! <= m) out[row + i] = 1;
      }
    }
    last.fill(Infinity);
    for (let j = nj - 1; j >= 0; j--) {
      const row = base + j * ni;
      for (let i = 0; i < ni; i++) {
        if (rows[row + i] !== 0) last[i] = j;
        if (last[i]! - j <= m) out[row + i] = 1;
      }
    }
  }
  return out;
}

/** In-plane erosion by a (2m+1)×(2m+1) square: the complement of the dilated complement. */
export function erodeInPlane(
  mask: Uint8Array,
  ni: number,
  nj: number,
  nk: number,
  m: number,
): Uint8Array {
  const complement = new Uint8Array(mask.length);
  for (let v = 0; v < mask.length; v++) complement[v] = mask[v] === 0 ? 1 : 0;
  const grown = dilateInPlane(complement, ni, nj, nk, m);
  for (let v = 0; v < grown.length; v++) grown[v] = grown[v] === 0 ? 1 : 0;
  return grown;
}

/**
 * Clears every 6-connected component of `mask` smaller than `fraction` of the largest one (and
 * than `minVoxels`), in place; returns the number of voxels kept. Used to drop noise specks that
 * cross a threshold in the air while keeping real objects beside the main one.
 */
export function removeSmallComponents(
  mask: Uint8Array,
  ni: number,
  nj: number,
  nk: number,
  fraction: number,
  minVoxels: number,
): number {
  const n = mask.length;
  const labels = new Int32Array(n);
  const sizes: number[] = [0];
  // Labels start at 1; `sizes[label]` is the component's voxel count.
  const queue = new Int32Array(n);
  const slice = ni * nj;
  for (let seed = 0; seed < n; seed++) {
    if (mask[seed] === 0 || labels[seed] !== 0) continue;
    const label = sizes.length;
    let head = 0;
    let tail = 0;
    labels[seed] = label;
    queue[tail++] = seed;
    while (head < tail) {
      const v = queue[head++]!;
      const vk = (v / slice) | 0;
      const inSlice = v - vk * slice;
      const j = (inSlice / ni) | 0;
      const i = inSlice - j * ni;
      // Written out, without a helper closure: this loop visits every supra-threshold voxel, and
      // a noisy full-size volume has 10⁵ specks.
      for (let d = 0; d < 6; d++) {
        let u: number;
        if (d === 0) {
          if (i === 0) continue;
          u = v - 1;
        } else if (d === 1) {
          if (i === ni - 1) continue;
          u = v + 1;
        } else if (d === 2) {
          if (j === 0) continue;
          u = v - ni;
        } else if (d === 3) {
          if (j === nj - 1) continue;
          u = v + ni;
        } else if (d === 4) {
          if (vk === 0) continue;
          u = v - slice;
        } else {
          if (vk === nk - 1) continue;
          u = v + slice;
        }
        if (mask[u] !== 0 && labels[u] === 0) {
          labels[u] = label;
          queue[tail++] = u;
        }
      }
    }
    sizes.push(tail);
  }
  // A loop, not Math.max(...sizes): a noisy full-size volume has 10⁵ specks, past the stack.
  let largest = 0;
  for (const size of sizes) if (size > largest) largest = size;
  const keep = Math.max(minVoxels, fraction * largest);
  let kept = 0;
  for (let v = 0; v < n; v++) {
    const l = labels[v]!;
    if (l === 0) continue;
    if ((sizes[l] ?? 0) >= keep) kept++;
    else mask[v] = 0;
  }
  return kept;
}

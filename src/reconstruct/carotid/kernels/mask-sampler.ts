/**
 * Pixel-level reading of carotid masks: an oriented view of a longitudinal mask (X along the vessel,
 * distal positive; Y toward the side that `flipY` names), bilinear indicators, runs and ray profiles,
 * and the moments of a transversal cut.
 */

/** A mask seen with X (mm) along the vessel, distal positive, and Y (mm) toward +u. */
export interface OrientedMask {
  readonly data: Uint8Array;
  readonly columns: number;
  readonly rows: number;
  /** Column and row spacing, mm. */
  readonly sx: number;
  readonly sy: number;
  /** Column index decreases distally. */
  readonly flipX: boolean;
  /** Row index decreases toward +Y (+Y is the top of the image). */
  readonly flipY: boolean;
}

/** Oriented extent, mm. */
export function orientedSize(m: OrientedMask): readonly [x: number, y: number] {
  return [(m.columns - 1) * m.sx, (m.rows - 1) * m.sy];
}

/** Label at oriented pixel indices (k along X, j along Y); 255 outside the image. */
export function labelAtIndex(m: OrientedMask, k: number, j: number): number {
  if (k < 0 || j < 0 || k >= m.columns || j >= m.rows) return 255;
  const c = m.flipX ? m.columns - 1 - k : k;
  const r = m.flipY ? m.rows - 1 - j : j;
  return m.data[c + r * m.columns]!;
}

/**
 * Bilinear interpolation at (X, Y) mm of the indicator "label is lumen" (`nonzero` false) or
 * "label is lumen or wall" (`nonzero` true); NaN outside the image.
 */
export function indicatorAt(m: OrientedMask, x: number, y: number, nonzero: boolean): number {
  const fk = x / m.sx;
  const fj = y / m.sy;
  if (fk < 0 || fj < 0 || fk > m.columns - 1 || fj > m.rows - 1) return NaN;
  const k0 = Math.min(m.columns - 2, Math.floor(fk));
  const j0 = Math.min(m.rows - 2, Math.floor(fj));
  const tk = fk - k0;
  const tj = fj - j0;
  const ind = (k: number, j: number): number => {
    const v = labelAtIndex(m, k, j);
    return nonzero ? (v === 1 || v === 2 ? 1 : 0) : v === 1 ? 1 : 0;
  };
  return (
    (1 - tk) * (1 - tj) * ind(k0, j0) +
    tk * (1 - tj) * ind(k0 + 1, j0) +
    (1 - tk) * tj * ind(k0, j0 + 1) +
    tk * tj * ind(k0 + 1, j0 + 1)
  );
}

/** A run of lumen pixels along Y in one oriented column, with the wall beyond each end. */
export interface LumenRun {
  /** First and last lumen pixel, oriented row indices. */
  readonly lo: number;
  readonly hi: number;
  /**
   * Last wall pixel beyond each end (the index of the run's own end when there is no wall there),
   * NaN when the wall meets another lumen or the image edge, which leaves the outer boundary unknown.
   */
  readonly outerLo: number;
  readonly outerHi: number;
}

/** Lumen runs of oriented column k, at least `minLength` pixels long, in increasing Y. */
export function lumenRuns(m: OrientedMask, k: number, minLength: number): LumenRun[] {
  const runs: LumenRun[] = [];
  let j = 0;
  while (j < m.rows) {
    if (labelAtIndex(m, k, j) !== 1) {
      j++;
      continue;
    }
    const lo = j;
    while (j < m.rows && labelAtIndex(m, k, j) === 1) j++;
    const hi = j - 1;
    if (hi - lo + 1 >= minLength) {
      let a = lo - 1;
      while (a >= 0 && labelAtIndex(m, k, a) === 2) a--;
      let b = hi + 1;
      while (b < m.rows && labelAtIndex(m, k, b) === 2) b++;
      runs.push({
        lo,
        hi,
        outerLo: a >= 0 && labelAtIndex(m, k, a) === 0 ? a + 1 : NaN,
        outerHi: b < m.rows && labelAtIndex(m, k, b) === 0 ? b - 1 : NaN,
      });
    }
  }
  return runs;
}

/** Lumen and outer boundaries along a line, signed distances from its start point, mm (NaN unknown). */
export interface RayProfile {
  readonly lumenLo: number;
  readonly lumenHi: number;
  readonly outerLo: number;
  readonly outerHi: number;
}

/**
 * Walks the line (x0, y0) + t·(ux, uy) both ways from the lumen point nearest its start (within
 * `searchMm`), finds the lumen boundary (0.5 crossing of the bilinear lumen indicator) and then the
 * outer wall boundary (0.5 crossing of the lumen-or-wall indicator) on each side. The outer boundary
 * is NaN where the wall meets another lumen, runs off the image or is wider than `maxWallMm`.
 * Returns undefined when no lumen is found or a lumen boundary lies off the image.
 */
export function rayProfile(
  m: OrientedMask,
  x0: number,
  y0: number,
  ux: number,
  uy: number,
  searchMm: number,
  maxWallMm: number,
): RayProfile | undefined {
  const step = 0.25 * Math.min(m.sx, m.sy);
  const lumen = (t: number): number => indicatorAt(m, x0 + t * ux, y0 + t * uy, false);
  const any = (t: number): number => indicatorAt(m, x0 + t * ux, y0 + t * uy, true);
  let t0 = NaN;
  if (lumen(0) >= 0.5) t0 = 0;
  else {
    for (let k = 1; k * step <= searchMm && Number.isNaN(t0); k++) {
      if (lumen(k * step) >= 0.5) t0 = k * step;
      else if (lumen(-k * step) >= 0.5) t0 = -k * step;
    }
  }
  if (Number.isNaN(t0)) return undefined;
  const limit = 40;
  const edge = (dir: 1 | -1): number => {
    let t = t0;
    let f = lumen(t);
    while (Math.abs(t - t0) < limit) {
      const t1 = t + dir * step;
      const f1 = lumen(t1);
      if (Number.isNaN(f1)) return NaN;
      if (f1 < 0.5) return t + (dir * step * (f - 0.5)) / (f - f1);
      t = t1;
      f = f1;
    }
    return NaN;
  };
  const outer = (tc: number, dir: 1 | -1): number => {
    let t = tc;
    let g = any(t);
    while (Math.abs(t - tc) <= maxWallMm) {
      const t1 = t + dir * step;
      const g1 = any(t1);
      const f1 = lumen(t1);
      if (Number.isNaN(g1)) return NaN;
      if (f1 >= 0.5 && Math.abs(t1 - tc) > 2 * step) return NaN;
      if (g1 < 0.5) return g > g1 ? t + (dir * step * (g - 0.5)) / (g - g1) : t;
      t = t1;
      g = g1;
    }
    return NaN;
  };
  const lumenLo = edge(-1);
  const lumenHi = edge(1);
  if (Number.isNaN(lumenLo) || Number.isNaN(lumenHi)) return undefined;
  return {
    lumenLo,
    lumenHi,
    outerLo: outer(lumenLo, -1),
    outerHi: outer(lumenHi, 1),
  };
}

/** Whether any pixel of a mask is wall. */
export function hasWallLabel(data: Uint8Array): boolean {
  return data.includes(2);
}

/** Moments of a transversal cut's vessel (the component nearest the image centre). */
export interface CutMoments {
  /** Lumen area and outer (lumen + wall) area, mm². */
  readonly lumenAreaMm2: number;
  readonly outerAreaMm2: number;
  /** Centroids relative to the image centre, along columns (u) and rows (v), mm. */
  readonly lumenCentroidMm: readonly [u: number, v: number];
  readonly outerCentroidMm: readonly [u: number, v: number];
  /** Variances along columns and rows, mm², corrected for the pixel's own extent (h²/12). */
  readonly lumenVarianceMm2: readonly [u: number, v: number];
  readonly outerVarianceMm2: readonly [u: number, v: number];
  /** Largest outer-minus-lumen distance over rays from the outer centroid every 2°, mm. */
  readonly maxWallThicknessMm: number;
  /** Whether the component holds wall pixels. */
  readonly hasWall: boolean;
}

/**
 * Picks the lumen (4-connected component of label 1) whose centroid is nearest the image centre,
 * gives it the wall pixels that are geodesically closer to it than to any other lumen (a
 * breadth-first search from every lumen at once, so a neighbouring vessel whose wall touches
 * keeps its own wall), and returns the moments; undefined when the cut holds no lumen.
 */
export function cutMoments(
  data: Uint8Array,
  columns: number,
  rows: number,
  sx: number,
  sy: number,
): CutMoments | undefined {
  const comp = new Int32Array(columns * rows).fill(-1);
  const queue = new Int32Array(columns * rows);
  const cc = (columns - 1) / 2;
  const rc = (rows - 1) / 2;
  let best = -1;
  let bestDistance = Infinity;
  let id = 0;
  for (let start = 0; start < data.length; start++) {
    if (data[start] !== 1 || comp[start] !== -1) continue;
    let top = 0;
    queue[top++] = start;
    comp[start] = id;
    let n = 0;
    let sc = 0;
    let sr = 0;
    while (top > 0) {
      const p = queue[--top]!;
      const c = p % columns;
      const r = (p - c) / columns;
      n++;
      sc += c;
      sr += r;
      if (c > 0 && data[p - 1] === 1 && comp[p - 1] === -1) {
        comp[p - 1] = id;
        queue[top++] = p - 1;
      }
      if (c < columns - 1 && data[p + 1] === 1 && comp[p + 1] === -1) {
        comp[p + 1] = id;
        queue[top++] = p + 1;
      }
      if (r > 0 && data[p - columns] === 1 && comp[p - columns] === -1) {
        comp[p - columns] = id;
        queue[top++] = p - columns;
      }
      if (r < rows - 1 && data[p + columns] === 1 && comp[p + columns] === -1) {
        comp[p + columns] = id;
        queue[top++] = p + columns;
      }
    }
    if (n >= 4) {
      const dist = Math.hypot((sc / n - cc) * sx, (sr / n - rc) * sy);
      if (dist < bestDistance) {
        bestDistance = dist;
        best = id;
      }
    }
    id++;
  }
  if (best < 0) return undefined;
  // Wall pixels go to the nearest lumen (breadth-first from all lumen pixels).
  let head = 0;
  let tail = 0;
  for (let p = 0; p < data.length; p++) if (comp[p]! >= 0) queue[tail++] = p;
  while (head < tail) {
    const p = queue[head++]!;
    const c = p % columns;
    const owner = comp[p]!;
    const neighbours = [
      c > 0 ? p - 1 : -1,
      c < columns - 1 ? p + 1 : -1,
      p >= columns ? p - columns : -1,
      p + columns < data.length ? p + columns : -1,
    ];
    for (const q of neighbours) {
      if (q >= 0 && data[q] === 2 && comp[q] === -1) {
        comp[q] = owner;
        queue[tail++] = q;
      }
    }
  }

  let nl = 0;
  let no = 0;
  let lc = 0;
  let lr = 0;
  let oc = 0;
  let or = 0;
  let lcc = 0;
  let lrr = 0;
  let occ = 0;
  let orr = 0;
  let wall = false;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const p = c + r * columns;
      if (comp[p] !== best) continue;
      const u = (c - cc) * sx;
      const v = (r - rc) * sy;
      no++;
      oc += u;
      or += v;
      occ += u * u;
      orr += v * v;
      if (data[p] === 1) {
        nl++;
        lc += u;
        lr += v;
        lcc += u * u;
        lrr += v * v;
      } else wall = true;
    }
  }
  const lumenCentroid = [lc / nl, lr / nl] as const;
  const outerCentroid = [oc / no, or / no] as const;
  const variance = (s2: number, s1: number, n: number, h: number): number =>
    Math.max(0, s2 / n - (s1 / n) ** 2 - (h * h) / 12);

  // Rays from the outer centroid: the outermost lumen sample and the outer exit on each ray.
  let maxWall = 0;
  if (wall) {
    const step = 0.25 * Math.min(sx, sy);
    const reach = Math.hypot(columns * sx, rows * sy);
    for (let a = 0; a < 180; a++) {
      const th = (a * 2 * Math.PI) / 180;
      const du = Math.cos(th);
      const dv = Math.sin(th);
      let lastLumen = NaN;
      let exit = NaN;
      for (let t = 0; t < reach; t += step) {
        const c = Math.round(cc + (outerCentroid[0] + t * du) / sx);
        const r = Math.round(rc + (outerCentroid[1] + t * dv) / sy);
        if (c < 0 || r < 0 || c >= columns || r >= rows) break;
        const p = c + r * columns;
        if (comp[p] !== best) {
          exit = t;
          break;
        }
        if (data[p] === 1) lastLumen = t;
      }
      if (Number.isNaN(exit)) continue;
      maxWall = Math.max(maxWall, Number.isNaN(lastLumen) ? exit : exit - lastLumen);
    }
  }
  const pixelArea = sx * sy;
  return {
    lumenAreaMm2: nl * pixelArea,
    outerAreaMm2: no * pixelArea,
    lumenCentroidMm: lumenCentroid,
    outerCentroidMm: outerCentroid,
    lumenVarianceMm2: [variance(lcc, lc, nl, sx), variance(lrr, lr, nl, sy)],
    outerVarianceMm2: [variance(occ, oc, no, sx), variance(orr, or, no, sy)],
    maxWallThicknessMm: maxWall,
    hasWall: wall,
  };
}

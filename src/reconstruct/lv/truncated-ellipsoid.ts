import { PlatformError } from '../../core/index.js';
import type { TriangleMesh } from '../../core/index.js';
import type { BiplaneVolume } from './method-of-discs.js';

/**
 * A truncated ellipsoid LV model: an ellipsoid with semi-axes `a` (long axis) and `b₄`, `b₂`
 * (in the apical 4- and 2-chamber planes), cut by the base plane perpendicular to the long axis
 * at `h` from the centre towards the base (`−a < h < a`; `h = 0` is the half-ellipsoid).
 */
export interface TruncatedEllipsoid {
  /** Long semi-axis `a`, in mm. */
  readonly longSemiAxisMm: number;
  /** Short semi-axes `b₄` (4-chamber plane, x) and `b₂` (2-chamber plane, y), in mm. */
  readonly shortSemiAxesMm: readonly [a4c: number, a2c: number];
  /** Distance `h` from the centre to the base plane, towards the base, in mm. */
  readonly truncationMm: number;
}

function check(e: TruncatedEllipsoid): void {
  const a = e.longSemiAxisMm;
  const [b1, b2] = e.shortSemiAxesMm;
  if (!(a > 0 && b1 > 0 && b2 > 0 && Math.abs(e.truncationMm) < a)) {
    throw new PlatformError(
      'ERR_RECONSTRUCT_INPUT',
      `truncated ellipsoid needs positive semi-axes and |h| < a, got a=${a}, b=${b1},${b2}, h=${e.truncationMm}`,
    );
  }
}

/**
 * Volume of a truncated ellipsoid, in mL: `V = π·b₄·b₂·[(h + a) − (h³ + a³)/(3a²)]`, the
 * integral of the elliptical section area `π·b₄·b₂·(1 − z²/a²)` from the apex (`z = −a`) to the
 * base plane (`z = h`).
 *
 * @example
 * ```ts
 * truncatedEllipsoidVolume({ longSemiAxisMm: 60, shortSemiAxesMm: [25, 25], truncationMm: 0 });
 * // 78.54: the half-ellipsoid, 2/3·π·25²·60 mm³
 * ```
 */
export function truncatedEllipsoidVolume(e: TruncatedEllipsoid): number {
  check(e);
  const a = e.longSemiAxisMm;
  const h = e.truncationMm;
  const [b1, b2] = e.shortSemiAxesMm;
  return (Math.PI * b1 * b2 * (h + a - (h ** 3 + a ** 3) / (3 * a * a))) / 1000;
}

/** Length from the base plane to the apex, `a + h`, in mm. */
export function truncatedEllipsoidLength(e: TruncatedEllipsoid): number {
  return e.longSemiAxisMm + e.truncationMm;
}

/** Options of {@link truncatedEllipsoidMesh}. */
export interface EllipsoidMeshOptions {
  /** Rings from apex to base. @defaultValue 32 */
  readonly rings?: number;
  /** Points per ring. @defaultValue 64 */
  readonly segments?: number;
}

/**
 * A watertight triangle mesh of a truncated ellipsoid, in an LV frame in millimetres: origin at
 * the centre of the base plane (the mitral annulus), +z from base to apex, x in the 4-chamber
 * plane, y in the 2-chamber plane. Rings are evenly spaced in the polar angle from the apex (finer
 * where the surface curves most); the base is closed by a flat fan. Triangles are
 * counter-clockwise seen from outside.
 */
export function truncatedEllipsoidMesh(
  e: TruncatedEllipsoid,
  options?: EllipsoidMeshOptions,
): TriangleMesh {
  check(e);
  const rings = options?.rings ?? 32;
  const segments = options?.segments ?? 64;
  if (!Number.isInteger(rings) || rings < 1 || !Number.isInteger(segments) || segments < 3) {
    throw new PlatformError(
      'ERR_RECONSTRUCT_INPUT',
      `need rings ≥ 1 and segments ≥ 3, got ${rings} and ${segments}`,
    );
  }
  const a = e.longSemiAxisMm;
  const h = e.truncationMm;
  const [b1, b2] = e.shortSemiAxesMm;
  const thetaBase = Math.acos(-h / a);
  const count = 2 + rings * segments;
  const points = new Float32Array(3 * count);
  points.set([0, 0, h + a], 0);
  for (let j = 1; j <= rings; j++) {
    const theta = (thetaBase * j) / rings;
    const s = Math.sin(theta);
    const z = j === rings ? 0 : h + a * Math.cos(theta);
    for (let k = 0; k < segments; k++) {
      const phi = (2 * Math.PI * k) / segments;
      points.set(
        [b1 * s * Math.cos(phi), b2 * s * Math.sin(phi), z],
        3 * (1 + (j - 1) * segments + k),
      );
    }
  }
  const centre = count - 1;
  points.set([0, 0, 0], 3 * centre);
  const triangles = ringTriangles(rings, segments, 0, centre);
  return { points, triangles };
}

/**
 * Triangles of `rings` rings of `segments` points (ring j at `1 + j·segments`), closed by a fan
 * to `tip` before the first ring and a fan to `cap` after the last; counter-clockwise seen from
 * outside when the rings run counter-clockwise about the axis from cap to tip.
 */
export function ringTriangles(
  rings: number,
  segments: number,
  tip: number,
  cap: number,
): Uint32Array {
  const out = new Uint32Array(3 * (2 * segments * rings));
  let at = 0;
  const put = (a: number, b: number, c: number): void => {
    out[at++] = a;
    out[at++] = b;
    out[at++] = c;
  };
  const ring = (j: number, k: number): number => 1 + j * segments + (k % segments);
  for (let k = 0; k < segments; k++) put(tip, ring(0, k), ring(0, k + 1));
  for (let j = 0; j + 1 < rings; j++) {
    for (let k = 0; k < segments; k++) {
      put(ring(j, k), ring(j + 1, k), ring(j + 1, k + 1));
      put(ring(j, k), ring(j + 1, k + 1), ring(j, k + 1));
    }
  }
  for (let k = 0; k < segments; k++) put(cap, ring(rings - 1, k + 1), ring(rings - 1, k));
  return out;
}

/** A truncated ellipsoid fitted to biplane disc diameters, with its analytic volume. */
export interface EllipsoidFit {
  readonly ellipsoid: TruncatedEllipsoid;
  /** Analytic volume of the fitted ellipsoid, in mL. */
  readonly volumeMl: number;
  /** Root-mean-square difference between measured and fitted disc radii, in mm. */
  readonly rmsResidualMm: number;
}

/**
 * Fits a truncated ellipsoid to the discs of a biplane measurement: the long axis `L = a + h`
 * is the biplane length; `h` (hence `a`) is found by a search over `h/L` in [−1, 0.5), and for
 * each `h` the squared semi-axes `b₄²`, `b₂²` are the least-squares solution of
 * `(dᵢ/2)² = b²·(1 − (h − sᵢ)²/a²)` over the discs at distance `sᵢ` from the base (linear in
 * `b²`). Minimises the sum of squared section-radius² residuals of both views.
 */
export function fitTruncatedEllipsoid(biplane: BiplaneVolume): EllipsoidFit {
  const L = biplane.lengthMm;
  const views = [biplane.a4c.diametersMm, biplane.a2c.diametersMm] as const;
  const solve = (h: number): { cost: number; b: [number, number] } => {
    const a = L - h;
    let cost = 0;
    const b: [number, number] = [0, 0];
    views.forEach((d, v) => {
      const n = d.length;
      let sw = 0;
      let sy = 0;
      for (let i = 0; i < n; i++) {
        const s = ((i + 0.5) * L) / n;
        const w = 1 - ((h - s) / a) ** 2;
        sw += w * w;
        sy += w * ((d[i] ?? 0) / 2) ** 2;
      }
      const b2 = sw > 0 ? sy / sw : 0;
      for (let i = 0; i < n; i++) {
        const s = ((i + 0.5) * L) / n;
        const w = 1 - ((h - s) / a) ** 2;
        cost += (((d[i] ?? 0) / 2) ** 2 - b2 * w) ** 2;
      }
      b[v] = Math.sqrt(Math.max(b2, 0));
    });
    return { cost, b };
  };
  // A coarse scan then golden-section refinement around the best cell: the cost is smooth in h
  // but need not be unimodal over the whole range.
  const lo = -L;
  const hi = 0.499 * L;
  const steps = 150;
  let best = lo;
  let bestCost = Infinity;
  for (let i = 0; i <= steps; i++) {
    const h = lo + ((hi - lo) * i) / steps;
    const { cost } = solve(h);
    if (cost < bestCost) {
      bestCost = cost;
      best = h;
    }
  }
  const cell = (hi - lo) / steps;
  let x0 = Math.max(lo, best - cell);
  let x1 = Math.min(hi, best + cell);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const m1 = x1 - g * (x1 - x0);
    const m2 = x0 + g * (x1 - x0);
    if (solve(m1).cost < solve(m2).cost) x1 = m2;
    else x0 = m1;
  }
  const h = (x0 + x1) / 2;
  const { b } = solve(h);
  const ellipsoid: TruncatedEllipsoid = {
    longSemiAxisMm: L - h,
    shortSemiAxesMm: b,
    truncationMm: h,
  };
  // Residual in radius, mm, for reporting.
  let sq = 0;
  let count = 0;
  views.forEach((d, v) => {
    const n = d.length;
    for (let i = 0; i < n; i++) {
      const s = ((i + 0.5) * L) / n;
      const r = (b[v] ?? 0) * Math.sqrt(Math.max(0, 1 - ((h - s) / (L - h)) ** 2));
      sq += ((d[i] ?? 0) / 2 - r) ** 2;
      count++;
    }
  });
  return {
    ellipsoid,
    volumeMl: truncatedEllipsoidVolume(ellipsoid),
    rmsResidualMm: Math.sqrt(sq / Math.max(count, 1)),
  };
}

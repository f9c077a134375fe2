import { PlatformError } from '../../core/index.js';
import type { Image2D } from '../../core/index.js';
import { convexHull } from './kernels/convex-hull.js';
import { boundaryPixels } from './kernels/mask-sampling.js';

/** A point or vector in the plane of a 2D image, in millimetres: `x = column · Δx`, `y = row · Δy`. */
export type Point2 = readonly [x: number, y: number];

/**
 * The long axis of a left-ventricular mask in an apical view: mitral annulus hinge points, the
 * annulus midpoint (the base), the apex and the length between them (ASE/EACVI chamber
 * quantification, Lang et al. 2015, JASE 28:1–39, §I.1).
 */
export interface LvLongAxis {
  /** The two mitral annulus hinge points (centres of the basal corner pixels), in mm. */
  readonly hinges: readonly [Point2, Point2];
  /** The annulus midpoint, moved half a pixel out to the mask's basal edge, in mm. */
  readonly base: Point2;
  /** The apex: the mask point farthest from the annulus midpoint, moved half a pixel out to the edge, in mm. */
  readonly apex: Point2;
  /** Unit vector from base to apex. */
  readonly direction: Point2;
  /** Distance from base to apex, in mm. */
  readonly lengthMm: number;
}

/** A validated binary mask: non-zero samples are inside. */
export interface MaskView {
  readonly data: Image2D['data'];
  readonly columns: number;
  readonly rows: number;
  /** Column spacing, in mm. */
  readonly sx: number;
  /** Row spacing, in mm. */
  readonly sy: number;
}

function fail(message: string): never {
  throw new PlatformError('ERR_RECONSTRUCT_INPUT', message);
}

/** Checks that `mask` is a one-sample image with a pixel spacing, and unpacks it. */
export function maskView(mask: Image2D, name = 'mask'): MaskView {
  if (mask.samplesPerPixel !== 1)
    fail(`${name} must have one sample per pixel, not ${mask.samplesPerPixel}`);
  if (mask.data.length !== mask.columns * mask.rows)
    fail(`${name} has ${mask.data.length} samples for ${mask.columns}×${mask.rows} pixels`);
  const spacing = mask.pixelSpacing;
  if (spacing === undefined || !(spacing[0] > 0) || !(spacing[1] > 0))
    fail(`${name} has no pixel spacing: volumes need the physical pixel size (mm)`);
  return {
    data: mask.data,
    columns: mask.columns,
    rows: mask.rows,
    sx: spacing[0],
    sy: spacing[1],
  };
}

/** Boundary pixel centres of a mask in millimetres, `[x, y, x, y, …]`; throws for an empty mask. */
export function boundaryPoints(view: MaskView, name = 'mask'): Float64Array {
  const pixels = boundaryPixels(view.data, view.columns, view.rows);
  if (pixels.length < 6) fail(`${name} is empty or has fewer than 3 pixels: nothing to measure`);
  const xy = new Float64Array(pixels.length);
  for (let i = 0; i < pixels.length; i += 2) {
    xy[i] = (pixels[i] ?? 0) * view.sx;
    xy[i + 1] = (pixels[i + 1] ?? 0) * view.sy;
  }
  return xy;
}

/**
 * Drops hull vertices closer than `tolerance` (mm) to the line through their neighbours, least
 * deviating first: a straight edge drawn at an angle to the pixel grid is a staircase whose hull
 * has several vertices within a pixel of the true line, and must become one edge again.
 */
function simplifyHull(xy: Float64Array, hull: Int32Array, tolerance: number): Int32Array {
  const keep = Array.from(hull);
  const deviation = (k: number): number => {
    const n = keep.length;
    const a = keep[(k + n - 1) % n] ?? 0;
    const p = keep[k] ?? 0;
    const b = keep[(k + 1) % n] ?? 0;
    const ax = xy[2 * a] ?? 0;
    const ay = xy[2 * a + 1] ?? 0;
    const ex = (xy[2 * b] ?? 0) - ax;
    const ey = (xy[2 * b + 1] ?? 0) - ay;
    const length = Math.hypot(ex, ey);
    if (length === 0) return 0;
    return Math.abs(((xy[2 * p] ?? 0) - ax) * ey - ((xy[2 * p + 1] ?? 0) - ay) * ex) / length;
  };
  while (keep.length > 3) {
    let worst = -1;
    let least = tolerance;
    for (let k = 0; k < keep.length; k++) {
      const d = deviation(k);
      if (d < least) {
        least = d;
        worst = k;
      }
    }
    if (worst < 0) break;
    keep.splice(worst, 1);
  }
  return Int32Array.from(keep);
}

/** Cosine above which an edge counts as running along the line to the far end, not across it. */
const MAX_COS_ACROSS = 0.5;

/**
 * Finds the long axis of an apical-view LV mask (cavity or epicardium, base open towards the
 * atrium).
 *
 * @remarks
 * The mitral hinge points are the ends of the mask's basal edge. Masks are traced, by hand or by
 * a segmentation model, with a straight line across the annulus, so that edge is the longest
 * edge of the mask's convex hull that runs *across* the ventricle: among hull edges at more than
 * 60° to the line from the edge's midpoint to the mask point farthest from it, the longest (a
 * long straight stretch of the free wall runs along that line and is excluded). This holds
 * whatever the tilt of the ventricle in the image (hull vertices within a pixel of the line
 * through their neighbours are dropped first, so a staircase-drawn straight base is one edge).
 * The apex is the mask point farthest from the
 * annulus midpoint (Lang et al. 2015). Pixel centres lie half a pixel inside the mask's edge, so
 * base and apex are moved out by half a pixel along the axis, which removes a one-pixel bias on
 * the length.
 *
 * Throws `ERR_RECONSTRUCT_INPUT` for an empty mask or one without pixel spacing.
 */
export function findLongAxis(mask: Image2D, name = 'mask'): LvLongAxis {
  const view = maskView(mask, name);
  return longAxisOf(view, boundaryPoints(view, name));
}

/** {@link findLongAxis} on an unpacked mask and its boundary points. */
export function longAxisOf(view: MaskView, xy: Float64Array): LvLongAxis {
  const hull = simplifyHull(xy, convexHull(xy), Math.max(view.sx, view.sy));
  const n = hull.length;
  const at = (k: number): Point2 => {
    const i = hull[k] ?? 0;
    return [xy[2 * i] ?? 0, xy[2 * i + 1] ?? 0];
  };
  const farthestFrom = (p: Point2): Point2 => {
    let best = at(0);
    let bestD = -1;
    for (let k = 0; k < n; k++) {
      const q = at(k);
      const d = (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2;
      if (d > bestD) {
        bestD = d;
        best = q;
      }
    }
    return best;
  };
  let hinges: [Point2, Point2] | undefined;
  let longest = 0;
  let fallback: [Point2, Point2] = [at(0), at(Math.min(1, n - 1))];
  let fallbackLength = -1;
  for (let k = 0; k < n; k++) {
    const p = at(k);
    const q = at((k + 1) % n);
    const ex = q[0] - p[0];
    const ey = q[1] - p[1];
    const length = Math.hypot(ex, ey);
    if (length === 0) continue;
    if (length > fallbackLength) {
      fallbackLength = length;
      fallback = [p, q];
    }
    if (length <= longest) continue;
    const mid: Point2 = [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
    const far = farthestFrom(mid);
    const fx = far[0] - mid[0];
    const fy = far[1] - mid[1];
    const farLength = Math.hypot(fx, fy);
    if (farLength === 0) continue;
    if (Math.abs(ex * fx + ey * fy) / (length * farLength) < MAX_COS_ACROSS) {
      longest = length;
      hinges = [p, q];
    }
  }
  // A mask too small or round to have a basal edge: its longest hull edge is the best guess.
  const [h1, h2] = hinges ?? fallback;
  const mid: Point2 = [(h1[0] + h2[0]) / 2, (h1[1] + h2[1]) / 2];
  const tip = farthestFrom(mid);
  const span = Math.hypot(tip[0] - mid[0], tip[1] - mid[1]);
  if (span === 0)
    throw new PlatformError('ERR_RECONSTRUCT_INPUT', 'mask is a single pixel: no long axis');
  const u: Point2 = [(tip[0] - mid[0]) / span, (tip[1] - mid[1]) / span];
  const half = 0.5 * (Math.abs(u[0]) * view.sx + Math.abs(u[1]) * view.sy);
  return {
    hinges: [h1, h2],
    base: [mid[0] - u[0] * half, mid[1] - u[1] * half],
    apex: [tip[0] + u[0] * half, tip[1] + u[1] * half],
    direction: u,
    lengthMm: span + 2 * half,
  };
}

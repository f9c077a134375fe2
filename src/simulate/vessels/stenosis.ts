import { PlatformError } from '../../core/index.js';
import type { VesselBranch, VesselPoint, VesselTree } from './vessel-tree.js';
import { arcLengthsMm } from './vessel-tree.js';

/** Where a stenosis lies on a branch, for the solver. */
export interface StenosisSpec {
  /** Branch name. */
  readonly branch: string;
  /** Start of the lesion, mm of arc length from the branch's first point. */
  readonly startMm: number;
  /** End of the lesion, mm of arc length. */
  readonly endMm: number;
  /**
   * Unobstructed reference diameter D0, mm. Default: twice the branch's reference radius
   * ({@link referenceRadiusMm}), the distal diameter of the NASCET criterion.
   */
  readonly referenceDiameterMm?: number;
}

/** Options of {@link addStenosis}. */
export interface StenosisPlacement {
  /**
   * Branch to narrow.
   * @defaultValue `'ica'`
   */
  readonly branch?: string;
  /** Diameter reduction in percent, NASCET sense: `100·(1 − d_min/d_ref)`, in (0, 100). */
  readonly percent: number;
  /** Lesion length Ls, mm (positive). */
  readonly lengthMm: number;
  /**
   * Centre of the lesion, mm of arc length. Default: the widest point of the first 40 % of the
   * branch (the carotid bulb, where plaques form), kept at least Ls/2 from either end.
   */
  readonly centerMm?: number;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
}

/**
 * Reference (healthy) radius of a branch, mm: the median radius over the distal half of its arc
 * length, as NASCET measures against the distal lumen (and robust to a lesion shorter than that
 * half).
 */
export function referenceRadiusMm(branch: VesselBranch): number {
  const s = arcLengthsMm(branch);
  const total = s[s.length - 1] ?? 0;
  const distal = branch.radii.filter((_, i) => (s[i] ?? 0) >= total / 2);
  return median(distal.length > 0 ? distal : branch.radii);
}

/**
 * Finds stenoses on every branch: runs of points whose radius is below `(1 − threshold)` times the
 * branch's {@link referenceRadiusMm}, widened on both sides while the radius stays under 95 % of
 * the reference; each lesion spans from midway to the last normal point before it to midway to the
 * first normal point after it.
 *
 * @param thresholdPercent - diameter reduction (%) a lesion must reach somewhere.
 */
export function detectStenoses(tree: VesselTree, thresholdPercent = 20): StenosisSpec[] {
  const found: StenosisSpec[] = [];
  for (const branch of tree.branches) {
    const ref = referenceRadiusMm(branch);
    const s = arcLengthsMm(branch);
    const r = branch.radii;
    const core = (1 - thresholdPercent / 100) * ref;
    const edge = 0.95 * ref;
    const n = r.length;
    for (let i = 0; i < n; i++) {
      if (!((r[i] ?? Infinity) < core)) continue;
      let i0 = i;
      while (i0 > 0 && (r[i0 - 1] ?? Infinity) < edge) i0--;
      let i1 = i;
      while (i1 < n - 1 && (r[i1 + 1] ?? Infinity) < edge) i1++;
      const startMm = i0 > 0 ? ((s[i0 - 1] ?? 0) + (s[i0] ?? 0)) / 2 : (s[0] ?? 0);
      const endMm = i1 < n - 1 ? ((s[i1] ?? 0) + (s[i1 + 1] ?? 0)) / 2 : (s[n - 1] ?? 0);
      found.push({ branch: branch.name, startMm, endMm });
      i = i1;
    }
  }
  return found;
}

/** Position and radius at arc length `at` along a branch, by linear interpolation. */
function sampleAt(branch: VesselBranch, s: Float64Array, at: number): [VesselPoint, number] {
  let i = 1;
  while (i < s.length - 1 && (s[i] ?? 0) < at) i++;
  const s0 = s[i - 1] ?? 0;
  const s1 = s[i] ?? 0;
  const t = s1 > s0 ? Math.min(Math.max((at - s0) / (s1 - s0), 0), 1) : 0;
  const a = branch.points[i - 1] ?? [0, 0, 0];
  const b = branch.points[i] ?? a;
  const ra = branch.radii[i - 1] ?? 0;
  const rb = branch.radii[i] ?? ra;
  return [
    [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])],
    ra + t * (rb - ra),
  ];
}

/**
 * Narrows one branch of a tree with a smooth (raised-cosine) stenosis of the given NASCET diameter
 * reduction and length, relative to the branch's {@link referenceRadiusMm}:
 * `r(s) = r₀(s) − (r₀(s) − r_min)·(1 + cos(2π(s − c)/Ls))/2` over `|s − c| ≤ Ls/2`, with
 * `r_min = (1 − p/100)·r_ref` (radii already below `r_min` are kept). The lesion is resampled at
 * Ls/24 so the profile is resolved. Returns the new tree and the lesion for the solver.
 * Throws `ERR_SIMULATE_INPUT` for an unknown branch, a percentage outside (0, 100), or a lesion
 * longer than the branch.
 */
export function addStenosis(
  tree: VesselTree,
  placement: StenosisPlacement,
): { readonly tree: VesselTree; readonly stenosis: StenosisSpec } {
  const name = placement.branch ?? 'ica';
  const branch = tree.branches.find((b) => b.name.toLowerCase() === name.toLowerCase());
  if (branch === undefined)
    throw new PlatformError(
      'ERR_SIMULATE_INPUT',
      `no branch "${name}" to narrow; branches: ${tree.branches.map((b) => b.name).join(', ')}`,
    );
  const { percent, lengthMm } = placement;
  if (!(percent > 0 && percent < 100))
    throw new PlatformError('ERR_SIMULATE_INPUT', `stenosis must be in (0, 100) %, got ${percent}`);
  const s = arcLengthsMm(branch);
  const total = s[s.length - 1] ?? 0;
  if (!(lengthMm > 0 && lengthMm < total))
    throw new PlatformError(
      'ERR_SIMULATE_INPUT',
      `stenosis length must be > 0 and shorter than branch "${branch.name}" (${total.toFixed(1)} mm), got ${lengthMm} mm`,
    );
  let center = placement.centerMm;
  if (center === undefined) {
    let best = 0;
    for (let i = 0; i < s.length && (s[i] ?? 0) <= 0.4 * total; i++)
      if ((branch.radii[i] ?? 0) > (branch.radii[best] ?? 0)) best = i;
    center = s[best] ?? 0;
  }
  center = Math.min(Math.max(center, lengthMm / 2), total - lengthMm / 2);
  const start = center - lengthMm / 2;
  const end = center + lengthMm / 2;
  const rRef = referenceRadiusMm(branch);
  const rMin = (1 - percent / 100) * rRef;
  // Original points outside the lesion plus a fine resampling inside it, in arc-length order.
  const steps = 24;
  const entries: { at: number; point: VesselPoint; radius: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    const at = s[i] ?? 0;
    if (at < start || at > end)
      entries.push({ at, point: branch.points[i] ?? [0, 0, 0], radius: branch.radii[i] ?? 0 });
  }
  for (let k = 0; k <= steps; k++) {
    const at = start + (k * lengthMm) / steps;
    const [point, radius] = sampleAt(branch, s, at);
    entries.push({ at, point, radius });
  }
  entries.sort((x, y) => x.at - y.at);
  const outPoints: VesselPoint[] = [];
  const outRadii: number[] = [];
  let last = -Infinity;
  for (const { at, point, radius } of entries) {
    if (at - last < 1e-9) continue;
    last = at;
    const w =
      at >= start && at <= end ? (1 + Math.cos((2 * Math.PI * (at - center)) / lengthMm)) / 2 : 0;
    outPoints.push(point);
    outRadii.push(radius > rMin ? radius - (radius - rMin) * w : radius);
  }
  const narrowed: VesselBranch = { ...branch, points: outPoints, radii: outRadii };
  return {
    tree: { branches: tree.branches.map((b) => (b === branch ? narrowed : b)) },
    stenosis: {
      branch: branch.name,
      startMm: start,
      endMm: end,
      referenceDiameterMm: 2 * rRef,
    },
  };
}

import { PlatformError } from '../../core/index.js';

/** A point, mm, in patient LPS coordinates. */
export type VesselPoint = readonly [number, number, number];

/**
 * One vessel of a tree: a centreline with a lumen radius at every point, as the reconstruction
 * stage writes them. It starts at the distal end of its parent.
 */
export interface VesselBranch {
  /** Unique name; `cca`, `ica` and `eca` are recognised for the carotid defaults. */
  readonly name: string;
  /** Name of the parent branch; absent for the root (the inlet). */
  readonly parent?: string;
  /** Centreline points from proximal to distal, mm, LPS; at least 2. */
  readonly points: readonly VesselPoint[];
  /** Lumen radius at each point, mm (positive), one per point. */
  readonly radii: readonly number[];
}

/** A vessel tree: one root branch (the inlet), outlets at the leaves. Plain JSON data. */
export interface VesselTree {
  readonly branches: readonly VesselBranch[];
}

function fail(message: string): never {
  throw new PlatformError('ERR_SIMULATE_INPUT', message);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks JSON data (parsed from a file or received from the reconstruction stage) and returns it as
 * a {@link VesselTree}: branches with unique names, exactly one root, known parents, no cycles,
 * ≥ 2 finite points each with a positive radius per point, and no zero-length step. Throws
 * `ERR_SIMULATE_INPUT` saying which branch and field is wrong.
 */
export function parseVesselTree(data: unknown): VesselTree {
  if (!isRecord(data) || !Array.isArray(data['branches']))
    fail('a vessel tree is an object { branches: [{ name, parent?, points, radii }] }');
  const raw: unknown[] = data['branches'];
  if (raw.length === 0) fail('the vessel tree has no branches');
  const branches: VesselBranch[] = raw.map((b, index) => {
    if (!isRecord(b)) fail(`branch ${index} is not an object`);
    const name = b['name'];
    if (typeof name !== 'string' || name === '') fail(`branch ${index} needs a non-empty name`);
    const parent = b['parent'];
    if (parent !== undefined && parent !== null && typeof parent !== 'string')
      fail(`branch "${name}": parent must be a branch name`);
    const points = b['points'];
    const radii = b['radii'];
    if (!Array.isArray(points) || points.length < 2)
      fail(`branch "${name}": points must be an array of at least 2 [x, y, z] (mm)`);
    if (!Array.isArray(radii) || radii.length !== points.length)
      fail(
        `branch "${name}": radii must have one value per point (${points.length}), got ${Array.isArray(radii) ? radii.length : typeof radii}`,
      );
    const pts: VesselPoint[] = points.map((p: unknown, i) => {
      if (
        !Array.isArray(p) ||
        p.length !== 3 ||
        !p.every((c: unknown) => typeof c === 'number' && Number.isFinite(c))
      )
        fail(`branch "${name}": point ${i} is not [x, y, z] with finite numbers (mm)`);
      return [p[0] as number, p[1] as number, p[2] as number];
    });
    const rs = radii.map((r: unknown, i) => {
      if (typeof r !== 'number' || !(r > 0) || !Number.isFinite(r))
        fail(`branch "${name}": radius ${i} must be a finite number > 0 (mm), got ${String(r)}`);
      return r;
    });
    for (let i = 1; i < pts.length; i++) {
      const [a, c] = [pts[i - 1] ?? [NaN, NaN, NaN], pts[i] ?? [NaN, NaN, NaN]];
      if (a[0] === c[0] && a[1] === c[1] && a[2] === c[2])
        fail(`branch "${name}": points ${i - 1} and ${i} coincide; remove the duplicate`);
    }
    return typeof parent === 'string'
      ? { name, parent, points: pts, radii: rs }
      : { name, points: pts, radii: rs };
  });
  const names = new Set<string>();
  for (const b of branches) {
    if (names.has(b.name)) fail(`branch name "${b.name}" is used twice`);
    names.add(b.name);
  }
  const roots = branches.filter((b) => b.parent === undefined);
  if (roots.length !== 1)
    fail(
      `the tree needs exactly one root branch (without parent), found ${roots.length}: ${roots.map((b) => b.name).join(', ')}`,
    );
  for (const b of branches) {
    if (b.parent !== undefined && !names.has(b.parent))
      fail(`branch "${b.name}": parent "${b.parent}" is not a branch of the tree`);
    if (b.parent === b.name) fail(`branch "${b.name}" is its own parent`);
  }
  // Every branch must reach the root (no cycles).
  const byName = new Map(branches.map((b) => [b.name, b]));
  for (const b of branches) {
    let cur: VesselBranch | undefined = b;
    for (let steps = 0; cur?.parent !== undefined; steps++) {
      if (steps > branches.length) fail(`branch "${b.name}" is on a cycle of parents`);
      cur = byName.get(cur.parent);
    }
  }
  return { branches };
}

/** Arc length at each point of a branch, mm, from its first point. */
export function arcLengthsMm(branch: VesselBranch): Float64Array {
  const s = new Float64Array(branch.points.length);
  for (let i = 1; i < branch.points.length; i++) {
    const a = branch.points[i - 1];
    const b = branch.points[i];
    s[i] = (s[i - 1] ?? 0) + (a && b ? Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]) : 0);
  }
  return s;
}

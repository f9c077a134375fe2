import { PlatformError } from '../../../core/index.js';
import type { Labelmap, Mat3, Vec3 } from '../../../core/index.js';
import { createVolume, IDENTITY_DIRECTION } from '../../../core/index.js';

/**
 * A closed analytic shape for accuracy tests and benchmarks: a signed distance (negative inside,
 * in millimetres) to voxelise it, and a dense, area-weighted sample of its surface to measure
 * meshes against.
 */
export interface AnalyticShape {
  readonly name: string;
  /** Signed distance to the surface in mm (negative inside); exact near the surface. */
  readonly sdf: (x: number, y: number, z: number) => number;
  /** Axis-aligned bounds of the shape, `[min, max]` in mm. */
  readonly bounds: readonly [Vec3, Vec3];
  /**
   * Samples the surface with points about `spacing` mm apart.
   *
   * @returns Points and outward unit normals (xyz interleaved) and the area each sample stands
   *   for (mm²).
   */
  readonly sample: (spacing: number) => SurfaceSample;
  /**
   * Distance in mm (or a lower bound of it) from a point to the nearest sharp edge of the surface
   * (a cylinder's rims, the junction creases of tubes); absent for smooth shapes. No contouring of
   * samples can follow a sharp edge closer than about a voxel, so accuracy figures are also given
   * away from them.
   */
  readonly creaseDistance?: (x: number, y: number, z: number) => number;
}

/** Points on an analytic surface, with outward normals and quadrature weights (areas, mm²). */
export interface SurfaceSample {
  readonly points: Float64Array;
  readonly normals: Float64Array;
  readonly weights: Float64Array;
}

/** Area (mm²) and enclosed volume (mm³, divergence theorem) of a surface sample. */
export function sampleMeasures(sample: SurfaceSample): { area: number; volume: number } {
  let area = 0;
  let volume = 0;
  const { points: p, normals: n, weights: w } = sample;
  for (let s = 0; s < w.length; s++) {
    area += w[s]!;
    volume +=
      (w[s]! *
        (p[3 * s]! * n[3 * s]! + p[3 * s + 1]! * n[3 * s + 1]! + p[3 * s + 2]! * n[3 * s + 2]!)) /
      3;
  }
  return { area, volume };
}

class SampleBuilder {
  readonly points: number[] = [];
  readonly normals: number[] = [];
  readonly weights: number[] = [];
  add(p: Vec3, n: Vec3, w: number): void {
    this.points.push(p[0], p[1], p[2]);
    this.normals.push(n[0], n[1], n[2]);
    this.weights.push(w);
  }
  build(): SurfaceSample {
    return {
      points: Float64Array.from(this.points),
      normals: Float64Array.from(this.normals),
      weights: Float64Array.from(this.weights),
    };
  }
}

function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
function len(a: Vec3): number {
  return Math.hypot(a[0], a[1], a[2]);
}
function scale(a: Vec3, s: number): Vec3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}
function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}
function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
/** Two unit vectors orthogonal to unit `a` and to each other. */
function frame(a: Vec3): [Vec3, Vec3] {
  const t: Vec3 = Math.abs(a[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const u = cross(a, t);
  const un = scale(u, 1 / len(u));
  return [un, cross(a, un)];
}

/** Points spread evenly on the unit sphere (Fibonacci lattice), `n` of them. */
function fibonacciSphere(n: number): Vec3[] {
  const out: Vec3[] = [];
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let s = 0; s < n; s++) {
    const z = 1 - (2 * (s + 0.5)) / n;
    const r = Math.sqrt(1 - z * z);
    out.push([r * Math.cos(golden * s), r * Math.sin(golden * s), z]);
  }
  return out;
}

/** A sphere of radius `radius` mm centred at `centre`. */
export function sphereShape(centre: Vec3, radius: number): AnalyticShape {
  return {
    name: `sphere r=${radius}`,
    sdf: (x, y, z) => Math.hypot(x - centre[0], y - centre[1], z - centre[2]) - radius,
    bounds: [sub(centre, [radius, radius, radius]), add(centre, [radius, radius, radius])],
    sample: (spacing) => {
      const n = Math.ceil((4 * Math.PI * radius * radius) / (spacing * spacing));
      const b = new SampleBuilder();
      const w = (4 * Math.PI * radius * radius) / n;
      for (const u of fibonacciSphere(n)) b.add(add(centre, scale(u, radius)), u, w);
      return b.build();
    },
  };
}

/**
 * An ellipsoid with semi-axes `semiAxes` (mm) along the columns of the rotation `axes` (column by
 * column, like a volume's direction), centred at `centre`.
 */
export function ellipsoidShape(centre: Vec3, semiAxes: Vec3, axes: Mat3): AnalyticShape {
  const [a, b, c] = semiAxes;
  const toLocal = (x: number, y: number, z: number): Vec3 => {
    const d: Vec3 = [x - centre[0], y - centre[1], z - centre[2]];
    return [
      d[0] * axes[0] + d[1] * axes[1] + d[2] * axes[2],
      d[0] * axes[3] + d[1] * axes[4] + d[2] * axes[5],
      d[0] * axes[6] + d[1] * axes[7] + d[2] * axes[8],
    ];
  };
  const toWorld = (l: Vec3): Vec3 => [
    centre[0] + axes[0] * l[0] + axes[3] * l[1] + axes[6] * l[2],
    centre[1] + axes[1] * l[0] + axes[4] * l[1] + axes[7] * l[2],
    centre[2] + axes[2] * l[0] + axes[5] * l[1] + axes[8] * l[2],
  ];
  const r = Math.max(a, b, c);
  return {
    name: `ellipsoid ${a}×${b}×${c}`,
    sdf: (x, y, z) => ellipsoidDistance(toLocal(x, y, z), semiAxes),
    bounds: [sub(centre, [r, r, r]), add(centre, [r, r, r])],
    sample: (spacing) => {
      // Parametric grid (θ, φ) fine enough that no step exceeds `spacing`; weights |r_θ × r_φ|.
      const nt = Math.ceil((Math.PI * r) / spacing);
      const np = 2 * nt;
      const dt = Math.PI / nt;
      const dp = (2 * Math.PI) / np;
      const bld = new SampleBuilder();
      for (let it = 0; it < nt; it++) {
        const t = (it + 0.5) * dt;
        for (let ip = 0; ip < np; ip++) {
          const p = (ip + 0.5) * dp;
          const [st, ct, sp, cp] = [Math.sin(t), Math.cos(t), Math.sin(p), Math.cos(p)];
          const l: Vec3 = [a * st * cp, b * st * sp, c * ct];
          // Outward normal ∝ gradient of x²/a² + …; area element = |r_θ × r_φ| = st·|(bc st cp, ac st sp, ab ct)|.
          const g: Vec3 = [b * c * st * cp, a * c * st * sp, a * b * ct];
          const gl = len(g);
          const nl = scale(g, 1 / gl);
          const nw: Vec3 = [
            axes[0] * nl[0] + axes[3] * nl[1] + axes[6] * nl[2],
            axes[1] * nl[0] + axes[4] * nl[1] + axes[7] * nl[2],
            axes[2] * nl[0] + axes[5] * nl[1] + axes[8] * nl[2],
          ];
          bld.add(toWorld(l), nw, st * gl * dt * dp);
        }
      }
      return bld.build();
    },
  };
}

/**
 * Signed distance from a point (in the ellipsoid's own frame) to the ellipsoid surface: the
 * closest point is `x_i = a_i² y_i / (a_i² + t)` where `t` solves
 * `Σ (a_i y_i / (a_i² + t))² = 1` (Eberly, "Distance from a point to an ellipse, an ellipsoid, or
 * a hyperellipsoid"), found by bisection.
 */
function ellipsoidDistance(y: Vec3, axes: Vec3): number {
  const ay: Vec3 = [Math.abs(y[0]), Math.abs(y[1]), Math.abs(y[2])];
  const a2 = [axes[0] ** 2, axes[1] ** 2, axes[2] ** 2];
  const f = (t: number): number =>
    ((axes[0] * ay[0]) / (a2[0]! + t)) ** 2 +
    ((axes[1] * ay[1]) / (a2[1]! + t)) ** 2 +
    ((axes[2] * ay[2]) / (a2[2]! + t)) ** 2 -
    1;
  const inside = (ay[0] / axes[0]) ** 2 + (ay[1] / axes[1]) ** 2 + (ay[2] / axes[2]) ** 2 < 1;
  let lo = inside ? -Math.min(...a2) + 1e-12 : 0;
  let hi = inside ? 0 : Math.max(...axes) * len(ay) + 1;
  for (let it = 0; it < 64; it++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  const t = 0.5 * (lo + hi);
  const x: Vec3 = [
    (a2[0]! * ay[0]) / (a2[0]! + t),
    (a2[1]! * ay[1]) / (a2[1]! + t),
    (a2[2]! * ay[2]) / (a2[2]! + t),
  ];
  const d = len(sub(ay, x));
  return inside ? -d : d;
}

/** A capped (flat-ended) cylinder of radius `radius` between the centres of its end discs. */
export function cylinderShape(from: Vec3, to: Vec3, radius: number): AnalyticShape {
  const axisV = sub(to, from);
  const length = len(axisV);
  const u = scale(axisV, 1 / length);
  const [e1, e2] = frame(u);
  return {
    name: `cylinder r=${radius} l=${length.toFixed(1)}`,
    sdf: (x, y, z) => {
      const d = sub([x, y, z], from);
      const h = d[0] * u[0] + d[1] * u[1] + d[2] * u[2];
      const rr = len(sub(d, scale(u, h)));
      const dr = rr - radius;
      const dh = Math.abs(h - length / 2) - length / 2;
      // Exact signed distance of a capped cylinder (2D box in (r, h)).
      const outside = Math.hypot(Math.max(dr, 0), Math.max(dh, 0));
      return outside + Math.min(Math.max(dr, dh), 0);
    },
    creaseDistance: (x, y, z) => {
      const d = sub([x, y, z], from);
      const h = d[0] * u[0] + d[1] * u[1] + d[2] * u[2];
      const rr = len(sub(d, scale(u, h)));
      return Math.min(Math.hypot(rr - radius, h), Math.hypot(rr - radius, h - length));
    },
    bounds: [
      [0, 1, 2].map((i) => Math.min(from[i]!, to[i]!) - radius) as unknown as Vec3,
      [0, 1, 2].map((i) => Math.max(from[i]!, to[i]!) + radius) as unknown as Vec3,
    ],
    sample: (spacing) => {
      const b = new SampleBuilder();
      const na = Math.ceil((2 * Math.PI * radius) / spacing);
      const nh = Math.ceil(length / spacing);
      const da = (2 * Math.PI) / na;
      const dh = length / nh;
      for (let ia = 0; ia < na; ia++) {
        const ang = (ia + 0.5) * da;
        const n = add(scale(e1, Math.cos(ang)), scale(e2, Math.sin(ang)));
        for (let ih = 0; ih < nh; ih++) {
          b.add(add(add(from, scale(u, (ih + 0.5) * dh)), scale(n, radius)), n, radius * da * dh);
        }
      }
      const nr = Math.ceil(radius / spacing);
      const dr = radius / nr;
      for (const [c, n] of [
        [from, scale(u, -1)],
        [to, u],
      ] as const) {
        for (let ir = 0; ir < nr; ir++) {
          const rr = (ir + 0.5) * dr;
          const nAng = Math.max(6, Math.ceil((2 * Math.PI * rr) / spacing));
          for (let ia = 0; ia < nAng; ia++) {
            const ang = ((ia + 0.5) * 2 * Math.PI) / nAng;
            const off = add(scale(e1, rr * Math.cos(ang)), scale(e2, rr * Math.sin(ang)));
            b.add(add(c, off), n, (rr * dr * 2 * Math.PI) / nAng);
          }
        }
      }
      return b.build();
    },
  };
}

/** A tube segment with hemispherical ends: the points within `radius` of the segment. */
export interface CapsuleSegment {
  readonly from: Vec3;
  readonly to: Vec3;
  readonly radius: number;
}

function capsuleSdf(s: CapsuleSegment, x: number, y: number, z: number): number {
  const ab = sub(s.to, s.from);
  const ap: Vec3 = [x - s.from[0], y - s.from[1], z - s.from[2]];
  const l2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
  const t = Math.min(1, Math.max(0, (ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / l2));
  return len(sub(ap, scale(ab, t))) - s.radius;
}

/**
 * The union of capsules (tubes with rounded ends), e.g. a bifurcation: a parent tube and two
 * daughters meeting at one point. The signed distance is the minimum over the tubes (exact
 * outside; near the concave junction creases it is a lower bound inside), and the surface sample
 * keeps each tube's samples that lie outside every other tube.
 */
export function tubeUnionShape(name: string, segments: readonly CapsuleSegment[]): AnalyticShape {
  if (segments.length === 0)
    throw new PlatformError('ERR_RECONSTRUCT_INPUT', 'a tube union needs at least one tube');
  const lo = [0, 1, 2].map((i) =>
    Math.min(...segments.map((s) => Math.min(s.from[i]!, s.to[i]!) - s.radius)),
  );
  const hi = [0, 1, 2].map((i) =>
    Math.max(...segments.map((s) => Math.max(s.from[i]!, s.to[i]!) + s.radius)),
  );
  const sdf = (x: number, y: number, z: number): number => {
    let d = Infinity;
    for (const s of segments) d = Math.min(d, capsuleSdf(s, x, y, z));
    return d;
  };
  return {
    name,
    sdf,
    // Both signed distances are 1-Lipschitz and vanish on the crease where tubes i and j meet,
    // so max(|sdf_i|, |sdf_j|) is a lower bound of the distance to that crease.
    creaseDistance: (x, y, z) => {
      let best = Infinity;
      for (let i = 0; i < segments.length; i++) {
        for (let j = i + 1; j < segments.length; j++) {
          const a = Math.abs(capsuleSdf(segments[i]!, x, y, z));
          const b = Math.abs(capsuleSdf(segments[j]!, x, y, z));
          best = Math.min(best, Math.max(a, b));
        }
      }
      return best;
    },
    bounds: [lo as unknown as Vec3, hi as unknown as Vec3],
    sample: (spacing) => {
      const b = new SampleBuilder();
      segments.forEach((s, si) => {
        const keep = (p: Vec3): boolean =>
          segments.every((o, oi) => oi === si || capsuleSdf(o, p[0], p[1], p[2]) > 0);
        const axisV = sub(s.to, s.from);
        const length = len(axisV);
        const u = scale(axisV, 1 / length);
        const [e1, e2] = frame(u);
        const na = Math.ceil((2 * Math.PI * s.radius) / spacing);
        const nh = Math.ceil(length / spacing);
        const da = (2 * Math.PI) / na;
        const dh = length / nh;
        for (let ia = 0; ia < na; ia++) {
          const ang = (ia + 0.5) * da;
          const n = add(scale(e1, Math.cos(ang)), scale(e2, Math.sin(ang)));
          for (let ih = 0; ih < nh; ih++) {
            const p = add(add(s.from, scale(u, (ih + 0.5) * dh)), scale(n, s.radius));
            if (keep(p)) b.add(p, n, s.radius * da * dh);
          }
        }
        // Two hemispheres: a full Fibonacci sphere split by the axis.
        const ns = Math.ceil((4 * Math.PI * s.radius * s.radius) / (spacing * spacing));
        const w = (4 * Math.PI * s.radius * s.radius) / ns;
        for (const n of fibonacciSphere(ns)) {
          const h = n[0] * u[0] + n[1] * u[1] + n[2] * u[2];
          const p = h < 0 ? add(s.from, scale(n, s.radius)) : add(s.to, scale(n, s.radius));
          if (keep(p)) b.add(p, n, w);
        }
      });
      return b.build();
    },
  };
}

/** Grid of a phantom label volume. */
export interface PhantomGrid {
  /** Voxel spacing, mm (isotropic or not). */
  readonly spacing: Vec3;
  /** LPS position of voxel (0, 0, 0); default: the shape's lower bound minus a margin. */
  readonly origin?: Vec3;
  readonly dimensions?: readonly [number, number, number];
  readonly direction?: Mat3;
  /** Label value written inside the shape (default 1). */
  readonly label?: number;
}

/**
 * Voxelises a shape: a voxel is labelled when its centre is inside (signed distance `< 0`). By
 * default the grid covers the shape's bounds with a 3-voxel margin, starting at an origin offset
 * by 0.37 of a voxel so that the surface does not line up with voxel centres.
 */
export function phantomLabelmap(shape: AnalyticShape, grid: PhantomGrid): Labelmap {
  const [lo, hi] = shape.bounds;
  const s = grid.spacing;
  const direction = grid.direction ?? IDENTITY_DIRECTION;
  const origin: Vec3 = grid.origin ?? [
    lo[0] - 3 * s[0] - 0.37 * s[0],
    lo[1] - 3 * s[1] - 0.21 * s[1],
    lo[2] - 3 * s[2] - 0.13 * s[2],
  ];
  const dims = grid.dimensions ?? [
    Math.ceil((hi[0] - lo[0]) / s[0]) + 7,
    Math.ceil((hi[1] - lo[1]) / s[1]) + 7,
    Math.ceil((hi[2] - lo[2]) / s[2]) + 7,
  ];
  const [ni, nj, nk] = dims;
  const data = new Uint8Array(ni * nj * nk);
  const label = grid.label ?? 1;
  const d = direction;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) {
        const a = i * s[0];
        const b = j * s[1];
        const c = k * s[2];
        const x = origin[0] + d[0] * a + d[3] * b + d[6] * c;
        const y = origin[1] + d[1] * a + d[4] * b + d[7] * c;
        const z = origin[2] + d[2] * a + d[5] * b + d[8] * c;
        if (shape.sdf(x, y, z) < 0) data[i + ni * (j + nj * k)] = label;
      }
    }
  }
  return createVolume({ dimensions: [ni, nj, nk], spacing: s, origin, direction, data });
}

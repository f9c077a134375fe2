import type { Vec3 } from '../../../core/index.js';

/** One branch of the carotid bifurcation model, in the form the per-pixel kernels read. */
export interface SectionBranch {
  /** Start of the axis: the bifurcation point B, in model millimetres. */
  readonly origin: Vec3;
  /** Unit axis direction, downstream for ICA/ECA, cranial (towards B) for the CCA. */
  readonly direction: Vec3;
  /** Unit vector ⊥ `direction`: where the angle φ around the axis is 0. */
  readonly reference: Vec3;
  /** Axial range of the tube, in mm from B along `direction` (the ends are hemispherical caps). */
  readonly sMinMm: number;
  readonly sMaxMm: number;
  /** Radius knots: axial positions (mm, increasing) and lumen radii without plaque (mm). */
  readonly knotS: Float64Array;
  readonly knotR: Float64Array;
  /** Relative radius modulation ε: r(φ) = r·(1 + ε·cos 2(φ − φe)); axis ratio (1+ε)/(1−ε). */
  readonly ellipticity: number;
  /** φe, in radians. */
  readonly ellipseAngle: number;
  /** Intima-media thickness, in mm. */
  readonly imtMm: number;
  /** Plaques: centre s (mm), length (mm), thickness h (mm), φp (rad), eccentricity κ, class. */
  readonly plaques: readonly SectionPlaque[];
  /** An upper bound of the outer radius anywhere along the branch, in mm (for early rejection). */
  readonly maxOuterMm: number;
}

/** A plaque as the kernels read it (see `CarotidPlaque` for the meaning of each field). */
export interface SectionPlaque {
  readonly centreMm: number;
  readonly lengthMm: number;
  readonly thicknessMm: number;
  readonly angle: number;
  readonly eccentricity: number;
  /** Tissue class of the plaque: one of {@link TISSUE}'s plaque codes. */
  readonly tissue: number;
}

/** The internal jugular vein: an elliptic tube along `direction`, not labelled. */
export interface SectionVein {
  readonly origin: Vec3;
  readonly direction: Vec3;
  readonly reference: Vec3;
  /** Semi-axis along `reference`, in mm. */
  readonly semiAxisAMm: number;
  /** Semi-axis along `direction × reference`, in mm. */
  readonly semiAxisBMm: number;
}

/** The geometry the kernels classify points against. */
export interface SectionModel {
  readonly branches: readonly SectionBranch[];
  readonly vein?: SectionVein;
}

/**
 * Tissue classes of a pixel, for rendering. Labels of the mask are derived from them: lumen → 1;
 * intima-media and plaques → 2; everything else → 0.
 */
export const TISSUE = {
  background: 0,
  lumen: 1,
  intimaMedia: 2,
  plaqueHypoechoic: 3,
  plaqueMixed: 4,
  plaqueHyperechoic: 5,
  plaqueCalcified: 6,
  vein: 7,
  adventitia: 8,
} as const;

/** Width of the bright adventitial band outside the outer wall, in mm (rendering only). */
export const ADVENTITIA_MM = 0.8;

/** A lumen radius profile value at `s`: cosine interpolation between knots, constant beyond. */
export function profileRadius(knotS: Float64Array, knotR: Float64Array, s: number): number {
  const n = knotS.length;
  if (s <= knotS[0]!) return knotR[0]!;
  for (let k = 0; k < n - 1; k++) {
    const s1 = knotS[k + 1]!;
    if (s <= s1) {
      const s0 = knotS[k]!;
      const w = 0.5 - 0.5 * Math.cos((Math.PI * (s - s0)) / (s1 - s0));
      return knotR[k]! + (knotR[k + 1]! - knotR[k]!) * w;
    }
  }
  return knotR[n - 1]!;
}

/**
 * Plaque thickness at axial position `s` and angle `phi` (mm): for each plaque,
 * `h · cos²(π (s − c) / L) · ((1 − κ) + κ (1 + cos(φ − φp)) / 2)` inside `|s − c| < L/2`.
 * With this angular profile the diameter through the axis is the same in every direction,
 * `2 r − h c(s) (2 − κ)`: the residual lumen is a circle-like shape shifted away from the plaque
 * (κ = 0 concentric, κ = 1 fully one-sided).
 */
export function plaqueThickness(plaques: readonly SectionPlaque[], s: number, phi: number): number {
  let h = 0;
  let strongest = 0;
  plaqueTissue = TISSUE.intimaMedia;
  for (const p of plaques) {
    const d = s - p.centreMm;
    if (Math.abs(d) >= p.lengthMm / 2) continue;
    const c = Math.cos((Math.PI * d) / p.lengthMm);
    const g = 1 - p.eccentricity + (p.eccentricity * (1 + Math.cos(phi - p.angle))) / 2;
    const hp = p.thicknessMm * c * c * g;
    h += hp;
    if (hp > strongest) {
      strongest = hp;
      plaqueTissue = p.tissue;
    }
  }
  return h;
}

/** Tissue class of the thickest plaque at the last {@link plaqueThickness} point (no allocation). */
let plaqueTissue: number = TISSUE.intimaMedia;

/** Lumen radius (mm) of branch `b` at axial position `s` and angle `phi`, radii scaled by `k`. */
export function lumenRadius(b: SectionBranch, s: number, phi: number, k = 1): number {
  const r0 =
    profileRadius(b.knotS, b.knotR, s) *
    k *
    (1 + b.ellipticity * Math.cos(2 * (phi - b.ellipseAngle)));
  return Math.max(0, r0 - plaqueThickness(b.plaques, s, phi));
}

/** Where a point lies relative to one branch. */
interface BranchHit {
  /** TISSUE code: lumen, intimaMedia, a plaque class, or background (outside the outer wall). */
  tissue: number;
  /** Position in the intima-media, 0 at the lumen side to 1 at the outer wall; outside: distance to the outer wall (mm). */
  aux: number;
  /** |cos| of the angle between the radial direction and `beam` (specular reflection strength). */
  facing: number;
}

const hit: BranchHit = { tissue: 0, aux: 0, facing: 0 };

/** Classifies `(x, y, z)` against one branch into the shared {@link hit} (no allocation). */
function classifyBranch(
  b: SectionBranch,
  x: number,
  y: number,
  z: number,
  k: number,
  beam: Vec3,
): void {
  const o = b.origin;
  const d = b.direction;
  const rx = x - o[0];
  const ry = y - o[1];
  const rz = z - o[2];
  let s = rx * d[0] + ry * d[1] + rz * d[2];
  if (s < b.sMinMm) s = b.sMinMm;
  else if (s > b.sMaxMm) s = b.sMaxMm;
  const px = rx - s * d[0];
  const py = ry - s * d[1];
  const pz = rz - s * d[2];
  const rho = Math.sqrt(px * px + py * py + pz * pz);
  const bound = b.maxOuterMm * k + ADVENTITIA_MM;
  if (rho > bound) {
    hit.tissue = TISSUE.background;
    hit.aux = rho - bound + ADVENTITIA_MM;
    hit.facing = 0;
    return;
  }
  const e = b.reference;
  // e2 = d × e
  const e2x = d[1] * e[2] - d[2] * e[1];
  const e2y = d[2] * e[0] - d[0] * e[2];
  const e2z = d[0] * e[1] - d[1] * e[0];
  const phi = Math.atan2(px * e2x + py * e2y + pz * e2z, px * e[0] + py * e[1] + pz * e[2]);
  const r0 =
    profileRadius(b.knotS, b.knotR, s) *
    k *
    (1 + b.ellipticity * Math.cos(2 * (phi - b.ellipseAngle)));
  const h = b.plaques.length === 0 ? 0 : plaqueThickness(b.plaques, s, phi);
  const lumen = r0 - h;
  const outer = r0 + b.imtMm;
  hit.facing = rho > 1e-9 ? Math.abs(px * beam[0] + py * beam[1] + pz * beam[2]) / rho : 1;
  if (rho < lumen) {
    hit.tissue = TISSUE.lumen;
    hit.aux = 0;
  } else if (rho < outer) {
    if (rho < r0 && h > 0) {
      hit.tissue = plaqueTissue;
      hit.aux = (rho - lumen) / Math.max(1e-6, r0 - lumen);
    } else {
      hit.tissue = TISSUE.intimaMedia;
      hit.aux = (rho - Math.max(r0, lumen)) / b.imtMm;
    }
  } else {
    hit.tissue = TISSUE.background;
    hit.aux = rho - outer;
  }
}

/** Result of {@link classifyPoint}. */
export interface PointClass {
  /** Mask label: 0 background, 1 lumen, 2 wall (intima-media and plaque). */
  label: number;
  /** TISSUE code. */
  tissue: number;
  /** See {@link BranchHit}: position in the wall (0..1), or distance outside the wall (mm). */
  aux: number;
  /** |cos| between the wall normal and the beam. */
  facing: number;
  /** Index of the branch whose lumen holds the point (first in model order), or -1. */
  branch: number;
}

/**
 * Classifies a model point (mm): lumen if inside any branch's lumen (the lumen is the union of
 * the branch tubes), else wall if inside any branch's outer wall, else adventitia within
 * {@link ADVENTITIA_MM} of an outer wall, else vein or background. `k` scales lumen radii
 * (pulsation); `beam` is the unit beam direction (image depth axis).
 */
export function classifyPoint(
  model: SectionModel,
  x: number,
  y: number,
  z: number,
  k: number,
  beam: Vec3,
  out: PointClass,
): void {
  let wallTissue = -1;
  let wallAux = 0;
  let wallFacing = 0;
  let nearest = Infinity;
  let nearestFacing = 0;
  const branches = model.branches;
  out.branch = -1;
  for (let bi = 0; bi < branches.length; bi++) {
    classifyBranch(branches[bi]!, x, y, z, k, beam);
    if (hit.tissue === TISSUE.lumen) {
      out.branch = bi;
      out.label = 1;
      out.tissue = TISSUE.lumen;
      out.aux = 0;
      out.facing = hit.facing;
      return;
    }
    if (hit.tissue !== TISSUE.background) {
      // A plaque wins over plain intima-media where two branches' walls overlap.
      if (wallTissue < 0 || (wallTissue === TISSUE.intimaMedia && hit.tissue !== wallTissue)) {
        wallTissue = hit.tissue;
        wallAux = hit.aux;
        wallFacing = hit.facing;
      }
    } else if (hit.aux < nearest) {
      nearest = hit.aux;
      nearestFacing = hit.facing;
    }
  }
  if (wallTissue >= 0) {
    out.label = 2;
    out.tissue = wallTissue;
    out.aux = wallAux;
    out.facing = wallFacing;
    return;
  }
  out.label = 0;
  out.facing = nearestFacing;
  if (nearest < ADVENTITIA_MM) {
    out.tissue = TISSUE.adventitia;
    out.aux = nearest;
    return;
  }
  out.aux = nearest;
  out.tissue = TISSUE.background;
  const v = model.vein;
  if (v !== undefined) {
    const rx = x - v.origin[0];
    const ry = y - v.origin[1];
    const rz = z - v.origin[2];
    const d = v.direction;
    const s = rx * d[0] + ry * d[1] + rz * d[2];
    const px = rx - s * d[0];
    const py = ry - s * d[1];
    const pz = rz - s * d[2];
    const e = v.reference;
    const a = (px * e[0] + py * e[1] + pz * e[2]) / v.semiAxisAMm;
    const e2x = d[1] * e[2] - d[2] * e[1];
    const e2y = d[2] * e[0] - d[0] * e[2];
    const e2z = d[0] * e[1] - d[1] * e[0];
    const bb = (px * e2x + py * e2y + pz * e2z) / v.semiAxisBMm;
    if (a * a + bb * bb < 1) out.tissue = TISSUE.vein;
  }
}

/** A plane of pixels in model space: pixel (c, r) is at `origin + c·Δ·u + r·Δ·v` (mm). */
export interface SectionPlane {
  readonly origin: Vec3;
  /** Unit column direction (image x). */
  readonly u: Vec3;
  /** Unit row direction (image y, depth: the beam direction). */
  readonly v: Vec3;
  readonly spacingMm: number;
  readonly columns: number;
  readonly rows: number;
}

/** Per-pixel classification of a plane: labels, tissue classes, wall position, facing. */
export interface SectionRaster {
  /** Lumen pixels per branch, in model branch order. */
  readonly lumenPixelsPerBranch: readonly number[];
  readonly labels: Uint8Array;
  readonly tissue: Uint8Array;
  readonly aux: Float32Array;
  readonly facing: Float32Array;
}

/** Classifies every pixel centre of `plane` with {@link classifyPoint}. */
export function rasterizeSection(model: SectionModel, plane: SectionPlane, k = 1): SectionRaster {
  const { origin: o, u, v, spacingMm: h, columns, rows } = plane;
  const n = columns * rows;
  const labels = new Uint8Array(n);
  const tissue = new Uint8Array(n);
  const aux = new Float32Array(n);
  const facing = new Float32Array(n);
  const out: PointClass = { label: 0, tissue: 0, aux: 0, facing: 0, branch: -1 };
  const perBranch = model.branches.map(() => 0);
  for (let r = 0; r < rows; r++) {
    const bx = o[0] + r * h * v[0];
    const by = o[1] + r * h * v[1];
    const bz = o[2] + r * h * v[2];
    for (let c = 0; c < columns; c++) {
      classifyPoint(model, bx + c * h * u[0], by + c * h * u[1], bz + c * h * u[2], k, v, out);
      const i = r * columns + c;
      labels[i] = out.label;
      tissue[i] = out.tissue;
      aux[i] = out.aux;
      facing[i] = out.facing;
      if (out.branch >= 0) perBranch[out.branch]!++;
    }
  }
  return { lumenPixelsPerBranch: perBranch, labels, tissue, aux, facing };
}

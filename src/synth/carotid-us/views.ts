import type { Vec3 } from '../../core/index.js';
import type { Random } from '../random.js';
import { lumenArea, lumenChord, minimalDiameter, round, toSectionModel } from './carotid-model.js';
import type { CarotidArteryModel, CarotidBranch, CarotidSide } from './carotid-model.js';
import type { SectionModel, SectionPlane } from './kernels/carotid-section.js';
import type { UltrasoundScanner } from './scanners.js';

/** Longitudinal (along the vessel) or transversal (cross-section) view. */
export type ViewKind = 'longitudinal' | 'transversal';

/**
 * What a view is centred on: for longitudinal views `bifurcation` (CCA, bulb, the origins of
 * ICA and ECA), `cca` (proximal CCA), `ica` or `eca` (the plane contains that branch's axis);
 * for transversal views the branch cut across.
 */
export type ViewTarget = CarotidBranch | 'bifurcation';

/** Where the imaging region lies in model space and in the stored image. */
export interface ViewGeometry {
  /** Model point (mm) of the centre of the region's top-left pixel. */
  readonly origin: Vec3;
  /** Unit model direction of increasing column. */
  readonly u: Vec3;
  /** Unit model direction of increasing row (the beam, into the neck). */
  readonly v: Vec3;
  /** Pixel size, in mm, both directions (square pixels). */
  readonly spacingMm: number;
  /** Region size, in pixels. */
  readonly columns: number;
  readonly rows: number;
  /** Top-left pixel of the region in the stored image. */
  readonly regionX0: number;
  readonly regionY0: number;
}

/** One planned view of one side. */
export interface ViewPlan {
  readonly kind: ViewKind;
  readonly target: ViewTarget;
  readonly side: CarotidSide;
  /**
   * Transversal: axial position of the cut on the target branch, in mm from the flow divider
   * (negative in the CCA). Longitudinal: axial position of the point at the region's centre
   * column on the axis the plane contains, in mm from the flow divider.
   */
  readonly positionMm: number;
  /** Rotation of the plane about the vessel axis from the posterior direction, in degrees. */
  readonly rotationDeg: number;
  /** Longitudinal: tilt of the vessel axis against the image columns, degrees; transversal: 0. */
  readonly tiltDeg: number;
  /** Transversal: angle between the plane's normal and the branch axis, degrees; longitudinal: 0. */
  readonly obliquityDeg: number;
  /** Longitudinal: whether the head is on the image's left. */
  readonly headLeft: boolean;
  /** Depth of the target axis below the skin at the centre column, in mm. */
  readonly vesselDepthMm: number;
  readonly geometry: ViewGeometry;
  /** Frames: 1, or 6–10 for a cine loop. */
  readonly frames: number;
  /** Time between frames, in ms (cine only). */
  readonly frameTimeMs: number;
  /** Transducer centre frequency, MHz. */
  readonly frequencyMHz: number;
}

const DEG = Math.PI / 180;
const normalize = (a: Vec3): Vec3 => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
};
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const add = (a: Vec3, b: Vec3, k = 1): Vec3 => [a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2]];
const mix = (a: Vec3, ka: number, b: Vec3, kb: number): Vec3 => [
  ka * a[0] + kb * b[0],
  ka * a[1] + kb * b[1],
  ka * a[2] + kb * b[2],
];
const neg = (a: Vec3): Vec3 => [-a[0], -a[1], -a[2]];
const r9 = (a: Vec3): Vec3 => [round(a[0], 9), round(a[1], 9), round(a[2], 9)];

/** Region size and pixel spacing for a scanner, an imaging depth and a lateral field of view. */
function regionSize(
  r: Random,
  scanner: UltrasoundScanner,
): { spacing: number; columns: number; rows: number; x0: number; y0: number } {
  const availW = scanner.columns - scanner.marginLeft - scanner.marginRight;
  const availH = scanner.rows - scanner.marginTop - scanner.marginBottom;
  const depth = r.uniform(25, 45);
  const spacing = round(Math.min(0.12, Math.max(0.06, (depth / availH) * r.uniform(1, 1.12))), 4);
  const rows = Math.min(availH, Math.round(depth / spacing));
  const columns = Math.min(availW, Math.round(r.uniform(34, 50) / spacing));
  // Centre the region in the space left of the parameter table, on whole pixels.
  const x0 = scanner.marginLeft + Math.floor((availW - columns) / 2);
  const y0 = scanner.marginTop + Math.floor((availH - rows) / 3);
  return { spacing, columns, rows, x0, y0 };
}

interface PlaneInput {
  readonly axis: Vec3;
  readonly deep: Vec3;
  readonly rotationDeg: number;
  readonly centre: Vec3;
  readonly depthMm: number;
  readonly centreColumn: number;
}

/**
 * A longitudinal plane containing `axis`: rows go along the deep direction turned by
 * `rotationDeg` about the axis, columns along the axis (caudal to the right when `headLeft`),
 * both turned by `tiltDeg` in the plane.
 */
function longitudinalPlane(
  p: PlaneInput,
  tiltDeg: number,
  headLeft: boolean,
  spacing: number,
): Pick<ViewGeometry, 'origin' | 'u' | 'v'> {
  const dPerp = normalize(add(p.deep, p.axis, -dot(p.deep, p.axis)));
  const n = cross(p.axis, dPerp);
  const psi = p.rotationDeg * DEG;
  const beam = mix(dPerp, Math.cos(psi), n, Math.sin(psi));
  const a = headLeft ? neg(p.axis) : p.axis;
  const tau = tiltDeg * DEG;
  const u = normalize(mix(a, Math.cos(tau), beam, Math.sin(tau)));
  const v = normalize(mix(a, -Math.sin(tau), beam, Math.cos(tau)));
  const origin = add(add(p.centre, u, -p.centreColumn * spacing), v, -p.depthMm);
  return { origin, u: r9(u), v: r9(v) };
}

/** A transversal plane through `centre` ⊥ `axis` (turned by `obliquityDeg` about the beam). */
function transversalPlane(
  p: PlaneInput,
  obliquityDeg: number,
  mirror: boolean,
  spacing: number,
): Pick<ViewGeometry, 'origin' | 'u' | 'v'> {
  const dPerp = normalize(add(p.deep, p.axis, -dot(p.deep, p.axis)));
  const n = cross(p.axis, dPerp);
  const psi = p.rotationDeg * DEG;
  const v = normalize(mix(dPerp, Math.cos(psi), n, Math.sin(psi)));
  let u0 = cross(p.axis, v);
  if (mirror) u0 = neg(u0);
  const w = obliquityDeg * DEG;
  const u = normalize(mix(u0, Math.cos(w), p.axis, -Math.sin(w)));
  const origin = add(add(p.centre, u, -p.centreColumn * spacing), v, -p.depthMm);
  return { origin, u: r9(u), v: r9(v) };
}

/** The axis point of `branch` at `positionMm` from the flow divider. */
function axisPoint(model: CarotidArteryModel, branch: CarotidBranch, positionMm: number): Vec3 {
  const b = model.branches[branch];
  const s = b.flowDividerSMm + positionMm;
  return [b.direction[0] * s, b.direction[1] * s, b.direction[2] * s];
}

/**
 * Plans one view of `model` on `scanner`: the region's size and pixel spacing (0.06–0.12 mm),
 * the plane through the 3D model, cine or not. Draws everything from `r`.
 */
export function planView(
  r: Random,
  model: CarotidArteryModel,
  scanner: UltrasoundScanner,
  kind: ViewKind,
  target: ViewTarget,
  cine: boolean,
): ViewPlan {
  const region = regionSize(r, scanner);
  const depthMm = region.rows * region.spacing;
  const vesselDepthMm = round(Math.min(depthMm - 9, r.uniform(12, 24)), 3);
  const centreColumn = Math.round(region.columns * r.uniform(0.4, 0.6));
  const frequencyMHz = round(r.uniform(scanner.frequencyMHz[0], scanner.frequencyMHz[1]), 1);
  const deep = model.deepDirection;
  let positionMm: number;
  let axisBranch: CarotidBranch;
  let rotationDeg: number;
  let tiltDeg = 0;
  let obliquityDeg = 0;
  let headLeft = true;
  let plane: Pick<ViewGeometry, 'origin' | 'u' | 'v'>;
  if (kind === 'longitudinal') {
    headLeft = r.next() < 0.85;
    tiltDeg = round(r.uniform(-6, 6), 3);
    const sign = r.next() < 0.5 ? -1 : 1;
    switch (target) {
      case 'bifurcation':
        axisBranch = 'cca';
        positionMm = r.uniform(-6, 4);
        rotationDeg = r.uniform(-10, 10);
        break;
      case 'cca':
        axisBranch = 'cca';
        positionMm = r.uniform(-38, -24);
        rotationDeg = r.uniform(-30, 30);
        break;
      case 'ica':
        axisBranch = 'ica';
        positionMm = r.uniform(8, 18);
        rotationDeg = sign * r.uniform(25, 60);
        break;
      case 'eca':
        axisBranch = 'eca';
        positionMm = r.uniform(5, 12);
        rotationDeg = sign * r.uniform(25, 50);
        break;
    }
    positionMm = round(positionMm, 3);
    rotationDeg = round(rotationDeg, 3);
    plane = longitudinalPlane(
      {
        axis: model.branches[axisBranch].direction,
        deep,
        rotationDeg,
        centre: axisPoint(model, axisBranch, positionMm),
        depthMm: vesselDepthMm,
        centreColumn,
      },
      tiltDeg,
      headLeft,
      region.spacing,
    );
  } else {
    axisBranch = target === 'bifurcation' ? 'cca' : target;
    positionMm = round(
      axisBranch === 'cca'
        ? r.uniform(-35, -8)
        : axisBranch === 'ica'
          ? r.uniform(3, 25)
          : r.uniform(3, 15),
      3,
    );
    rotationDeg = round(r.uniform(-15, 15), 3);
    obliquityDeg = round(r.uniform(-8, 8), 3);
    plane = transversalPlane(
      {
        axis: model.branches[axisBranch].direction,
        deep,
        rotationDeg,
        centre: axisPoint(model, axisBranch, positionMm),
        depthMm: vesselDepthMm,
        centreColumn,
      },
      obliquityDeg,
      model.side === 'left',
      region.spacing,
    );
  }
  const frames = cine ? 6 + r.int(5) : 1;
  const heartRate = r.uniform(55, 85);
  return {
    kind,
    target,
    side: model.side,
    positionMm,
    rotationDeg,
    tiltDeg,
    obliquityDeg,
    headLeft,
    vesselDepthMm,
    geometry: {
      origin: [round(plane.origin[0], 6), round(plane.origin[1], 6), round(plane.origin[2], 6)],
      u: plane.u,
      v: plane.v,
      spacingMm: region.spacing,
      columns: region.columns,
      rows: region.rows,
      regionX0: region.x0,
      regionY0: region.y0,
    },
    frames,
    frameTimeMs: cine ? round(60_000 / heartRate / frames, 2) : 0,
    frequencyMHz,
  };
}

/** The kernel plane of a view, moved by `shift` (mm, model space) for probe motion. */
export function sectionPlane(g: ViewGeometry, shift: Vec3 = [0, 0, 0]): SectionPlane {
  return {
    origin: add(g.origin, shift),
    u: g.u,
    v: g.v,
    spacingMm: g.spacingMm,
    columns: g.columns,
    rows: g.rows,
  };
}

/** A lumen diameter the ground truth records for a longitudinal view. */
export interface LongitudinalDiameter {
  readonly branch: CarotidBranch;
  /** Axial position on the branch axis, mm from the flow divider. */
  readonly positionMm: number;
  /** Where the axis point falls in the stored image (pixel coordinates, may be fractional). */
  readonly x: number;
  readonly y: number;
  /** Distance of the axis point from the imaging plane, mm. */
  readonly offPlaneMm: number;
  /**
   * Lumen chord in the imaging plane, ⊥ the branch axis's projection, through the plane point
   * nearest the axis point (what a caliper on this image would measure), mm.
   */
  readonly inPlaneDiameterMm: number;
  /** Smallest 3D lumen diameter through the axis at this position (the tube alone), mm. */
  readonly minimalDiameterMm: number;
}

/** Ground-truth measurements of one view on the model. */
export interface ViewMeasurements {
  /** Longitudinal views: diameters every 5 mm along the branches in view. */
  readonly diameters: readonly LongitudinalDiameter[];
  /** Transversal views: lumen chord along image rows (horizontal) through the axis point, mm. */
  readonly horizontalDiameterMm?: number;
  /** Transversal views: lumen chord along image columns (vertical, the beam), mm. */
  readonly verticalDiameterMm?: number;
  /** Transversal views: lumen area ⊥ the axis at the cut (the target tube alone), mm². */
  readonly lumenAreaMm2?: number;
  /** Transversal views: the axis point in the stored image, pixels. */
  readonly centreX?: number;
  readonly centreY?: number;
}

const BRANCH_INDEX: Readonly<Record<CarotidBranch, number>> = { cca: 0, ica: 1, eca: 2 };

/** Measures lumen diameters of a view on the model (analytic, by bisection on the geometry). */
export function measureView(model: CarotidArteryModel, plan: ViewPlan): ViewMeasurements {
  const section: SectionModel = toSectionModel(model);
  const g = plan.geometry;
  const n = cross(g.u, g.v);
  const toImage = (p: Vec3): { x: number; y: number; off: number } => {
    const d = add(p, g.origin, -1);
    return {
      x: g.regionX0 + dot(d, g.u) / g.spacingMm,
      y: g.regionY0 + dot(d, g.v) / g.spacingMm,
      off: dot(d, n),
    };
  };
  if (plan.kind === 'transversal') {
    const branch = plan.target === 'bifurcation' ? 'cca' : plan.target;
    const p = axisPoint(model, branch, plan.positionMm);
    const at = toImage(p);
    const b = section.branches[BRANCH_INDEX[branch]];
    const s = model.branches[branch].flowDividerSMm + plan.positionMm;
    return {
      diameters: [],
      horizontalDiameterMm: round(lumenChord(section, p, g.u), 3),
      verticalDiameterMm: round(lumenChord(section, p, g.v), 3),
      lumenAreaMm2: b === undefined ? 0 : round(lumenArea(b, s), 3),
      centreX: round(at.x, 3),
      centreY: round(at.y, 3),
    };
  }
  const branches: readonly CarotidBranch[] =
    plan.target === 'bifurcation' ? ['cca', 'ica', 'eca'] : [plan.target];
  const diameters: LongitudinalDiameter[] = [];
  for (const branch of branches) {
    const bm = model.branches[branch];
    const b = section.branches[BRANCH_INDEX[branch]];
    if (b === undefined) continue;
    const from = branch === 'cca' ? -60 : 0;
    const to = branch === 'cca' ? -2 : 40;
    for (let pos = from; pos <= to; pos += 5) {
      const s = bm.flowDividerSMm + pos;
      if (s < bm.sMinMm || s > bm.sMaxMm || (branch !== 'cca' && s < 0)) continue;
      const p = axisPoint(model, branch, pos);
      const at = toImage(p);
      const inside =
        at.x >= g.regionX0 &&
        at.x <= g.regionX0 + g.columns - 1 &&
        at.y >= g.regionY0 &&
        at.y <= g.regionY0 + g.rows - 1;
      if (!inside) continue;
      const q = add(p, n, -at.off);
      const ap = normalize(add(bm.direction, n, -dot(bm.direction, n)));
      const w = cross(n, ap);
      const chord = lumenChord(section, q, w);
      if (chord === 0) continue;
      diameters.push({
        branch,
        positionMm: pos,
        x: round(at.x, 3),
        y: round(at.y, 3),
        offPlaneMm: round(at.off, 3),
        inPlaneDiameterMm: round(chord, 3),
        minimalDiameterMm: round(minimalDiameter(b, s), 3),
      });
    }
  }
  return { diameters };
}

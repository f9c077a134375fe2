import { PlatformError } from '../../core/index.js';
import { SECTION_STEP_MM } from './assemble-carotid-geometry.js';
import type { PatientCut, PatientProfile } from './assemble-carotid-geometry.js';
import type { CarotidBranchName } from './carotid-geometry.js';
import type { CarotidLongitudinalView, CarotidTransversalView } from './carotid-views.js';
import { branchNormal, junctionPosition } from './generic-carotid.js';
import type { CarotidFrame, PlaneVec } from './generic-carotid.js';
import {
  cutMoments,
  hasWallLabel,
  lumenRuns,
  orientedSize,
  rayProfile,
} from './kernels/mask-sampler.js';
import type { LumenRun, OrientedMask } from './kernels/mask-sampler.js';

/** How far from a station's axis point the lumen is searched, mm. */
const SEARCH_MM = 2;
/** Widest wall accepted before the outer boundary is declared unknown, mm. */
const MAX_WALL_MM = 5;
/** Smallest lumen (equal-area diameter, pixels) whose cut gives an ellipse axis ratio. */
const MIN_SHAPE_PIXELS = 20;
/** Stations kept clear of the image edges, mm. */
const EDGE_MM = 0.5;
/** ICA and ECA stations closer to the apex than this are not measured (the lumens touch), mm. */
const APEX_CLEARANCE_MM = 0.5;

function fail(message: string): never {
  throw new PlatformError('ERR_RECONSTRUCT_INPUT', message);
}

function oriented(view: CarotidLongitudinalView, plusYTop: boolean): OrientedMask {
  const [sx, sy] = view.mask.pixelSpacing ?? [NaN, NaN];
  return {
    data: view.mask.data,
    columns: view.mask.columns,
    rows: view.mask.rows,
    sx,
    sy,
    flipX: view.distalToward === 'left',
    flipY: plusYTop,
  };
}

/** Least-squares line Y = a + b·X; undefined with fewer than `min` points. */
function fitLine(
  xs: readonly number[],
  ys: readonly number[],
  min: number,
): { a: number; b: number } | undefined {
  const n = xs.length;
  if (n < min) return undefined;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i] ?? 0;
    const y = ys[i] ?? 0;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const den = n * sxx - sx * sx;
  if (Math.abs(den) < 1e-12) return undefined;
  const b = (n * sxy - sx * sy) / den;
  return { a: (sy - b * sx) / n, b };
}

function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 === 1 ? (v[m] ?? NaN) : ((v[m - 1] ?? NaN) + (v[m] ?? NaN)) / 2;
}

/** NaN-aware moving average over ±`half` samples. */
function smooth(values: Float64Array, half: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] ?? NaN)) continue;
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(values.length - 1, i + half); j++) {
      const v = values[j] ?? NaN;
      if (Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    out[i] = sum / n;
  }
  return out;
}

/** One station's in-plane measurements, relative to the straight axis, mm (NaN unknown). */
interface Station {
  readonly lumenU: number;
  readonly outerU: number;
  readonly offsetU: number;
  readonly axisOffsetU: number;
}

/**
 * Turns a ray profile (signed distances along u from the axis point) into a station. With both
 * outer boundaries the axis point is moved to the outer centre; with one, the fitted axis is kept.
 */
function station(
  p: { lumenLo: number; lumenHi: number; outerLo: number; outerHi: number },
  wall: boolean,
  offsetsKnown: boolean,
): Station {
  const lumenU = (p.lumenHi - p.lumenLo) / 2;
  const lumenCentre = (p.lumenHi + p.lumenLo) / 2;
  if (!wall) {
    return { lumenU, outerU: NaN, offsetU: offsetsKnown ? 0 : NaN, axisOffsetU: lumenCentre };
  }
  const lo = p.outerLo;
  const hi = p.outerHi;
  if (Number.isFinite(lo) && Number.isFinite(hi)) {
    const centre = (lo + hi) / 2;
    return {
      lumenU,
      outerU: (hi - lo) / 2,
      offsetU: offsetsKnown ? lumenCentre - centre : NaN,
      axisOffsetU: centre,
    };
  }
  const known = Number.isFinite(hi) ? hi : Number.isFinite(lo) ? -lo : NaN;
  return {
    lumenU,
    outerU: known,
    offsetU: offsetsKnown && Number.isFinite(known) ? lumenCentre : NaN,
    axisOffsetU: NaN,
  };
}

/** Stations dropped at each end of a run of measured stations (where a vessel leaves the view). */
const TRIM_STATIONS = 4;

function profileFrom(
  positions: readonly number[],
  measured: readonly (Station | undefined)[],
  view: string,
): PatientProfile | undefined {
  // Trim each contiguous run: at the image edges and where a segmentation fades out, the last
  // stations see a partial lumen.
  const stations = measured.map((s, i) => {
    for (let d = -TRIM_STATIONS; d <= TRIM_STATIONS; d++) {
      if (measured[i + d] === undefined) return undefined;
    }
    return s;
  });
  const first = stations.findIndex((s) => s !== undefined);
  let last = stations.length - 1;
  while (last >= 0 && stations[last] === undefined) last--;
  if (first < 0 || last < first) return undefined;
  const n = last - first + 1;
  const pick = (f: (s: Station) => number): Float64Array =>
    smooth(
      Float64Array.from({ length: n }, (_, i) => {
        const st = stations[first + i];
        return st === undefined ? NaN : f(st);
      }),
      2,
    );
  return {
    startMm: positions[first] ?? 0,
    stepMm: SECTION_STEP_MM,
    lumenU: pick((s) => s.lumenU),
    outerU: pick((s) => s.outerU),
    offsetU: pick((s) => s.offsetU),
    axisOffsetU: pick((s) => s.axisOffsetU),
    views: [view],
  };
}

/** What a bifurcation view gave: the skeleton and a profile per branch it shows. */
export interface BifurcationMeasurement {
  readonly frame: CarotidFrame;
  readonly profiles: Partial<Record<CarotidBranchName, PatientProfile>>;
  /** Branches whose axis direction was fitted on this view. */
  readonly axes: readonly CarotidBranchName[];
  /** Apex position in the mask, pixels (column, row). */
  readonly apexPixel: readonly [column: number, row: number];
  readonly warnings: readonly string[];
}

const rotate = (p: PlaneVec, ew: PlaneVec, ez: PlaneVec): PlaneVec => [
  p[0] * ew[0] + p[1] * ew[1],
  p[0] * ez[0] + p[1] * ez[1],
];

/**
 * Measures a bifurcation view: finds the flow divider, fits the three axes, and measures lumen and
 * wall perpendicular to each axis every 0.25 mm.
 */
export function measureBifurcationView(
  view: CarotidLongitudinalView,
  name: string,
): BifurcationMeasurement {
  const m = oriented(view, view.icaToward === 'top');
  const warnings: string[] = [];
  const minRun = Math.max(3, Math.round(0.5 / m.sy));
  const runs: LumenRun[][] = [];
  for (let k = 0; k < m.columns; k++) runs.push(lumenRuns(m, k, minRun));

  // Flow divider: the first column from which two lumens persist over 1.5 mm, after a single one.
  const persist = Math.max(2, Math.ceil(1.5 / m.sx));
  let apexK = -1;
  for (let k = 1; k + persist <= m.columns && apexK < 0; k++) {
    if (runs[k - 1]?.length !== 1) continue;
    let ok = true;
    for (let j = k; j < k + persist && ok; j++) ok = (runs[j]?.length ?? 0) >= 2;
    if (ok) apexK = k;
  }
  if (apexK < 0)
    fail(
      `${name}: no flow divider found (no column where one lumen splits into two that run on for 1.5 mm): is this a bifurcation view with the lumen labelled 1?`,
    );
  const split = runs[apexK] ?? [];
  const ica0 = split[split.length - 1];
  const eca0 = split[split.length - 2];
  if (ica0 === undefined || eca0 === undefined) fail(`${name}: flow divider without two lumens`);
  const apex: PlaneVec = [(apexK - 0.5) * m.sx, ((eca0.hi + ica0.lo) / 2) * m.sy];

  // Rough axes from the outer (else lumen) centres of each column's runs.
  const centre = (r: LumenRun): number =>
    Number.isFinite(r.outerLo) && Number.isFinite(r.outerHi)
      ? ((r.outerLo + r.outerHi) / 2) * m.sy
      : ((r.lo + r.hi) / 2) * m.sy;
  const pts = {
    ica: { x: [] as number[], y: [] as number[] },
    eca: { x: [] as number[], y: [] as number[] },
  };
  for (let k = apexK; k < m.columns; k++) {
    const x = k * m.sx;
    const rs = runs[k] ?? [];
    if (x < apex[0] + 1.5 || rs.length < 2) continue;
    const hi = rs[rs.length - 1];
    const lo = rs[0];
    if (hi !== undefined && lo !== undefined) {
      pts.ica.x.push(x);
      pts.ica.y.push(centre(hi));
      pts.eca.x.push(x);
      pts.eca.y.push(centre(lo));
    }
  }
  const icaLine = fitLine(pts.ica.x, pts.ica.y, 10);
  const ecaLine = fitLine(pts.eca.x, pts.eca.y, 10);
  if (icaLine === undefined || ecaLine === undefined)
    fail(`${name}: the ICA and ECA are not visible over at least 1 mm distal to the flow divider`);
  // Junction of the daughters' axes, oriented frame.
  const xJ = (ecaLine.a - icaLine.a) / (icaLine.b - ecaLine.b);
  if (!Number.isFinite(xJ) || xJ > apex[0])
    fail(`${name}: the ICA and ECA axes do not meet proximal to the flow divider`);

  const ccaRuns = runs.map((rs) => (rs.length === 1 ? rs[0] : undefined));
  const ccaRadius = median(
    ccaRuns
      .slice(0, Math.max(1, Math.floor(apexK / 2)))
      .map((r) => (r === undefined ? NaN : ((r.hi - r.lo + 1) * m.sy) / 2)),
  );
  const ccaX: number[] = [];
  const ccaY: number[] = [];
  ccaRuns.forEach((r, k) => {
    if (r !== undefined && k * m.sx <= xJ - 1.5 * ccaRadius) {
      ccaX.push(k * m.sx);
      ccaY.push(centre(r));
    }
  });
  const ccaLine = fitLine(ccaX, ccaY, 10);
  let ez: PlaneVec;
  if (ccaLine === undefined) {
    warnings.push(
      `${name}: the CCA shows over less than 1 mm: its axis is taken as the bisector of the ICA and ECA`,
    );
    const a = Math.atan(icaLine.b);
    const b = Math.atan(ecaLine.b);
    ez = [Math.cos((a + b) / 2), Math.sin((a + b) / 2)];
  } else {
    const n = Math.hypot(1, ccaLine.b);
    ez = [1 / n, ccaLine.b / n];
  }
  const ew: PlaneVec = [-ez[1], ez[0]];
  // Canonical (w, z) ↔ oriented (X, Y) with the apex at the origin.
  const toCanonical = (p: PlaneVec): PlaneVec => rotate([p[0] - apex[0], p[1] - apex[1]], ew, ez);
  const toOriented = (w: number, z: number): PlaneVec => [
    apex[0] + w * ew[0] + z * ez[0],
    apex[1] + w * ew[1] + z * ez[1],
  ];
  const dirOf = (b: number): PlaneVec => {
    const n = Math.hypot(1, b);
    return rotate([1 / n, b / n], ew, ez);
  };
  const junction = toCanonical([xJ, icaLine.a + icaLine.b * xJ]);
  const frame: CarotidFrame = {
    junction,
    direction: { cca: [0, 1], ica: dirOf(icaLine.b), eca: dirOf(ecaLine.b) },
  };
  const wall = hasWallLabel(view.mask.data);
  if (!wall) warnings.push(`${name}: no wall label (2): wall thickness and plaque are generic`);

  // Stations every 0.25 mm along each axis, within the image.
  const [xMax, yMax] = orientedSize(m);
  const inside = (p: PlaneVec): boolean =>
    p[0] >= EDGE_MM && p[0] <= xMax - EDGE_MM && p[1] >= 0 && p[1] <= yMax;
  const profiles: Partial<Record<CarotidBranchName, PatientProfile>> = {};
  for (const branch of ['cca', 'ica', 'eca'] as const) {
    const d = frame.direction[branch];
    const u = branchNormal(branch, d);
    const uo: PlaneVec = [u[0] * ew[0] + u[1] * ez[0], u[0] * ew[1] + u[1] * ez[1]];
    const sJ = junctionPosition(frame, branch);
    // Axial extent of the image along this axis: where the axis leaves the image.
    const at = (s: number): PlaneVec =>
      toOriented(junction[0] + (s - sJ) * d[0], junction[1] + (s - sJ) * d[1]);
    let lo: number;
    let hi: number;
    if (branch === 'cca') {
      hi = sJ - 1.5 * ccaRadius;
      lo = hi;
      while (inside(at(lo - SECTION_STEP_MM))) lo -= SECTION_STEP_MM;
    } else {
      lo = APEX_CLEARANCE_MM;
      hi = lo;
      while (inside(at(hi + SECTION_STEP_MM))) hi += SECTION_STEP_MM;
    }
    const positions: number[] = [];
    const stations: (Station | undefined)[] = [];
    for (let s = lo; s <= hi + 1e-9; s += SECTION_STEP_MM) {
      const p = at(s);
      positions.push(s);
      if (!inside(p)) {
        stations.push(undefined);
        continue;
      }
      const r = rayProfile(m, p[0], p[1], uo[0], uo[1], SEARCH_MM, MAX_WALL_MM);
      stations.push(r === undefined ? undefined : station(r, wall, true));
    }
    const profile = profileFrom(positions, stations, name);
    if (profile !== undefined) profiles[branch] = profile;
  }
  return {
    frame,
    profiles,
    axes: ['cca', 'ica', 'eca'],
    apexPixel: [
      m.flipX ? m.columns - 1 - apex[0] / m.sx : apex[0] / m.sx,
      m.flipY ? m.rows - 1 - apex[1] / m.sy : apex[1] / m.sy,
    ],
    warnings,
  };
}

/** Measures a single-branch longitudinal view: diameters (and offsets, when oriented) along s. */
export function measureBranchView(
  view: CarotidLongitudinalView,
  name: string,
): PatientProfile | undefined {
  const offsetsKnown = view.outerWallToward !== undefined;
  const m = oriented(view, view.outerWallToward === 'top');
  const origin = view.axialOriginMm ?? 0;
  const minRun = Math.max(3, Math.round(0.5 / m.sy));
  // Track the vessel from the middle column outward: the run nearest the previous centre.
  const mid = m.columns >> 1;
  const seed = lumenRuns(m, mid, minRun).sort((a, b) => b.hi - b.lo - (a.hi - a.lo))[0];
  if (seed === undefined) fail(`${name}: no lumen in the middle column of a ${view.covers} view`);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const dir of [1, -1] as const) {
    let last = ((seed.lo + seed.hi) / 2) * m.sy;
    for (let k = dir === 1 ? mid : mid - 1; k >= 0 && k < m.columns; k += dir) {
      const rs = lumenRuns(m, k, minRun);
      let best: LumenRun | undefined;
      let bestD = Infinity;
      for (const r of rs) {
        const dist = Math.abs(((r.lo + r.hi) / 2) * m.sy - last);
        if (dist < bestD) {
          bestD = dist;
          best = r;
        }
      }
      if (best === undefined || bestD > 2) continue;
      const c =
        Number.isFinite(best.outerLo) && Number.isFinite(best.outerHi)
          ? ((best.outerLo + best.outerHi) / 2) * m.sy
          : ((best.lo + best.hi) / 2) * m.sy;
      last = ((best.lo + best.hi) / 2) * m.sy;
      xs.push(k * m.sx);
      ys.push(c);
    }
  }
  const line = fitLine(xs, ys, 10);
  if (line === undefined) fail(`${name}: the vessel shows over less than 1 mm`);
  const wall = hasWallLabel(view.mask.data);
  const n = Math.hypot(1, line.b);
  const uo: PlaneVec = [-line.b / n, 1 / n];
  const [xMax] = orientedSize(m);
  const positions: number[] = [];
  const stations: (Station | undefined)[] = [];
  // A vessel tilted against the columns runs sqrt(1 + b²) mm of axis per mm of image x; the axial
  // origin is the axis point at column 0.
  const stretch = n;
  // Column 0 is oriented x = 0, or the far end when the image is flipped (distal on the left).
  const start = m.flipX ? origin - xMax * stretch : origin;
  const first = Math.ceil((start + EDGE_MM) / SECTION_STEP_MM) * SECTION_STEP_MM;
  for (let s = first; s <= start + (xMax - EDGE_MM) * stretch + 1e-9; s += SECTION_STEP_MM) {
    const x = (s - start) / stretch;
    positions.push(s);
    const r = rayProfile(m, x, line.a + line.b * x, uo[0], uo[1], SEARCH_MM, MAX_WALL_MM);
    const st = r === undefined ? undefined : station(r, wall, offsetsKnown);
    // A single-branch view has no skeleton: its axis deviation is not used.
    stations.push(st === undefined ? undefined : { ...st, axisOffsetU: NaN });
  }
  return profileFrom(positions, stations, name);
}

/** Measures a transversal cut: lumen and outer ellipses (equal-area scaled), undefined without lumen. */
export function measureTransversalView(
  view: CarotidTransversalView,
  name: string,
):
  | { cut: PatientCut; maxWallThicknessMm: number; lumenOffsetMm: readonly [number, number] }
  | undefined {
  const [sx, sy] = view.mask.pixelSpacing ?? [NaN, NaN];
  const mo = cutMoments(view.mask.data, view.mask.columns, view.mask.rows, sx, sy);
  if (mo === undefined) return undefined;
  const ellipse = (variance: readonly [number, number], area: number): [number, number] => {
    const a = 2 * Math.sqrt(variance[0]);
    const b = 2 * Math.sqrt(variance[1]);
    const k = a > 0 && b > 0 ? Math.sqrt(area / (Math.PI * a * b)) : NaN;
    return [a * k, b * k];
  };
  let [lumenU, lumenV] = ellipse(mo.lumenVarianceMm2, mo.lumenAreaMm2);
  // Below about 20 pixels across, pixelation alone skews the axis ratio by several percent.
  const across = (2 * Math.sqrt(mo.lumenAreaMm2 / Math.PI)) / Math.min(sx, sy);
  if (across < MIN_SHAPE_PIXELS) {
    lumenU = Math.sqrt(mo.lumenAreaMm2 / Math.PI);
    lumenV = lumenU;
  }
  const outer = mo.hasWall ? ellipse(mo.outerVarianceMm2, mo.outerAreaMm2) : undefined;
  return {
    cut: {
      positionMm: view.positionMm,
      lumenU,
      lumenV,
      ...(outer === undefined ? {} : { outerU: outer[0], outerV: outer[1] }),
      view: name,
    },
    maxWallThicknessMm: mo.maxWallThicknessMm,
    lumenOffsetMm: [
      mo.lumenCentroidMm[0] - mo.outerCentroidMm[0],
      mo.lumenCentroidMm[1] - mo.outerCentroidMm[1],
    ],
  };
}

/** Combines profiles of one branch from several views on one grid, averaging where they overlap. */
export function mergeProfiles(profiles: readonly PatientProfile[]): PatientProfile | undefined {
  if (profiles.length <= 1) return profiles[0];
  const step = SECTION_STEP_MM;
  const start = Math.min(...profiles.map((p) => p.startMm));
  const end = Math.max(...profiles.map((p) => p.startMm + (p.lumenU.length - 1) * p.stepMm));
  const n = Math.round((end - start) / step) + 1;
  const merge = (f: (p: PatientProfile) => Float64Array): Float64Array => {
    const sum = new Float64Array(n);
    const count = new Float64Array(n);
    for (const p of profiles) {
      const values = f(p);
      const offset = Math.round((p.startMm - start) / step);
      values.forEach((v, i) => {
        const k = offset + i;
        if (Number.isFinite(v) && k >= 0 && k < n) {
          sum[k] = (sum[k] ?? 0) + v;
          count[k] = (count[k] ?? 0) + 1;
        }
      });
    }
    return sum.map((v, i) => ((count[i] ?? 0) > 0 ? v / (count[i] ?? 1) : NaN));
  };
  return {
    startMm: start,
    stepMm: step,
    lumenU: merge((p) => p.lumenU),
    outerU: merge((p) => p.outerU),
    offsetU: merge((p) => p.offsetU),
    axisOffsetU: merge((p) => p.axisOffsetU),
    views: profiles.flatMap((p) => p.views),
  };
}

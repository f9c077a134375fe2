import { PlatformError } from '../../core/index.js';
import type { Image2D } from '../../core/index.js';
import { CAROTID_BRANCHES } from './carotid-geometry.js';
import type { CarotidBranchName } from './carotid-geometry.js';
import type {
  CarotidLongitudinalView,
  CarotidTransversalView,
  CarotidViews,
} from './carotid-views.js';
import {
  branchNormal,
  genericSectionProfile,
  junctionPosition,
  resolveCarotidModel,
} from './generic-carotid.js';
import type { CarotidGenericParameters, ResolvedCarotidModel } from './generic-carotid.js';

/** A longitudinal view to draw: the bifurcation plane over an axial window. */
export interface RasterLongitudinalSpec {
  readonly covers: 'bifurcation' | CarotidBranchName;
  /** Axial window, mm: along the CCA axis for `bifurcation`, along the branch otherwise. */
  readonly fromMm: number;
  readonly toMm: number;
  /** Flip the image so that the distal end is on the left. @defaultValue false */
  readonly distalLeft?: boolean;
  /** Bifurcation views: put the ICA toward the bottom instead of the top. @defaultValue false */
  readonly icaBottom?: boolean;
}

/** A transversal cut to draw. */
export interface RasterTransversalSpec {
  readonly branch: CarotidBranchName;
  readonly positionMm: number;
}

/** Options of {@link rasterizeCarotidViews}. */
export interface RasterizeCarotidOptions {
  /** Pixel spacing (square pixels), mm. @defaultValue 0.1 */
  readonly pixelSpacingMm?: number;
  readonly longitudinal: readonly RasterLongitudinalSpec[];
  readonly transversal?: readonly RasterTransversalSpec[];
  /** Draw lumen only (no wall label). @defaultValue false */
  readonly lumenOnly?: boolean;
}

/**
 * Label of a point of the canonical frame (w toward the ICA, v out of plane, z along the CCA, mm)
 * for the analytic generic model: 1 inside a lumen, 2 inside a wall, 0 outside.
 *
 * @remarks
 * Each branch is a tube of elliptical sections along its straight axis, closed flat at its free end
 * and by a half-ellipsoid at the junction; the lumen is the union of the branch lumens and the wall
 * what lies inside an outer boundary but in no lumen.
 */
export function genericLabelAt(
  model: ResolvedCarotidModel,
  w: number,
  v: number,
  z: number,
): number {
  let label = 0;
  for (const name of CAROTID_BRANCHES) {
    const d = model.frame.direction[name];
    const u = branchNormal(name, d);
    const [s0, s1] = model.range[name];
    const sJ = junctionPosition(model.frame, name);
    const s = w * d[0] + z * d[1];
    const sc = Math.min(s1, Math.max(s0, s));
    const excess = s - sc;
    // Only the junction end is rounded; the free end is cut flat.
    const atJunction = name === 'cca' ? excess > 0 : excess < 0;
    if (excess !== 0 && !atJunction) continue;
    const fw = model.frame.junction[0] + (sc - sJ) * d[0];
    const fz = model.frame.junction[1] + (sc - sJ) * d[1];
    const qu = (w - fw) * u[0] + (z - fz) * u[1];
    const p = genericSectionProfile(model, name, sc);
    const lu = (qu - p.offsetU) / p.lumenU;
    const lv = (v - p.offsetV) / p.lumenV;
    const le = excess / p.lumenU;
    if (lu * lu + lv * lv + le * le <= 1) return 1;
    const ou = qu / p.outerU;
    const ov = v / p.outerV;
    const oe = excess / p.outerU;
    if (ou * ou + ov * ov + oe * oe <= 1) label = 2;
  }
  return label;
}

function image(
  columns: number,
  rows: number,
  spacing: number,
): Image2D<Uint8Array> & { data: Uint8Array } {
  return {
    columns,
    rows,
    samplesPerPixel: 1,
    pixelSpacing: [spacing, spacing],
    data: new Uint8Array(columns * rows),
  };
}

/**
 * Draws lumen/wall masks of a generic model as a scanner would see them, for tests, benchmarks
 * and examples: longitudinal views in the bifurcation plane and transversal cuts, labels sampled at
 * pixel centres.
 *
 * @example
 * ```ts
 * const views = rasterizeCarotidViews({ stenosis: { nascetPct: 50 } }, {
 *   longitudinal: [{ covers: 'bifurcation', fromMm: -25, toMm: 35 }],
 *   transversal: [{ branch: 'cca', positionMm: -20 }],
 * });
 * reconstructCarotid(views).measurements.nascetPct.value; // ≈ 50
 * ```
 */
export function rasterizeCarotidViews(
  parameters: Partial<CarotidGenericParameters>,
  options: RasterizeCarotidOptions,
): CarotidViews {
  const model = resolveCarotidModel(parameters);
  const h = options.pixelSpacingMm ?? 0.1;
  if (!(h > 0)) throw new PlatformError('ERR_RECONSTRUCT_INPUT', 'pixelSpacingMm must be > 0');
  const lumenOnly = options.lumenOnly === true;
  const put = (v: number): number => (lumenOnly && v === 2 ? 0 : v);
  const p = model.parameters;
  const maxOuter = (p.bulbDiameterRatio * p.ccaDiameterMm) / 2 + p.wallThicknessMm;

  const longitudinal: CarotidLongitudinalView[] = options.longitudinal.map((spec) => {
    const columns = Math.round((spec.toMm - spec.fromMm) / h) + 1;
    if (spec.covers === 'bifurcation') {
      // Rows span every branch within the axial window, plus a margin.
      let wMin = Infinity;
      let wMax = -Infinity;
      for (const name of CAROTID_BRANCHES) {
        const d = model.frame.direction[name];
        const sJ = junctionPosition(model.frame, name);
        for (const s of model.range[name]) {
          const wz = [
            model.frame.junction[0] + (s - sJ) * d[0],
            model.frame.junction[1] + (s - sJ) * d[1],
          ] as const;
          if (wz[1] >= spec.fromMm - maxOuter && wz[1] <= spec.toMm + maxOuter) {
            wMin = Math.min(wMin, wz[0]);
            wMax = Math.max(wMax, wz[0]);
          }
        }
        // Where the branch crosses the window's ends.
        for (const zEdge of [spec.fromMm, spec.toMm]) {
          if (d[1] > 1e-9) {
            const s = sJ + (zEdge - model.frame.junction[1]) / d[1];
            const [a, b] = model.range[name];
            if (s >= a && s <= b) {
              const w = model.frame.junction[0] + (s - sJ) * d[0];
              wMin = Math.min(wMin, w);
              wMax = Math.max(wMax, w);
            }
          }
        }
      }
      const top = wMax + maxOuter + 2;
      const bottom = wMin - maxOuter - 2;
      const rows = Math.round((top - bottom) / h) + 1;
      const mask = image(columns, rows, h);
      for (let r = 0; r < rows; r++) {
        const w = spec.icaBottom === true ? bottom + r * h : top - r * h;
        for (let c = 0; c < columns; c++) {
          const z = spec.distalLeft === true ? spec.toMm - c * h : spec.fromMm + c * h;
          mask.data[c + r * columns] = put(genericLabelAt(model, w, 0, z));
        }
      }
      return {
        mask,
        covers: 'bifurcation',
        icaToward: spec.icaBottom === true ? 'bottom' : 'top',
        ...(spec.distalLeft === true ? { distalToward: 'left' as const } : {}),
      };
    }
    const name = spec.covers;
    const d = model.frame.direction[name];
    const u = branchNormal(name, d);
    const sJ = junctionPosition(model.frame, name);
    const half = maxOuter + 3;
    const rows = Math.round((2 * half) / h) + 1;
    const mask = image(columns, rows, h);
    for (let r = 0; r < rows; r++) {
      const q = half - r * h;
      for (let c = 0; c < columns; c++) {
        const s = spec.distalLeft === true ? spec.toMm - c * h : spec.fromMm + c * h;
        const w = model.frame.junction[0] + (s - sJ) * d[0] + q * u[0];
        const z = model.frame.junction[1] + (s - sJ) * d[1] + q * u[1];
        mask.data[c + r * columns] = put(genericLabelAt(model, w, 0, z));
      }
    }
    return {
      mask,
      covers: name,
      axialOriginMm: spec.distalLeft === true ? spec.toMm : spec.fromMm,
      outerWallToward: 'top',
      ...(spec.distalLeft === true ? { distalToward: 'left' as const } : {}),
    };
  });

  const transversal: CarotidTransversalView[] = (options.transversal ?? []).map((spec) => {
    const name = spec.branch;
    const d = model.frame.direction[name];
    const u = branchNormal(name, d);
    const sJ = junctionPosition(model.frame, name);
    const half = maxOuter + 2;
    const n = Math.round((2 * half) / h) + 1;
    const mask = image(n, n, h);
    const cw = model.frame.junction[0] + (spec.positionMm - sJ) * d[0];
    const cz = model.frame.junction[1] + (spec.positionMm - sJ) * d[1];
    for (let r = 0; r < n; r++) {
      const v = (r - (n - 1) / 2) * h;
      for (let c = 0; c < n; c++) {
        const q = (c - (n - 1) / 2) * h;
        mask.data[c + r * n] = put(genericLabelAt(model, cw + q * u[0], v, cz + q * u[1]));
      }
    }
    return { mask, branch: name, positionMm: spec.positionMm };
  });

  return { side: p.side, longitudinal, transversal };
}

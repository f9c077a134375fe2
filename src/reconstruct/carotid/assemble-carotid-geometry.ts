import type { Vec3 } from '../../core/index.js';
import { CAROTID_BRANCHES } from './carotid-geometry.js';
import type {
  CarotidBranchGeometry,
  CarotidBranchName,
  CarotidGeometry,
  CarotidProvenance,
  CarotidSection,
} from './carotid-geometry.js';
import { branchNormal, genericSectionProfile, junctionPosition } from './generic-carotid.js';
import type { CarotidFrame, ResolvedCarotidModel } from './generic-carotid.js';

/** Spacing of the sections along every branch, mm. */
export const SECTION_STEP_MM = 0.25;

/** Distance over which measured values fade into the generic ones beyond the measured range, mm. */
const BLEND_MM = 5;

/**
 * In-plane measurements along a branch from longitudinal views, on a regular grid of axial
 * positions; NaN where not measured.
 */
export interface PatientProfile {
  /** Axial position of index 0, mm. */
  readonly startMm: number;
  /** Grid step, mm. */
  readonly stepMm: number;
  /** Lumen semi-axis along u, mm. */
  readonly lumenU: Float64Array;
  /** Outer semi-axis along u, mm. */
  readonly outerU: Float64Array;
  /** Lumen centre minus outer centre along u, mm. */
  readonly offsetU: Float64Array;
  /** Outer centre minus the straight axis along u, mm (the axis's curvature). */
  readonly axisOffsetU: Float64Array;
  /** The views that contributed. */
  readonly views: readonly string[];
}

/** One transversal cut of a branch. */
export interface PatientCut {
  readonly positionMm: number;
  readonly lumenU: number;
  readonly lumenV: number;
  /** Outer semi-axes, absent when the cut had no wall mask. */
  readonly outerU?: number;
  readonly outerV?: number;
  readonly view: string;
}

/** Everything measured on one branch. */
export interface PatientBranchData {
  readonly profile?: PatientProfile;
  readonly cuts: readonly PatientCut[];
  /** The view whose skeleton gave this branch's axis direction, when one did. */
  readonly axisView?: string;
}

/** Input of {@link assembleCarotidGeometry}. */
export interface AssembleCarotidInput {
  /** Generic model used wherever nothing was measured (already scaled to the patient). */
  readonly template: ResolvedCarotidModel;
  /** The patient's skeleton, when a bifurcation view gave one; the template's otherwise. */
  readonly frame?: CarotidFrame;
  readonly patient?: Partial<Record<CarotidBranchName, PatientBranchData>>;
}

interface Sampled {
  readonly value: number;
  /** Distance to the nearest measured station, mm (0 on one); Infinity when none. */
  readonly distance: number;
}

function sampleProfile(
  profile: PatientProfile | undefined,
  array: (p: PatientProfile) => Float64Array,
  s: number,
): Sampled {
  if (profile === undefined) return { value: NaN, distance: Infinity };
  const values = array(profile);
  const k = Math.round((s - profile.startMm) / profile.stepMm);
  const here = values[k];
  if (here !== undefined && Number.isFinite(here)) return { value: here, distance: 0 };
  // Nearest measured value, searched outward (profiles are short: a few hundred entries).
  for (let d = 1; d < values.length + Math.abs(k); d++) {
    for (const j of [k - d, k + d]) {
      const v = values[j];
      if (v !== undefined && Number.isFinite(v)) return { value: v, distance: d * profile.stepMm };
    }
  }
  return { value: NaN, distance: Infinity };
}

function blend(measured: Sampled, generic: number): number {
  if (!Number.isFinite(measured.value)) return generic;
  const w = Math.max(0, 1 - measured.distance / BLEND_MM);
  return w * measured.value + (1 - w) * generic;
}

/** Distance over which a cut's cross-section shape fades into the generic one beyond the end cuts, mm. */
const SHAPE_REACH_MM = 10;

/**
 * Cut values interpolated along s: linear between cuts; beyond the end cuts constant, or, with
 * `fadeTo`, fading linearly into `fadeTo` over 10 mm (a cut's shape says little far from it).
 */
function interpolateCuts(
  cuts: readonly PatientCut[],
  value: (c: PatientCut) => number | undefined,
  s: number,
  fadeTo?: number,
): number {
  if (fadeTo !== undefined) {
    const inner = interpolateCuts(cuts, value, s);
    if (!Number.isFinite(inner)) return inner;
    const positions = cuts.filter((c) => Number.isFinite(value(c) ?? NaN)).map((c) => c.positionMm);
    const outside = Math.max(0, Math.min(...positions) - s, s - Math.max(...positions));
    const w = Math.max(0, 1 - outside / SHAPE_REACH_MM);
    return w * inner + (1 - w) * fadeTo;
  }
  const known = cuts
    .map((c) => ({ s: c.positionMm, v: value(c) }))
    .filter((c): c is { s: number; v: number } => c.v !== undefined && Number.isFinite(c.v))
    .sort((a, b) => a.s - b.s);
  const first = known[0];
  const last = known[known.length - 1];
  if (first === undefined || last === undefined) return NaN;
  if (s <= first.s) return first.v;
  if (s >= last.s) return last.v;
  for (let i = 1; i < known.length; i++) {
    const a = known[i - 1];
    const b = known[i];
    if (a !== undefined && b !== undefined && s <= b.s) {
      return b.s === a.s ? b.v : a.v + ((b.v - a.v) * (s - a.s)) / (b.s - a.s);
    }
  }
  return last.v;
}

/** Contiguous ranges of positions where `flag` holds. */
function ranges(positions: readonly number[], flags: readonly boolean[]): [number, number][] {
  const out: [number, number][] = [];
  let start: number | undefined;
  let prev = 0;
  positions.forEach((s, i) => {
    if (flags[i] === true) {
      start ??= s;
      prev = s;
    } else if (start !== undefined) {
      out.push([start, prev]);
      start = undefined;
    }
  });
  if (start !== undefined) out.push([start, prev]);
  return out;
}

function provenance(
  patient: boolean,
  views: readonly string[],
  rangesMm?: readonly (readonly [number, number])[],
  note?: string,
): CarotidProvenance {
  return {
    source: patient ? 'patient' : 'generic',
    views: patient ? [...new Set(views)] : [],
    ...(patient && rangesMm !== undefined ? { rangesMm } : {}),
    ...(note === undefined ? {} : { note }),
  };
}

/**
 * Builds the sections of every branch: measured values where views cover the branch, the
 * (patient-scaled) generic model elsewhere, faded over 5 mm at the edges of the measured range.
 */
export function assembleCarotidGeometry(input: AssembleCarotidInput): CarotidGeometry {
  const { template } = input;
  const frame = input.frame ?? template.frame;
  const side = template.parameters.side;
  const mirror = side === 'right' ? -1 : 1;
  const world = (w: number, v: number, z: number): Vec3 => [mirror * w, v, z];
  const junction = world(frame.junction[0], 0, frame.junction[1]);

  const branches: CarotidBranchGeometry[] = CAROTID_BRANCHES.map((name) => {
    const data = input.patient?.[name];
    const profile = data?.profile;
    const cuts = data?.cuts ?? [];
    const d = frame.direction[name];
    const u = branchNormal(name, d);
    const sJ = junctionPosition(frame, name);
    // Branch extent: the generic one, stretched to whatever the views covered.
    const generic = template.range[name];
    let lo = name === 'cca' ? generic[0] : sJ;
    let hi = name === 'cca' ? sJ : generic[1];
    if (profile !== undefined) {
      const end = profile.startMm + (profile.lumenU.length - 1) * profile.stepMm;
      if (name === 'cca') lo = Math.min(lo, profile.startMm);
      else hi = Math.max(hi, end);
    }
    const count = Math.max(2, Math.round((hi - lo) / SECTION_STEP_MM) + 1);
    const step = (hi - lo) / (count - 1);

    const positions: number[] = [];
    const measuredU: boolean[] = [];
    const measuredAxis: boolean[] = [];
    const measuredWall: boolean[] = [];
    const sections: CarotidSection[] = [];
    for (let k = 0; k < count; k++) {
      const s = lo + k * step;
      const g = genericSectionProfile(template, name, s);
      const lumen = sampleProfile(profile, (p) => p.lumenU, s);
      const outer = sampleProfile(profile, (p) => p.outerU, s);
      const offset = sampleProfile(profile, (p) => p.offsetU, s);
      const axis = sampleProfile(profile, (p) => p.axisOffsetU, s);
      const cutLumenU = interpolateCuts(cuts, (c) => c.lumenU, s);
      const cutOuterU = interpolateCuts(cuts, (c) => c.outerU, s);
      const cutLumenRatio = interpolateCuts(
        cuts,
        (c) => c.lumenV / c.lumenU,
        s,
        g.lumenV / g.lumenU,
      );
      const cutOuterRatio = interpolateCuts(
        cuts,
        (c) => (c.outerV === undefined || c.outerU === undefined ? undefined : c.outerV / c.outerU),
        s,
        g.outerV / g.outerU,
      );

      let lumenU: number;
      let fromPatient: boolean;
      if (Number.isFinite(lumen.value)) {
        lumenU = blend(lumen, g.lumenU);
        fromPatient = lumen.distance === 0;
      } else if (Number.isFinite(cutLumenU)) {
        lumenU = cutLumenU;
        fromPatient = true;
      } else {
        lumenU = g.lumenU;
        fromPatient = false;
      }
      // Out-of-plane axis: the cuts' axis ratio (circular/generic ratio without cuts).
      const lumenRatio = Number.isFinite(cutLumenRatio) ? cutLumenRatio : g.lumenV / g.lumenU;
      const lumenV = lumenU * lumenRatio;
      const wallGeneric = g.outerU - g.lumenU - g.offsetU;
      let outerU = Number.isFinite(outer.value)
        ? blend(outer, lumenU + wallGeneric)
        : Number.isFinite(cutOuterU) && !Number.isFinite(lumen.value)
          ? cutOuterU
          : lumenU + Math.max(0, g.outerU - g.lumenU);
      const offsetU = Number.isFinite(offset.value) ? blend(offset, g.offsetU) : g.offsetU;
      outerU = Math.max(outerU, lumenU + Math.abs(offsetU));
      const outerRatio = Number.isFinite(cutOuterRatio) ? cutOuterRatio : g.outerV / g.outerU;
      const outerV = Math.max(outerU * outerRatio, lumenV + Math.abs(g.offsetV));
      const axisOffset = Number.isFinite(axis.value) ? blend(axis, 0) : 0;

      const w = frame.junction[0] + (s - sJ) * d[0] + axisOffset * u[0];
      const z = frame.junction[1] + (s - sJ) * d[1] + axisOffset * u[1];
      positions.push(s);
      measuredU.push(fromPatient);
      measuredAxis.push(axis.distance === 0);
      measuredWall.push(outer.distance === 0 || (Number.isFinite(cutOuterU) && fromPatient));
      sections.push({
        positionMm: s,
        center: world(w, 0, z),
        tangent: world(d[0], 0, d[1]),
        normalU: world(u[0], 0, u[1]),
        normalV: [0, 1, 0],
        lumenOffsetMm: [offsetU, g.offsetV],
        lumenSemiAxesMm: [lumenU, lumenV],
        outerSemiAxesMm: [outerU, outerV],
        source: fromPatient ? 'patient' : 'generic',
      });
    }

    const profileViews = profile?.views ?? [];
    const cutViews = cuts.map((c) => c.view);
    const diametersViews = [...profileViews, ...(profile === undefined ? cutViews : [])];
    const anyU = measuredU.some(Boolean);
    const anyAxis = data?.axisView !== undefined;
    const anyWall = measuredWall.some(Boolean);
    const wallCuts = cuts.filter((c) => c.outerU !== undefined).map((c) => c.view);
    return {
      name,
      ...(name === 'cca' ? {} : { parent: 'cca' as const }),
      sections,
      provenance: {
        centerline: provenance(
          anyAxis,
          data?.axisView === undefined ? [] : [data.axisView],
          ranges(positions, measuredAxis),
          anyAxis
            ? 'straight axis fitted to the outer wall, with its measured deviation where covered'
            : `straight at the generic angle of ${name === 'cca' ? 0 : name === 'ica' ? template.parameters.icaAngleDeg : template.parameters.ecaAngleDeg}°`,
        ),
        diameters: provenance(anyU, diametersViews, ranges(positions, measuredU)),
        crossSection: provenance(
          cuts.length > 0,
          cutViews,
          undefined,
          cuts.length > 0
            ? 'ellipse axis ratio from the transversal cuts, interpolated between them and fading into the generic shape within 10 mm beyond them'
            : name === 'eca' || template.parameters[`${name}AspectRatio`] === 1
              ? 'circular'
              : 'generic ellipse axis ratio',
        ),
        wall: provenance(
          anyWall,
          [...profileViews, ...wallCuts],
          ranges(positions, measuredWall),
          anyWall ? undefined : `uniform generic wall ${template.parameters.wallThicknessMm} mm`,
        ),
      },
    };
  });
  return { side, junction, branches };
}

import { PlatformError } from '../../core/index.js';
import type { CarotidBranchName, CarotidSide } from './carotid-geometry.js';

/**
 * A plaque narrowing the ICA lumen while the wall's outer boundary stays.
 *
 * @remarks
 * The lumen radius loses δ(s) = depth·f(s), f a raised cosine of length `lengthMm` centred on
 * `centerMm` (f = ½(1 + cos(2π(s − centre)/length)) inside, 0 outside); depth is chosen so that
 * the narrowest lumen diameter is (1 − nascetPct/100) times the distal ICA diameter, which is the
 * NASCET definition (NASCET collaborators, NEJM 1991: 1 − d_min/d_distal ICA). The lumen centre
 * moves by eccentricity·δ away from the plaque, so the plaque side of the wall thickens by
 * (1 + eccentricity)·δ and the opposite side by (1 − eccentricity)·δ.
 */
export interface CarotidStenosisParameters {
  /** NASCET degree of diameter stenosis, percent (0 = no plaque; at most 95). */
  readonly nascetPct: number;
  /**
   * Axial position of the narrowest point along the ICA from the flow divider, mm.
   * @defaultValue the bulb maximum (`bulbPositionRatio` · CCA diameter)
   */
  readonly centerMm?: number;
  /**
   * Plaque length along the axis, mm (the raised cosine's support).
   * @defaultValue 12
   */
  readonly lengthMm?: number;
  /**
   * Eccentricity in [0, 1]: 0 keeps the lumen centred, 1 makes the lumen touch the original lumen
   * boundary opposite the plaque.
   * @defaultValue 0.5
   */
  readonly eccentricity?: number;
  /**
   * Direction of the plaque in the cross-section, degrees from the section's u axis (the ICA's outer
   * wall in the bifurcation plane, the usual site) toward its v axis (+y).
   * @defaultValue 0
   */
  readonly orientationDeg?: number;
}

/**
 * The generic, planar carotid bifurcation, in proportions of the CCA diameter D.
 *
 * @remarks
 * Defaults follow the idealised model of Bharadvaj, Mabon & Giddens (J Biomech 1982;15:349–362),
 * as summarised in docs/science cardiovascular §3.1: ICA ≈ 0.7 D, ECA ≈ 0.58 D, a sinus (bulb) of
 * maximum diameter ≈ 1.1 D about 1 D downstream of the flow divider tapering back to the ICA
 * diameter over 2–3 D, branch angles 25° each in one plane. D defaults to 6.5 mm, the in-vivo CCA
 * diameter (6–7 mm; the Bharadvaj-type flow models use 8 mm). Kamenskiy et al. (J Biomech Eng 2012)
 * measured 36° ± 11° between the centerlines in vivo and elliptical sections (axis ratio ≈ 1.2):
 * `icaAngleDeg`, `ecaAngleDeg` and the aspect ratios let a model follow that. The wall thickness
 * default is a normal intima–media thickness for adults (0.5–1.0 mm; Touboul et al., Mannheim
 * consensus, Cerebrovasc Dis 2012). Ratios are not tied by Murray's law: the carotid's measured
 * radius exponent is 1.3–1.6, not 3.
 *
 * The ICA radius profile: the bulb radius from the junction to the bulb maximum, then a raised-cosine
 * taper to the distal ICA radius over `bulbTaperRatio` · D. CCA and ECA radii are constant.
 */
export interface CarotidGenericParameters {
  /** Which carotid (sets the side of the ICA in the model frame). @defaultValue `'right'` */
  readonly side: CarotidSide;
  /** CCA lumen diameter D, mm. @defaultValue 6.5 */
  readonly ccaDiameterMm: number;
  /** Distal ICA lumen diameter / D. @defaultValue 0.7 */
  readonly icaDiameterRatio: number;
  /** ECA lumen diameter / D. @defaultValue 0.58 */
  readonly ecaDiameterRatio: number;
  /** Maximum bulb (sinus) lumen diameter / D. @defaultValue 1.1 */
  readonly bulbDiameterRatio: number;
  /** Position of the bulb maximum along the ICA from the flow divider / D. @defaultValue 1 */
  readonly bulbPositionRatio: number;
  /** Length of the taper from the bulb maximum to the distal ICA diameter / D. @defaultValue 2.5 */
  readonly bulbTaperRatio: number;
  /** Angle between the ICA and CCA axes, degrees. @defaultValue 25 */
  readonly icaAngleDeg: number;
  /** Angle between the ECA and CCA axes, degrees. @defaultValue 25 */
  readonly ecaAngleDeg: number;
  /** CCA length proximal to the flow divider, mm. @defaultValue 30 */
  readonly ccaLengthMm: number;
  /** ICA length distal to the flow divider, mm. @defaultValue 40 */
  readonly icaLengthMm: number;
  /** ECA length distal to the flow divider, mm. @defaultValue 25 */
  readonly ecaLengthMm: number;
  /** Wall (intima–media) thickness away from plaque, mm. @defaultValue 0.7 */
  readonly wallThicknessMm: number;
  /** CCA lumen semi-axis ratio v/u (out-of-plane over in-plane). @defaultValue 1 */
  readonly ccaAspectRatio: number;
  /** ICA lumen semi-axis ratio v/u. @defaultValue 1 */
  readonly icaAspectRatio: number;
  /** ECA lumen semi-axis ratio v/u. @defaultValue 1 */
  readonly ecaAspectRatio: number;
  /** An ICA plaque; none when absent. */
  readonly stenosis?: CarotidStenosisParameters;
}

/** The defaults of {@link CarotidGenericParameters} (Bharadvaj et al. 1982 proportions). */
export const CAROTID_GENERIC_DEFAULTS: CarotidGenericParameters = {
  side: 'right',
  ccaDiameterMm: 6.5,
  icaDiameterRatio: 0.7,
  ecaDiameterRatio: 0.58,
  bulbDiameterRatio: 1.1,
  bulbPositionRatio: 1,
  bulbTaperRatio: 2.5,
  icaAngleDeg: 25,
  ecaAngleDeg: 25,
  ccaLengthMm: 30,
  icaLengthMm: 40,
  ecaLengthMm: 25,
  wallThicknessMm: 0.7,
  ccaAspectRatio: 1,
  icaAspectRatio: 1,
  ecaAspectRatio: 1,
};

/** A 2D vector in the bifurcation plane: (w, z), w toward the ICA side, z along the CCA. */
export type PlaneVec = readonly [w: number, z: number];

/**
 * The straight-branch skeleton of a bifurcation in the canonical plane (w toward the ICA, z along
 * the CCA toward the head, origin at the flow-divider apex).
 */
export interface CarotidFrame {
  /** Where the branch axes meet. */
  readonly junction: PlaneVec;
  /** Unit direction of each branch axis, distal. */
  readonly direction: Readonly<Record<CarotidBranchName, PlaneVec>>;
}

/** Lumen and outer ellipse of a section, relative to the axis point, mm. */
export interface SectionProfile {
  readonly lumenU: number;
  readonly lumenV: number;
  readonly offsetU: number;
  readonly offsetV: number;
  readonly outerU: number;
  readonly outerV: number;
}

/** Resolved stenosis: every field set, plus the lumen radius loss at its centre (mm). */
interface ResolvedStenosis {
  readonly centerMm: number;
  readonly lengthMm: number;
  readonly eccentricity: number;
  readonly orientationRad: number;
  readonly depthMm: number;
}

/** A generic model with defaults filled in and derived values computed. */
export interface ResolvedCarotidModel {
  readonly parameters: CarotidGenericParameters;
  readonly frame: CarotidFrame;
  /** Axial range [proximal, distal] of each branch, mm (see `CarotidSection.positionMm`). */
  readonly range: Readonly<Record<CarotidBranchName, readonly [number, number]>>;
  readonly stenosis?: ResolvedStenosis;
}

const DEG = Math.PI / 180;

/** The in-plane normal u of a branch (see `CarotidSection.normalU`). */
export function branchNormal(branch: CarotidBranchName, d: PlaneVec): PlaneVec {
  return branch === 'eca' ? [-d[1], d[0]] : [d[1], -d[0]];
}

/** Axial position of the junction on a branch: the projection of the junction on its axis. */
export function junctionPosition(frame: CarotidFrame, branch: CarotidBranchName): number {
  const d = frame.direction[branch];
  return frame.junction[0] * d[0] + frame.junction[1] * d[1];
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new PlatformError('ERR_RECONSTRUCT_INPUT', `generic carotid model: ${what}`);
}

/** Plaque-free ICA lumen radius at axial position s, mm (the bulb profile). */
function icaBaseRadius(p: CarotidGenericParameters, s: number): number {
  const d = p.ccaDiameterMm;
  const rDistal = (p.icaDiameterRatio * d) / 2;
  const rBulb = (p.bulbDiameterRatio * d) / 2;
  const sMax = p.bulbPositionRatio * d;
  const taper = p.bulbTaperRatio * d;
  if (s <= sMax) return rBulb;
  if (s >= sMax + taper) return rDistal;
  return rDistal + (rBulb - rDistal) * 0.5 * (1 + Math.cos((Math.PI * (s - sMax)) / taper));
}

/** Plaque-free lumen radius (in-plane semi-axis) of a branch at s, mm. */
function baseRadius(p: CarotidGenericParameters, branch: CarotidBranchName, s: number): number {
  switch (branch) {
    case 'cca':
      return p.ccaDiameterMm / 2;
    case 'ica':
      return icaBaseRadius(p, s);
    case 'eca':
      return (p.ecaDiameterRatio * p.ccaDiameterMm) / 2;
  }
}

function aspect(p: CarotidGenericParameters, branch: CarotidBranchName): number {
  switch (branch) {
    case 'cca':
      return p.ccaAspectRatio;
    case 'ica':
      return p.icaAspectRatio;
    case 'eca':
      return p.ecaAspectRatio;
  }
}

/**
 * Fills in defaults, checks the parameters and computes the skeleton: the apex where the ICA and
 * ECA lumens meet is put at the origin, the junction of the axes proximal to it.
 */
export function resolveCarotidModel(
  parameters: Partial<CarotidGenericParameters> = {},
): ResolvedCarotidModel {
  const p: CarotidGenericParameters = { ...CAROTID_GENERIC_DEFAULTS, ...parameters };
  const positive = (v: number): boolean => Number.isFinite(v) && v > 0;
  check(positive(p.ccaDiameterMm), `ccaDiameterMm must be > 0, got ${p.ccaDiameterMm}`);
  for (const key of [
    'icaDiameterRatio',
    'ecaDiameterRatio',
    'bulbDiameterRatio',
    'bulbTaperRatio',
    'ccaLengthMm',
    'icaLengthMm',
    'ecaLengthMm',
    'wallThicknessMm',
    'ccaAspectRatio',
    'icaAspectRatio',
    'ecaAspectRatio',
  ] as const) {
    check(positive(p[key]), `${key} must be > 0, got ${p[key]}`);
  }
  check(
    Number.isFinite(p.bulbPositionRatio) && p.bulbPositionRatio >= 0,
    `bulbPositionRatio must be ≥ 0, got ${p.bulbPositionRatio}`,
  );
  check(
    p.icaAngleDeg > 2 && p.ecaAngleDeg > 2 && p.icaAngleDeg + p.ecaAngleDeg < 150,
    `branch angles must each exceed 2° and sum to less than 150°, got ${p.icaAngleDeg}° and ${p.ecaAngleDeg}°`,
  );
  const side: unknown = p.side;
  check(side === 'left' || side === 'right', `side must be left or right, got ${String(side)}`);

  const ai = p.icaAngleDeg * DEG;
  const ae = p.ecaAngleDeg * DEG;
  const di: PlaneVec = [Math.sin(ai), Math.cos(ai)];
  const de: PlaneVec = [-Math.sin(ae), Math.cos(ae)];
  // Apex relative to the junction: the point at distance r_ICA from the ICA axis and r_ECA from
  // the ECA axis, between them (two lines offset from the axes toward each other).
  const ri = icaBaseRadius(p, 0);
  const re = (p.ecaDiameterRatio * p.ccaDiameterMm) / 2;
  const det = -Math.cos(ai) * Math.sin(ae) - Math.sin(ai) * Math.cos(ae);
  const apexW = (ri * Math.sin(ae) - Math.sin(ai) * re) / det;
  const apexZ = (-Math.cos(ai) * re - Math.cos(ae) * ri) / det;
  const frame: CarotidFrame = {
    junction: [-apexW, -apexZ],
    direction: { cca: [0, 1], ica: di, eca: de },
  };
  const range = {
    cca: [-p.ccaLengthMm, junctionPosition(frame, 'cca')] as const,
    ica: [junctionPosition(frame, 'ica'), p.icaLengthMm] as const,
    eca: [junctionPosition(frame, 'eca'), p.ecaLengthMm] as const,
  };
  check(range.cca[0] < range.cca[1] - 1, 'ccaLengthMm must reach proximal to the branch junction');

  let stenosis: ResolvedStenosis | undefined;
  const st = p.stenosis;
  if (st !== undefined && st.nascetPct > 0) {
    check(st.nascetPct <= 95, `stenosis nascetPct must be in [0, 95], got ${st.nascetPct}`);
    const centerMm = st.centerMm ?? p.bulbPositionRatio * p.ccaDiameterMm;
    const lengthMm = st.lengthMm ?? 12;
    const eccentricity = st.eccentricity ?? 0.5;
    check(positive(lengthMm), `stenosis lengthMm must be > 0, got ${lengthMm}`);
    check(
      eccentricity >= 0 && eccentricity <= 1,
      `stenosis eccentricity must be in [0, 1], got ${eccentricity}`,
    );
    check(
      centerMm - lengthMm / 2 >= 0 && centerMm + lengthMm / 2 <= p.icaLengthMm,
      `the plaque (${centerMm} ± ${lengthMm / 2} mm) must lie on the ICA distal to the flow divider (0–${p.icaLengthMm} mm)`,
    );
    const depthMm =
      icaBaseRadius(p, centerMm) -
      (1 - st.nascetPct / 100) * ((p.icaDiameterRatio * p.ccaDiameterMm) / 2);
    check(depthMm > 0, 'the plaque must narrow the lumen below the distal ICA diameter');
    stenosis = {
      centerMm,
      lengthMm,
      eccentricity,
      orientationRad: (st.orientationDeg ?? 0) * DEG,
      depthMm,
    };
  }
  return { parameters: p, frame, range, ...(stenosis === undefined ? {} : { stenosis }) };
}

/** Plaque radius loss δ at axial position s on the ICA, mm. */
function plaqueDepth(st: ResolvedStenosis, s: number): number {
  const x = s - st.centerMm;
  if (Math.abs(x) >= st.lengthMm / 2) return 0;
  return st.depthMm * 0.5 * (1 + Math.cos((2 * Math.PI * x) / st.lengthMm));
}

/**
 * The analytic section of a generic model's branch at axial position s: lumen and outer ellipses
 * (see {@link CarotidGenericParameters} for the profiles and {@link CarotidStenosisParameters} for
 * the plaque).
 */
export function genericSectionProfile(
  model: ResolvedCarotidModel,
  branch: CarotidBranchName,
  s: number,
): SectionProfile {
  const p = model.parameters;
  const r0 = baseRadius(p, branch, s);
  const k = aspect(p, branch);
  const t = p.wallThicknessMm;
  const delta =
    branch === 'ica' && model.stenosis !== undefined ? plaqueDepth(model.stenosis, s) : 0;
  const shift = delta * (model.stenosis?.eccentricity ?? 0);
  const angle = model.stenosis?.orientationRad ?? 0;
  return {
    lumenU: r0 - delta,
    lumenV: k * (r0 - delta),
    offsetU: -shift * Math.cos(angle),
    offsetV: -shift * Math.sin(angle),
    outerU: r0 + t,
    outerV: k * r0 + t,
  };
}

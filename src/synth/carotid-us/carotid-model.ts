import type { Vec3 } from '../../core/index.js';
import type { Random } from '../random.js';
import { TISSUE, classifyPoint, lumenRadius, profileRadius } from './kernels/carotid-section.js';
import type {
  PointClass,
  SectionBranch,
  SectionModel,
  SectionPlaque,
} from './kernels/carotid-section.js';

/** A carotid branch: common (CCA), internal (ICA) or external (ECA) carotid artery. */
export type CarotidBranch = 'cca' | 'ica' | 'eca';

/** The side of the neck. */
export type CarotidSide = 'left' | 'right';

/** Echo texture of a plaque (Gray-Weale-like classes; calcified casts an acoustic shadow). */
export type PlaqueEchogenicity = 'hypoechoic' | 'mixed' | 'hyperechoic' | 'calcified';

/**
 * A plaque: a local thickening of the wall into the lumen.
 *
 * @remarks
 * Thickness at axial position s and angle φ around the branch axis:
 * `h(s, φ) = thicknessMm · cos²(π (s − centreMm) / lengthMm) · ((1 − κ) + κ (1 + cos(φ − φp)) / 2)`
 * for `|s − centreMm| < lengthMm / 2`, else 0 (κ = `eccentricity`, φp = `orientationDeg`). The
 * lumen radius is the plaque-free radius minus h; the outer wall stays where it was, so the
 * plaque is part of the wall (label 2).
 */
export interface CarotidPlaque {
  readonly branch: CarotidBranch;
  /** Axial centre, in mm from the bifurcation point B along the branch axis (CCA: ≤ 0). */
  readonly centreMm: number;
  /** Axial centre, in mm from the flow divider (negative: proximal, in the CCA). */
  readonly centreFromFlowDividerMm: number;
  /** Axial extent (support of the cos² bump), in mm. */
  readonly lengthMm: number;
  /** Maximum thickness h, in mm. */
  readonly thicknessMm: number;
  /** Angle φp of the thickest part around the branch axis, from the branch's reference direction, in degrees. */
  readonly orientationDeg: number;
  /** κ in [0, 1]: 0 concentric, 1 one-sided. */
  readonly eccentricity: number;
  readonly echogenicity: PlaqueEchogenicity;
  /**
   * Local diameter reduction, in percent: `1 − d_min / d_free` at the plaque centre, where d is
   * the smallest diameter through the axis with and without the plaque.
   */
  readonly diameterReductionPercent: number;
}

/** One branch of the 3D model. */
export interface CarotidBranchModel {
  readonly branch: CarotidBranch;
  /** Unit axis direction in model coordinates: downstream for ICA/ECA, cranial for the CCA. */
  readonly direction: Vec3;
  /** Unit vector ⊥ `direction` from which angles around the axis are measured. */
  readonly reference: Vec3;
  /** Axial range of the tube, in mm from B (CCA: `[sMinMm, 0]`; ICA/ECA: `[0, sMaxMm]`). */
  readonly sMinMm: number;
  readonly sMaxMm: number;
  /**
   * Plaque-free lumen radius knots `[s mm, radius mm]`, interpolated by a half cosine between
   * knots and constant beyond the first and last.
   */
  readonly radiusKnots: readonly (readonly [sMm: number, radiusMm: number])[];
  /** ε: the radius is scaled by `1 + ε cos 2(φ − φe)` (elliptic cross-section, axis ratio (1+ε)/(1−ε)). */
  readonly ellipticity: number;
  /** φe, in degrees. */
  readonly ellipseAngleDeg: number;
  /** Intima-media thickness, in mm. */
  readonly imtMm: number;
  /** Axial position of the flow divider's foot on this axis, in mm from B. */
  readonly flowDividerSMm: number;
  readonly plaques: readonly CarotidPlaque[];
}

/** The internal jugular vein beside the CCA (anechoic, not labelled: a distractor). */
export interface JugularVeinModel {
  /** A point on the vein's axis, model mm. */
  readonly origin: Vec3;
  readonly direction: Vec3;
  readonly reference: Vec3;
  readonly semiAxisAMm: number;
  readonly semiAxisBMm: number;
}

/**
 * A simple 3D carotid bifurcation, in model coordinates (mm): B, where the three axes meet, is
 * the origin; +z runs cranially along the CCA axis; the ICA leaves B in the x–z plane towards +x
 * at angle `icaAngleDeg` to z; the ECA towards −x at `ecaAngleDeg`, turned out of that plane by
 * `planarityDeg` about z. `deepDirection` is the patient's posterior direction (where the
 * transducer's beam goes); the transducer sits on the anterolateral neck.
 *
 * @remarks
 * Dimensions follow Bharadvaj et al. 1982 (J Biomech 15:349; ICA ≈ 0.7 D, ECA ≈ 0.58 D,
 * sinus ≈ 1.1 D at about 1 D past the divider, tapering over 2–3 D, branch angles ≈ 25°) and
 * in-vivo morphometry (CCA 6–7.6 mm; ellipticity up to axis ratio 1.2, Kamenskiy et al.;
 * planarity 0–20°). Each branch is a tube around a straight axis with a plaque-free radius
 * profile, an elliptic modulation and plaques; the lumen is the union of the three tubes,
 * the wall the union of the tubes grown by the IMT, minus the lumen. The flow divider is the
 * point where the union's lumen ends along the bisector of the ICA and ECA axes.
 */
export interface CarotidArteryModel {
  readonly side: CarotidSide;
  /** CCA lumen diameter D (plaque-free, far from B), in mm. */
  readonly ccaDiameterMm: number;
  readonly icaAngleDeg: number;
  readonly ecaAngleDeg: number;
  readonly planarityDeg: number;
  /** Unit posterior direction in model coordinates (⊥ z). */
  readonly deepDirection: Vec3;
  /** The flow divider (apex of the lumen between ICA and ECA), model mm. */
  readonly flowDivider: Vec3;
  readonly branches: Readonly<Record<CarotidBranch, CarotidBranchModel>>;
  readonly jugular?: JugularVeinModel;
  /**
   * ICA stenosis per NASCET, in percent: `1 − d_min / d_distal`, with d the smallest lumen
   * diameter through the ICA axis over all directions, minimal over the bulb and proximal ICA,
   * and d_distal the same at `nascetReferenceSMm` (distal ICA, beyond the bulb). 0 without a
   * narrowing.
   */
  readonly nascetPercent: number;
  /** d_min, in mm. */
  readonly icaMinimalDiameterMm: number;
  /** Axial position of d_min, mm from the flow divider. */
  readonly icaMinimalDiameterPositionMm: number;
  /** d_distal, in mm. */
  readonly icaDistalDiameterMm: number;
  /** Where d_distal is measured, in mm from B along the ICA. */
  readonly nascetReferenceSMm: number;
}

const DEG = Math.PI / 180;
const TISSUE_OF: Readonly<Record<PlaqueEchogenicity, number>> = {
  hypoechoic: TISSUE.plaqueHypoechoic,
  mixed: TISSUE.plaqueMixed,
  hyperechoic: TISSUE.plaqueHyperechoic,
  calcified: TISSUE.plaqueCalcified,
};

const normalize = (a: Vec3): Vec3 => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
};
const crossV = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const dotV = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Rounds to `d` decimals (ground truth is written with fixed precision). */
export const round = (x: number, d: number): number => {
  const f = 10 ** d;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
};
const roundV = (a: Vec3, d = 6): Vec3 => [round(a[0], d), round(a[1], d), round(a[2], d)];

/** The kernel form of a branch. */
function sectionBranch(b: CarotidBranchModel, k = 1): SectionBranch {
  const knotS = Float64Array.from(b.radiusKnots, (x) => x[0]);
  const knotR = Float64Array.from(b.radiusKnots, (x) => x[1]);
  const maxR = Math.max(...knotR);
  return {
    origin: [0, 0, 0],
    direction: b.direction,
    reference: b.reference,
    sMinMm: b.sMinMm,
    sMaxMm: b.sMaxMm,
    knotS,
    knotR,
    ellipticity: b.ellipticity,
    ellipseAngle: b.ellipseAngleDeg * DEG,
    imtMm: b.imtMm,
    plaques: b.plaques.map((p): SectionPlaque => ({
      centreMm: p.centreMm,
      lengthMm: p.lengthMm,
      thicknessMm: p.thicknessMm,
      angle: p.orientationDeg * DEG,
      eccentricity: p.eccentricity,
      tissue: TISSUE_OF[p.echogenicity],
    })),
    maxOuterMm: maxR * k * (1 + b.ellipticity) + b.imtMm + 1e-6,
  };
}

/** The form of the model the per-pixel kernels read. */
export function toSectionModel(model: CarotidArteryModel): SectionModel {
  const j = model.jugular;
  return {
    branches: [
      sectionBranch(model.branches.cca),
      sectionBranch(model.branches.ica),
      sectionBranch(model.branches.eca),
    ],
    ...(j === undefined
      ? {}
      : {
          vein: {
            origin: j.origin,
            direction: j.direction,
            reference: j.reference,
            semiAxisAMm: j.semiAxisAMm,
            semiAxisBMm: j.semiAxisBMm,
          },
        }),
  };
}

/**
 * The smallest lumen diameter through the axis of `b` at `s`, over directions 0–180° in 2°
 * steps: `min_φ r(s, φ) + r(s, φ + π)`, in mm (the tube alone, not the union).
 */
export function minimalDiameter(b: SectionBranch, s: number): number {
  let best = Infinity;
  for (let deg = 0; deg < 180; deg += 2) {
    const phi = deg * DEG;
    best = Math.min(best, lumenRadius(b, s, phi) + lumenRadius(b, s, phi + Math.PI));
  }
  return best;
}

/** Cross-sectional lumen area of the tube `b` at `s` ⊥ its axis, `½ ∮ r(φ)² dφ`, in mm². */
export function lumenArea(b: SectionBranch, s: number, k = 1): number {
  const n = 360;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = lumenRadius(b, s, (2 * Math.PI * i) / n, k);
    sum += r * r;
  }
  return (0.5 * sum * 2 * Math.PI) / n;
}

/**
 * Length of the lumen chord (mm) along unit direction `dir` through `p`, on the union model:
 * from `p` (which must be in the lumen) outwards both ways, to 0.005 mm by bisection.
 * 0 when `p` is not in the lumen.
 */
export function lumenChord(model: SectionModel, p: Vec3, dir: Vec3, k = 1): number {
  const out: PointClass = { label: 0, tissue: 0, aux: 0, facing: 0, branch: -1 };
  const inside = (t: number): boolean => {
    classifyPoint(model, p[0] + t * dir[0], p[1] + t * dir[1], p[2] + t * dir[2], k, dir, out);
    return out.label === 1;
  };
  if (!inside(0)) return 0;
  let total = 0;
  for (const sign of [1, -1]) {
    let lo = 0;
    let hi = 0.25;
    while (hi < 60 && inside(sign * hi)) {
      lo = hi;
      hi += 0.25;
    }
    while (hi - lo > 0.005) {
      const mid = (lo + hi) / 2;
      if (inside(sign * mid)) lo = mid;
      else hi = mid;
    }
    total += (lo + hi) / 2;
  }
  return total;
}

/** Subject traits that shape the model. */
export interface ModelTraits {
  readonly ageYears: number;
  readonly sex: 'F' | 'M';
}

function pickEchogenicity(r: Random): PlaqueEchogenicity {
  const u = r.next();
  return u < 0.3 ? 'hypoechoic' : u < 0.65 ? 'mixed' : u < 0.85 ? 'hyperechoic' : 'calcified';
}

/** A drawn NASCET target, in percent: 45 % mild (10–35), 35 % moderate (35–60), 20 % severe (60–80). */
function drawIcaStenosis(r: Random): number {
  const u = r.next();
  return u < 0.45 ? r.uniform(10, 35) : u < 0.8 ? r.uniform(35, 60) : r.uniform(60, 80);
}

interface PlaqueDraft {
  readonly branch: CarotidBranch;
  readonly centreMm: number;
  readonly lengthMm: number;
  readonly targetPercent: number;
  readonly orientationDeg: number;
  readonly eccentricity: number;
  readonly echogenicity: PlaqueEchogenicity;
}

/**
 * Draws the carotid artery of one side from `r`: geometry (see {@link CarotidArteryModel}),
 * IMT growing with age (0.6–1.0 mm), plaques (more likely with age) with ICA stenoses of
 * 0–80 % NASCET, and the jugular vein in most cases. Every measured field (flow divider,
 * NASCET, diameter reductions) is computed on the final geometry.
 */
export function drawCarotidModel(
  r: Random,
  side: CarotidSide,
  traits: ModelTraits,
): CarotidArteryModel {
  const D = r.uniform(5.9, 7.2) + (traits.sex === 'M' ? 0.4 : 0);
  const rc = D / 2;
  const icaAngle = r.uniform(15, 30);
  const ecaAngle = r.uniform(15, 30);
  const planarity = r.uniform(0, 20);
  const psi0 = r.uniform(-10, 10) * DEG;
  const deep: Vec3 = [Math.cos(psi0), Math.sin(psi0), 0];
  const dCca: Vec3 = [0, 0, 1];
  const dIca: Vec3 = normalize([Math.sin(icaAngle * DEG), 0, Math.cos(icaAngle * DEG)]);
  const dEca: Vec3 = normalize([
    -Math.sin(ecaAngle * DEG) * Math.cos(planarity * DEG),
    -Math.sin(ecaAngle * DEG) * Math.sin(planarity * DEG),
    Math.cos(ecaAngle * DEG),
  ]);
  const refOf = (d: Vec3): Vec3 => normalize(crossV(crossV(d, deep), d)); // deep, made ⊥ d
  const imtBase = Math.min(
    1.0,
    Math.max(0.6, 0.52 + 0.006 * (traits.ageYears - 30) + r.uniform(-0.04, 0.1)),
  );
  const bulbS = r.uniform(6, 10);
  const bulbR = rc * r.uniform(1.08, 1.25);
  const taper = D * r.uniform(2, 3);
  const icaDistalR = rc * r.uniform(0.64, 0.76);
  const ecaR = rc * r.uniform(0.54, 0.66);
  const ellipse = (): { ellipticity: number; ellipseAngleDeg: number } => ({
    ellipticity: round(r.uniform(0.02, 0.09), 4),
    ellipseAngleDeg: round(r.uniform(0, 180), 2),
  });
  const base = {
    cca: {
      branch: 'cca' as const,
      direction: dCca,
      reference: refOf(dCca),
      sMinMm: -90,
      sMaxMm: 0,
      radiusKnots: [
        [-60, rc * 0.99],
        [-12, rc],
        [0, rc * 1.03],
      ] as const,
      ...ellipse(),
      imtMm: imtBase,
    },
    ica: {
      branch: 'ica' as const,
      direction: dIca,
      reference: refOf(dIca),
      sMinMm: 0,
      sMaxMm: 80,
      radiusKnots: [
        [0, rc * 0.97],
        [bulbS, bulbR],
        [bulbS + taper, icaDistalR],
        [80, icaDistalR * 0.95],
      ] as const,
      ...ellipse(),
      imtMm: imtBase * 0.95,
    },
    eca: {
      branch: 'eca' as const,
      direction: dEca,
      reference: refOf(dEca),
      sMinMm: 0,
      sMaxMm: 70,
      radiusKnots: [
        [0, rc * 0.8],
        [8, ecaR],
        [70, ecaR * 0.9],
      ] as const,
      ...ellipse(),
      imtMm: imtBase * 0.9,
    },
  };
  const roundKnots = (k: readonly (readonly [number, number])[]): [number, number][] =>
    k.map(([s, rr]) => [round(s, 4), round(rr, 4)]);
  const plain = (b: (typeof base)[CarotidBranch]): CarotidBranchModel => ({
    ...b,
    direction: roundV(b.direction, 9),
    reference: roundV(b.reference, 9),
    radiusKnots: roundKnots(b.radiusKnots),
    imtMm: round(b.imtMm, 4),
    flowDividerSMm: 0,
    plaques: [],
  });
  const noPlaque = {
    cca: plain(base.cca),
    ica: plain(base.ica),
    eca: plain(base.eca),
  };
  // Flow divider on the plaque-free geometry (plaques are placed past it).
  const flowDivider = findFlowDivider(noPlaque);
  const dividerS = (d: Vec3): number => round(dotV(flowDivider, d), 4);
  const fd = { cca: dividerS(dCca), ica: dividerS(dIca), eca: dividerS(dEca) };
  const referenceS = round(bulbS + taper + 4, 4);

  // Plaques: probability rising with age; the first one mostly in the bulb / proximal ICA.
  const pPlaque = Math.min(0.85, Math.max(0.2, 0.3 + 0.012 * (traits.ageYears - 40)));
  const drafts: PlaqueDraft[] = [];
  if (r.next() < pPlaque) {
    const count = r.next() < 0.3 ? 2 : 1;
    for (let i = 0; i < count; i++) {
      const u = r.next();
      const branch: CarotidBranch = i === 0 ? (u < 0.8 ? 'ica' : 'cca') : u < 0.5 ? 'cca' : 'eca';
      if (drafts.some((d) => d.branch === branch)) continue;
      const common = {
        orientationDeg: round(r.uniform(0, 360), 2),
        echogenicity: pickEchogenicity(r),
      };
      if (branch === 'ica') {
        const centre = fd.ica + r.uniform(2, 9);
        const length = Math.min(r.uniform(7, 20), 2 * (referenceS - 3 - centre));
        const target = drawIcaStenosis(r);
        drafts.push({
          branch,
          centreMm: centre,
          lengthMm: length,
          targetPercent: target,
          eccentricity: target > 55 ? r.uniform(0.05, 0.35) : r.uniform(0.3, 0.95),
          ...common,
        });
      } else if (branch === 'cca') {
        drafts.push({
          branch,
          centreMm: r.uniform(-28, -8),
          lengthMm: r.uniform(6, 16),
          targetPercent: r.uniform(10, 40),
          eccentricity: r.uniform(0.4, 1),
          ...common,
        });
      } else {
        drafts.push({
          branch,
          centreMm: fd.eca + r.uniform(2, 7),
          lengthMm: r.uniform(5, 10),
          targetPercent: r.uniform(10, 45),
          eccentricity: r.uniform(0.3, 0.9),
          ...common,
        });
      }
    }
  }
  const icaDistalDiameter = minimalDiameter(sectionBranch(noPlaque.ica), referenceS);
  const withPlaques = (b: CarotidBranchModel): CarotidBranchModel => {
    const free = sectionBranch(b);
    const plaques = drafts
      .filter((d) => d.branch === b.branch)
      .map((d): CarotidPlaque => {
        const dFree = minimalDiameter(free, d.centreMm);
        const r0 = profileRadius(free.knotS, free.knotR, d.centreMm) * (1 - b.ellipticity);
        // NASCET for the ICA (relative to the distal ICA), local reduction elsewhere.
        const reference = d.branch === 'ica' ? icaDistalDiameter : dFree;
        const dTarget = Math.min(dFree, reference * (1 - d.targetPercent / 100));
        const kappa = d.eccentricity;
        const h = Math.min(0.95 * r0, Math.max(0, (dFree - dTarget) / (2 - kappa)));
        const plaque = {
          centreMm: round(d.centreMm, 4),
          lengthMm: round(d.lengthMm, 4),
          thicknessMm: round(h, 4),
          angle: d.orientationDeg * DEG,
          eccentricity: round(kappa, 4),
          tissue: TISSUE_OF[d.echogenicity],
        };
        const dMin = minimalDiameter({ ...free, plaques: [plaque] }, d.centreMm);
        return {
          branch: d.branch,
          centreMm: plaque.centreMm,
          centreFromFlowDividerMm: round(plaque.centreMm - fd[d.branch], 4),
          lengthMm: plaque.lengthMm,
          thicknessMm: plaque.thicknessMm,
          orientationDeg: d.orientationDeg,
          eccentricity: plaque.eccentricity,
          echogenicity: d.echogenicity,
          diameterReductionPercent: round(100 * (1 - dMin / dFree), 2),
        };
      });
    return { ...b, flowDividerSMm: fd[b.branch], plaques };
  };
  const branches = {
    cca: withPlaques(noPlaque.cca),
    ica: withPlaques(noPlaque.ica),
    eca: withPlaques(noPlaque.eca),
  };

  // NASCET on the final ICA, over the bulb and proximal ICA.
  const ica = sectionBranch(branches.ica);
  let dMin = Infinity;
  let dMinS = fd.ica;
  for (let s = fd.ica; s <= referenceS; s += 0.25) {
    const d = minimalDiameter(ica, s);
    if (d < dMin) {
      dMin = d;
      dMinS = s;
    }
  }
  const nascet = Math.max(0, 100 * (1 - dMin / icaDistalDiameter));

  let jugular: JugularVeinModel | undefined;
  if (r.next() < 0.8) {
    const b = r.uniform(1.5, 4); // along the beam: veins are flattened by the probe
    const a = r.uniform(3.5, 6);
    const lateral = normalize(crossV(dCca, deep));
    const depthOffset = -(rc + imtBase + r.uniform(1, 3) + b);
    // Lateral of the CCA, clear of the ECA (which leaves B towards the superficial side).
    const lateralOffset = r.uniform(6, 10) * (side === 'left' ? 1 : -1);
    jugular = {
      origin: roundV([
        deep[0] * depthOffset + lateral[0] * lateralOffset,
        deep[1] * depthOffset + lateral[1] * lateralOffset,
        0,
      ]),
      direction: dCca,
      reference: roundV(lateral, 9),
      semiAxisAMm: round(a, 4),
      semiAxisBMm: round(b, 4),
    };
  }
  return {
    side,
    ccaDiameterMm: round(D, 4),
    icaAngleDeg: round(icaAngle, 3),
    ecaAngleDeg: round(ecaAngle, 3),
    planarityDeg: round(planarity, 3),
    deepDirection: roundV(deep, 9),
    flowDivider: roundV(flowDivider, 4),
    branches,
    ...(jugular === undefined ? {} : { jugular }),
    nascetPercent: round(nascet, 2),
    icaMinimalDiameterMm: round(dMin, 4),
    icaMinimalDiameterPositionMm: round(dMinS - fd.ica, 3),
    icaDistalDiameterMm: round(icaDistalDiameter, 4),
    nascetReferenceSMm: referenceS,
  };
}

/** The flow divider: where the lumen ends along the bisector of the ICA and ECA axes from B. */
function findFlowDivider(branches: Readonly<Record<CarotidBranch, CarotidBranchModel>>): Vec3 {
  const model: SectionModel = {
    branches: [
      sectionBranch(branches.cca),
      sectionBranch(branches.ica),
      sectionBranch(branches.eca),
    ],
  };
  const m = normalize([
    branches.ica.direction[0] + branches.eca.direction[0],
    branches.ica.direction[1] + branches.eca.direction[1],
    branches.ica.direction[2] + branches.eca.direction[2],
  ]);
  const out: PointClass = { label: 0, tissue: 0, aux: 0, facing: 0, branch: -1 };
  const inLumen = (t: number): boolean => {
    classifyPoint(model, m[0] * t, m[1] * t, m[2] * t, 1, m, out);
    return out.label === 1;
  };
  let lo = 0;
  let hi = 0.1;
  while (hi < 40 && inLumen(hi)) {
    lo = hi;
    hi += 0.1;
  }
  while (hi - lo > 1e-4) {
    const mid = (lo + hi) / 2;
    if (inLumen(mid)) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  return [m[0] * t, m[1] * t, m[2] * t];
}

import { PlatformError } from '../../core/index.js';

/**
 * The left ventricle of one synthetic echo case: volumes, rate and shape. The cavity is a
 * truncated prolate ellipsoid (semi-axes `a` along the long axis, `b₄`, `b₂` across it in the
 * 4- and 2-chamber planes, base plane at `h = τ·a` from the centre towards the base); the
 * epicardium a larger one on the same centre and base plane.
 */
export interface LvEchoCaseSpec {
  readonly caseId: string;
  readonly description: string;
  /** End-diastolic volume, in mL. */
  readonly edvMl: number;
  /** End-systolic volume, in mL. */
  readonly esvMl: number;
  readonly heartRateBpm: number;
  /** Base-to-apex length of the cavity at end-diastole, `a + h`, in mm. */
  readonly longAxisEdMm: number;
  /** Base plane position `τ = h/a`, in (−1, 1); 0 is the half ellipsoid. */
  readonly truncation: number;
  /** `b₄ / b₂`: the 4-chamber over the 2-chamber short semi-axis. */
  readonly sectionRatio: number;
  /**
   * Share of the volume change carried by the long axis: `a ∝ (V/EDV)^α`, `b ∝ (V/EDV)^((1−α)/2)`.
   * 0.2 gives ~16 % long-axis and ~30 % short-axis shortening for an EF of 58 %.
   */
  readonly longAxisShare: number;
  /** Myocardial volume, constant over the cycle (the myocardium is incompressible), in mL. */
  readonly wallVolumeMl: number;
  /** Apical over lateral wall thickness. */
  readonly apexWallRatio: number;
  /** Tilt of the long axis from the image vertical in each view, in degrees. */
  readonly tiltDeg: { readonly a4c: number; readonly a2c: number };
  /** Depth of the cavity's apex below the transducer, in mm. */
  readonly apexDepthMm: number;
  readonly patient: {
    readonly sex: 'F' | 'M';
    readonly ageYears: number;
    readonly heightCm: number;
    readonly weightKg: number;
  };
}

/** One truncated ellipsoid of the synthetic LV, in mm. */
export interface LvEllipsoid {
  readonly longSemiAxisMm: number;
  readonly shortSemiAxesMm: readonly [a4c: number, a2c: number];
  readonly truncationMm: number;
}

/** The LV at one instant: cavity (endocardium) and epicardium, with their analytic volumes. */
export interface LvShape {
  readonly endo: LvEllipsoid;
  readonly epi: LvEllipsoid;
  /** Cavity volume, in mL. */
  readonly endoVolumeMl: number;
  /** Epicardial volume (cavity and myocardium), in mL. */
  readonly epiVolumeMl: number;
}

/**
 * Volume of a truncated ellipsoid, in mL: `π·b₄·b₂·[(h + a) − (h³ + a³)/(3a²)]` (the section
 * area `π·b₄·b₂·(1 − z²/a²)` integrated from the apex, `z = −a`, to the base plane, `z = h`).
 */
export function ellipsoidVolumeMl(e: LvEllipsoid): number {
  const a = e.longSemiAxisMm;
  const h = e.truncationMm;
  return (
    (Math.PI *
      e.shortSemiAxesMm[0] *
      e.shortSemiAxesMm[1] *
      (h + a - (h ** 3 + a ** 3) / (3 * a * a))) /
    1000
  );
}

/**
 * The LV shape at cavity volume `volumeMl`: the cavity scaled from its end-diastolic shape (see
 * {@link LvEchoCaseSpec.longAxisShare}), and the epicardium `t` mm outside it laterally
 * (`apexWallRatio·t` at the apex) with `t` solved by bisection so that the myocardial volume is
 * the case's `wallVolumeMl` at every phase.
 */
export function lvShapeAt(spec: LvEchoCaseSpec, volumeMl: number): LvShape {
  const tau = spec.truncation;
  const aEd = spec.longAxisEdMm / (1 + tau);
  const shape = tau + 1 - (tau ** 3 + 1) / 3;
  const productEd = (spec.edvMl * 1000) / (Math.PI * aEd * shape);
  const b2Ed = Math.sqrt(productEd / spec.sectionRatio);
  const b4Ed = spec.sectionRatio * b2Ed;
  const s = volumeMl / spec.edvMl;
  const alpha = spec.longAxisShare;
  const a = aEd * s ** alpha;
  const k = s ** ((1 - alpha) / 2);
  const endo: LvEllipsoid = {
    longSemiAxisMm: a,
    shortSemiAxesMm: [b4Ed * k, b2Ed * k],
    truncationMm: tau * a,
  };
  const endoVolumeMl = ellipsoidVolumeMl(endo);
  const epiOf = (t: number): LvEllipsoid => ({
    longSemiAxisMm: a + spec.apexWallRatio * t,
    shortSemiAxesMm: [endo.shortSemiAxesMm[0] + t, endo.shortSemiAxesMm[1] + t],
    truncationMm: endo.truncationMm,
  });
  let lo = 0;
  let hi = 60;
  if (ellipsoidVolumeMl(epiOf(hi)) - endoVolumeMl < spec.wallVolumeMl)
    throw new PlatformError(
      'ERR_SYNTH',
      `wall volume ${spec.wallVolumeMl} mL needs a wall thicker than 60 mm`,
    );
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (ellipsoidVolumeMl(epiOf(mid)) - endoVolumeMl < spec.wallVolumeMl) lo = mid;
    else hi = mid;
  }
  const epi = epiOf((lo + hi) / 2);
  return { endo, epi, endoVolumeMl, epiVolumeMl: ellipsoidVolumeMl(epi) };
}

/** Timing of the phases of one beat, in seconds from end-diastole (the R wave). */
export interface CyclePhases {
  readonly periodS: number;
  /** End of isovolumic contraction (start of ejection). */
  readonly ejectionStartS: number;
  /** End of ejection (aortic valve closure); the volume is ESV until `fillingStartS`. */
  readonly ejectionEndS: number;
  /** End of isovolumic relaxation (mitral valve opening). */
  readonly fillingStartS: number;
  /** End of rapid filling (E wave). */
  readonly rapidFillingEndS: number;
  /** Start of atrial contraction (A wave). */
  readonly atrialStartS: number;
}

/**
 * Phase timing at a heart rate: isovolumic contraction 50 ms, ejection `413 − 1.7·HR` ms
 * (Weissler et al. 1968, Circulation 37:149, LVET–HR regression), isovolumic relaxation 70 ms,
 * then rapid filling over 40 %, diastasis over 35 % and atrial contraction over the last 25 % of
 * the remaining diastole. Valid for 30–180 bpm (at 180 bpm diastole still lasts 106 ms).
 */
export function cyclePhases(heartRateBpm: number): CyclePhases {
  if (!(heartRateBpm >= 30 && heartRateBpm <= 180))
    throw new PlatformError('ERR_SYNTH', `heart rate must be in 30–180 bpm, got ${heartRateBpm}`);
  const periodS = 60 / heartRateBpm;
  const ejectionStartS = 0.05;
  const ejectionEndS = ejectionStartS + (413 - 1.7 * heartRateBpm) / 1000;
  const fillingStartS = ejectionEndS + 0.07;
  const diastole = periodS - fillingStartS;
  if (!(diastole > 0.05))
    throw new PlatformError(
      'ERR_SYNTH',
      `heart rate ${heartRateBpm} bpm leaves no diastole: use 30–150 bpm`,
    );
  return {
    periodS,
    ejectionStartS,
    ejectionEndS,
    fillingStartS,
    rapidFillingEndS: fillingStartS + 0.4 * diastole,
    atrialStartS: fillingStartS + 0.75 * diastole,
  };
}

const ease = (x: number): number => (1 - Math.cos(Math.PI * Math.min(1, Math.max(0, x)))) / 2;

/**
 * LV cavity volume at time `t` (s from end-diastole, any beat), in mL: EDV through isovolumic
 * contraction; ejection to ESV, faster early (`(1 − cos(π·x^0.75))/2` of the stroke volume at
 * fraction `x` of ejection); ESV through isovolumic relaxation; 70 % of the stroke volume back in
 * rapid filling, 5 % in diastasis, 25 % with the atrial kick.
 */
export function lvVolumeAt(
  spec: Pick<LvEchoCaseSpec, 'edvMl' | 'esvMl' | 'heartRateBpm'>,
  t: number,
): number {
  const p = cyclePhases(spec.heartRateBpm);
  const sv = spec.edvMl - spec.esvMl;
  const tc = ((t % p.periodS) + p.periodS) % p.periodS;
  if (tc < p.ejectionStartS) return spec.edvMl;
  if (tc < p.ejectionEndS) {
    const x = (tc - p.ejectionStartS) / (p.ejectionEndS - p.ejectionStartS);
    return spec.edvMl - sv * ease(x ** 0.75);
  }
  if (tc < p.fillingStartS) return spec.esvMl;
  if (tc < p.rapidFillingEndS)
    return (
      spec.esvMl + 0.7 * sv * ease((tc - p.fillingStartS) / (p.rapidFillingEndS - p.fillingStartS))
    );
  if (tc < p.atrialStartS)
    return (
      spec.esvMl +
      sv * (0.7 + 0.05 * ease((tc - p.rapidFillingEndS) / (p.atrialStartS - p.rapidFillingEndS)))
    );
  return (
    spec.esvMl + sv * (0.75 + 0.25 * ease((tc - p.atrialStartS) / (p.periodS - p.atrialStartS)))
  );
}

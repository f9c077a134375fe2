import { PlatformError } from '../../core/index.js';
import type { Image2D, Labelmap } from '../../core/index.js';
import { labelMask } from './labels.js';
import { biplaneVolume, measureDiscs, singlePlaneDiscVolume } from './method-of-discs.js';
import type { BiplaneVolume, DiscOptions } from './method-of-discs.js';
import { shortAxisStackVolume } from './short-axis-stack.js';

/** Myocardial density, in g/mL (Lang et al. 2015, JASE 28:1–39, LV mass equations). */
export const MYOCARDIAL_DENSITY_G_PER_ML = 1.05;

/** Labels of an LV label image: which values are cavity and which are myocardium. */
export interface LvLabels {
  /** Labels of the LV cavity (inside the endocardium). @defaultValue [1] */
  readonly cavityLabels?: readonly number[];
  /** Labels of the LV myocardium (between endo- and epicardium). @defaultValue [2] */
  readonly myocardiumLabels?: readonly number[];
}

/** LV myocardium at end-diastole. */
export interface LvWall {
  /** Epicardial volume (cavity and myocardium), in mL. */
  readonly epiVolumeMl: number;
  /** Endocardial volume (cavity), in mL. */
  readonly endoVolumeMl: number;
  /** `epi − endo`, in mL. */
  readonly wallVolumeMl: number;
  /** `1.05 g/mL × wall volume`, in g. */
  readonly massG: number;
}

/** LV volumes and function over a cardiac cycle. */
export interface LvFunction {
  /** Cavity volume of each frame, in mL (empty when the views have different frame counts). */
  readonly volumesMl: readonly number[];
  /** End-diastolic frame (largest volume); per view for biplane clips of different lengths. */
  readonly edFrame: number | { readonly a4c: number; readonly a2c: number };
  /** End-systolic frame (smallest volume). */
  readonly esFrame: number | { readonly a4c: number; readonly a2c: number };
  /** End-diastolic volume, in mL. */
  readonly edvMl: number;
  /** End-systolic volume, in mL. */
  readonly esvMl: number;
  /** `EDV − ESV`, in mL. */
  readonly strokeVolumeMl: number;
  /** `100 · SV / EDV`, in %. */
  readonly ejectionFractionPct: number;
  /** Myocardium at end-diastole, when the images label it. */
  readonly wall?: LvWall;
}

/** {@link LvFunction} of echo clips, with the biplane measurements at ED and ES. */
export interface EchoLvFunction extends LvFunction {
  readonly ed: BiplaneVolume;
  readonly es: BiplaneVolume;
}

function argExtremes(values: readonly number[]): { max: number; min: number } {
  let max = 0;
  let min = 0;
  values.forEach((v, i) => {
    if (v > (values[max] ?? -Infinity)) max = i;
    if (v < (values[min] ?? Infinity)) min = i;
  });
  return { max, min };
}

function wallOf(endoMl: number, epiMl: number): LvWall {
  const wallVolumeMl = epiMl - endoMl;
  return {
    epiVolumeMl: epiMl,
    endoVolumeMl: endoMl,
    wallVolumeMl,
    massG: MYOCARDIAL_DENSITY_G_PER_ML * wallVolumeMl,
  };
}

function hasAny(image: Image2D): boolean {
  for (const v of image.data) if (v !== 0) return true;
  return false;
}

/**
 * LV volumes over the cardiac cycle from labelled apical 4- and 2-chamber clips by the biplane
 * method of discs ({@link biplaneVolume}): EDV and ESV are the largest and smallest volumes,
 * SV = EDV − ESV, EF = SV/EDV; when the images label the myocardium, the wall volume at ED is the
 * biplane epicardial volume (cavity and myocardium) minus the endocardial one, and the mass
 * 1.05 g/mL times it (Lang et al. 2015, JASE 28:1–39).
 *
 * @remarks
 * Clips with the same frame count are taken as synchronous (frame k is the same phase in both):
 * the volume is computed per frame. Otherwise each view's ED and ES frames are its largest and
 * smallest single-plane volume, as a sonographer picks them, and `volumesMl` is empty. Throws
 * `ERR_RECONSTRUCT_INPUT` for no frames, an empty cavity or images without pixel spacing.
 */
export function echoLvFunction(
  clips: { readonly a4c: readonly Image2D[]; readonly a2c: readonly Image2D[] },
  options?: LvLabels & DiscOptions,
): EchoLvFunction {
  if (clips.a4c.length === 0 || clips.a2c.length === 0)
    throw new PlatformError('ERR_RECONSTRUCT_INPUT', 'both apical views need at least one frame');
  const cavity = options?.cavityLabels ?? [1];
  const epi = [...cavity, ...(options?.myocardiumLabels ?? [2])];
  const discs = options?.discs === undefined ? {} : { discs: options.discs };
  const endo4 = clips.a4c.map((f) => labelMask(f, cavity));
  const endo2 = clips.a2c.map((f) => labelMask(f, cavity));
  let volumesMl: number[] = [];
  let ed4: number;
  let ed2: number;
  let es4: number;
  let es2: number;
  if (endo4.length === endo2.length) {
    volumesMl = endo4.map((m, i) => biplaneVolume(m, endo2[i] ?? m, discs).volumeMl);
    const { max, min } = argExtremes(volumesMl);
    [ed4, ed2, es4, es2] = [max, max, min, min];
  } else {
    const single = (masks: readonly Image2D[], view: string): number[] =>
      masks.map((m) => singlePlaneDiscVolume(measureDiscs(m, discs, `${view} mask`)));
    const e4 = argExtremes(single(endo4, 'A4C'));
    const e2 = argExtremes(single(endo2, 'A2C'));
    [ed4, ed2, es4, es2] = [e4.max, e2.max, e4.min, e2.min];
  }
  const pick = (masks: readonly Image2D[], i: number): Image2D => {
    const mask = masks[i] ?? masks[0];
    if (mask === undefined) throw new PlatformError('ERR_INTERNAL', 'frame index out of range');
    return mask;
  };
  const ed = biplaneVolume(pick(endo4, ed4), pick(endo2, ed2), discs);
  const es = biplaneVolume(pick(endo4, es4), pick(endo2, es2), discs);
  const epi4 = labelMask(pick(clips.a4c, ed4), epi);
  const epi2 = labelMask(pick(clips.a2c, ed2), epi);
  const myo4 = labelMask(pick(clips.a4c, ed4), options?.myocardiumLabels ?? [2]);
  const myo2 = labelMask(pick(clips.a2c, ed2), options?.myocardiumLabels ?? [2]);
  const wall =
    hasAny(myo4) && hasAny(myo2)
      ? wallOf(ed.volumeMl, biplaneVolume(epi4, epi2, discs).volumeMl)
      : undefined;
  const sync = endo4.length === endo2.length;
  const edvMl = ed.volumeMl;
  const esvMl = es.volumeMl;
  return {
    volumesMl,
    edFrame: sync ? ed4 : { a4c: ed4, a2c: ed2 },
    esFrame: sync ? es4 : { a4c: es4, a2c: es2 },
    edvMl,
    esvMl,
    strokeVolumeMl: edvMl - esvMl,
    ejectionFractionPct: (100 * (edvMl - esvMl)) / edvMl,
    ...(wall === undefined ? {} : { wall }),
    ed,
    es,
  };
}

/**
 * LV volumes over the cardiac cycle from a cine short-axis stack, one labelmap per phase, by
 * Simpson's summation ({@link shortAxisStackVolume}); wall volume and mass at ED from the
 * epicardial (cavity and myocardium) minus the cavity volume when the labelmaps label the
 * myocardium.
 */
export function shortAxisLvFunction(
  frames: readonly Labelmap[],
  options?: LvLabels & { readonly apexCapMm?: number },
): LvFunction {
  if (frames.length === 0) throw new PlatformError('ERR_RECONSTRUCT_INPUT', 'no short-axis frames');
  const cavity = options?.cavityLabels ?? [1];
  const myocardium = options?.myocardiumLabels ?? [2];
  const cap = options?.apexCapMm === undefined ? {} : { apexCapMm: options.apexCapMm };
  const volumesMl = frames.map((f) => shortAxisStackVolume(f, { labels: cavity, ...cap }).volumeMl);
  const { max, min } = argExtremes(volumesMl);
  const edvMl = volumesMl[max] ?? NaN;
  const esvMl = volumesMl[min] ?? NaN;
  const edMask = frames[max];
  if (edMask === undefined) throw new PlatformError('ERR_INTERNAL', 'ED frame out of range');
  let hasMyocardium = false;
  const table = new Set(myocardium);
  for (let i = 0; i < edMask.data.length && !hasMyocardium; i++)
    hasMyocardium = table.has(edMask.data[i] ?? 0);
  const wall = hasMyocardium
    ? wallOf(
        edvMl,
        shortAxisStackVolume(edMask, { labels: [...cavity, ...myocardium], ...cap }).volumeMl,
      )
    : undefined;
  return {
    volumesMl,
    edFrame: max,
    esFrame: min,
    edvMl,
    esvMl,
    strokeVolumeMl: edvMl - esvMl,
    ejectionFractionPct: (100 * (edvMl - esvMl)) / edvMl,
    ...(wall === undefined ? {} : { wall }),
  };
}

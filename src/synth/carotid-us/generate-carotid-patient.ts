import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformError, errorMessage } from '../../core/index.js';
import { dicomDate, pad } from '../generate-participant.js';
import { personName } from '../people.js';
import { createRandom, deriveUid } from '../random.js';
import type { Random } from '../random.js';
import { drawCarotidModel, round } from './carotid-model.js';
import type { CarotidArteryModel, CarotidSide } from './carotid-model.js';
import type { CarotidUsImageTruth, CarotidUsPatientTruth } from './carotid-truth.js';
import { encodeGreyPng } from './encode-grey-png.js';
import { renderImage } from './render-image.js';
import { ULTRASOUND_SCANNERS } from './scanners.js';
import type { UltrasoundScanner } from './scanners.js';
import { encodeUsInstance } from './us-headers.js';
import type { UsPatient, UsStudy } from './us-headers.js';
import { measureView, planView } from './views.js';
import type { ViewKind, ViewTarget } from './views.js';

/** The layout used by `size: 'small'`: one small screen, every colour map. */
const SMALL_SCANNER: UltrasoundScanner = {
  key: 'test-mini',
  manufacturer: 'Sonora Medical',
  model: 'Mini (test layout)',
  columns: 320,
  rows: 240,
  marginTop: 20,
  marginLeft: 12,
  marginRight: 72,
  marginBottom: 12,
  colourMaps: ['grey', 'rgb-grey', 'sepia', 'blue'],
  transducer: 'L12-4',
  frequencyMHz: [8, 12],
  regionFrame: true,
  titleBar: false,
};

const CITIES = ['Augsburg', 'Berlin', 'Essen', 'Mannheim', 'Neubrandenburg', 'Kiel'] as const;
const DAY_MS = 86_400_000;
const EPOCH_2023 = Date.UTC(2023, 0, 2);

/** One view to acquire. */
export interface ViewSpec {
  readonly side: CarotidSide;
  readonly kind: ViewKind;
  readonly target: ViewTarget;
  readonly cine: boolean;
}

/**
 * The views of one patient: 4 (38 %) or 5 (62 %), two per side plus one on a random side. Per
 * side: a longitudinal view of the bifurcation (80 %) or the CCA; a transversal cut of the CCA
 * (45 %), ICA (40 %) or ECA; the third a longitudinal ICA (50 %) or ECA (10 %) view or another
 * transversal cut. 12 % of longitudinal views are cine loops.
 */
export function planPatientViews(r: Random): ViewSpec[] {
  const count = r.next() < 0.62 ? 5 : 4;
  const first: CarotidSide = r.next() < 0.5 ? 'left' : 'right';
  const second: CarotidSide = first === 'left' ? 'right' : 'left';
  const views: ViewSpec[] = [];
  const longitudinal = (side: CarotidSide, target: ViewTarget): ViewSpec => ({
    side,
    kind: 'longitudinal',
    target,
    cine: r.next() < 0.12,
  });
  const transversal = (side: CarotidSide): ViewSpec => {
    const u = r.next();
    return {
      side,
      kind: 'transversal',
      target: u < 0.45 ? 'cca' : u < 0.85 ? 'ica' : 'eca',
      cine: false,
    };
  };
  for (const side of [first, second]) {
    views.push(longitudinal(side, r.next() < 0.8 ? 'bifurcation' : 'cca'));
    views.push(transversal(side));
  }
  if (count === 5) {
    const side = r.next() < 0.5 ? first : second;
    const u = r.next();
    views.push(
      u < 0.5 ? longitudinal(side, 'ica') : u < 0.6 ? longitudinal(side, 'eca') : transversal(side),
    );
  }
  return views;
}

/** AS value: age in years, 3 digits and `Y`. */
const ageString = (years: number): string => `${pad(years, 3)}Y`;

/** One patient to generate (a message to a worker: plain data). */
export interface CarotidPatientJob {
  readonly outDir: string;
  readonly seed: string;
  readonly size: 'small' | 'full';
  readonly patientId: string;
  readonly views: readonly ViewSpec[];
}

/** What one patient produced. */
export interface CarotidPatientResult {
  readonly patient: CarotidUsPatientTruth;
  readonly images: readonly CarotidUsImageTruth[];
  /** The patient's `patients.csv` row. */
  readonly csvRow: string;
  readonly frames: number;
  readonly bytes: number;
}

/**
 * Generates and writes one patient: identity and traits, the two sides' 3D models, and every
 * view's DICOM file and masks, each from streams derived from the seed and the ids.
 */
export async function generateCarotidPatient(
  job: CarotidPatientJob,
  onImage?: () => void,
  signal?: AbortSignal,
): Promise<CarotidPatientResult> {
  const { outDir, seed, size, patientId, views } = job;
  let frames = 0;
  let bytes = 0;
  const images: CarotidUsImageTruth[] = [];
  const write = async (file: string, data: Uint8Array): Promise<void> => {
    try {
      await writeFile(join(outDir, file), data);
    } catch (error) {
      throw new PlatformError(
        'ERR_IO',
        `cannot write ${file} in ${outDir}: ${errorMessage(error)}`,
        {
          cause: error,
        },
      );
    }
    bytes += data.length;
  };
  signal?.throwIfAborted();
  const r = createRandom(seed, 'carotid-us', patientId, 'patient');
  const sex: 'F' | 'M' = r.next() < 0.45 ? 'F' : 'M';
  const ageYears = 45 + r.int(41);
  const heightCm = round(sex === 'M' ? r.normal(177, 7) : r.normal(164, 6.5), 1);
  const bmi = r.uniform(20, 33);
  const weightKg = round((bmi * heightCm * heightCm) / 10_000, 1);
  const scanner = size === 'small' ? SMALL_SCANNER : r.pick(ULTRASOUND_SCANNERS);
  const studyMs = EPOCH_2023 + r.int(900) * DAY_MS;
  const birthMs = studyMs - (ageYears * 365.25 + r.uniform(1, 364)) * DAY_MS;
  const city = r.pick(CITIES);
  const usPatient: UsPatient = {
    id: patientId,
    name: personName(r, sex),
    birthDate: dicomDate(birthMs),
    sex,
    age: ageString(ageYears),
    heightM: round(heightCm / 100, 3),
    weightKg,
  };
  const startMinute = 7 * 60 + 30 + r.int(9 * 60);
  const time = (minute: number, second: number): string =>
    `${pad(Math.floor(minute / 60) % 24, 2)}${pad(minute % 60, 2)}${pad(second, 2)}`;
  const study: UsStudy = {
    studyInstanceUid: deriveUid(seed, 'carotid-us', patientId, 'study'),
    seriesInstanceUid: deriveUid(seed, 'carotid-us', patientId, 'series'),
    date: dicomDate(studyMs),
    time: time(startMinute, 0),
    accessionNumber: `CUS${pad(1 + r.int(999_999), 6)}`,
    institutionName: `Gefäßlabor ${city}`,
    operator: personName(r, r.next() < 0.5 ? 'F' : 'M'),
  };
  const arteries: Record<CarotidSide, CarotidArteryModel> = {
    left: drawCarotidModel(createRandom(seed, 'carotid-us', patientId, 'left'), 'left', {
      ageYears,
      sex,
    }),
    right: drawCarotidModel(createRandom(seed, 'carotid-us', patientId, 'right'), 'right', {
      ageYears,
      sex,
    }),
  };
  await mkdir(join(outDir, patientId), { recursive: true });
  const imageIds: string[] = [];
  for (const [index, spec] of views.entries()) {
    signal?.throwIfAborted();
    const imageId = `${patientId}_${pad(index + 1, 2)}`;
    const ri = createRandom(seed, 'carotid-us', imageId);
    const model = arteries[spec.side];
    const plan = planView(ri, model, scanner, spec.kind, spec.target, spec.cine);
    const colourMap = ri.pick(scanner.colourMaps);
    const image = renderImage(ri, model, plan, scanner, colourMap);
    const file = `${patientId}/${imageId}_image.dcm`;
    const dicom = encodeUsInstance(scanner, usPatient, study, {
      sopInstanceUid: deriveUid(seed, 'carotid-us', imageId, 'instance'),
      instanceNumber: index + 1,
      time: time(startMinute + 2 + 3 * index, r.int(60)),
      plan,
      columns: image.columns,
      rows: image.rows,
      samplesPerPixel: image.samplesPerPixel,
      frames: image.frames,
    });
    await write(file, dicom);
    const masks: string[] = [];
    for (const [f, mask] of image.masks.entries()) {
      const name =
        f === 0
          ? `${patientId}/${imageId}_mask.png`
          : `${patientId}/${imageId}_mask_f${pad(f, 2)}.png`;
      await write(name, encodeGreyPng(image.columns, image.rows, mask));
      masks.push(name);
    }
    const g = plan.geometry;
    images.push({
      imageId,
      patientId,
      file,
      masks,
      frames: image.frames.length,
      side: spec.side,
      view: spec.kind,
      target: spec.target,
      branchesInView: image.branchesInView,
      positionMm: plan.positionMm,
      pixelSpacingMm: [g.spacingMm, g.spacingMm],
      columns: image.columns,
      rows: image.rows,
      region: {
        x0: g.regionX0,
        y0: g.regionY0,
        x1: g.regionX0 + g.columns - 1,
        y1: g.regionY0 + g.rows - 1,
      },
      photometricInterpretation: image.samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2',
      colourMap,
      scanner: scanner.key,
      frequencyMHz: plan.frequencyMHz,
      plane: { origin: g.origin, u: g.u, v: g.v },
      rotationDeg: plan.rotationDeg,
      tiltDeg: plan.tiltDeg,
      obliquityDeg: plan.obliquityDeg,
      headLeft: plan.headLeft,
      vesselDepthMm: plan.vesselDepthMm,
      measurements: measureView(model, plan),
      nascetPercent: model.nascetPercent,
      frameTimeMs: plan.frameTimeMs,
      motion: image.motion,
      bmode: image.settings,
    });
    imageIds.push(imageId);
    frames += image.frames.length;
    onImage?.();
  }
  const patient: CarotidUsPatientTruth = {
    patientId,
    sex,
    ageYears,
    heightCm,
    weightKg,
    scanner: scanner.key,
    images: imageIds,
    arteries,
  };
  const csvRow = [
    patientId,
    sex,
    ageYears,
    heightCm,
    weightKg,
    round((weightKg * 10_000) / (heightCm * heightCm), 1),
    scanner.key,
    imageIds.length,
    arteries.left.nascetPercent,
    arteries.right.nascetPercent,
  ].join(',');
  return { patient, images, csvRow, frames, bytes };
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformError, errorMessage } from '../core/index.js';
import type { Vec3 } from '../core/index.js';
import { buildBodyModel, packPrimitives, PRIMITIVE_STRIDE } from './body-model.js';
import type { BodyModel } from './body-model.js';
import { imagePosition, orientationAxes } from './geometry.js';
import type { SeriesGeometry } from './geometry.js';
import type { DefectTruth, ParticipantTruth, SeriesTruth, SessionTruth } from './ground-truth.js';
import { gaussianTable } from './kernels/gaussian-table.js';
import { rasterizeSlice } from './kernels/rasterize-slice.js';
import type { SlicePlane } from './kernels/rasterize-slice.js';
import { addNyquistGhost, boxBlur } from './kernels/artefacts.js';
import { renderRician, renderRicianImage } from './kernels/render-rician.js';
import { createSeriesEncoder, seriesDataset } from './mr-headers.js';
import type { PatientHeader, SeriesHeader, StudyHeader } from './mr-headers.js';
import { personName, streetAddress } from './people.js';
import type { Site } from './people.js';
import type { Protocol, ProtocolSeries } from '../protocol/index.js';
import { createRandom, deriveUid, seedWords } from './random.js';
import { synthFields } from './synth-fields.js';
import type { Random } from './random.js';
import { NOMINAL_SNR, REFERENCE_SIGNAL, TISSUES, tissueSignals } from './tissues.js';
import type { Tissue } from './tissues.js';

const DAY_MS = 86_400_000;
/** NAKO baseline MR examinations ran from 2014 to 2019 (Bamberg et al., Dtsch Arztebl 2024). */
const BASELINE_START = Date.UTC(2014, 2, 1);
const BASELINE_DAYS = 2040;
const MAX_PENDING_WRITES = 16;

/** `n` in decimal, zero-padded to `width` digits. */
export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
/** `x` rounded to `decimals` decimal places (for values recorded in the ground truth). */
export const round = (x: number, decimals: number): number =>
  Math.round(x * 10 ** decimals) / 10 ** decimals;
const roundVec = (v: Vec3, decimals: number): Vec3 => [
  round(v[0], decimals),
  round(v[1], decimals),
  round(v[2], decimals),
];

/** A `YYYYMMDD` DICOM date (DA) of a UTC time in milliseconds. */
export function dicomDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
}

function dicomTime(minutes: number, seconds = 0): string {
  return `${pad(Math.floor(minutes / 60), 2)}${pad(Math.floor(minutes % 60), 2)}${pad(seconds, 2)}`;
}

/** Whole years between two UTC dates, counting birthdays. */
function ageYears(birthMs: number, atMs: number): number {
  const b = new Date(birthMs);
  const a = new Date(atMs);
  let age = a.getUTCFullYear() - b.getUTCFullYear();
  if (
    a.getUTCMonth() < b.getUTCMonth() ||
    (a.getUTCMonth() === b.getUTCMonth() && a.getUTCDate() < b.getUTCDate())
  )
    age--;
  return age;
}

/** A participant's identity and body, drawn from their own stream. */
export interface ParticipantPlan {
  readonly index: number;
  readonly id: string;
  readonly site: Site;
  readonly sex: 'F' | 'M';
  readonly name: string;
  readonly address: string;
  readonly telephone: string;
  readonly cohortId: string;
  readonly birthMs: number;
  /** In metres. */
  readonly heightM: number;
  /** At baseline, in kilograms. */
  readonly weightKg: number;
  /** Day of the baseline examination, UTC milliseconds. */
  readonly baselineMs: number;
  /** Day a follow-up would take place (4–5 years later), UTC milliseconds. */
  readonly followUpMs: number;
  /** The rest of the participant's stream (body model). */
  readonly random: Random;
}

/**
 * Draws participant `index`: the same seed, index and site always give the same person, whatever
 * the other options (every draw is made, used or not, so that e.g. the follow-up fraction cannot
 * change a participant's body).
 */
export function planParticipant(index: number, seed: string, site: Site): ParticipantPlan {
  const r = createRandom(seed, 'participant', index);
  const sex = r.next() < 0.5 ? 'F' : 'M';
  const baselineMs = BASELINE_START + r.int(BASELINE_DAYS) * DAY_MS;
  const followUpMs = baselineMs + (1460 + r.int(366)) * DAY_MS;
  // NAKO enrolled ages 20–74; stature and BMI roughly as in German adults (DEGS1 means).
  const age = 20 + r.int(55);
  const birthMs = baselineMs - Math.floor(age * 365.25 + r.int(365)) * DAY_MS;
  const heightM = round(
    Math.min(2.02, Math.max(1.48, r.normal(sex === 'F' ? 1.66 : 1.79, 0.07))),
    2,
  );
  const bmi = Math.min(40, Math.max(18, r.normal(26.5, 4)));
  const weightKg = round(bmi * heightM * heightM, 1);
  // 7919 is prime and coprime to 900000, so i ↦ 100000 + (7919·i mod 900000) never repeats.
  const number = 100000 + ((index * 7919 + 4242) % 900000);
  return {
    index,
    id: `${site.siteId}${number}`,
    site,
    sex,
    name: personName(r, sex),
    address: streetAddress(r, site.postcode, site.city),
    telephone: `+49 ${pad(100 + r.int(900), 3)} ${pad(r.int(10_000_000), 7)}`,
    cohortId: `C${deriveUid(seed, 'cohort-id', index).slice(-9)}`,
    birthMs,
    heightM,
    weightKg,
    baselineMs,
    followUpMs,
    random: r,
  };
}

/** One session to generate. */
export interface SessionJob {
  /** `baseline` or `follow-up-1`. */
  readonly visit: string;
  /** Study day, UTC milliseconds. */
  readonly dayMs: number;
  /** Running number of the study at its site (Study ID, accession and request numbers). */
  readonly siteSequence: number;
  /** Defects of this session; each names its series (`seriesKey`). */
  readonly defects: readonly DefectTruth[];
}

/** Everything needed to generate one participant: plain data, so it can cross to a worker thread. */
export interface ParticipantJob {
  readonly outDir: string;
  readonly seed: string;
  readonly protocol: Protocol;
  readonly site: Site;
  readonly index: number;
  readonly sessions: readonly SessionJob[];
}

/** What generating one participant produced. */
export interface ParticipantResult {
  readonly truth: ParticipantTruth;
  /** The participant's defects in session and protocol order, with noise σ filled in. */
  readonly defects: readonly DefectTruth[];
  readonly instances: number;
  readonly bytes: number;
}

/** Bounded concurrent file writes, so that rendering overlaps with the thread pool's I/O. */
export interface Writer {
  /** Queues a file write; waits while too many are in flight. */
  readonly write: (path: string, bytes: Uint8Array) => Promise<void>;
  /** Waits for every queued write; rethrows the first failure as `ERR_IO`. */
  readonly drain: () => Promise<void>;
}

/** A {@link Writer} with at most 16 writes in flight. */
export function createWriter(): Writer {
  const pending = new Set<Promise<void>>();
  let failure: PlatformError | undefined;
  const write = async (path: string, bytes: Uint8Array): Promise<void> => {
    if (failure !== undefined) throw failure;
    while (pending.size >= MAX_PENDING_WRITES) await Promise.race(pending);
    const job = writeFile(path, bytes).then(
      () => {
        pending.delete(job);
      },
      (error: unknown) => {
        pending.delete(job);
        failure ??= new PlatformError('ERR_IO', `cannot write ${path}: ${errorMessage(error)}`, {
          cause: error,
        });
      },
    );
    pending.add(job);
  };
  const drain = async (): Promise<void> => {
    await Promise.all(pending);
    if (failure !== undefined) throw failure;
  };
  return { write, drain };
}

/** Side channels of {@link generateParticipant}. */
export interface GenerateHooks {
  readonly writer: Writer;
  /** Called after each series with the number of instances it wrote. */
  readonly onSeries?: (instances: number) => void;
  readonly signal?: AbortSignal | undefined;
}

/** Generates and writes every session of one participant; see `synthesizeMrCohort`. */
export async function generateParticipant(
  job: ParticipantJob,
  hooks: GenerateHooks,
): Promise<ParticipantResult> {
  const { seed, protocol, site } = job;
  const p = planParticipant(job.index, seed, site);
  const body = buildBodyModel({ heightM: p.heightM, weightKg: p.weightKg }, p.random);
  const packed = packPrimitives(body.primitives);
  const scratch = new Float64Array((packed.length / PRIMITIVE_STRIDE) * 10);
  const gauss = gaussianTable();
  const sessions: SessionTruth[] = [];
  const defects: DefectTruth[] = [];
  let instances = 0;
  let bytes = 0;

  for (const session of job.sessions) {
    const r = createRandom(seed, 'session', p.id, session.visit);
    const startMinutes = 7 * 60 + 30 + 5 * r.int(132); // 07:30–18:25
    const weightKg =
      session.visit === 'baseline' ? p.weightKg : round(p.weightKg * r.normal(1, 0.04), 1);
    const age = ageYears(p.birthMs, session.dayMs);
    const n = session.siteSequence;
    const study: StudyHeader = {
      studyInstanceUid: deriveUid(seed, 'study', p.id, session.visit),
      frameOfReferenceUid: deriveUid(seed, 'frame-of-reference', p.id, session.visit),
      date: dicomDate(session.dayMs),
      time: dicomTime(startMinutes),
      accessionNumber: `${site.siteId}${dicomDate(session.dayMs).slice(2, 4)}${pad(n, 6)}`,
      studyId: String(n),
      requestedProcedureId: `RP${pad(n, 8)}`,
      scheduledProcedureStepId: `SPS${pad(n, 8)}`,
      performedProcedureStepId: `PPS${pad(n, 8)}`,
      referringPhysician: site.physicians[0] ?? '',
      performingPhysician: r.pick(site.physicians),
      operator: r.pick(site.operators),
    };
    const patient: PatientHeader = {
      name: p.name,
      id: p.id,
      birthDate: dicomDate(p.birthMs),
      sex: p.sex,
      address: p.address,
      telephone: p.telephone,
      cohortId: p.cohortId,
      heightM: p.heightM,
      weightKg,
      age: `${pad(age, 3)}Y`,
    };
    const series: SeriesTruth[] = [];
    const missing: string[] = [];
    let minutes = startMinutes + 2; // the localizer comes first
    for (const protocolSeries of protocol.series) {
      const seriesMinutes = minutes;
      minutes += 2 + r.int(5);
      // Drawn before a missing series is skipped, so that it cannot change the others' times.
      const seriesSeconds = r.int(60);
      const defect = session.defects.find((d) => d.seriesKey === protocolSeries.key);
      if (defect?.kind === 'missing-series') {
        defects.push(defect);
        missing.push(protocolSeries.key);
        continue;
      }
      const written = await writeSeries(
        {
          outDir: job.outDir,
          seed,
          protocol,
          site,
          participantId: p.id,
          patient,
          study,
          visit: session.visit,
          series: protocolSeries,
          seriesTime: dicomTime(seriesMinutes, seriesSeconds),
          body,
          packed,
          scratch,
          gauss,
          random: createRandom(seed, 'series', p.id, session.visit, protocolSeries.key),
          defect,
        },
        hooks,
      );
      if (defect !== undefined) {
        // Extra noise: record the σ that planning could not know.
        defects.push(
          defect.kind === 'extra-noise'
            ? {
                ...defect,
                nominalNoiseSigma: written.nominalNoiseSigma,
                noiseSigma: written.truth.noiseSigma,
              }
            : defect,
        );
      }
      series.push(written.truth);
      bytes += written.bytes;
      instances += written.truth.instances;
      hooks.onSeries?.(written.truth.instances);
    }
    sessions.push({
      visit: session.visit,
      studyInstanceUid: study.studyInstanceUid,
      frameOfReferenceUid: study.frameOfReferenceUid,
      studyDate: study.date,
      studyTime: study.time,
      accessionNumber: study.accessionNumber,
      studyId: study.studyId,
      ageYears: age,
      weightKg,
      directory: `${p.id}/${session.visit}`,
      series,
      missingSeries: missing,
    });
  }
  const truth: ParticipantTruth = {
    participantId: p.id,
    siteId: site.siteId,
    patientName: p.name,
    birthDate: dicomDate(p.birthMs),
    sex: p.sex,
    address: p.address,
    heightM: p.heightM,
    landmarksMm: Object.fromEntries(
      Object.entries(body.landmarks).map(([k, v]) => [k, roundVec(v, 3)]),
    ) as ParticipantTruth['landmarksMm'],
    heartLongAxis: roundVec(body.heartLongAxis, 6),
    sessions,
  };
  return { truth, defects, instances, bytes };
}

interface SeriesInput {
  readonly outDir: string;
  readonly seed: string;
  readonly protocol: Protocol;
  readonly site: Site;
  readonly participantId: string;
  readonly patient: PatientHeader;
  readonly study: StudyHeader;
  readonly visit: string;
  readonly series: ProtocolSeries;
  readonly seriesTime: string;
  readonly body: BodyModel;
  readonly packed: Float64Array;
  readonly scratch: Float64Array;
  readonly gauss: Float64Array;
  readonly random: Random;
  readonly defect: DefectTruth | undefined;
}

/**
 * Number of files written for `series` with `defect` (or none): the protocol's slice count, less
 * what a `missing-series`, `missing-slices` or `truncated-coverage` defect takes away.
 */
export function writtenInstances(series: ProtocolSeries, defect: DefectTruth | undefined): number {
  if (defect?.kind === 'missing-series') return 0;
  if (defect?.kind === 'missing-slices')
    return series.parameters.slices - defect.sliceIndices.length;
  if (defect?.kind === 'truncated-coverage') return defect.slices;
  return series.parameters.slices;
}

async function writeSeries(
  input: SeriesInput,
  hooks: GenerateHooks,
): Promise<{
  readonly truth: SeriesTruth;
  readonly bytes: number;
  readonly nominalNoiseSigma: number;
}> {
  const { series, participantId: pid, random: r, defect } = input;
  const params = series.parameters;
  const orientation = defect?.kind === 'wrong-orientation' ? defect.actual : series.orientation;
  const axes = orientationAxes(orientation, input.body.heartLongAxis);
  const fields = synthFields(series);
  const landmark = input.body.landmarks[fields.landmark];
  // Technologists centre the slab on the landmark within a few millimetres.
  const nominalCentre = roundVec(
    [
      landmark[0] + r.uniform(-4, 4),
      landmark[1] + r.uniform(-4, 4),
      landmark[2] + r.uniform(-4, 4),
    ],
    1,
  );
  const shift: Vec3 = defect?.kind === 'region-shift' ? defect.shiftMm : [0, 0, 0];
  const centre = roundVec(
    [nominalCentre[0] + shift[0], nominalCentre[1] + shift[1], nominalCentre[2] + shift[2]],
    1,
  );
  // The planned stack; a truncated series acquires a run of its slice positions, and a series
  // with missing slices all of them but writes only some.
  const geometry: SeriesGeometry = {
    rowDirection: axes.row,
    columnDirection: axes.column,
    normal: axes.normal,
    centre,
    rows: params.rows,
    columns: params.columns,
    slices: params.slices,
    pixelSpacingMm: params.pixelSpacingMm,
    spacingBetweenSlicesMm: params.spacingBetweenSlicesMm,
  };
  const truncated = defect?.kind === 'truncated-coverage' ? defect : undefined;
  const firstSlice = truncated?.firstSliceIndex ?? 0;
  const acquired = truncated?.slices ?? params.slices;
  const lost = new Set(defect?.kind === 'missing-slices' ? defect.sliceIndices : []);
  const offset = truncated?.centreOffsetMm ?? 0;
  const acquiredCentre = roundVec(
    [
      centre[0] + offset * axes.normal[0],
      centre[1] + offset * axes.normal[1],
      centre[2] + offset * axes.normal[2],
    ],
    3,
  );
  const signal = tissueSignals(fields.weighting);
  const nominalNoiseSigma = round(
    (REFERENCE_SIGNAL / NOMINAL_SNR[fields.weighting]) *
      input.site.noiseFactor *
      r.uniform(0.93, 1.07),
    3,
  );
  const noiseSigma =
    defect?.kind === 'extra-noise'
      ? round(nominalNoiseSigma * defect.factor, 3)
      : nominalNoiseSigma;
  const maxSignal = Math.max(...signal);
  const wrong = defect?.kind === 'wrong-parameter' ? defect : undefined;
  const header: SeriesHeader = {
    series,
    seriesInstanceUid: deriveUid(input.seed, 'series', pid, input.visit, series.key),
    time: input.seriesTime,
    repetitionTimeMs:
      wrong?.parameter === 'repetitionTimeMs' ? wrong.actual : params.repetitionTimeMs,
    echoTimeMs: wrong?.parameter === 'echoTimeMs' ? wrong.actual : params.echoTimeMs,
    flipAngleDeg: wrong?.parameter === 'flipAngleDeg' ? wrong.actual : params.flipAngleDeg,
    sliceThicknessMm:
      wrong?.parameter === 'sliceThicknessMm' ? wrong.actual : params.sliceThicknessMm,
    geometry,
    window: [Math.round(maxSignal / 2), Math.round(maxSignal)],
    sarWPerKg: round(r.uniform(0.2, 2.8), 3),
    tablePositionMm: Math.round(landmark[2]),
  };
  const base = seriesDataset(input.protocol, input.site, input.patient, input.study, header);
  const folder = join(input.outDir, pid, input.visit, series.key);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new PlatformError('ERR_IO', `cannot create ${folder}: ${errorMessage(error)}`, {
      cause: error,
    });
  }

  const pixelCount = params.rows * params.columns;
  const labels = new Uint8Array(pixelCount);
  const noiseState = Uint32Array.from(seedWords(input.seed, 'noise', pid, input.visit, series.key));
  const [dr, dc] = params.pixelSpacingMm;
  const plane: SlicePlane = {
    origin: new Float64Array(3),
    rowStep: Float64Array.from(axes.row, (v) => v * dc),
    columnStep: Float64Array.from(axes.column, (v) => v * dr),
    normal: Float64Array.from(axes.normal),
    rows: params.rows,
    columns: params.columns,
  };
  const sopUid = (k: number): string =>
    deriveUid(input.seed, 'sop', pid, input.visit, series.key, k + 1);
  const first = imagePosition(geometry, firstSlice);
  const encode = createSeriesEncoder(
    base,
    input.site.aeTitle,
    { sopInstanceUid: sopUid(0), instanceNumber: 1, position: first },
    axes.normal,
  );
  const render = pixelRenderer(input, labels, signal, noiseSigma, noiseState);
  let bytes = 0;
  for (let k = 0; k < acquired; k++) {
    hooks.signal?.throwIfAborted();
    const position = imagePosition(geometry, firstSlice + k);
    plane.origin.set(position);
    rasterizeSlice(input.packed, plane, labels, input.scratch);
    // A lost slice is rendered all the same: the noise of the slices after it stays as it was.
    const file = encode(
      { sopInstanceUid: sopUid(k), instanceNumber: k + 1, position },
      pixelCount,
      render,
    );
    if (lost.has(k)) continue;
    bytes += file.length;
    await hooks.writer.write(join(folder, `${pad(k + 1, 4)}.dcm`), file);
  }

  const tissueSignal = Object.fromEntries(
    TISSUES.map((t, i) => [t, round(signal[i] ?? 0, 3)]),
  ) as Record<Tissue, number>;
  return {
    nominalNoiseSigma,
    bytes,
    truth: {
      key: series.key,
      seriesNumber: series.seriesNumber,
      seriesInstanceUid: header.seriesInstanceUid,
      directory: `${pid}/${input.visit}/${series.key}`,
      instances: acquired - lost.size,
      ...(lost.size === 0 ? {} : { missingInstanceNumbers: [...lost].map((k) => k + 1) }),
      weighting: fields.weighting,
      orientation,
      landmark: fields.landmark,
      rows: params.rows,
      columns: params.columns,
      pixelSpacingMm: params.pixelSpacingMm,
      sliceThicknessMm: header.sliceThicknessMm,
      spacingBetweenSlicesMm: params.spacingBetweenSlicesMm,
      imageOrientationPatient: [...axes.row, ...axes.column],
      normal: roundVec(axes.normal, 6),
      nominalCentreMm: nominalCentre,
      centreMm: acquiredCentre,
      firstImagePositionMm: roundVec(first, 6),
      repetitionTimeMs: header.repetitionTimeMs,
      echoTimeMs: header.echoTimeMs,
      flipAngleDeg: header.flipAngleDeg,
      noiseSigma,
      referenceSignal: REFERENCE_SIGNAL,
      snr: round(REFERENCE_SIGNAL / noiseSigma, 3),
      tissueSignal,
      defects: defect === undefined ? [] : [defect.kind],
    },
  };
}

/**
 * The pixel renderer of a series: Rician noise over the slice's tissue signals, with a `ghosting`
 * or `motion-blur` defect applied to the noise-free image first.
 */
function pixelRenderer(
  input: SeriesInput,
  labels: Uint8Array,
  signal: Float64Array,
  sigma: number,
  state: Uint32Array,
): (pixels: Uint16Array) => void {
  const { rows, columns, phaseEncodingDirection } = input.series.parameters;
  const count = rows * columns;
  const defect = input.defect;
  if (defect?.kind !== 'ghosting' && defect?.kind !== 'motion-blur') {
    return (pixels) => {
      renderRician(labels, count, signal, sigma, state, input.gauss, pixels);
    };
  }
  const axis = phaseEncodingDirection === 'ROW' ? 'row' : 'column';
  const image = new Float64Array(count);
  return (pixels) => {
    for (let i = 0; i < count; i++) image[i] = signal[labels[i] ?? 0] ?? 0;
    if (defect.kind === 'ghosting') addNyquistGhost(image, rows, columns, axis, defect.amplitude);
    else boxBlur(image, rows, columns, axis, defect.widthPixels);
    renderRicianImage(image, count, sigma, state, input.gauss, pixels);
  };
}

import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformError, errorMessage, runJobsInWorkers, workerEntry } from '../../core/index.js';
import { pad } from '../generate-participant.js';
import { createRandom } from '../random.js';
import { CAROTID_US_LABELS } from './carotid-truth.js';
import type { CarotidUsJobs } from './carotid-us-worker.js';
import type {
  CarotidUsGroundTruth,
  CarotidUsImageTruth,
  CarotidUsPatientTruth,
} from './carotid-truth.js';
import { generateCarotidPatient, planPatientViews } from './generate-carotid-patient.js';
import type { CarotidPatientJob, CarotidPatientResult } from './generate-carotid-patient.js';

/** Options of {@link synthesizeCarotidUs}. */
export interface SynthCarotidUsOptions {
  /** Output folder; created if missing, and must be empty unless `overwrite`. */
  readonly outDir: string;
  /** Number of patients, 1–10,000; each gets 4 or 5 images (about 4.6 on average). @defaultValue 39 */
  readonly patients?: number;
  /** Seed: the same seed and options give byte-identical files. @defaultValue 1 */
  readonly seed?: number | string;
  /**
   * `full`: the vendor-like screen layouts (640×480 to 1024×768 pixels); `small`: one 320×240
   * layout, for tests. Pixel spacing is 0.06–0.12 mm in both.
   * @defaultValue 'full'
   */
  readonly size?: 'small' | 'full';
  /** Write into a non-empty folder. @defaultValue false */
  readonly overwrite?: boolean;
  /**
   * Worker threads generating patients in parallel; 1 generates in this thread. The files do
   * not depend on it.
   * @defaultValue 1
   */
  readonly concurrency?: number;
  /** Called after each image. */
  readonly onProgress?: (progress: {
    readonly imagesWritten: number;
    readonly imagesTotal: number;
  }) => void;
  /** Stops generation; the promise rejects with the signal's reason. Files written so far stay. */
  readonly signal?: AbortSignal;
}

/** What {@link synthesizeCarotidUs} wrote. */
export interface SynthCarotidUsSummary {
  readonly outDir: string;
  /** `ground-truth.json`, see {@link CarotidUsGroundTruth}. */
  readonly groundTruthFile: string;
  /** `patients.csv`: one row per patient (id, sex, age, height, weight, BMI, scanner, images, NASCET per side). */
  readonly patientsFile: string;
  readonly patients: number;
  readonly images: number;
  /** Frames over all images (cine loops have 6–10). */
  readonly frames: number;
  /** Bytes of DICOM and mask files. */
  readonly bytes: number;
  /** Wall-clock time, ms (not part of the ground truth). */
  readonly elapsedMs: number;
}

/** File layout under the output folder. */
export const CAROTID_US_LAYOUT =
  '<patientId>/<patientId>_<NN>_image.dcm, <patientId>/<patientId>_<NN>_mask.png (frame 0), <patientId>/<patientId>_<NN>_mask_f<FF>.png (cine frames 1…)';

function fail(message: string): never {
  throw new PlatformError('ERR_SYNTH', message);
}

async function prepareOutDir(outDir: string, overwrite: boolean): Promise<void> {
  let entries: string[];
  try {
    await mkdir(outDir, { recursive: true });
    entries = await readdir(outDir);
  } catch (error) {
    throw new PlatformError(
      'ERR_IO',
      `cannot create output folder ${outDir}: ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  if (!overwrite && entries.length > 0)
    fail(`output folder ${outDir} is not empty (pass overwrite to write into it)`);
}

/**
 * Writes a synthetic carotid ultrasound cohort: per patient 4–5 B-mode images (DICOM
 * Ultrasound Image Storage, or Ultrasound Multi-frame Image Storage for cine loops, explicit VR
 * little endian, with a Sequence of Ultrasound Regions giving Physical Delta X/Y), each with an
 * exact label mask per frame (8-bit grey PNG: 0 background, 1 lumen, 2 wall = intima-media and
 * plaque), plus `ground-truth.json` (per patient the 3D bifurcation model of each side, per
 * image view kind, side, branches, axial position from the flow divider, pixel spacing, plane,
 * diameters, NASCET stenosis; see {@link CarotidUsGroundTruth}) and `patients.csv`. File names
 * follow {@link CAROTID_US_LAYOUT}.
 *
 * @remarks
 * Each side of each patient is a 3D bifurcation model (see `drawCarotidModel`: Bharadvaj-like
 * dimensions, bulb, elliptic lumen, IMT 0.6–1.0 mm, plaques with ICA stenoses of 0–80 %
 * NASCET, a jugular vein). Each view is a plane through that model; labels are the class of
 * each pixel centre, so the masks are exact for the model. The image is the echo amplitude of
 * the classes times complex Gaussian scatterers, blurred by a Gaussian PSF (Rayleigh speckle
 * with spatial correlation), with attenuation, imperfect TGC, gain, log compression and gamma,
 * placed in a vendor-like screen (parameter text blocks, grey bar, depth ticks, frames) in grey
 * or RGB (grey, sepia or blue-tinted) rendering. Streams are derived from the seed and the
 * patient and image ids, so files do not depend on generation order; nothing reads the clock.
 *
 * Throws `ERR_SYNTH` for invalid options or a non-empty folder, `ERR_IO` when a file cannot be
 * written.
 *
 * @example
 * ```ts
 * const summary = await synthesizeCarotidUs({ outDir: 'carotid', patients: 39, seed: 7 });
 * summary.images; // about 180
 * ```
 */
export async function synthesizeCarotidUs(
  options: SynthCarotidUsOptions,
): Promise<SynthCarotidUsSummary> {
  const started = performance.now();
  const patientCount = options.patients ?? 39;
  if (!Number.isInteger(patientCount) || patientCount < 1 || patientCount > 10_000)
    fail(`patients must be an integer in 1–10000, got ${String(options.patients)}`);
  const size: unknown = options.size ?? 'full';
  if (size !== 'small' && size !== 'full')
    fail(`size must be "small" or "full", got ${String(size)}`);
  const seed = String(options.seed ?? 1);
  await prepareOutDir(options.outDir, options.overwrite ?? false);
  const width = Math.max(3, String(patientCount).length);

  const plans = Array.from({ length: patientCount }, (_, i) => {
    const patientId = `P${pad(i + 1, width)}`;
    return {
      patientId,
      views: planPatientViews(createRandom(seed, 'carotid-us', patientId, 'views')),
    };
  });
  const imagesTotal = plans.reduce((n, p) => n + p.views.length, 0);
  let imagesWritten = 0;
  let frames = 0;
  let bytes = 0;
  const patients: CarotidUsPatientTruth[] = [];
  const images: CarotidUsImageTruth[] = [];
  const csv = [
    'patient_id,sex,age_years,height_cm,weight_kg,bmi,scanner,images,left_nascet_percent,right_nascet_percent',
  ];
  const write = async (file: string, data: string): Promise<void> => {
    try {
      await writeFile(join(options.outDir, file), data);
    } catch (error) {
      throw new PlatformError(
        'ERR_IO',
        `cannot write ${file} in ${options.outDir}: ${errorMessage(error)}`,
        { cause: error },
      );
    }
  };

  const jobs: CarotidPatientJob[] = plans.map((p) => ({
    outDir: options.outDir,
    seed,
    size,
    ...p,
  }));
  const onImage = (): void => {
    imagesWritten++;
    options.onProgress?.({ imagesWritten, imagesTotal });
  };
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    fail(`concurrency must be an integer in 1–256, got ${String(options.concurrency)}`);
  const results =
    concurrency === 1 || jobs.length === 1
      ? await runHere(jobs, onImage, options.signal)
      : await runInWorkers(jobs, Math.min(concurrency, jobs.length), onImage, options.signal);
  for (const r of results) {
    patients.push(r.patient);
    images.push(...r.images);
    csv.push(r.csvRow);
    frames += r.frames;
    bytes += r.bytes;
  }
  const truth: CarotidUsGroundTruth = {
    generator: { name: 'medscale synth carotid-us', formatVersion: 1 },
    seed,
    size,
    layout: CAROTID_US_LAYOUT,
    labels: CAROTID_US_LABELS,
    patients,
    images,
    totals: { patients: patientCount, images: images.length, frames, bytes },
  };
  await write('ground-truth.json', `${JSON.stringify(truth, null, 2)}\n`);
  await write('patients.csv', `${csv.join('\n')}\n`);
  return {
    outDir: options.outDir,
    groundTruthFile: join(options.outDir, 'ground-truth.json'),
    patientsFile: join(options.outDir, 'patients.csv'),
    patients: patientCount,
    images: images.length,
    frames,
    bytes,
    elapsedMs: performance.now() - started,
  };
}

async function runHere(
  jobs: readonly CarotidPatientJob[],
  onImage: () => void,
  signal: AbortSignal | undefined,
): Promise<CarotidPatientResult[]> {
  const results: CarotidPatientResult[] = [];
  for (const job of jobs) results.push(await generateCarotidPatient(job, onImage, signal));
  return results;
}

/**
 * Runs patient jobs on `size` worker threads, each taking the next job when done; results come
 * back in job order. The first failure (or an abort) stops every worker.
 */
function runInWorkers(
  jobs: readonly CarotidPatientJob[],
  size: number,
  onImage: () => void,
  signal: AbortSignal | undefined,
): Promise<CarotidPatientResult[]> {
  return runJobsInWorkers<CarotidUsJobs>(jobs, {
    entry: workerEntry('./carotid-us-worker', import.meta.url),
    size,
    onProgress: onImage,
    signal,
    name: 'carotid-us',
    code: 'ERR_SYNTH',
  });
}

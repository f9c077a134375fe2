import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformError, errorMessage } from '../../core/index.js';
import { createRandom, deriveUid } from '../random.js';
import { LABEL, renderApicalFrame, sectorGeometry } from './kernels/render-apical-view.js';
import { rasterizeShortAxisSlice } from './kernels/rasterize-short-axis.js';
import type { ApicalFrameScene, SectorGeometry } from './kernels/render-apical-view.js';
import { writeLabelStack } from './label-stack.js';
import { bsaMosteller, lvEchoCase } from './lv-echo-cases.js';
import { cyclePhases, lvShapeAt, lvVolumeAt } from './lv-cycle.js';
import type { LvEchoCaseSpec, LvEllipsoid, LvShape } from './lv-cycle.js';
import { encodeEchoClip } from './us-dataset.js';

/** Options of {@link synthesizeLvEcho}. */
export interface SynthLvEchoOptions {
  /** Output folder; created if missing, and must be empty unless `overwrite`. */
  readonly outDir: string;
  /** Number of cases, 1–1000: the fixed ones first (see `LV_ECHO_FIXED_CASES`), then random ones. @defaultValue 3 */
  readonly cases?: number;
  /** Seed: the same seed and options give byte-identical files. @defaultValue 1 */
  readonly seed?: number | string;
  /** Frames over one cardiac cycle, 4–200 (frame 0 at end-diastole). @defaultValue 30 */
  readonly frames?: number;
  /** Pixel size, in mm, 0.2–1. @defaultValue 0.5 */
  readonly pixelSpacingMm?: number;
  /**
   * Also write a cine short-axis label stack per case (`sax.labels.json`, a volume per frame in
   * the LV frame: 1.5 mm pixels, slices 8 mm apart and fixed in space from the end-diastolic
   * base to beyond the apex, the base moving through them), for short-axis (MR-like) methods.
   * @defaultValue false
   */
  readonly shortAxis?: boolean;
  /** Write into a non-empty folder. @defaultValue false */
  readonly overwrite?: boolean;
  /** Called after each clip (view of a case) is written. */
  readonly onProgress?: (progress: {
    readonly framesWritten: number;
    readonly framesTotal: number;
  }) => void;
  /** Stops generation between clips; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** The two apical views written per case. */
export const LV_ECHO_VIEWS = ['a4c', 'a2c'] as const;
/** One of {@link LV_ECHO_VIEWS}. */
export type LvEchoView = (typeof LV_ECHO_VIEWS)[number];

/** File layout under the output folder. */
export const LV_ECHO_LAYOUT =
  '<caseId>/<view>.dcm, <caseId>/<view>.labels.json + <view>.labels.u8 (view a4c, a2c), <caseId>/sax.labels.json + .u8 (with shortAxis)';

/** Label values of the masks (as the CAMUS data set): 1 LV cavity, 2 LV myocardium, 3 left atrium. */
export const LV_ECHO_LABELS: Readonly<Record<string, string>> = {
  '0': 'background',
  [String(LABEL.lvCavity)]: 'lv-cavity',
  [String(LABEL.lvMyocardium)]: 'lv-myocardium',
  [String(LABEL.leftAtrium)]: 'left-atrium',
};

/** Ground truth of one frame. */
export interface LvEchoFrameTruth {
  readonly index: number;
  /** Time from end-diastole, in ms. */
  readonly timeMs: number;
  /** Analytic cavity volume, in mL. */
  readonly endoVolumeMl: number;
  /** Analytic epicardial volume (cavity and myocardium), in mL. */
  readonly epiVolumeMl: number;
  readonly endo: LvEllipsoid;
  readonly epi: LvEllipsoid;
}

/** Ground truth of one case. */
export interface LvEchoCaseTruth {
  readonly caseId: string;
  readonly spec: LvEchoCaseSpec;
  /** Mosteller body surface area, in m². */
  readonly bsaM2: number;
  /** Nominal EDV, ESV (the volume curve's extremes) and derived values, in mL and %. */
  readonly edvMl: number;
  readonly esvMl: number;
  readonly strokeVolumeMl: number;
  readonly ejectionFractionPct: number;
  /** Myocardial volume (the same in every frame), in mL. */
  readonly wallVolumeMl: number;
  /** `1.05 g/mL × wall volume`, in g. */
  readonly massG: number;
  readonly framesPerCycle: number;
  readonly frameTimeMs: number;
  /** Frames of the largest and smallest sampled cavity volume, and those volumes (mL) and EF (%). */
  readonly edFrame: number;
  readonly esFrame: number;
  readonly frameEdvMl: number;
  readonly frameEsvMl: number;
  readonly frameEjectionFractionPct: number;
  readonly frames: readonly LvEchoFrameTruth[];
  /** Paths relative to the output folder (`sax`: the short-axis label stack, when asked for). */
  readonly files: Readonly<
    Record<LvEchoView, { readonly image: string; readonly labels: string }>
  > & {
    readonly sax?: string;
  };
  /** Image geometry: size, pixel spacing [column, row] (mm), transducer column, sector. */
  readonly image: {
    readonly rows: number;
    readonly columns: number;
    readonly pixelSpacingMm: readonly [number, number];
    readonly transducerColumn: number;
    readonly sectorAngleDeg: number;
    readonly depthMm: number;
  };
}

/** `ground-truth.json` of `synth lv-echo`. */
export interface LvEchoGroundTruth {
  readonly generator: { readonly name: 'medscale synth lv-echo'; readonly formatVersion: 1 };
  readonly seed: string;
  readonly layout: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly cases: readonly LvEchoCaseTruth[];
}

/** What {@link synthesizeLvEcho} wrote. */
export interface LvEchoSummary {
  readonly outDir: string;
  readonly groundTruthFile: string;
  readonly cases: number;
  /** Frames written, over all clips. */
  readonly frames: number;
  /** Files written (DICOM clips, label stacks and their sidecars, ground truth). */
  readonly files: number;
  /** Bytes written. */
  readonly bytes: number;
  /** Wall-clock time, in ms (not part of the ground truth). */
  readonly elapsedMs: number;
}

function fail(message: string): never {
  throw new PlatformError('ERR_SYNTH', message);
}

function integerIn(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`${name} must be an integer in ${min}–${max}, got ${String(value)}`);
  return value;
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

function roundEllipsoid(e: LvEllipsoid): LvEllipsoid {
  return {
    longSemiAxisMm: round(e.longSemiAxisMm),
    shortSemiAxesMm: [round(e.shortSemiAxesMm[0]), round(e.shortSemiAxesMm[1])],
    truncationMm: round(e.truncationMm),
  };
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
      { cause: error },
    );
  }
  if (!overwrite && entries.length > 0)
    fail(`output folder ${outDir} is not empty (pass overwrite to write into it)`);
}

const SECTOR_HALF_ANGLE_DEG = 40;
/** Short-axis stack: in-plane pixel size and slice spacing, in mm (a typical cine SSFP stack). */
const SAX_PIXEL_MM = 1.5;
const SAX_SLICE_MM = 8;

/**
 * The cine short-axis label stack of a case: slices fixed in the LV frame (origin at the apex,
 * +z to the base), the first slab's top at the end-diastolic base, slabs down to below the
 * epicardial apex; `frames × slices × n × n` labels.
 */
function shortAxisStack(
  spec: LvEchoCaseSpec,
  shapes: readonly LvShape[],
): { n: number; slices: number; origin: [number, number, number]; bytes: Uint8Array } {
  let reach = 0;
  let below = 0;
  for (const s of shapes) {
    reach = Math.max(reach, ...s.epi.shortSemiAxesMm);
    below = Math.max(below, s.epi.longSemiAxisMm - s.endo.longSemiAxisMm);
  }
  const n = 2 * Math.ceil((reach + 6) / SAX_PIXEL_MM) + 1;
  const z0 = spec.longAxisEdMm - SAX_SLICE_MM / 2;
  const slices = Math.ceil((z0 + below) / SAX_SLICE_MM) + 1;
  const bytes = new Uint8Array(shapes.length * slices * n * n);
  shapes.forEach((shape, f) => {
    for (let k = 0; k < slices; k++) {
      const at = (f * slices + k) * n * n;
      rasterizeShortAxisSlice(
        shape,
        z0 - k * SAX_SLICE_MM,
        n,
        SAX_PIXEL_MM,
        bytes.subarray(at, at + n * n),
      );
    }
  });
  const half = ((n - 1) / 2) * SAX_PIXEL_MM;
  return { n, slices, origin: [-half, -half, z0], bytes };
}

/**
 * Writes synthetic apical 4- and 2-chamber echo clips of the left ventricle over one cardiac
 * cycle, with exact label masks and analytic ground-truth volumes: per case a DICOM Ultrasound
 * Multi-frame Image per view, a label stack per view (see `readLabelStack`; 1 LV cavity, 2 LV
 * myocardium, 3 left atrium) and one `ground-truth.json` for all cases (see
 * {@link LvEchoGroundTruth}).
 *
 * @remarks
 * The LV is a truncated prolate ellipsoid whose cavity volume follows a physiological V(t)
 * (isovolumic phases, ejection, rapid filling, diastasis, atrial kick) between the case's EDV and
 * ESV; the apex stays put while the base moves. The myocardium keeps its volume over the cycle
 * (the epicardium is solved for it each frame), so the mass is the same in every frame. The
 * views are the long-axis sections through the 4- and 2-chamber semi-axes, drawn in a 80°
 * sector with speckle, depth attenuation and log compression; masks label the pixels whose
 * centres lie in each structure, so disc methods on them can be compared with the analytic
 * volumes. With `shortAxis`, a cine short-axis label stack of the same ventricle is written too
 * (slices fixed in space, so the base moves through the basal slice as in real cine MR).
 * Deterministic: every clip draws from its own stream derived from the seed, nothing reads the
 * clock.
 *
 * Throws `ERR_SYNTH` for invalid options or a non-empty folder, `ERR_IO` when a file cannot be
 * written.
 *
 * @example
 * ```ts
 * const summary = await synthesizeLvEcho({ outDir: 'lv-echo', cases: 3, frames: 30 });
 * // lv-echo/lv-001/a4c.dcm, a4c.labels.json, …, lv-echo/ground-truth.json
 * ```
 */
export async function synthesizeLvEcho(options: SynthLvEchoOptions): Promise<LvEchoSummary> {
  const started = performance.now();
  const caseCount = integerIn(options.cases ?? 3, 1, 1000, 'cases');
  const framesPerCycle = integerIn(options.frames ?? 30, 4, 200, 'frames');
  const spacing = options.pixelSpacingMm ?? 0.5;
  if (!(spacing >= 0.2 && spacing <= 1))
    fail(`pixelSpacingMm must be in 0.2–1 mm, got ${String(spacing)}`);
  const seed = String(options.seed ?? 1);
  await prepareOutDir(options.outDir, options.overwrite ?? false);
  const framesTotal = caseCount * LV_ECHO_VIEWS.length * framesPerCycle;
  let framesWritten = 0;
  let files = 0;
  let bytes = 0;
  const cases: LvEchoCaseTruth[] = [];
  const write = async (path: string, data: Uint8Array | string): Promise<void> => {
    try {
      await writeFile(path, data);
    } catch (error) {
      throw new PlatformError('ERR_IO', `cannot write ${path}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    files++;
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  };

  for (let index = 0; index < caseCount; index++) {
    options.signal?.throwIfAborted();
    const spec = lvEchoCase(index, createRandom(seed, 'lv-echo', 'case', index));
    const phases = cyclePhases(spec.heartRateBpm);
    const frameTimeMs = (phases.periodS * 1000) / framesPerCycle;
    const shapes: LvShape[] = [];
    for (let f = 0; f < framesPerCycle; f++) {
      shapes.push(lvShapeAt(spec, lvVolumeAt(spec, (f * frameTimeMs) / 1000)));
    }
    // Image: an 80° sector deep enough for the LV and the atrium below it.
    const depthMm = Math.ceil(spec.apexDepthMm + spec.longAxisEdMm + 60);
    const halfAngle = (SECTOR_HALF_ANGLE_DEG * Math.PI) / 180;
    const columns = 2 * Math.ceil((depthMm * Math.sin(halfAngle)) / spacing) + 1;
    const rows = Math.ceil(depthMm / spacing) + 1;
    const transducerColumn = (columns - 1) / 2;
    const caseDir = join(options.outDir, spec.caseId);
    try {
      await mkdir(caseDir, { recursive: true });
    } catch (error) {
      throw new PlatformError('ERR_IO', `cannot create ${caseDir}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    const studyInstanceUid = deriveUid(seed, 'lv-echo', spec.caseId, 'study');
    const n = rows * columns;
    const fieldI = new Float32Array(n);
    const fieldQ = new Float32Array(n);
    const fileTruth: Partial<Record<LvEchoView, { image: string; labels: string }>> = {};
    for (const [v, view] of LV_ECHO_VIEWS.entries()) {
      options.signal?.throwIfAborted();
      const pixels = new Uint8Array(framesPerCycle * n);
      const labels = new Uint8Array(framesPerCycle * n);
      const tiltRad = (spec.tiltDeg[view] * Math.PI) / 180;
      const side = view === 'a4c' ? 0 : 1;
      let sector: SectorGeometry | undefined;
      for (let f = 0; f < framesPerCycle; f++) {
        const shape = shapes[f] ?? fail('frame out of range');
        const section = (e: LvEllipsoid): { a: number; b: number; h: number } => ({
          a: e.longSemiAxisMm,
          b: e.shortSemiAxesMm[side],
          h: e.truncationMm,
        });
        // The apex stays at its depth on the sector's axis; the centre follows the long axis.
        const a = shape.endo.longSemiAxisMm;
        const scene: ApicalFrameScene = {
          columns,
          rows,
          sx: spacing,
          sy: spacing,
          transducerColumn,
          sectorHalfAngleRad: halfAngle,
          depthMm,
          centreX: a * Math.sin(tiltRad),
          centreY: spec.apexDepthMm + a * Math.cos(tiltRad),
          tiltRad,
          endo: section(shape.endo),
          epi: section(shape.epi),
          rightHeart: view === 'a4c',
        };
        sector ??= sectorGeometry(scene);
        renderApicalFrame(
          scene,
          sector,
          createRandom(seed, 'lv-echo', spec.caseId, view, f),
          pixels.subarray(f * n, (f + 1) * n),
          labels.subarray(f * n, (f + 1) * n),
          fieldI,
          fieldQ,
        );
      }
      const imageName = `${view}.dcm`;
      const labelsName = `${view}.labels.json`;
      const dicom = encodeEchoClip(
        {
          studyInstanceUid,
          seriesInstanceUid: deriveUid(seed, 'lv-echo', spec.caseId, 'series'),
          sopInstanceUid: deriveUid(seed, 'lv-echo', spec.caseId, view),
          instanceNumber: v + 1,
          date: '20250301',
          patientName: `Synthetic^LV ${spec.caseId.slice(3)}`,
          patientId: spec.caseId,
          sex: spec.patient.sex,
          ageYears: spec.patient.ageYears,
          heightCm: spec.patient.heightCm,
          weightKg: spec.patient.weightKg,
          view: view.toUpperCase(),
          rows,
          columns,
          frames: framesPerCycle,
          frameTimeMs,
          heartRateBpm: spec.heartRateBpm,
          pixelSpacingMm: [spacing, spacing],
          transducerPixel: [transducerColumn, 0],
        },
        pixels,
      );
      await write(join(caseDir, imageName), dicom);
      const sidecar = await writeLabelStack(
        join(caseDir, labelsName),
        {
          frames: framesPerCycle,
          rows,
          columns,
          pixelSpacingMm: [spacing, spacing],
          frameTimeMs: round(frameTimeMs, 6),
          labels: LV_ECHO_LABELS,
          view,
          image: imageName,
        },
        labels,
      );
      files += 2;
      bytes += labels.length + Buffer.byteLength(JSON.stringify(sidecar, null, 2)) + 1;
      fileTruth[view] = {
        image: `${spec.caseId}/${imageName}`,
        labels: `${spec.caseId}/${labelsName}`,
      };
      framesWritten += framesPerCycle;
      options.onProgress?.({ framesWritten, framesTotal });
    }
    let saxFile: string | undefined;
    if (options.shortAxis === true) {
      const stack = shortAxisStack(spec, shapes);
      const written = await writeLabelStack(
        join(caseDir, 'sax.labels.json'),
        {
          frames: framesPerCycle,
          rows: stack.n,
          columns: stack.n,
          pixelSpacingMm: [SAX_PIXEL_MM, SAX_PIXEL_MM],
          frameTimeMs: round(frameTimeMs, 6),
          labels: { '0': 'background', '1': 'lv-cavity', '2': 'lv-myocardium' },
          view: 'sax',
          slices: stack.slices,
          sliceSpacingMm: SAX_SLICE_MM,
          origin: stack.origin,
          direction: [1, 0, 0, 0, 1, 0, 0, 0, -1],
        },
        stack.bytes,
      );
      files += 2;
      bytes += stack.bytes.length + Buffer.byteLength(JSON.stringify(written, null, 2)) + 1;
      saxFile = `${spec.caseId}/sax.labels.json`;
    }
    const volumes = shapes.map((s) => s.endoVolumeMl);
    const edFrame = volumes.indexOf(Math.max(...volumes));
    const esFrame = volumes.indexOf(Math.min(...volumes));
    const frameEdv = volumes[edFrame] ?? NaN;
    const frameEsv = volumes[esFrame] ?? NaN;
    const wall = (shapes[0]?.epiVolumeMl ?? NaN) - (shapes[0]?.endoVolumeMl ?? NaN);
    cases.push({
      caseId: spec.caseId,
      spec,
      bsaM2: round(bsaMosteller(spec.patient.heightCm, spec.patient.weightKg)),
      edvMl: spec.edvMl,
      esvMl: spec.esvMl,
      strokeVolumeMl: round(spec.edvMl - spec.esvMl),
      ejectionFractionPct: round((100 * (spec.edvMl - spec.esvMl)) / spec.edvMl),
      wallVolumeMl: round(wall),
      massG: round(1.05 * wall),
      framesPerCycle,
      frameTimeMs: round(frameTimeMs, 6),
      edFrame,
      esFrame,
      frameEdvMl: round(frameEdv),
      frameEsvMl: round(frameEsv),
      frameEjectionFractionPct: round((100 * (frameEdv - frameEsv)) / frameEdv),
      frames: shapes.map((s, f) => ({
        index: f,
        timeMs: round(f * frameTimeMs),
        endoVolumeMl: round(s.endoVolumeMl),
        epiVolumeMl: round(s.epiVolumeMl),
        endo: roundEllipsoid(s.endo),
        epi: roundEllipsoid(s.epi),
      })),
      files: {
        a4c: fileTruth.a4c ?? fail('a4c clip missing'),
        a2c: fileTruth.a2c ?? fail('a2c clip missing'),
        ...(saxFile === undefined ? {} : { sax: saxFile }),
      },
      image: {
        rows,
        columns,
        pixelSpacingMm: [spacing, spacing],
        transducerColumn,
        sectorAngleDeg: 2 * SECTOR_HALF_ANGLE_DEG,
        depthMm,
      },
    });
  }
  const truth: LvEchoGroundTruth = {
    generator: { name: 'medscale synth lv-echo', formatVersion: 1 },
    seed,
    layout: LV_ECHO_LAYOUT,
    labels: LV_ECHO_LABELS,
    cases,
  };
  const groundTruthFile = join(options.outDir, 'ground-truth.json');
  await write(groundTruthFile, `${JSON.stringify(truth, null, 2)}\n`);
  return {
    outDir: options.outDir,
    groundTruthFile,
    cases: caseCount,
    frames: framesWritten,
    files,
    bytes,
    elapsedMs: performance.now() - started,
  };
}

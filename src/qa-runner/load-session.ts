import type { DicomJson, Volume } from '../core/index.js';
import { PlatformError, TAG, errorMessage, firstNumber, isPlatformError } from '../core/index.js';
import {
  decodePixelData,
  readPart10,
  seriesToVolume,
  toDicomJson,
  toModalityValues,
} from '../dicom/index.js';
import type { SeriesSlice } from '../dicom/index.js';
import { writePng } from '../formats/index.js';
import { observeSeries } from '../qa/index.js';
import type { SeriesObservation, SessionObservation } from '../qa/index.js';
import type { SeriesSummary, StudySummary } from '../store/index.js';
import { allPages, listInstances, listSeries } from '../store/index.js';
import type { Workspace } from '../workspace/index.js';

/** One series of a session as loaded for QA: headers, observation and (for images) its volume. */
export interface LoadedSeries {
  readonly observation: SeriesObservation;
  /** Modality values, when the series is a scalar image stack that forms a volume. */
  readonly volume?: Volume;
  /** Why no volume could be built, when it could not. */
  readonly volumeError?: string;
  /** Patient's Size (0010,1020) in the first instance, in metres. */
  readonly patientSizeM?: number;
}

/** A session as loaded for QA. */
export interface LoadedSession {
  readonly study: StudySummary;
  readonly observation: SessionObservation;
  readonly series: readonly LoadedSeries[];
}

/**
 * Reads one series from the blob store (verifying every blob) and builds its observation and,
 * for a single-sample image stack, its volume of modality values. A series whose pixels cannot
 * be assembled into a volume (colour, mixed sizes, multi-frame) still gets its header checks.
 */
async function loadSeries(
  workspace: Workspace,
  series: SeriesSummary,
  pixels: boolean,
): Promise<LoadedSeries> {
  const instances = await allPages((page) =>
    listInstances(workspace.catalog, { seriesUid: series.seriesInstanceUid, ...page }),
  );
  const blobs: Uint8Array[] = [];
  for (const instance of instances)
    blobs.push(await workspace.blobs.get(instance.blobDigest, { verify: true }));
  return assembleSeries(blobs, { pixels });
}

/**
 * Builds a series' observation and, for a single-sample image stack, its volume of modality
 * values from the Part 10 bytes of its instances. A series whose pixels cannot be assembled into
 * a volume (colour, mixed sizes, multi-frame) still gets its header observation, with the reason
 * in `volumeError`.
 */
export async function assembleSeries(
  instances: readonly Uint8Array[],
  options: { readonly pixels?: boolean } = {},
): Promise<LoadedSeries> {
  const headers: DicomJson[] = [];
  const slices: SeriesSlice[] = [];
  let volumeError: string | undefined = (options.pixels ?? true) ? undefined : 'pixels not read';
  for (const bytes of instances) {
    const part = readPart10(bytes);
    const json = toDicomJson(part.dataset, { maxInlineBinaryBytes: 0 });
    headers.push(json);
    if (volumeError !== undefined) continue;
    try {
      const pixels = await decodePixelData(part);
      const [frame] = pixels.frames;
      if (pixels.samplesPerPixel !== 1 || frame === undefined || pixels.frames.length !== 1) {
        volumeError = `not a stack of single-frame greyscale images (${pixels.frames.length} frame(s), ${pixels.samplesPerPixel} sample(s) per pixel)`;
        continue;
      }
      slices.push({ dataset: part.dataset, pixels: toModalityValues(frame, pixels.rescale) });
    } catch (error) {
      volumeError = isPlatformError(error)
        ? `${error.code}: ${error.message}`
        : errorMessage(error);
    }
  }
  let volume: Volume | undefined;
  if (volumeError === undefined && slices.length > 0) {
    try {
      volume = seriesToVolume(slices).volume;
    } catch (error) {
      volumeError = isPlatformError(error)
        ? `${error.code}: ${error.message}`
        : errorMessage(error);
    }
  }
  const patientSizeM =
    headers[0] === undefined ? undefined : firstNumber(headers[0], TAG.PatientSize);
  return {
    observation: observeSeries(headers),
    ...(patientSizeM === undefined ? {} : { patientSizeM }),
    ...(volume === undefined ? {} : { volume }),
    ...(volumeError === undefined ? {} : { volumeError }),
  };
}

/**
 * Loads a catalogued study for QA: every series' headers and (unless `pixels: false`) volume,
 * the subject's pseudonym, site, visit and stature.
 *
 * @throws PlatformError `ERR_QA_INPUT` when the study has no series.
 */
export async function loadSession(
  workspace: Workspace,
  study: StudySummary,
  options: { readonly pixels?: boolean } = {},
): Promise<LoadedSession> {
  const seriesList = await allPages((page) =>
    listSeries(workspace.catalog, { studyUid: study.studyInstanceUid, ...page }),
  );
  if (seriesList.length === 0) {
    throw new PlatformError('ERR_QA_INPUT', `study ${study.studyInstanceUid} has no series`);
  }
  const loaded: LoadedSeries[] = [];
  for (const series of seriesList)
    loaded.push(await loadSeries(workspace, series, options.pixels ?? true));
  const patientSizeM = loaded.find((s) => s.patientSizeM !== undefined)?.patientSizeM;
  return {
    study,
    observation: {
      studyInstanceUid: study.studyInstanceUid,
      subject: study.pseudonym,
      ...(study.site === null ? {} : { site: study.site }),
      visit: study.visit,
      ...(study.studyDateShifted === null ? {} : { studyDate: study.studyDateShifted }),
      ...(patientSizeM === undefined ? {} : { patientSizeM }),
      series: loaded.map((s) => s.observation),
    },
    series: loaded,
  };
}

/**
 * An 8-bit PNG of a volume's middle slice, windowed from the 1st to the 99.5th percentile of its
 * voxels, for reports.
 */
export function middleSliceThumbnail(volume: Volume): Uint8Array {
  const [ni, nj, nk] = volume.dimensions;
  const k = Math.floor(nk / 2);
  const slice = volume.data.subarray(k * ni * nj, (k + 1) * ni * nj);
  const sorted = Float32Array.from(slice).sort();
  const lo = sorted[Math.floor(0.01 * (sorted.length - 1))] ?? 0;
  const hi = sorted[Math.floor(0.995 * (sorted.length - 1))] ?? 1;
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const data = new Uint8Array(slice.length);
  for (let i = 0; i < slice.length; i++) {
    data[i] = Math.max(0, Math.min(255, Math.round(((slice[i] ?? 0) - lo) * scale)));
  }
  return writePng({ width: ni, height: nj, channels: 1, bitDepth: 8, data });
}

import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { SeriesInstanceUid } from '../core/index.js';
import { PlatformError, errorMessage, isPlatformError } from '../core/index.js';
import type { VoxelArray } from '../core/index.js';
import type {
  GeometryReport,
  ModalityRescale,
  Part10,
  PixelArray,
  SeriesVolume,
} from '../dicom/index.js';
import {
  decodePixelData,
  frameToDisplay,
  readPart10,
  seriesToVolume,
  toModalityValues,
} from '../dicom/index.js';
import { writeNifti1, writeNifti1Gz, writePng } from '../formats/index.js';
import type { InstanceSummary } from '../store/index.js';
import { allPages, getSeries, listInstances, recordAudit } from '../store/index.js';
import type { Workspace } from '../workspace/index.js';

/** Formats `medscale export` writes. */
export const EXPORT_FORMATS = ['dicom', 'nifti', 'png'] as const;
/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Options of {@link exportSeries}. */
export interface ExportSeriesOptions {
  readonly format: ExportFormat;
  /**
   * Where to write. For `nifti`: a `.nii` or `.nii.gz` file, or a folder (then
   * `<folder>/<series UID>.nii.gz`). For `dicom` and `png`: a folder.
   */
  readonly out: string;
  /** Who asks, for the audit trail. @defaultValue `'cli'` */
  readonly actor?: string;
  /** Called after each instance is read, with the count done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What an export wrote. */
export interface ExportResult {
  readonly seriesInstanceUid: string;
  readonly format: ExportFormat;
  /** Files written, in order. */
  readonly files: readonly string[];
  readonly instances: number;
  /** Total bytes written. */
  readonly bytes: number;
  /** Geometry of the volume (NIfTI only): spacing, tilt, uneven spacing. */
  readonly geometry?: GeometryReport;
}

/**
 * Exports one catalogued series: its de-identified DICOM files, a NIfTI-1 volume (LPS geometry
 * converted to the RAS affine dcm2niix writes, with a JSON sidecar of the geometry report), or
 * one 8-bit PNG per frame (windowed as the instance says, MONOCHROME1 inverted). Every blob is
 * verified against its digest on read, and the export is recorded in the audit trail.
 */
export async function exportSeries(
  workspace: Workspace,
  seriesUid: SeriesInstanceUid,
  options: ExportSeriesOptions,
): Promise<ExportResult> {
  const series = await getSeries(workspace.catalog, seriesUid);
  const instances = await allPages((page) =>
    listInstances(workspace.catalog, { seriesUid, ...page }),
  );
  if (instances.length === 0) {
    throw new PlatformError('ERR_SERIES_EMPTY', `series ${seriesUid} has no instances`);
  }
  instances.sort((a, b) => (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0));
  const files: string[] = [];
  let bytes = 0;
  const write = async (path: string, data: Uint8Array): Promise<void> => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
    files.push(path);
    bytes += data.length;
  };
  const read = async (instance: InstanceSummary): Promise<Uint8Array> =>
    workspace.blobs.get(instance.blobDigest, { verify: true });

  let geometry: GeometryReport | undefined;
  try {
    switch (options.format) {
      case 'dicom':
        for (const [i, instance] of instances.entries()) {
          await write(join(options.out, `${fileStem(instance, i)}.dcm`), await read(instance));
          options.onProgress?.(i + 1, instances.length);
        }
        break;
      case 'png':
        for (const [i, instance] of instances.entries()) {
          const pixels = await decodePixelData(readPart10(await read(instance)));
          for (const [f, frameIndex] of pixels.frameIndices.entries()) {
            const display = frameToDisplay(pixels, f);
            const name =
              pixels.frameIndices.length > 1
                ? `${fileStem(instance, i)}-${frameIndex + 1}`
                : fileStem(instance, i);
            await write(
              join(options.out, `${name}.png`),
              writePng({
                width: display.columns,
                height: display.rows,
                channels: display.samplesPerPixel,
                bitDepth: 8,
                data: display.data,
              }),
            );
          }
          options.onProgress?.(i + 1, instances.length);
        }
        break;
      case 'nifti': {
        const slices: StoredSlice[] = [];
        for (const [i, instance] of instances.entries()) {
          const part: Part10 = readPart10(await read(instance));
          const pixels = await decodePixelData(part);
          if (pixels.samplesPerPixel !== 1) {
            throw new PlatformError(
              'ERR_EXPORT',
              `series ${seriesUid} is colour (${pixels.photometricInterpretation}): export it as png`,
            );
          }
          if (pixels.frames.length !== 1) {
            throw new PlatformError(
              'ERR_EXPORT',
              `instance ${instance.sopInstanceUid} has ${pixels.frames.length} frames; multi-frame volumes are not exported to NIfTI yet: export as png or dicom`,
            );
          }
          const [frame] = pixels.frames;
          if (frame === undefined)
            throw new PlatformError(
              'ERR_DICOM_NO_PIXEL_DATA',
              `instance ${instance.sopInstanceUid} has no frame`,
            );
          slices.push({ dataset: part.dataset, frame, rescale: pixels.rescale });
          options.onProgress?.(i + 1, instances.length);
        }
        const { volume, report } = storedSeriesToVolume(slices);
        geometry = report;
        const target = niftiPath(options.out, seriesUid);
        const description = `${series.modality} ${series.seriesDescription ?? ''}`.trim();
        // The volume's own type: the stored integers when they are the modality values (no
        // rescale), as dcm2niix writes them, at half the size of float32; float32 otherwise.
        const niftiOptions = { description } as const;
        const nifti = target.endsWith('.gz')
          ? writeNifti1Gz(volume, niftiOptions)
          : writeNifti1(volume, niftiOptions);
        await write(target, nifti);
        const sidecar = {
          SeriesInstanceUID: seriesUid,
          Modality: series.modality,
          SeriesDescription: series.seriesDescription,
          dimensions: volume.dimensions,
          spacingMm: volume.spacing,
          geometry: report,
        };
        await write(
          target.replace(/\.nii(\.gz)?$/, '.json'),
          new TextEncoder().encode(`${JSON.stringify(sidecar, null, 2)}\n`),
        );
        break;
      }
    }
  } catch (error) {
    if (isPlatformError(error)) throw error;
    throw new PlatformError(
      'ERR_EXPORT',
      `cannot export series ${seriesUid}: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  await recordAudit(workspace.catalog, {
    actor: options.actor ?? 'cli',
    action: 'export',
    target: seriesUid,
    detail: { format: options.format, files: files.length, bytes },
  });
  return {
    seriesInstanceUid: seriesUid,
    format: options.format,
    files,
    instances: instances.length,
    bytes,
    ...(geometry === undefined ? {} : { geometry }),
  };
}

/** One decoded slice of a series on its way to a volume: stored values and their rescale. */
interface StoredSlice {
  readonly dataset: Part10['dataset'];
  readonly frame: PixelArray;
  readonly rescale: ModalityRescale;
}

/** The integer frame types whose every value float32 holds exactly. */
const SMALL_INTEGER_ARRAYS = [Int16Array, Uint16Array, Uint8Array, Int8Array] as const;

/**
 * Assembles the volume of modality values. When no slice is rescaled (slope 1, intercept 0)
 * and all stored frames share one small integer type, the stored values are the modality
 * values: the volume keeps that type, each slice is copied once (a memcpy), and the writer
 * converts to float32 once, with the same values as rescaling to float32 first would give
 * (every value of these types is exact in float32). Otherwise each slice is rescaled to float32.
 */
function storedSeriesToVolume(slices: readonly StoredSlice[]): SeriesVolume<VoxelArray> {
  const type = SMALL_INTEGER_ARRAYS.find((t) => slices.every((s) => s.frame instanceof t));
  const identity = slices.every((s) => s.rescale.slope === 1 && s.rescale.intercept === 0);
  if (type !== undefined && identity) {
    return seriesToVolume<VoxelArray>(
      slices.map((s) => ({ dataset: s.dataset, pixels: s.frame })),
      { voxelArray: type },
    );
  }
  return seriesToVolume(
    slices.map((s) => ({ dataset: s.dataset, pixels: toModalityValues(s.frame, s.rescale) })),
  );
}

function fileStem(instance: InstanceSummary, index: number): string {
  return (instance.instanceNumber ?? index + 1).toString().padStart(4, '0');
}

function niftiPath(out: string, seriesUid: string): string {
  if (out.endsWith('.nii') || out.endsWith('.nii.gz')) return out;
  if (extname(out) !== '' && basename(out).includes('.')) {
    throw new PlatformError(
      'ERR_USAGE',
      `--out for nifti must end in .nii or .nii.gz, or name a folder: "${out}"`,
    );
  }
  return join(out, `${seriesUid}.nii.gz`);
}

import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PlatformError, createVolume, errorMessage } from '../../core/index.js';
import type { Image2D, Labelmap } from '../../core/index.js';

/** Format name in a label stack sidecar. */
export const LABEL_STACK_FORMAT = 'medscale-label-stack';

/**
 * The JSON sidecar of a label stack: the masks of a clip as raw bytes, one file beside this one:
 * `frames × rows × columns` uint8 samples, frame-major, then row-major, column fastest, which
 * NumPy reads as `numpy.fromfile(f, 'u1').reshape(frames, rows, columns)`. A stack of volumes
 * (e.g. a cine short-axis stack) has `slices` too: `frames × slices × rows × columns`.
 */
export interface LabelStackSidecar {
  readonly format: typeof LABEL_STACK_FORMAT;
  readonly formatVersion: 1;
  /** File name of the raw bytes, relative to the sidecar's folder. */
  readonly data: string;
  readonly frames: number;
  readonly rows: number;
  readonly columns: number;
  /** Pixel spacing [column, row], in mm (as `Image2D.pixelSpacing`). */
  readonly pixelSpacingMm: readonly [number, number];
  /** Time between frames, in ms. */
  readonly frameTimeMs: number;
  /** What each value means, e.g. `{ "1": "lv-cavity" }`; 0 is background. */
  readonly labels: Readonly<Record<string, string>>;
  /** The view, e.g. `a4c`. */
  readonly view: string;
  /** The image the masks belong to, relative to the sidecar's folder. */
  readonly image?: string;
  /** Slices per frame, for a stack of volumes. */
  readonly slices?: number;
  /** Distance between slice centres, in mm (with `slices`). */
  readonly sliceSpacingMm?: number;
  /**
   * Where the volumes lie (with `slices`), as `Volume` fields: LPS position of the centre of
   * voxel (0, 0, 0) in mm, and the direction cosines column by column.
   */
  readonly origin?: readonly [number, number, number];
  readonly direction?: readonly [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
}

/**
 * Writes a label stack: `<name>.u8` with the bytes and `<name>.json` with the sidecar (see
 * {@link LabelStackSidecar}); `path` is the sidecar's path and must end in `.json`.
 */
export async function writeLabelStack(
  path: string,
  sidecar: Omit<LabelStackSidecar, 'format' | 'formatVersion' | 'data'>,
  bytes: Uint8Array,
): Promise<LabelStackSidecar> {
  if (!path.endsWith('.json'))
    throw new PlatformError('ERR_SYNTH', `label stack sidecar must end in .json: ${path}`);
  if (bytes.length !== sidecar.frames * (sidecar.slices ?? 1) * sidecar.rows * sidecar.columns)
    throw new PlatformError('ERR_INTERNAL', 'label stack bytes do not match its size');
  const dataName = `${basename(path, '.json')}.u8`;
  const full: LabelStackSidecar = {
    format: LABEL_STACK_FORMAT,
    formatVersion: 1,
    data: dataName,
    ...sidecar,
  };
  try {
    await writeFile(join(dirname(path), dataName), bytes);
    await writeFile(path, `${JSON.stringify(full, null, 2)}\n`);
  } catch (error) {
    throw new PlatformError('ERR_IO', `cannot write label stack ${path}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  return full;
}

/** A label stack read back: the sidecar and one label image per frame. */
export interface LabelStack {
  readonly sidecar: LabelStackSidecar;
  /** One image per frame (per frame and slice, slices varying fastest, for volumes), sharing the file's bytes. */
  readonly frames: readonly Image2D<Uint8Array>[];
  /** One labelmap per frame, for a stack with `slices`. */
  readonly volumes?: readonly Labelmap[];
}

function isSidecar(value: unknown): value is LabelStackSidecar {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const positive = (k: string): boolean => Number.isInteger(v[k]) && (v[k] as number) > 0;
  const spacing = v['pixelSpacingMm'];
  return (
    v['format'] === LABEL_STACK_FORMAT &&
    v['formatVersion'] === 1 &&
    typeof v['data'] === 'string' &&
    positive('frames') &&
    positive('rows') &&
    positive('columns') &&
    Array.isArray(spacing) &&
    spacing.length === 2 &&
    spacing.every((s) => typeof s === 'number' && s > 0) &&
    (v['slices'] === undefined || (positive('slices') && typeof v['sliceSpacingMm'] === 'number'))
  );
}

/**
 * Reads a label stack from its JSON sidecar (written by {@link writeLabelStack}, e.g. the masks of
 * `medscale synth lv-echo`). Throws `ERR_FORMAT` for a file that is not a label stack sidecar or
 * whose bytes do not match it, `ERR_IO` when a file cannot be read.
 */
export async function readLabelStack(path: string): Promise<LabelStack> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PlatformError('ERR_IO', `cannot read ${path}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PlatformError('ERR_FORMAT', `${path} is not JSON: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  if (!isSidecar(parsed))
    throw new PlatformError(
      'ERR_FORMAT',
      `${path} is not a ${LABEL_STACK_FORMAT} sidecar (format, size, pixelSpacingMm)`,
    );
  const dataPath = join(dirname(path), basename(parsed.data));
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(dataPath));
  } catch (error) {
    throw new PlatformError('ERR_IO', `cannot read ${dataPath}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  const n = parsed.rows * parsed.columns;
  const slices = parsed.slices ?? 1;
  if (bytes.length !== parsed.frames * slices * n) {
    throw new PlatformError(
      'ERR_FORMAT',
      `${dataPath} has ${bytes.length} bytes, ${parsed.frames}×${slices}×${parsed.rows}×${parsed.columns} needs ${parsed.frames * slices * n}`,
    );
  }
  const frames = Array.from({ length: parsed.frames * slices }, (_, f) => ({
    columns: parsed.columns,
    rows: parsed.rows,
    samplesPerPixel: 1 as const,
    pixelSpacing: parsed.pixelSpacingMm,
    data: bytes.subarray(f * n, (f + 1) * n),
  }));
  if (parsed.slices === undefined) return { sidecar: parsed, frames };
  const volumes = Array.from({ length: parsed.frames }, (_, f) =>
    createVolume({
      dimensions: [parsed.columns, parsed.rows, slices],
      spacing: [parsed.pixelSpacingMm[0], parsed.pixelSpacingMm[1], parsed.sliceSpacingMm ?? 1],
      origin: parsed.origin ?? [0, 0, 0],
      direction: parsed.direction ?? [1, 0, 0, 0, 1, 0, 0, 0, 1],
      data: bytes.subarray(f * slices * n, (f + 1) * slices * n),
    }),
  );
  return { sidecar: parsed, frames, volumes };
}

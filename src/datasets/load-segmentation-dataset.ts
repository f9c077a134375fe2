import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { PlatformError, errorMessage } from '../core/index.js';
import type { Image2D } from '../core/index.js';
import type { SegLabelOptions } from './dicom-seg.js';
import { formatOf, readImageFile } from './read-image-file.js';

/**
 * The default pairing pattern: `<patient>_<index>_image.<ext>` with `<patient>_<index>_mask.<ext>`
 * (ext png, nii, nii.gz or dcm), e.g. `P001_03_image.dcm` and `P001_03_mask.png` as
 * `medscale synth carotid-us` writes them.
 */
export const DEFAULT_PAIR_PATTERN =
  /(?<patient>[A-Za-z]*\d+)_(?<index>\d+)_(?<role>image|mask)\.(?:png|nii|nii\.gz|dcm)$/i;

/** How image and mask files are found and paired. */
export type DatasetLayout = 'auto' | 'pattern' | 'ground-truth';

/** Options of {@link loadSegmentationDataset}. */
export interface LoadSegmentationDatasetOptions {
  /**
   * `pattern`: pair files whose paths (relative to the folder, `/`-separated) match `pattern`;
   * `ground-truth`: read the pairs from a `ground-truth.json` of `synthesizeCarotidUs`;
   * `auto`: `ground-truth` when that file exists, else `pattern`.
   * @defaultValue 'auto'
   */
  readonly layout?: DatasetLayout;
  /**
   * A regular expression with a named group `patient`; optional groups `index` (with
   * `patient`, the pairing key; without it the key is the whole match minus the role) and
   * `role` (`image`/`img` or `mask`/`label`/`seg`/`gt`; without it, a file is a mask when its
   * name contains one of those words). Files that do not match are ignored.
   * @defaultValue {@link DEFAULT_PAIR_PATTERN}
   */
  readonly pattern?: RegExp | string;
  /** The ground-truth file, relative to the folder. @defaultValue 'ground-truth.json' */
  readonly groundTruthFile?: string;
  /** Largest valid label; masks with larger values are reported as problems. @defaultValue 2 */
  readonly maxLabel?: number;
  /** Mask values to replace before the check, e.g. `{ 255: 1 }` for 0/255 binary masks. */
  readonly labelMap?: Readonly<Record<number, number>>;
  /** Label values of DICOM SEG segments by Segment Label, e.g. `{ lumen: 1, wall: 2 }`. */
  readonly segmentLabels?: SegLabelOptions['segmentLabels'];
  /** Multi-frame images: pair every frame with its mask (`all`) or only the first. @defaultValue 'all' */
  readonly frames?: 'first' | 'all';
  /** Pixel size `[column, row]` in mm for files that do not state one (PNG). */
  readonly pixelSpacingMm?: readonly [number, number];
}

/** One image with its mask. */
export interface SegmentationSample {
  readonly patientId: string;
  /** The pairing key (`P001_03`), with `#f<frame>` for frames after the first of a multi-frame image. */
  readonly key: string;
  /** Grey (1 sample) or RGB (3 samples) image, as stored. */
  readonly image: Image2D;
  /** Labels, one sample per pixel, in `0..maxLabel`. */
  readonly mask: Image2D<Uint8Array>;
  /** `[column, row]` in mm: from the image file (DICOM, NIfTI), the mask file, or the option. */
  readonly pixelSpacing?: readonly [column: number, row: number];
  readonly source: { readonly image: string; readonly mask: string; readonly frame: number };
}

/** Why a pair was left out. */
export type DatasetProblemKind =
  'unpaired' | 'duplicate' | 'unreadable' | 'size-mismatch' | 'labels' | 'mask-format';

/** A pair (or a file) that was left out, and why. */
export interface DatasetProblem {
  readonly kind: DatasetProblemKind;
  /** The pairing key, or the file when there is none. */
  readonly key: string;
  readonly files: readonly string[];
  readonly message: string;
}

/** What {@link loadSegmentationDataset} found. */
export interface SegmentationDataset {
  readonly dir: string;
  readonly layout: 'pattern' | 'ground-truth';
  /** Pairs that loaded, sorted by key. */
  readonly samples: readonly SegmentationSample[];
  /** Pairs and files left out (partial failures), sorted by key. */
  readonly problems: readonly DatasetProblem[];
  /** Files the pattern did not match (pattern layout). */
  readonly ignoredFiles: number;
}

interface PairSpec {
  readonly key: string;
  readonly patientId: string;
  readonly image: string;
  /** One mask file, or one per frame. */
  readonly masks: readonly string[];
  readonly pixelSpacing?: readonly [number, number];
}

const MASK_WORDS = /mask|label|seg|gt/i;
const IMAGE_ROLES = new Set(['image', 'img']);
const MASK_ROLES = new Set(['mask', 'label', 'labels', 'seg', 'gt']);

function usage(message: string): PlatformError {
  return new PlatformError('ERR_SEGMENT_INPUT', message);
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
      .sort();
  } catch (error) {
    throw new PlatformError('ERR_IO', `cannot list dataset folder ${dir}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

function compilePattern(pattern: RegExp | string | undefined): RegExp {
  let re: RegExp;
  try {
    re =
      pattern === undefined
        ? DEFAULT_PAIR_PATTERN
        : typeof pattern === 'string'
          ? new RegExp(pattern)
          : pattern;
  } catch (error) {
    throw usage(`invalid pairing pattern: ${errorMessage(error)}`);
  }
  if (!re.source.includes('(?<patient>'))
    throw usage(`the pairing pattern ${re.source} has no named group (?<patient>…)`);
  return re;
}

/** Pairs files by the pattern; problems for unpaired and duplicate files. */
function pairByPattern(
  files: readonly string[],
  re: RegExp,
  problems: DatasetProblem[],
): { pairs: PairSpec[]; ignored: number } {
  const groups = new Map<string, { patientId: string; images: string[]; masks: string[] }>();
  let ignored = 0;
  for (const file of files) {
    const m = re.exec(file);
    const patientId = m?.groups?.['patient'];
    if (m === null || patientId === undefined || formatOf(file) === undefined) {
      ignored++;
      continue;
    }
    const role = m.groups?.['role']?.toLowerCase();
    const isMask =
      role !== undefined && (IMAGE_ROLES.has(role) || MASK_ROLES.has(role))
        ? MASK_ROLES.has(role)
        : MASK_WORDS.test(file.slice(file.lastIndexOf('/') + 1));
    const index = m.groups?.['index'];
    const key =
      index !== undefined
        ? `${patientId}_${index}`
        : role !== undefined
          ? m[0].replace(m.groups?.['role'] ?? '', '')
          : m[0].replace(MASK_WORDS, '');
    const group = groups.get(key) ?? { patientId, images: [], masks: [] };
    (isMask ? group.masks : group.images).push(file);
    groups.set(key, group);
  }
  const pairs: PairSpec[] = [];
  for (const [key, g] of groups) {
    if (g.images.length > 1 || g.masks.length > 1) {
      problems.push({
        kind: 'duplicate',
        key,
        files: [...g.images, ...g.masks],
        message: `${g.images.length} images and ${g.masks.length} masks share the key ${key}; one of each is needed`,
      });
    } else if (g.images[0] === undefined || g.masks[0] === undefined) {
      const file = g.images[0] ?? g.masks[0] ?? key;
      problems.push({
        kind: 'unpaired',
        key,
        files: [file],
        message: `${file} has no ${g.images.length === 0 ? 'image' : 'mask'} with the key ${key}`,
      });
    } else {
      pairs.push({ key, patientId: g.patientId, image: g.images[0], masks: [g.masks[0]] });
    }
  }
  return { pairs, ignored };
}

interface TruthImage {
  readonly imageId?: unknown;
  readonly patientId?: unknown;
  readonly file?: unknown;
  readonly masks?: unknown;
  readonly pixelSpacingMm?: unknown;
}

async function pairsFromGroundTruth(dir: string, file: string): Promise<PairSpec[]> {
  let truth: { images?: unknown };
  try {
    truth = JSON.parse(await readFile(join(dir, file), 'utf8')) as { images?: unknown };
  } catch (error) {
    throw usage(`cannot read ${file} in ${dir} as JSON: ${errorMessage(error)}`);
  }
  if (!Array.isArray(truth.images))
    throw usage(
      `${file} has no "images" array: is it the ground truth of medscale synth carotid-us?`,
    );
  return (truth.images as TruthImage[]).map((entry, i) => {
    const masks = entry.masks;
    if (
      typeof entry.file !== 'string' ||
      typeof entry.patientId !== 'string' ||
      !Array.isArray(masks) ||
      !masks.every((m) => typeof m === 'string')
    )
      throw usage(`${file}: images[${i}] lacks file, patientId or masks`);
    const spacing = entry.pixelSpacingMm;
    return {
      key: typeof entry.imageId === 'string' ? entry.imageId : entry.file,
      patientId: entry.patientId,
      image: entry.file,
      masks,
      ...(Array.isArray(spacing) && typeof spacing[0] === 'number' && typeof spacing[1] === 'number'
        ? { pixelSpacing: [spacing[0], spacing[1]] as const }
        : {}),
    };
  });
}

/** Whether the folder holds a file. */
async function exists(path: string): Promise<boolean> {
  try {
    await readFile(path);
    return true;
  } catch {
    return false;
  }
}

/** Converts a decoded mask frame to labels, or says why it cannot be one. */
function toLabels(
  frame: Image2D,
  labelMap: Readonly<Record<number, number>>,
  maxLabel: number,
): { mask: Image2D<Uint8Array> } | { kind: DatasetProblemKind; message: string } {
  const n = frame.columns * frame.rows;
  const spp = frame.samplesPerPixel;
  const out = new Uint8Array(n);
  const bad = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = frame.data[i * spp] ?? 0;
    if (spp === 3 && (frame.data[i * 3 + 1] !== v || frame.data[i * 3 + 2] !== v)) {
      return {
        kind: 'mask-format',
        message: `colour mask (pixel ${i} is not grey): store labels as one channel (grey or palette indices)`,
      };
    }
    const mapped = labelMap[v] ?? v;
    if (!Number.isInteger(mapped) || mapped < 0 || mapped > maxLabel)
      bad.set(mapped, (bad.get(mapped) ?? 0) + 1);
    else out[i] = mapped;
  }
  if (bad.size > 0) {
    const list = [...bad]
      .sort((a, b) => a[0] - b[0])
      .slice(0, 5)
      .map(([v, count]) => `${v} (${count} pixels)`)
      .join(', ');
    return {
      kind: 'labels',
      message: `labels outside 0..${maxLabel}: ${list}${bad.size > 5 ? ', …' : ''} (remap them with labelMap, e.g. { 255: 1 })`,
    };
  }
  const { pixelSpacing } = frame;
  return {
    mask: {
      columns: frame.columns,
      rows: frame.rows,
      samplesPerPixel: 1,
      data: out,
      ...(pixelSpacing === undefined ? {} : { pixelSpacing }),
    },
  };
}

/**
 * Loads a segmentation dataset: image/mask pairs with a patient key, from PNG (any colour
 * type; masks as grey or palette indices), NIfTI-1 (2D, or one frame per slice) or DICOM
 * (images of any decodable transfer syntax, with the pixel size of Pixel Spacing or the
 * ultrasound region calibration; masks as label images or DICOM SEG). Pairs come from a
 * file-name pattern ({@link DEFAULT_PAIR_PATTERN} by default) or from the `ground-truth.json`
 * of `synthesizeCarotidUs` (one mask per cine frame).
 *
 * @remarks
 * Every pair is checked: both files readable, same columns and rows, one mask channel, labels
 * in `0..maxLabel` after `labelMap`, frame counts that match (a single mask pairs with the
 * first frame of a multi-frame image). A pair that fails is reported in `problems` with the
 * reason and its files; the others load. Exceptions are only for the folder as a whole:
 * `ERR_IO` when it cannot be listed, `ERR_SEGMENT_INPUT` for a pattern without a `patient`
 * group or an unreadable ground-truth file.
 *
 * @example
 * ```ts
 * const { samples, problems } = await loadSegmentationDataset('carotid');
 * samples[0]; // { patientId: 'P001', key: 'P001_01', image, mask, pixelSpacing: [0.08, 0.08], source }
 * ```
 */
export async function loadSegmentationDataset(
  dir: string,
  options: LoadSegmentationDatasetOptions = {},
): Promise<SegmentationDataset> {
  const maxLabel = options.maxLabel ?? 2;
  if (!Number.isInteger(maxLabel) || maxLabel < 1 || maxLabel > 255)
    throw usage(`maxLabel must be an integer in 1–255, got ${maxLabel}`);
  const truthFile = options.groundTruthFile ?? 'ground-truth.json';
  const requested = options.layout ?? 'auto';
  const layout =
    requested === 'auto'
      ? (await exists(join(dir, truthFile)))
        ? 'ground-truth'
        : 'pattern'
      : requested;
  const problems: DatasetProblem[] = [];
  let pairs: PairSpec[];
  let ignoredFiles = 0;
  if (layout === 'ground-truth') {
    pairs = await pairsFromGroundTruth(dir, truthFile);
  } else {
    const re = compilePattern(options.pattern);
    const paired = pairByPattern(await listFiles(dir), re, problems);
    pairs = paired.pairs;
    ignoredFiles = paired.ignored;
  }
  const labelMap = options.labelMap ?? {};
  const seg = options.segmentLabels === undefined ? {} : { segmentLabels: options.segmentLabels };
  const samples: SegmentationSample[] = [];
  for (const pair of pairs) {
    const read = async (file: string, asMask: boolean): Promise<readonly Image2D[] | undefined> => {
      try {
        const bytes = new Uint8Array(await readFile(join(dir, file)));
        return (await readImageFile(file, bytes, asMask, seg)).frames;
      } catch (error) {
        problems.push({
          kind: 'unreadable',
          key: pair.key,
          files: [file],
          message: `${file}: ${errorMessage(error)}`,
        });
        return undefined;
      }
    };
    const images = await read(pair.image, false);
    if (images === undefined) continue;
    const maskFrames: Image2D[] = [];
    let readable = true;
    for (const m of pair.masks) {
      const frames = await read(m, true);
      if (frames === undefined) readable = false;
      else maskFrames.push(...frames);
    }
    if (!readable) continue;
    const files = [pair.image, ...pair.masks];
    let count: number;
    if (maskFrames.length === images.length) count = options.frames === 'first' ? 1 : images.length;
    else if (maskFrames.length === 1) count = 1;
    else {
      problems.push({
        kind: 'size-mismatch',
        key: pair.key,
        files,
        message: `${pair.image} has ${images.length} frames, its masks ${maskFrames.length} (1 or as many as the image needed)`,
      });
      continue;
    }
    for (let f = 0; f < count; f++) {
      const image = images[f];
      const maskFrame = maskFrames[f];
      if (image === undefined || maskFrame === undefined) continue;
      const key = f === 0 ? pair.key : `${pair.key}#f${f}`;
      const maskFile = pair.masks[Math.min(f, pair.masks.length - 1)] ?? '';
      if (image.columns !== maskFrame.columns || image.rows !== maskFrame.rows) {
        problems.push({
          kind: 'size-mismatch',
          key,
          files,
          message: `image ${pair.image} is ${image.columns}×${image.rows}, mask ${maskFile} ${maskFrame.columns}×${maskFrame.rows}`,
        });
        continue;
      }
      const labels = toLabels(maskFrame, labelMap, maxLabel);
      if (!('mask' in labels)) {
        problems.push({
          kind: labels.kind,
          key,
          files: [maskFile],
          message: `${maskFile}: ${labels.message}`,
        });
        continue;
      }
      const pixelSpacing =
        image.pixelSpacing ?? maskFrame.pixelSpacing ?? pair.pixelSpacing ?? options.pixelSpacingMm;
      samples.push({
        patientId: pair.patientId,
        key,
        image,
        mask: labels.mask,
        ...(pixelSpacing === undefined ? {} : { pixelSpacing }),
        source: { image: pair.image, mask: maskFile, frame: f },
      });
    }
  }
  const byKey = (a: { key: string }, b: { key: string }): number =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  return {
    dir,
    layout,
    samples: samples.sort(byKey),
    problems: problems.sort(byKey),
    ignoredFiles,
  };
}

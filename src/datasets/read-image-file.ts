import { PlatformError } from '../core/index.js';
import type { Image2D, VoxelArray } from '../core/index.js';
import { decodePixelData, framesToImages, readPart10 } from '../dicom/index.js';
import type { Part10 } from '../dicom/index.js';
import { readNifti1, readPng } from '../formats/index.js';
import { DICOM_SEG_STORAGE, segToLabelFrames } from './dicom-seg.js';
import type { SegLabelOptions } from './dicom-seg.js';

/** File formats the dataset loader reads, by file name. */
export type ImageFileFormat = 'png' | 'nifti' | 'dicom';

/** The format of `name` from its extension, or undefined. */
export function formatOf(name: string): ImageFileFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.png')) return 'png';
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) return 'nifti';
  if (lower.endsWith('.dcm') || lower.endsWith('.dicom')) return 'dicom';
  return undefined;
}

/** What a file holds: one or more 2D frames and, when the file says, the pixel size. */
export interface ReadFrames {
  readonly frames: readonly Image2D[];
  /** True for a DICOM SEG: the frames are label maps already. */
  readonly isSegmentation: boolean;
}

function fromPng(bytes: Uint8Array, asMask: boolean): ReadFrames {
  const png = readPng(bytes, asMask ? { palette: 'indices', scaleLowBitDepth: false } : {});
  const { width, height, channels, data } = png;
  let samples: 1 | 3;
  let out: VoxelArray;
  if (channels === 1 || channels === 3) {
    samples = channels;
    out = data;
  } else {
    // Drop alpha: grey + alpha → grey, RGBA → RGB.
    samples = channels === 2 ? 1 : 3;
    const n = width * height;
    out = data instanceof Uint16Array ? new Uint16Array(n * samples) : new Uint8Array(n * samples);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < samples; c++) out[i * samples + c] = data[i * channels + c] ?? 0;
    }
  }
  return {
    frames: [{ columns: width, rows: height, samplesPerPixel: samples, data: out }],
    isSegmentation: false,
  };
}

function fromNifti(bytes: Uint8Array): ReadFrames {
  const { header, data } = readNifti1(bytes);
  const [nx = 1, ny = 1, nz = 1, nt = 1] = header.dimensions;
  if (nx < 1 || ny < 1)
    throw new PlatformError('ERR_FORMAT', `NIfTI dimensions ${header.dimensions.join('×')}`);
  // Voxel i runs along image columns, j along rows (file order, i fastest), as written by
  // writeNifti1 and by nibabel from a (columns, rows) array; every k (and t) is one frame.
  const frameCount = nz * nt;
  const size = nx * ny;
  const spacing =
    (header.pixdim[1] ?? 0) > 0 && (header.pixdim[2] ?? 0) > 0
      ? ([header.pixdim[1] ?? 0, header.pixdim[2] ?? 0] as const)
      : undefined;
  const frames: Image2D[] = [];
  for (let f = 0; f < frameCount; f++) {
    frames.push({
      columns: nx,
      rows: ny,
      samplesPerPixel: 1,
      data: data.subarray(f * size, (f + 1) * size),
      ...(spacing === undefined ? {} : { pixelSpacing: spacing }),
    });
  }
  return { frames, isSegmentation: false };
}

async function fromDicom(bytes: Uint8Array, seg: SegLabelOptions): Promise<ReadFrames> {
  const part10: Part10 = readPart10(bytes);
  const sopClass = part10.dataset['00080016']?.Value?.[0];
  const pixels = await decodePixelData(part10);
  if (sopClass === DICOM_SEG_STORAGE) {
    return { frames: segToLabelFrames(part10.dataset, pixels, seg), isSegmentation: true };
  }
  return { frames: framesToImages(part10.dataset, pixels.frames), isSegmentation: false };
}

/**
 * Reads the 2D frames of a PNG, NIfTI-1 (`.nii`, `.nii.gz`) or DICOM file (any decodable
 * image; a DICOM SEG becomes label frames). `asMask` reads palette PNGs as indices and low bit
 * depths unscaled. Throws `ERR_FORMAT` (or the DICOM reader's error) for unreadable input.
 */
export async function readImageFile(
  name: string,
  bytes: Uint8Array,
  asMask: boolean,
  seg: SegLabelOptions = {},
): Promise<ReadFrames> {
  switch (formatOf(name)) {
    case 'png':
      return fromPng(bytes, asMask);
    case 'nifti':
      return fromNifti(bytes);
    case 'dicom':
      return fromDicom(bytes, seg);
    case undefined:
      throw new PlatformError('ERR_FORMAT', `${name}: not a .png, .nii, .nii.gz or .dcm file`);
  }
}

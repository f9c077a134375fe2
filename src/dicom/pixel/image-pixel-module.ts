import { PlatformError, TAG, firstNumber, firstString, numbers } from '../../core/index.js';
import type { DicomDataset } from '../part10/dicom-dataset.js';
import type { DicomWarning } from '../part10/read-part10.js';
import type { ModalityRescale, VoiLutFunction, VoiWindow } from './decoded-pixels.js';

/** The pixel data element of an instance and the Image Pixel Module attributes that describe it. */
export interface ImagePixelModule {
  /** `7FE00010`, or `7FE00008`/`7FE00009` for Float/Double Float Pixel Data (PS3.3 C.7.6.24). */
  readonly pixelDataTag: string;
  /** The element's VR as read (OB, OW, OF, OD). */
  readonly pixelDataVr: string;
  /** The element's `Value`: one buffer (native) or one buffer per frame (encapsulated). */
  readonly pixelDataValue: readonly unknown[];
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly highBit: number;
  readonly pixelRepresentation: 0 | 1;
  /** Photometric Interpretation (0028,0004), trimmed. */
  readonly photometricInterpretation: string;
  readonly planarConfiguration: 0 | 1;
  readonly numberOfFrames: number;
  /** Lossy Image Compression (0028,2110) is `01`. */
  readonly lossyImageCompression: boolean;
  readonly warnings: readonly DicomWarning[];
}

const PIXEL_DATA_TAGS = ['7FE00010', '7FE00008', '7FE00009'] as const;

function invalid(message: string): PlatformError {
  return new PlatformError('ERR_DICOM_PIXEL_DECODE', message);
}

function required(dataset: DicomDataset, tag: string, name: string): number {
  const value = firstNumber(dataset, tag);
  if (value === undefined) {
    throw invalid(`(${tag.slice(0, 4)},${tag.slice(4)}) ${name} is missing or not a number`);
  }
  return value;
}

/**
 * Reads the Image Pixel Module (PS3.3 C.7.6.3) and the pixel data element of a dataset,
 * checking what decoding relies on. Throws `ERR_DICOM_NO_PIXEL_DATA` when there is no pixel
 * data and `ERR_DICOM_PIXEL_DECODE` when the attributes contradict each other.
 */
export function readImagePixelModule(dataset: DicomDataset): ImagePixelModule {
  const pixelDataTag = PIXEL_DATA_TAGS.find((tag) => (dataset[tag]?.Value?.length ?? 0) > 0);
  if (pixelDataTag === undefined) {
    throw new PlatformError(
      'ERR_DICOM_NO_PIXEL_DATA',
      'the instance has no Pixel Data (7FE0,0010), Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009)',
    );
  }
  const element = dataset[pixelDataTag];
  const warnings: DicomWarning[] = [];
  const isFloat = pixelDataTag !== '7FE00010';
  const rows = required(dataset, TAG.Rows, 'Rows');
  const columns = required(dataset, TAG.Columns, 'Columns');
  if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows < 1 || columns < 1) {
    throw invalid(`image size ${rows}×${columns} is not a positive integer size`);
  }
  const floatBits = pixelDataTag === '7FE00009' ? 64 : 32;
  const bitsAllocated = isFloat
    ? (firstNumber(dataset, TAG.BitsAllocated) ?? floatBits)
    : required(dataset, TAG.BitsAllocated, 'Bits Allocated');
  if (isFloat ? bitsAllocated !== floatBits : ![1, 8, 16, 32].includes(bitsAllocated)) {
    throw invalid(
      `Bits Allocated (0028,0100) is ${bitsAllocated}; ${isFloat ? `${floatBits} is required for this pixel data element` : '1, 8, 16 or 32 are supported'}`,
    );
  }
  const bitsStored = isFloat
    ? bitsAllocated
    : (firstNumber(dataset, TAG.BitsStored) ?? bitsAllocated);
  const highBit = isFloat
    ? bitsAllocated - 1
    : (firstNumber(dataset, TAG.HighBit) ?? bitsStored - 1);
  if (
    bitsStored < 1 ||
    bitsStored > bitsAllocated ||
    highBit < bitsStored - 1 ||
    highBit >= bitsAllocated
  ) {
    throw invalid(
      `Bits Stored ${bitsStored} and High Bit ${highBit} do not fit Bits Allocated ${bitsAllocated} (PS3.5 §8.1.1)`,
    );
  }
  const representation = isFloat ? 1 : (firstNumber(dataset, TAG.PixelRepresentation) ?? 0);
  if (representation !== 0 && representation !== 1) {
    throw invalid(`Pixel Representation (0028,0103) is ${representation}; 0 or 1 expected`);
  }
  const samplesPerPixel = firstNumber(dataset, TAG.SamplesPerPixel) ?? 1;
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) {
    throw invalid(`Samples per Pixel (0028,0002) is ${samplesPerPixel}; 1 or 3 are supported`);
  }
  let photometricInterpretation = firstString(
    dataset,
    TAG.PhotometricInterpretation,
  )?.toUpperCase();
  if (photometricInterpretation === undefined) {
    photometricInterpretation = samplesPerPixel === 1 ? 'MONOCHROME2' : 'RGB';
    warnings.push({
      code: 'NO_PHOTOMETRIC_INTERPRETATION',
      message: `Photometric Interpretation (0028,0004) is missing; read as ${photometricInterpretation}`,
    });
  }
  const planar = samplesPerPixel > 1 ? (firstNumber(dataset, TAG.PlanarConfiguration) ?? 0) : 0;
  const framesText = dataset[TAG.NumberOfFrames]?.Value?.[0];
  const numberOfFrames = framesText === undefined || framesText === '' ? 1 : Number(framesText);
  if (!Number.isInteger(numberOfFrames) || numberOfFrames < 1) {
    throw invalid(
      `Number of Frames (0028,0008) is ${JSON.stringify(framesText)}, not a positive integer`,
    );
  }
  return {
    pixelDataTag,
    pixelDataVr: element?.vr ?? 'OB',
    pixelDataValue: element?.Value ?? [],
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation: representation,
    photometricInterpretation,
    planarConfiguration: planar === 1 ? 1 : 0,
    numberOfFrames,
    lossyImageCompression: firstString(dataset, '00282110') === '01',
    warnings,
  };
}

function firstItem(dataset: DicomDataset, tag: string): DicomDataset | undefined {
  const item = dataset[tag]?.Value?.[0];
  return typeof item === 'object' && item !== null && !(item instanceof ArrayBuffer)
    ? (item as DicomDataset)
    : undefined;
}

/** The item of the Shared Functional Groups Sequence (5200,9229) holding `macroTag`, if any. */
function sharedMacro(dataset: DicomDataset, macroTag: string): DicomDataset | undefined {
  const shared = firstItem(dataset, '52009229');
  return shared === undefined ? undefined : firstItem(shared, macroTag);
}

/**
 * Reads the linear Modality LUT: Rescale Slope and Intercept at the top level, else in the
 * Pixel Value Transformation Sequence (0028,9145) of the shared functional groups of an
 * enhanced multi-frame instance (PS3.3 C.7.6.16.2.9). Per-frame values are not read: frames
 * that each carry their own rescale are returned with the shared one, or the identity.
 */
export function readModalityRescale(dataset: DicomDataset): ModalityRescale {
  const source =
    dataset[TAG.RescaleSlope] !== undefined || dataset[TAG.RescaleIntercept] !== undefined
      ? dataset
      : (sharedMacro(dataset, '00289145') ?? dataset);
  const slope = firstNumber(source, TAG.RescaleSlope);
  const intercept = firstNumber(source, TAG.RescaleIntercept);
  const type = firstString(source, '00281054');
  return {
    slope: slope === undefined || slope === 0 ? 1 : slope,
    intercept: intercept ?? 0,
    ...(type === undefined ? {} : { type }),
  };
}

/**
 * Reads the first VOI window (PS3.3 C.11.2): Window Center, Window Width and VOI LUT Function
 * at the top level, else in the Frame VOI LUT Sequence (0028,9132) of the shared functional
 * groups. Returns `undefined` when there is none or the width is not positive.
 */
export function readVoiWindow(dataset: DicomDataset): VoiWindow | undefined {
  const source =
    dataset[TAG.WindowCenter] !== undefined
      ? dataset
      : (sharedMacro(dataset, '00289132') ?? dataset);
  const center = numbers(source, TAG.WindowCenter)?.[0];
  const width = numbers(source, TAG.WindowWidth)?.[0];
  if (center === undefined || width === undefined || width <= 0) return undefined;
  const fn = firstString(source, '00281056');
  const voiFunction: VoiLutFunction = fn === 'LINEAR_EXACT' || fn === 'SIGMOID' ? fn : 'LINEAR';
  // LINEAR needs width ≥ 1 (C.11.2.1.2.1); narrower windows behave as a threshold at 1.
  return {
    center,
    width: voiFunction === 'LINEAR' ? Math.max(width, 1) : width,
    function: voiFunction,
  };
}

import { PlatformError, TAG, firstNumber, numbers } from '../../core/index.js';
import type { DicomJson, Image2D, VoxelArray } from '../../core/index.js';
import { GEOMETRY_TAG } from './slice-attributes.js';

/** Physical Units X/Y Direction (0018,6024/6026) code for centimetres (PS3.3 §C.8.5.5.1.15). */
const UNITS_CM = 3;
const MM_PER_CM = 10;

/** The items of a sequence attribute, as datasets. */
function items(dataset: DicomJson | undefined, tag: string): readonly DicomJson[] {
  const value = dataset?.[tag]?.Value;
  return value === undefined ? [] : (value as readonly DicomJson[]);
}

/** Pixel Spacing [row, column] read as Image2D's [column, row], when valid. */
function fromPixelSpacing(dataset: DicomJson | undefined): readonly [number, number] | undefined {
  if (dataset === undefined) return undefined;
  const ps = numbers(dataset, TAG.PixelSpacing);
  if (ps?.length !== 2) return undefined;
  const [row, column] = ps;
  return row !== undefined && column !== undefined && row > 0 && column > 0
    ? [column, row]
    : undefined;
}

/** Pixel Spacing inside the Pixel Measures functional group (PS3.3 §C.7.6.16.2.1). */
function fromFunctionalGroup(group: DicomJson | undefined): readonly [number, number] | undefined {
  return fromPixelSpacing(items(group, GEOMETRY_TAG.PixelMeasuresSequence)[0]);
}

/**
 * Physical Delta X/Y of the first ultrasound region whose both units are centimetres
 * (PS3.3 §C.8.5.5), converted to millimetres as [column, row].
 */
function fromUltrasoundRegions(dataset: DicomJson): readonly [number, number] | undefined {
  for (const region of items(dataset, GEOMETRY_TAG.SequenceOfUltrasoundRegions)) {
    const ux = firstNumber(region, GEOMETRY_TAG.PhysicalUnitsXDirection);
    const uy = firstNumber(region, GEOMETRY_TAG.PhysicalUnitsYDirection);
    const dx = firstNumber(region, GEOMETRY_TAG.PhysicalDeltaX);
    const dy = firstNumber(region, GEOMETRY_TAG.PhysicalDeltaY);
    if (ux !== UNITS_CM || uy !== UNITS_CM || dx === undefined || dy === undefined) continue;
    // Deltas may be negative when the axis runs against the pixel index; spacing is a length.
    if (dx === 0 || dy === 0) continue;
    return [Math.abs(dx) * MM_PER_CM, Math.abs(dy) * MM_PER_CM];
  }
  return undefined;
}

/**
 * Splits the frames of a 2D or multi-frame instance (ultrasound, enhanced multi-frame, secondary
 * capture, video) into core {@link Image2D}s, with the physical pixel size when the instance
 * states one.
 *
 * @param dataset - The instance's attributes: Rows, Columns, Samples per Pixel (1 or 3), Number
 *   of Frames (1 when absent).
 * @param pixels - Decoded samples: one array of all frames back to back, or one array per frame;
 *   colour samples interleaved per pixel (R, G, B, R, …). Arrays are shared, not copied.
 * @returns One image per frame, in frame order.
 *
 * @remarks
 * Pixel size, in millimetres as [column, row], comes from the first of: Pixel Spacing
 * (0028,0030); Pixel Measures (0028,9110) in the Per-frame (5200,9230), then Shared
 * (5200,9229) Functional Groups of enhanced multi-frame objects; the first Sequence of
 * Ultrasound Regions (0018,6011) item whose Physical Units X and Y Direction (0018,6024/6026)
 * are both centimetres, its Physical Delta X/Y (0018,602C/602E) times 10. Without any, the
 * image has no `pixelSpacing`. Imager Pixel Spacing (0018,1164) is not used: it is measured
 * at the detector, not in the patient.
 *
 * Errors: `ERR_DICOM_PARSE` when Rows or Columns is missing, `ERR_VOLUME_SHAPE` when the sample
 * count does not match the frames or Samples per Pixel is neither 1 nor 3.
 */
export function framesToImages(
  dataset: DicomJson,
  pixels: VoxelArray | readonly VoxelArray[],
): Image2D[] {
  const rows = firstNumber(dataset, TAG.Rows);
  const columns = firstNumber(dataset, TAG.Columns);
  if (rows === undefined || columns === undefined || rows < 1 || columns < 1) {
    throw new PlatformError('ERR_DICOM_PARSE', 'Rows (0028,0010) or Columns (0028,0011) missing');
  }
  const spp = firstNumber(dataset, TAG.SamplesPerPixel) ?? 1;
  if (spp !== 1 && spp !== 3) {
    throw new PlatformError(
      'ERR_VOLUME_SHAPE',
      `SamplesPerPixel (0028,0002) ${spp}: 1 or 3 expected`,
    );
  }
  const frames = firstNumber(dataset, TAG.NumberOfFrames) ?? 1;
  const perFrame = rows * columns * spp;
  let frameData: VoxelArray[];
  if (Array.isArray(pixels)) {
    frameData = [...(pixels as readonly VoxelArray[])];
  } else {
    const all = pixels as VoxelArray;
    if (all.length !== perFrame * frames) {
      throw new PlatformError(
        'ERR_VOLUME_SHAPE',
        `${all.length} samples for ${frames} frame(s) of ${rows} × ${columns} × ${spp} = ${perFrame * frames}`,
      );
    }
    frameData = [];
    for (let f = 0; f < frames; f++) frameData.push(all.subarray(f * perFrame, (f + 1) * perFrame));
  }
  if (frameData.length !== frames) {
    throw new PlatformError(
      'ERR_VOLUME_SHAPE',
      `${frameData.length} frame arrays, NumberOfFrames (0028,0008) is ${frames}`,
    );
  }
  const shared = items(dataset, GEOMETRY_TAG.SharedFunctionalGroupsSequence)[0];
  const perFrameGroups = items(dataset, GEOMETRY_TAG.PerFrameFunctionalGroupsSequence);
  const instanceSpacing =
    fromPixelSpacing(dataset) ?? fromFunctionalGroup(shared) ?? fromUltrasoundRegions(dataset);
  return frameData.map((data, f) => {
    if (data.length !== perFrame) {
      throw new PlatformError(
        'ERR_VOLUME_SHAPE',
        `frame ${f} has ${data.length} samples, ${rows} × ${columns} × ${spp} = ${perFrame} expected`,
      );
    }
    const spacing =
      fromPixelSpacing(dataset) ?? fromFunctionalGroup(perFrameGroups[f]) ?? instanceSpacing;
    return {
      columns,
      rows,
      samplesPerPixel: spp,
      ...(spacing === undefined ? {} : { pixelSpacing: spacing }),
      data,
    };
  });
}

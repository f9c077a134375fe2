import { PlatformError } from '../core/index.js';
import type { DicomJson, Image2D } from '../core/index.js';
import type { DecodedPixels, DicomDataset } from '../dicom/index.js';

/** Segmentation Storage SOP Class (PS3.4 Annex B.5): DICOM SEG. */
export const DICOM_SEG_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

/** How segments of a DICOM SEG become label values. */
export interface SegLabelOptions {
  /**
   * Label value per Segment Label (0062,0005), matched case-insensitively, e.g.
   * `{ lumen: 1, wall: 2 }`. Segments not listed get their Segment Number (0062,0004).
   */
  readonly segmentLabels?: Readonly<Record<string, number>>;
}

const TAG = {
  SegmentSequence: '00620002',
  SegmentNumber: '00620004',
  SegmentLabel: '00620005',
  SegmentationType: '00620001',
  MaximumFractionalValue: '0062000E',
  PerFrameFunctionalGroupsSequence: '52009230',
  SegmentIdentificationSequence: '0062000A',
  ReferencedSegmentNumber: '0062000B',
} as const;

function items(dataset: DicomJson | undefined, tag: string): readonly DicomJson[] {
  return (dataset?.[tag]?.Value ?? []) as readonly DicomJson[];
}

function first(dataset: DicomJson | undefined, tag: string): unknown {
  return dataset?.[tag]?.Value?.[0];
}

function bad(message: string): PlatformError {
  return new PlatformError('ERR_FORMAT', `DICOM SEG: ${message}`);
}

/**
 * Turns the binary or fractional frames of a DICOM SEG (PS3.3 A.51, C.8.20) into label maps:
 * each frame belongs to the segment its Segment Identification Sequence names (per-frame
 * functional groups); the k-th frame of every segment goes into label map k, where a pixel set
 * in a segment's frame (fractional: at least half the Maximum Fractional Value) gets that
 * segment's label value. Later segments overwrite earlier ones where they overlap.
 *
 * @remarks
 * The frames are matched to the source image's frames by order, not by their Derivation Image
 * or Plane Position references: right for 2D images and for SEGs with the same number of
 * frames per segment as the source has frames, which is what segmentation tools write for
 * ultrasound. Throws `ERR_FORMAT` when segments or per-frame groups are missing or disagree.
 */
export function segToLabelFrames(
  dataset: DicomDataset,
  pixels: DecodedPixels,
  options: SegLabelOptions = {},
): Image2D<Uint8Array>[] {
  const segments = items(dataset, TAG.SegmentSequence);
  if (segments.length === 0) throw bad('no Segment Sequence (0062,0002)');
  const labelOf = new Map<number, number>();
  const wanted = new Map(
    Object.entries(options.segmentLabels ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  for (const s of segments) {
    const number = Number(first(s, TAG.SegmentNumber));
    if (!Number.isInteger(number) || number < 1) throw bad('a segment without a Segment Number');
    const text = first(s, TAG.SegmentLabel);
    const label = typeof text === 'string' ? text.toLowerCase() : '';
    const value = wanted.get(label) ?? number;
    if (!Number.isInteger(value) || value < 0 || value > 255)
      throw bad(`label value ${value} of segment ${number} is not in 0–255`);
    labelOf.set(number, value);
  }
  const perFrame = items(dataset, TAG.PerFrameFunctionalGroupsSequence);
  if (perFrame.length !== pixels.frames.length)
    throw bad(
      `${perFrame.length} per-frame functional group items for ${pixels.frames.length} frames`,
    );
  const fractional = first(dataset, TAG.SegmentationType) === 'FRACTIONAL';
  const threshold = fractional
    ? Number(first(dataset, TAG.MaximumFractionalValue) ?? 255) / 2
    : 0.5;
  const seen = new Map<number, number>(); // segment → frames so far
  const maps: Uint8Array[] = [];
  const size = pixels.rows * pixels.columns;
  perFrame.forEach((group, f) => {
    const segment = Number(
      first(items(group, TAG.SegmentIdentificationSequence)[0], TAG.ReferencedSegmentNumber),
    );
    const value = labelOf.get(segment);
    if (value === undefined)
      throw bad(`frame ${f + 1} references segment ${segment}, which is not defined`);
    const k = seen.get(segment) ?? 0;
    seen.set(segment, k + 1);
    const map = (maps[k] ??= new Uint8Array(size));
    const frame = pixels.frames[f];
    if (frame === undefined) throw bad(`frame ${f + 1} is missing`);
    for (let i = 0; i < size; i++) if ((frame[i] ?? 0) >= threshold) map[i] = value;
  });
  return maps.map((data) => ({
    columns: pixels.columns,
    rows: pixels.rows,
    samplesPerPixel: 1,
    data,
  }));
}

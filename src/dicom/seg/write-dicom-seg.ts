import { randomUUID } from 'node:crypto';
import { PlatformError, indexToWorld } from '../../core/index.js';
import type { Labelmap } from '../../core/index.js';
import type { DicomDataset, DicomElement } from '../part10/dicom-dataset.js';
import { TRANSFER_SYNTAX } from '../part10/transfer-syntax.js';
import { writePart10 } from '../part10/write-part10.js';
import { packFrames } from './kernels/pack-frames.js';
import { SEG_TAGS } from './seg-tags.js';
import type { SegKeyword } from './seg-tags.js';

/** Segmentation Storage SOP Class (PS3.4 Annex B.5). */
export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

/** A coded concept (PS3.3 Table 8.8-1): value, coding scheme designator, meaning. */
export interface CodedConcept {
  readonly value: string;
  readonly scheme: string;
  readonly meaning: string;
}

/** One segment of a SEG: the voxels of `value` in the labelmap. */
export interface SegSegment {
  /** Label value in the labelmap. */
  readonly value: number;
  /** Segment Label (0062,0005). */
  readonly label: string;
  /** Segmented Property Category Code (0062,0003), CID 7150. */
  readonly category: CodedConcept;
  /** Segmented Property Type Code (0062,000F), CID 7151 and related. */
  readonly type: CodedConcept;
  /** Recommended Display CIELab Value (0062,000D), DICOM-scaled 0–65535 L*, a*, b*. */
  readonly cielab?: readonly [number, number, number];
}

/**
 * Segment codes of the carotid lumen/wall U-Net.
 *
 * @remarks
 * Lumen: category SCT 91723000 "Anatomical Structure", type SCT 67170007 "Lumen of artery"
 * (PS3.16 CID 3497, IVUS Arterial Morphology). Wall: no SNOMED CT concept for the arterial wall
 * as a whole was verified here; it is coded as category SCT 85756007 "Tissue", type SCT 51114001
 * "Artery" (the 3D Slicer / DICOM master-list pair), with the segment label saying "wall". The
 * wall is the intima–media complex; CID 7156 offers only its layers (SCT 87483006 "Intima",
 * 61695000 "Media").
 */
export const CAROTID_SEGMENT_CODES: Readonly<Record<'lumen' | 'wall', Omit<SegSegment, 'value'>>> =
  {
    lumen: {
      label: 'lumen',
      category: { value: '91723000', scheme: 'SCT', meaning: 'Anatomical Structure' },
      type: { value: '67170007', scheme: 'SCT', meaning: 'Lumen of artery' },
      // sRGB red (L* 53.2, a* 80.1, b* 67.2) in DICOM scaling: L*·655.35, (a* + 128)·65535/255.
      cielab: [34865, 53482, 50166],
    },
    wall: {
      label: 'wall',
      category: { value: '85756007', scheme: 'SCT', meaning: 'Tissue' },
      type: { value: '51114001', scheme: 'SCT', meaning: 'Artery' },
      // sRGB yellow (L* 97.1, a* −21.6, b* 94.5).
      cielab: [63634, 27345, 57182],
    },
  };

/** An image the SEG was derived from (one per labelmap slice, in k order). */
export interface SegSourceImage {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
}

/** The series a SEG refers to, and the patient and study it copies. */
export interface SegSource {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  /** Frame of reference; defaults to the labelmap's, else a new UID. */
  readonly frameOfReferenceUid?: string;
  /** Source images, one per slice k of the labelmap (Derivation Image, Referenced Series). */
  readonly images?: readonly SegSourceImage[];
  readonly patientName?: string;
  readonly patientId?: string;
  /** `YYYYMMDD`. */
  readonly patientBirthDate?: string;
  readonly patientSex?: string;
  /** `YYYYMMDD`. */
  readonly studyDate?: string;
  /** `HHMMSS`. */
  readonly studyTime?: string;
  readonly accessionNumber?: string;
  readonly studyId?: string;
  readonly referringPhysicianName?: string;
}

/** Options of {@link writeDicomSeg}. */
export interface WriteDicomSegOptions {
  readonly labelmap: Labelmap;
  readonly segments: readonly SegSegment[];
  readonly source: SegSource;
  /** Segment Algorithm Name (0062,0009) and the software version. */
  readonly algorithm: { readonly name: string; readonly version: string };
  readonly seriesInstanceUid?: string;
  readonly sopInstanceUid?: string;
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  /** Content Label (0070,0080): upper case, digits, `_`; default `SEGMENTATION`. */
  readonly contentLabel?: string;
  readonly manufacturer?: string;
  /** Creation time, default now. */
  readonly now?: Date;
}

/** A new UID `2.25.<UUID as decimal>` (PS3.5 §B.2). */
export function newDicomUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replaceAll('-', '')}`).toString(10)}`;
}

/** A DS value of at most 16 characters (PS3.5 Table 6.2-1). */
function ds(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  for (let p = 15; p > 0; p--) {
    const s = String(Number(v.toPrecision(p)));
    if (s.length <= 16) return s;
  }
  return '0';
}

const el = (k: SegKeyword, ...values: readonly unknown[]): [string, DicomElement] => {
  const [tag, vr] = SEG_TAGS[k];
  return [tag, values.length === 0 ? { vr } : { vr, Value: values }];
};
const item = (...entries: [string, DicomElement][]): DicomDataset => Object.fromEntries(entries);
const seq = (k: SegKeyword, ...items: DicomDataset[]): [string, DicomElement] => el(k, ...items);
const code = (k: SegKeyword, c: CodedConcept): [string, DicomElement] =>
  seq(
    k,
    item(
      el('CodeValue', c.value),
      el('CodingSchemeDesignator', c.scheme),
      el('CodeMeaning', c.meaning),
    ),
  );

function dateTime(d: Date): { date: string; time: string } {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return {
    date: `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`,
  };
}

/**
 * Writes a labelmap as a DICOM Segmentation (PS3.3 A.51, Segmentation IOD; explicit VR little
 * endian): BINARY segmentation type, one segment per label value present, Segment Algorithm Type
 * AUTOMATIC, Shared Functional Groups (Pixel Measures, Plane Orientation) and Per-Frame
 * Functional Groups (Frame Content with dimension indices segment × position, Plane Position,
 * Segment Identification, Derivation Image when source images are given), Referenced Series
 * Sequence, and one bit-packed frame per segment and slice that holds any of its voxels
 * (frames of empty slices are left out, as PS3.3 C.8.20.2 allows).
 *
 * Frame geometry: the labelmap's i axis runs along columns, j along rows, k across frames;
 * Image Orientation (Patient) is the i and j direction cosines, Image Position (Patient) the
 * LPS centre of voxel (0, 0, k); Pixel Spacing is (row spacing, column spacing) = (s_j, s_i).
 *
 * Throws `ERR_DICOM_WRITE` when no segment has a voxel or a label value is out of 1–255.
 */
export function writeDicomSeg(options: WriteDicomSegOptions): Uint8Array {
  const { labelmap: lm, source } = options;
  const [ni, nj, nk] = lm.dimensions;
  const pixels = ni * nj;
  if (source.images !== undefined && source.images.length !== nk)
    throw new PlatformError(
      'ERR_DICOM_WRITE',
      `${source.images.length} source images for ${nk} labelmap slices: give one per slice, in slice order`,
    );
  const present = new Set<number>();
  const slicesOf = new Map<number, Set<number>>();
  for (let k = 0; k < nk; k++)
    for (let p = 0; p < pixels; p++) {
      const v = lm.data[k * pixels + p] ?? 0;
      if (v === 0) continue;
      present.add(v);
      let s = slicesOf.get(v);
      if (s === undefined) slicesOf.set(v, (s = new Set()));
      s.add(k);
    }
  const segments = options.segments.filter((s) => present.has(s.value));
  for (const s of options.segments)
    if (!Number.isInteger(s.value) || s.value < 1 || s.value > 255)
      throw new PlatformError(
        'ERR_DICOM_WRITE',
        `segment "${s.label}" has label value ${s.value}; use 1–255`,
      );
  if (segments.length === 0)
    throw new PlatformError(
      'ERR_DICOM_WRITE',
      'the labelmap holds no voxel of any segment: a DICOM SEG needs at least one non-empty frame',
    );
  const frames: { k: number; value: number; segment: number }[] = [];
  segments.forEach((s, i) => {
    for (const k of [...(slicesOf.get(s.value) ?? [])].sort((a, b) => a - b))
      frames.push({ k, value: s.value, segment: i + 1 });
  });
  const d = lm.direction;
  const sopInstanceUid = options.sopInstanceUid ?? newDicomUid();
  const seriesInstanceUid = options.seriesInstanceUid ?? newDicomUid();
  const dimensionOrganizationUid = newDicomUid();
  const { date, time } = dateTime(options.now ?? new Date());
  const images = source.images;
  const derivationPurpose = {
    value: '121322',
    scheme: 'DCM',
    meaning: 'Source image for image processing operation',
  };
  const perFrame = frames.map((f) => {
    const pos = indexToWorld(lm, [0, 0, f.k]);
    const src = images?.[f.k];
    return item(
      ...(src === undefined
        ? []
        : [
            seq(
              'DerivationImageSequence',
              item(
                seq(
                  'SourceImageSequence',
                  item(
                    el('ReferencedSOPClassUID', src.sopClassUid),
                    el('ReferencedSOPInstanceUID', src.sopInstanceUid),
                    code('PurposeOfReferenceCodeSequence', derivationPurpose),
                  ),
                ),
                code('DerivationCodeSequence', {
                  value: '113076',
                  scheme: 'DCM',
                  meaning: 'Segmentation',
                }),
              ),
            ),
          ]),
      seq('FrameContentSequence', item(el('DimensionIndexValues', f.segment, f.k + 1))),
      seq(
        'PlanePositionSequence',
        item(el('ImagePositionPatient', ds(pos[0]), ds(pos[1]), ds(pos[2]))),
      ),
      seq('SegmentIdentificationSequence', item(el('ReferencedSegmentNumber', f.segment))),
    );
  });
  const pixelData = packFrames(lm.data, pixels, frames);
  const meta: DicomDataset = item(
    ['00020001', { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] }],
    ['00020002', { vr: 'UI', Value: [SEGMENTATION_STORAGE] }],
    ['00020003', { vr: 'UI', Value: [sopInstanceUid] }],
    ['00020010', { vr: 'UI', Value: [TRANSFER_SYNTAX.ExplicitVRLittleEndian] }],
    ['00020012', { vr: 'UI', Value: ['2.25.99063282960924553197263004380245913941'] }],
    ['00020013', { vr: 'SH', Value: ['MEDSCALE'] }],
  );
  const opt = (k: SegKeyword, v: string | undefined): [string, DicomElement] =>
    v === undefined || v === '' ? el(k) : el(k, v);
  const dataset: DicomDataset = item(
    el('ImageType', 'DERIVED', 'PRIMARY'),
    el('SOPClassUID', SEGMENTATION_STORAGE),
    el('SOPInstanceUID', sopInstanceUid),
    opt('StudyDate', source.studyDate),
    el('SeriesDate', date),
    el('ContentDate', date),
    opt('StudyTime', source.studyTime),
    el('SeriesTime', time),
    el('ContentTime', time),
    opt('AccessionNumber', source.accessionNumber),
    el('Modality', 'SEG'),
    el('Manufacturer', options.manufacturer ?? 'medscale'),
    opt('ReferringPhysicianName', source.referringPhysicianName),
    el('SeriesDescription', options.seriesDescription ?? `${options.algorithm.name} segmentation`),
    el('ManufacturerModelName', options.algorithm.name),
    seq(
      'ReferencedSeriesSequence',
      item(
        el('SeriesInstanceUID', source.seriesInstanceUid),
        seq(
          'ReferencedInstanceSequence',
          ...(images ?? []).map((im) =>
            item(
              el('ReferencedSOPClassUID', im.sopClassUid),
              el('ReferencedSOPInstanceUID', im.sopInstanceUid),
            ),
          ),
        ),
      ),
    ),
    opt('PatientName', source.patientName),
    opt('PatientID', source.patientId),
    opt('PatientBirthDate', source.patientBirthDate),
    opt('PatientSex', source.patientSex),
    el('DeviceSerialNumber', '1'),
    el('SoftwareVersions', options.algorithm.version),
    el('StudyInstanceUID', source.studyInstanceUid),
    el('SeriesInstanceUID', seriesInstanceUid),
    opt('StudyID', source.studyId),
    el('SeriesNumber', String(options.seriesNumber ?? 300)),
    el('InstanceNumber', '1'),
    el(
      'FrameOfReferenceUID',
      source.frameOfReferenceUid ?? lm.frameOfReferenceUid ?? newDicomUid(),
    ),
    el('PositionReferenceIndicator'),
    seq(
      'DimensionOrganizationSequence',
      item(el('DimensionOrganizationUID', dimensionOrganizationUid)),
    ),
    seq(
      'DimensionIndexSequence',
      item(
        el('DimensionOrganizationUID', dimensionOrganizationUid),
        el('DimensionIndexPointer', 0x0062000b),
        el('FunctionalGroupPointer', 0x0062000a),
        el('DimensionDescriptionLabel', 'ReferencedSegmentNumber'),
      ),
      item(
        el('DimensionOrganizationUID', dimensionOrganizationUid),
        el('DimensionIndexPointer', 0x00200032),
        el('FunctionalGroupPointer', 0x00209113),
        el('DimensionDescriptionLabel', 'ImagePositionPatient'),
      ),
    ),
    el('SamplesPerPixel', 1),
    el('PhotometricInterpretation', 'MONOCHROME2'),
    el('NumberOfFrames', String(frames.length)),
    el('Rows', nj),
    el('Columns', ni),
    el('BitsAllocated', 1),
    el('BitsStored', 1),
    el('HighBit', 0),
    el('PixelRepresentation', 0),
    el('LossyImageCompression', '00'),
    el('SegmentationType', 'BINARY'),
    seq(
      'SegmentSequence',
      ...segments.map((s, i) =>
        item(
          code('SegmentedPropertyCategoryCodeSequence', s.category),
          el('SegmentNumber', i + 1),
          el('SegmentLabel', s.label),
          el('SegmentAlgorithmType', 'AUTOMATIC'),
          el('SegmentAlgorithmName', options.algorithm.name),
          ...(s.cielab === undefined ? [] : [el('RecommendedDisplayCIELabValue', ...s.cielab)]),
          code('SegmentedPropertyTypeCodeSequence', s.type),
        ),
      ),
    ),
    el('ContentLabel', options.contentLabel ?? 'SEGMENTATION'),
    el('ContentDescription', `${options.algorithm.name} ${options.algorithm.version}`),
    el('ContentCreatorName', 'medscale'),
    seq(
      'SharedFunctionalGroupsSequence',
      item(
        seq(
          'PixelMeasuresSequence',
          item(
            el('PixelSpacing', ds(lm.spacing[1]), ds(lm.spacing[0])),
            el('SliceThickness', ds(lm.spacing[2])),
            el('SpacingBetweenSlices', ds(lm.spacing[2])),
          ),
        ),
        seq(
          'PlaneOrientationSequence',
          item(
            el(
              'ImageOrientationPatient',
              ds(d[0]),
              ds(d[1]),
              ds(d[2]),
              ds(d[3]),
              ds(d[4]),
              ds(d[5]),
            ),
          ),
        ),
      ),
    ),
    seq('PerFrameFunctionalGroupsSequence', ...perFrame),
    el('PixelData', pixelData.buffer),
  );
  return writePart10(meta, dataset);
}

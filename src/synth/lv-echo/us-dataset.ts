import { TRANSFER_SYNTAX, writePart10 } from '../../dicom/index.js';
import type { DicomDataset, DicomElement } from '../../dicom/index.js';
import { SYNTH_IMPLEMENTATION_CLASS_UID, ds } from '../mr-headers.js';

/** Ultrasound Multi-frame Image Storage SOP Class (PS3.4 Annex B.5). */
export const US_MULTIFRAME_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.3.1';

const el = (vr: string, ...values: readonly unknown[]): DicomElement => ({ vr, Value: values });

/** What one synthetic echo clip's header says. */
export interface EchoClipHeader {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly instanceNumber: number;
  /** `YYYYMMDD`. */
  readonly date: string;
  readonly patientName: string;
  readonly patientId: string;
  readonly sex: 'F' | 'M';
  readonly ageYears: number;
  readonly heightCm: number;
  readonly weightKg: number;
  /** View label written to Image Comments and the series description, e.g. `A4C`. */
  readonly view: string;
  readonly rows: number;
  readonly columns: number;
  readonly frames: number;
  /** Frame Time (0018,1063), in ms. */
  readonly frameTimeMs: number;
  readonly heartRateBpm: number;
  /** Pixel spacing along columns (x) and rows (y), in mm. */
  readonly pixelSpacingMm: readonly [number, number];
  /** Transducer position (column, row) in pixels: the reference pixel of the region. */
  readonly transducerPixel: readonly [number, number];
}

/**
 * Encodes a synthetic apical echo clip as an Ultrasound Multi-frame Image (PS3.3 A.7; explicit VR
 * little endian): 8-bit MONOCHROME2 frames, Frame Time with Frame Increment Pointer (PS3.3
 * C.7.6.5), Heart Rate, and one Sequence of Ultrasound Regions item (PS3.3 C.8.5.5) covering
 * the image, 2D tissue, with Physical Delta X/Y in cm so that readers know the pixel size.
 *
 * @param pixels - `frames × rows × columns` samples, frame-major, row-major.
 */
export function encodeEchoClip(h: EchoClipHeader, pixels: Uint8Array): Uint8Array {
  const meta: DicomDataset = {
    '00020001': el('OB', new Uint8Array([0, 1]).buffer),
    '00020002': el('UI', US_MULTIFRAME_IMAGE_STORAGE),
    '00020003': el('UI', h.sopInstanceUid),
    '00020010': el('UI', TRANSFER_SYNTAX.ExplicitVRLittleEndian),
    '00020012': el('UI', SYNTH_IMPLEMENTATION_CLASS_UID),
    '00020013': el('SH', 'MEDSCALE_SYNTH1'),
  };
  const birthYear = Number(h.date.slice(0, 4)) - h.ageYears;
  const frameRate = Math.round(1000 / h.frameTimeMs);
  const dataset: DicomDataset = {
    '00080008': el('CS', 'DERIVED', 'PRIMARY', 'CARDIAC'),
    '00080016': el('UI', US_MULTIFRAME_IMAGE_STORAGE),
    '00080018': el('UI', h.sopInstanceUid),
    '00080020': el('DA', h.date),
    '00080023': el('DA', h.date),
    '00080030': el('TM', '090000'),
    '00080033': el('TM', '090000'),
    '00080050': el('SH', ''),
    '00080060': el('CS', 'US'),
    '00080070': el('LO', 'medscale'),
    '00080090': el('PN', ''),
    '00081030': el('LO', 'Echocardiography (synthetic)'),
    '0008103E': el('LO', `Apical views (synthetic LV)`),
    '00081090': el('LO', 'medscale synth lv-echo'),
    '00082144': el('IS', String(frameRate)),
    '00100010': el('PN', h.patientName),
    '00100020': el('LO', h.patientId),
    '00100030': el('DA', `${birthYear}0101`),
    '00100040': el('CS', h.sex),
    '00101010': el('AS', `${String(h.ageYears).padStart(3, '0')}Y`),
    '00101020': el('DS', ds(h.heightCm / 100)),
    '00101030': el('DS', ds(h.weightKg)),
    '00180015': el('CS', 'HEART'),
    '00180040': el('IS', String(frameRate)),
    '00181063': el('DS', ds(h.frameTimeMs)),
    '00181088': el('IS', String(Math.round(h.heartRateBpm))),
    '00186011': el('SQ', {
      '00186012': el('US', 1), // region spatial format: 2D
      '00186014': el('US', 1), // region data type: tissue
      '00186016': el('UL', 0),
      '00186018': el('UL', 0),
      '0018601A': el('UL', 0),
      '0018601C': el('UL', h.columns - 1),
      '0018601E': el('UL', h.rows - 1),
      '00186020': el('SL', Math.round(h.transducerPixel[0])),
      '00186022': el('SL', Math.round(h.transducerPixel[1])),
      '00186024': el('US', 3), // cm
      '00186026': el('US', 3), // cm
      '00186028': el('FD', 0),
      '0018602A': el('FD', 0),
      '0018602C': el('FD', h.pixelSpacingMm[0] / 10),
      '0018602E': el('FD', h.pixelSpacingMm[1] / 10),
    }),
    '0020000D': el('UI', h.studyInstanceUid),
    '0020000E': el('UI', h.seriesInstanceUid),
    '00200010': el('SH', '1'),
    '00200011': el('IS', '1'),
    '00200013': el('IS', String(h.instanceNumber)),
    '00200020': el('CS'),
    '00204000': el('LT', h.view),
    '00280002': el('US', 1),
    '00280004': el('CS', 'MONOCHROME2'),
    '00280008': el('IS', String(h.frames)),
    '00280009': el('AT', 0x00181063),
    '00280010': el('US', h.rows),
    '00280011': el('US', h.columns),
    '00280100': el('US', 8),
    '00280101': el('US', 8),
    '00280102': el('US', 7),
    '00280103': el('US', 0),
    '00282110': el('CS', '00'),
    '7FE00010': el(
      'OB',
      pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + pixels.byteLength),
    ),
  };
  return writePart10(meta, dataset);
}

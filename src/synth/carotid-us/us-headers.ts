import { TRANSFER_SYNTAX, writePart10 } from '../../dicom/index.js';
import type { DicomDataset, DicomElement } from '../../dicom/index.js';
import { SYNTH_IMPLEMENTATION_CLASS_UID, ds } from '../mr-headers.js';
import type { UltrasoundScanner } from './scanners.js';
import type { ViewPlan } from './views.js';

/** Ultrasound Image Storage SOP Class (PS3.4 Annex B.5). */
export const US_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.6.1';

/** Ultrasound Multi-frame Image Storage SOP Class (PS3.4 Annex B.5). */
export const US_MULTIFRAME_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.3.1';

/** The patient of one carotid examination, as the headers carry them (synthetic PHI). */
export interface UsPatient {
  readonly id: string;
  /** PN, `Family^Given`. */
  readonly name: string;
  /** `YYYYMMDD`. */
  readonly birthDate: string;
  readonly sex: 'F' | 'M';
  /** Age String (AS), e.g. `064Y`. */
  readonly age: string;
  /** Patient's Size (0010,1020), metres. */
  readonly heightM: number;
  /** Patient's Weight (0010,1030), kg. */
  readonly weightKg: number;
}

/** The study (one examination) of a patient. */
export interface UsStudy {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  /** `YYYYMMDD`. */
  readonly date: string;
  /** `HHMMSS`. */
  readonly time: string;
  readonly accessionNumber: string;
  readonly institutionName: string;
  readonly operator: string;
}

/** One image (instance) to encode. */
export interface UsInstance {
  readonly sopInstanceUid: string;
  readonly instanceNumber: number;
  /** `HHMMSS`. */
  readonly time: string;
  readonly plan: ViewPlan;
  readonly columns: number;
  readonly rows: number;
  readonly samplesPerPixel: 1 | 3;
  /** Frames, each `rows × columns × samplesPerPixel` bytes. */
  readonly frames: readonly Uint8Array[];
}

const el = (vr: string, ...values: readonly unknown[]): DicomElement => ({ vr, Value: values });

/** Physical Units code for centimetres (PS3.3 C.8.5.5.1.15). */
const UNITS_CM = 3;

/** A short human description of a view, e.g. `R CCA LONG BIF` (Series Description style). */
export function viewDescription(plan: ViewPlan): string {
  const side = plan.side === 'left' ? 'LT' : 'RT';
  const kind = plan.kind === 'longitudinal' ? 'LONG' : 'TRANS';
  const target = plan.target === 'bifurcation' ? 'BIF' : plan.target.toUpperCase();
  return `${side} ${kind} ${target}`;
}

/**
 * Encodes one carotid ultrasound image as a Part 10 file (explicit VR little endian) with
 * `writePart10`: Patient (age, sex, size, weight), General Study, General Series (modality US),
 * General Equipment, General Image (with Image Laterality), Image Pixel, US Region Calibration
 * (one region: its bounds, Physical Delta X/Y in cm, transducer frequency), US Image, Cine and
 * Multi-frame for cine loops, and SOP Common modules of the US Image IOD (PS3.3 A.6) or the US
 * Multi-frame Image IOD (A.7).
 */
export function encodeUsInstance(
  scanner: UltrasoundScanner,
  patient: UsPatient,
  study: UsStudy,
  instance: UsInstance,
): Uint8Array {
  const plan = instance.plan;
  const g = plan.geometry;
  const multiFrame = instance.frames.length > 1;
  const sopClass = multiFrame ? US_MULTIFRAME_IMAGE_STORAGE : US_IMAGE_STORAGE;
  const cm = g.spacingMm / 10;
  const frameBytes = instance.columns * instance.rows * instance.samplesPerPixel;
  const pixels = new Uint8Array(
    frameBytes * instance.frames.length + ((frameBytes * instance.frames.length) % 2),
  );
  instance.frames.forEach((f, i) => {
    pixels.set(f, i * frameBytes);
  });
  const region: DicomDataset = {
    '00186012': el('US', 1), // Region Spatial Format: 2D (tissue or flow)
    '00186014': el('US', 1), // Region Data Type: tissue
    '00186016': el('UL', 0), // Region Flags
    '00186018': el('UL', g.regionX0),
    '0018601A': el('UL', g.regionY0),
    '0018601C': el('UL', g.regionX0 + g.columns - 1),
    '0018601E': el('UL', g.regionY0 + g.rows - 1),
    '00186020': el('SL', 0), // Reference Pixel X0: the region's left edge, at its top (skin line)
    '00186022': el('SL', 0),
    '00186024': el('US', UNITS_CM),
    '00186026': el('US', UNITS_CM),
    '00186028': el('FD', 0),
    '0018602A': el('FD', 0),
    '0018602C': el('FD', cm),
    '0018602E': el('FD', cm),
    '00186030': el('UL', Math.round(plan.frequencyMHz * 1000)), // kHz
  };
  const description = viewDescription(plan);
  const dataset: DicomDataset = {
    '00080005': el('CS', 'ISO_IR 192'),
    '00080008': el('CS', 'ORIGINAL', 'PRIMARY', '', '0001'),
    '00080012': el('DA', study.date),
    '00080013': el('TM', instance.time),
    '00080016': el('UI', sopClass),
    '00080018': el('UI', instance.sopInstanceUid),
    '00080020': el('DA', study.date),
    '00080021': el('DA', study.date),
    '00080023': el('DA', study.date),
    '00080030': el('TM', study.time),
    '00080031': el('TM', study.time),
    '00080033': el('TM', instance.time),
    '00080050': el('SH', study.accessionNumber),
    '00080060': el('CS', 'US'),
    '00080070': el('LO', scanner.manufacturer),
    '00080080': el('LO', study.institutionName),
    '00081030': el('LO', 'Carotid duplex^B-mode'),
    '0008103E': el('LO', 'Carotid arteries B-mode'),
    '00081070': el('PN', study.operator),
    '00081090': el('LO', scanner.model),
    '00100010': el('PN', patient.name),
    '00100020': el('LO', patient.id),
    '00100030': el('DA', patient.birthDate),
    '00100040': el('CS', patient.sex),
    '00101010': el('AS', patient.age),
    '00101020': el('DS', ds(patient.heightM)),
    '00101030': el('DS', ds(patient.weightKg)),
    '00180015': el('CS', 'NECK'),
    ...(multiFrame
      ? {
          '00180040': el('IS', String(Math.round(1000 / plan.frameTimeMs))),
          '00181063': el('DS', ds(plan.frameTimeMs)),
          '00181088': el('IS', String(Math.round(60_000 / (plan.frameTimeMs * plan.frames)))),
        }
      : {}),
    '00181020': el('LO', `${scanner.key} 3.2.1`),
    '00185010': el('LO', scanner.transducer),
    '00186011': el('SQ', region),
    '00186031': el('CS', 'LINEAR'),
    '0020000D': el('UI', study.studyInstanceUid),
    '0020000E': el('UI', study.seriesInstanceUid),
    '00200010': el('SH', '1'),
    '00200011': el('IS', '1'),
    '00200013': el('IS', String(instance.instanceNumber)),
    '00200020': el('CS', ''),
    '00200062': el('CS', plan.side === 'left' ? 'L' : 'R'),
    '00204000': el('LT', description),
    '00280002': el('US', instance.samplesPerPixel),
    '00280004': el('CS', instance.samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2'),
    ...(instance.samplesPerPixel === 3 ? { '00280006': el('US', 0) } : {}),
    ...(multiFrame
      ? {
          '00280008': el('IS', String(instance.frames.length)),
          '00280009': el('AT', 0x00181063),
        }
      : {}),
    '00280010': el('US', instance.rows),
    '00280011': el('US', instance.columns),
    '00280100': el('US', 8),
    '00280101': el('US', 8),
    '00280102': el('US', 7),
    '00280103': el('US', 0),
    '00282110': el('CS', '00'),
    '7FE00010': el('OB', pixels.buffer),
  };
  const meta: DicomDataset = {
    '00020001': el('OB', new Uint8Array([0, 1]).buffer),
    '00020002': el('UI', sopClass),
    '00020003': el('UI', instance.sopInstanceUid),
    '00020010': el('UI', TRANSFER_SYNTAX.ExplicitVRLittleEndian),
    '00020012': el('UI', SYNTH_IMPLEMENTATION_CLASS_UID),
    '00020013': el('SH', 'MEDSCALE_SYNTH1'),
    '00020016': el('AE', 'CAROTID_US'),
  };
  return writePart10(meta, dataset);
}

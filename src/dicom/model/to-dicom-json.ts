import type { DicomAttribute, DicomJson } from '../../core/index.js';
import type { DicomDataset, DicomElement } from '../part10/dicom-dataset.js';

/** Options of {@link toDicomJson}. */
export interface ToDicomJsonOptions {
  /**
   * Only these top-level tags (eight upper-case hex digits); all when absent.
   */
  readonly include?: ReadonlySet<string>;
  /**
   * Binary values up to this many bytes are kept as base64 `InlineBinary`; longer ones (pixel
   * data, vendor blobs) are left out, as a QIDO-RS response leaves out bulk data.
   * @defaultValue 256
   */
  readonly maxInlineBinaryBytes?: number;
}

const BINARY_VRS: ReadonlySet<string> = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'UN']);

/**
 * Converts an in-memory dataset to the DICOM JSON model (PS3.18 Annex F.2): binary values
 * become base64 `InlineBinary` or are left out when large, numbers stay numbers, person names
 * stay `{ Alphabetic }` objects and sequences recurse. The result is what the catalog stores
 * per level and what QIDO-RS and WADO-RS metadata return.
 */
export function toDicomJson(dataset: DicomDataset, options: ToDicomJsonOptions = {}): DicomJson {
  const maxInline = options.maxInlineBinaryBytes ?? 256;
  const out: Record<string, DicomAttribute> = {};
  for (const tag of Object.keys(dataset).sort()) {
    if (options.include !== undefined && !options.include.has(tag)) continue;
    const element = dataset[tag];
    if (element === undefined) continue;
    const converted = convert(element, maxInline);
    if (converted !== undefined) out[tag] = converted;
  }
  return out;
}

function convert(element: DicomElement, maxInline: number): DicomAttribute | undefined {
  const { vr } = element;
  const values = element.Value ?? [];
  if (vr === 'SQ') {
    return {
      vr,
      Value: values.map((item) =>
        typeof item === 'object' && item !== null
          ? toDicomJson(item as DicomDataset, { maxInlineBinaryBytes: maxInline })
          : {},
      ),
    };
  }
  if (BINARY_VRS.has(vr)) {
    const chunks = values.filter(
      (v): v is ArrayBuffer | ArrayBufferView => v instanceof ArrayBuffer || ArrayBuffer.isView(v),
    );
    const total = chunks.reduce((sum, c) => sum + c.byteLength, 0);
    if (total === 0) return { vr };
    if (total > maxInline) return undefined;
    const bytes = Buffer.concat(
      chunks.map((c) =>
        c instanceof ArrayBuffer
          ? new Uint8Array(c)
          : new Uint8Array(c.buffer, c.byteOffset, c.byteLength),
      ),
    );
    return { vr, InlineBinary: bytes.toString('base64') };
  }
  const clean = values
    .filter((v) => v !== undefined)
    .map((v) => (typeof v === 'string' ? v.replace(/[\0 ]+$/, '') : v))
    .map((v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
  if (clean.length === 0 || clean.every((v) => v === '' || v === null)) return { vr };
  return { vr, Value: clean.map((v) => (v === '' ? null : v)) };
}

/**
 * Tags of the patient and study levels (PS3.3 C.7.1.1 Patient, C.7.2.1 General Study, C.7.2.2
 * Patient Study), stored once per study in the catalog.
 */
export const STUDY_LEVEL_TAGS: ReadonlySet<string> = new Set([
  '00080005',
  '00080020',
  '00080030',
  '00080050',
  '00080090',
  '00081030',
  '00081032',
  '00100010',
  '00100020',
  '00100021',
  '00100030',
  '00100040',
  '00101010',
  '00101020',
  '00101030',
  '00102160',
  '001021B0',
  '00120062',
  '00120063',
  '00120064',
  '0020000D',
  '00200010',
  '00280303',
]);

/**
 * Tags of the series level (PS3.3 C.7.3.1 General Series, C.7.4.1 Frame of Reference, C.7.5.1
 * General Equipment, and the MR acquisition parameters protocol checks read).
 */
export const SERIES_LEVEL_TAGS: ReadonlySet<string> = new Set([
  '00080021',
  '00080031',
  '00080060',
  '00080070',
  '00080080',
  '00081010',
  '0008103E',
  '00081090',
  '00180015',
  '00180020',
  '00180021',
  '00180022',
  '00180023',
  '00180024',
  '00180050',
  '00180080',
  '00180081',
  '00180082',
  '00180083',
  '00180087',
  '00180088',
  '00180091',
  '00180095',
  '00181000',
  '00181020',
  '00181030',
  '00181310',
  '00181314',
  '00185100',
  '0020000E',
  '00200011',
  '00200037',
  '00200052',
  '00280010',
  '00280011',
  '00280030',
  '00280100',
  '00280101',
  '00280004',
]);

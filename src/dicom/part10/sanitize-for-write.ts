import type { DicomDataset, DicomElement } from './dicom-dataset.js';

/**
 * Drops dcmjs's remembered raw values where they cannot be written back: a raw value list that
 * holds `null` or `undefined` (dcmjs keeps them for elements whose VR it could not read, e.g. a
 * blank VR in pydicom's rtdose_rle.dcm). dcmjs would write such an element with a garbage length:
 * a 2 KB input became a 775 MB file after 50 s. Without `_rawValue` dcmjs encodes `Value`, which
 * is what was read. Works in place, recursing into sequence items.
 */
export function sanitizeForWrite(dataset: DicomDataset): void {
  for (const element of Object.values(dataset)) {
    const raw = (element as DicomElement & { _rawValue?: unknown })._rawValue;
    if (Array.isArray(raw) && raw.some((v) => v === null || v === undefined)) {
      delete (element as { _rawValue?: unknown })._rawValue;
    }
    if (element.vr === 'UN' || element.vr === 'OB' || element.vr === 'OW') {
      const values = element.Value;
      // Binary values must be buffers; anything else (an empty object from a failed read) is dropped.
      if (values?.some((v) => !(v instanceof ArrayBuffer) && !ArrayBuffer.isView(v)) === true) {
        (element as { Value?: unknown[] }).Value = values.filter(
          (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v),
        );
      }
    }
    if (element.vr === 'SQ') {
      for (const item of element.Value ?? []) {
        if (typeof item === 'object' && item !== null) sanitizeForWrite(item as DicomDataset);
      }
    }
  }
}

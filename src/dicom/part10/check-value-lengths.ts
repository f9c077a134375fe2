import { PlatformError } from '../../core/index.js';
import type { DicomDataset } from './dicom-dataset.js';

function tagName(tag: string): string {
  return `(${tag.slice(0, 4)},${tag.slice(4)})`;
}

/**
 * Rejects a dataset holding a binary value longer than the file it came from. dcmjs trusts a
 * declared length and allocates it even when the bytes are not there: pydicom's
 * rtdose_rle_1frame.dcm (2 KB, a blank VR in a sequence item) yields a 775 MB zero-filled buffer,
 * which then takes a minute to write back. Such a value cannot be real, so the file is truncated
 * or corrupt. Deflated files are exempt: their values may legitimately outgrow the compressed file.
 */
export function checkValueLengths(dataset: DicomDataset, maxBytes: number, path = ''): void {
  for (const [tag, element] of Object.entries(dataset)) {
    for (const value of element.Value ?? []) {
      if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
        if (value.byteLength > maxBytes) {
          throw new PlatformError(
            'ERR_DICOM_TRUNCATED',
            `element ${path}${tagName(tag)} declares ${value.byteLength} bytes but the file has only ${maxBytes}`,
          );
        }
      } else if (element.vr === 'SQ' && typeof value === 'object' && value !== null) {
        checkValueLengths(value as DicomDataset, maxBytes, `${path}${tagName(tag)} > `);
      }
    }
  }
}

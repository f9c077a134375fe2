import { PlatformError, errorMessage } from '../../core/index.js';
import { dcmjsWriteFile } from './dcmjs-adapter.js';
import type { DicomDataset } from './dicom-dataset.js';

/**
 * Writes a Part 10 file (PS3.10 §7): preamble, `DICM`, the meta group (its group length
 * recomputed) and the dataset in the transfer syntax named by meta (0002,0010).
 * Throws `ERR_DICOM_WRITE` with the reason when a value cannot be encoded.
 */
export function writePart10(meta: DicomDataset, dataset: DicomDataset): Uint8Array {
  try {
    return new Uint8Array(dcmjsWriteFile(meta, dataset));
  } catch (error) {
    throw new PlatformError('ERR_DICOM_WRITE', `cannot write DICOM: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

import { deflateRawSync } from 'node:zlib';
import { PlatformError, errorMessage } from '../../core/index.js';
import { dcmjsWriteExplicitLittleEndian, dcmjsWriteFile } from './dcmjs-adapter.js';
import type { DicomDataset } from './dicom-dataset.js';
import { sanitizeForWrite } from './sanitize-for-write.js';
import { TRANSFER_SYNTAX } from './transfer-syntax.js';

function transferSyntaxOf(meta: DicomDataset): unknown {
  return meta['00020010']?.Value?.[0];
}

/**
 * Writes a Part 10 file (PS3.10 §7): preamble, `DICM`, the meta group (its group length
 * recomputed) and the dataset in the transfer syntax named by meta (0002,0010).
 * Throws `ERR_DICOM_WRITE` with the reason when a value cannot be encoded.
 *
 * @remarks
 * Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99) is written as PS3.5 §A.5 asks:
 * the data set is encoded explicit VR little endian, then compressed with raw deflate
 * (RFC 1951, no zlib header) after the meta group, which stays uncompressed. dcmjs alone
 * would label the file deflated and write it uncompressed, which no reader can open.
 */
export function writePart10(meta: DicomDataset, dataset: DicomDataset): Uint8Array {
  // dcmjs writes (0002,0000) itself; a stale copy in `meta` would be written a second time.
  const metaToWrite = { ...meta };
  delete metaToWrite['00020000'];
  sanitizeForWrite(dataset);
  try {
    if (transferSyntaxOf(meta) === TRANSFER_SYNTAX.DeflatedExplicitVRLittleEndian) {
      const header = new Uint8Array(dcmjsWriteFile(metaToWrite, {}));
      const body = deflateRawSync(new Uint8Array(dcmjsWriteExplicitLittleEndian(dataset)));
      const out = new Uint8Array(header.length + body.length);
      out.set(header, 0);
      out.set(body, header.length);
      return out;
    }
    return new Uint8Array(dcmjsWriteFile(metaToWrite, dataset));
  } catch (error) {
    throw new PlatformError('ERR_DICOM_WRITE', `cannot write DICOM: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

import { deflateRawSync } from 'node:zlib';
import { PlatformError, errorMessage } from '../../core/index.js';
import { dcmjsWriteExplicitLittleEndian, dcmjsWriteFile } from './dcmjs-adapter.js';
import type { DicomDataset } from './dicom-dataset.js';
import { encodeDataset, encodePart10 } from './encode-dataset.js';
import { sanitizeForWrite } from './sanitize-for-write.js';
import { TRANSFER_SYNTAX } from './transfer-syntax.js';

function transferSyntaxOf(meta: DicomDataset): unknown {
  return meta['00020010']?.Value?.[0];
}

/** The two ways of writing: the whole file, and a bare explicit VR little endian data set. */
interface Encoder {
  readonly file: (meta: DicomDataset, dataset: DicomDataset) => Uint8Array;
  readonly explicitLittleEndian: (dataset: DicomDataset) => Uint8Array;
}

const DCMJS: Encoder = {
  file: (meta, dataset) => new Uint8Array(dcmjsWriteFile(meta, dataset)),
  explicitLittleEndian: (dataset) => new Uint8Array(dcmjsWriteExplicitLittleEndian(dataset)),
};

// medscale's encoder (encode-dataset.ts), which writes what dcmjs writes about ten times
// faster; a dataset it does not reproduce byte for byte (it says which) goes to dcmjs.
const MEDSCALE: Encoder = {
  file: (meta, dataset) => {
    const encoded = encodePart10(meta, dataset);
    return encoded.ok ? encoded.bytes : DCMJS.file(meta, dataset);
  },
  explicitLittleEndian: (dataset) => {
    const encoded = encodeDataset(dataset, TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    return encoded.ok ? encoded.bytes : DCMJS.explicitLittleEndian(dataset);
  },
};

function write(meta: DicomDataset, dataset: DicomDataset, encoder: Encoder): Uint8Array {
  // dcmjs writes (0002,0000) itself; a stale copy in `meta` would be written a second time.
  const metaToWrite = { ...meta };
  delete metaToWrite['00020000'];
  sanitizeForWrite(dataset);
  try {
    if (transferSyntaxOf(meta) === TRANSFER_SYNTAX.DeflatedExplicitVRLittleEndian) {
      const header = encoder.file(metaToWrite, {});
      const body = deflateRawSync(encoder.explicitLittleEndian(dataset));
      const out = new Uint8Array(header.length + body.length);
      out.set(header, 0);
      out.set(body, header.length);
      return out;
    }
    return encoder.file(metaToWrite, dataset);
  } catch (error) {
    throw new PlatformError('ERR_DICOM_WRITE', `cannot write DICOM: ${errorMessage(error)}`, {
      cause: error,
    });
  }
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
 *
 * The bytes are those {@link writePart10Dcmjs} writes (medscale's encoder, `encodePart10`,
 * reproduces dcmjs's output and falls back to dcmjs for what it does not reproduce), except
 * text under Specific Character Set ISO_IR 100, written in ISO 8859-1 where dcmjs writes UTF-8.
 */
export function writePart10(meta: DicomDataset, dataset: DicomDataset): Uint8Array {
  return write(meta, dataset, MEDSCALE);
}

/**
 * {@link writePart10} through dcmjs's `DicomDict.write` alone: the reference the faster encoder
 * is tested and benchmarked against.
 */
export function writePart10Dcmjs(meta: DicomDataset, dataset: DicomDataset): Uint8Array {
  return write(meta, dataset, DCMJS);
}

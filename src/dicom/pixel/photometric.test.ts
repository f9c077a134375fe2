import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../core/index.js';
import type { DicomDataset, DicomElement } from '../part10/dicom-dataset.js';
import { readPart10 } from '../part10/read-part10.js';
import type { Part10 } from '../part10/read-part10.js';
import { TRANSFER_SYNTAX } from '../part10/transfer-syntax.js';
import { writePart10 } from '../part10/write-part10.js';
import { decodePixelData } from './decode-pixel-data.js';
import { frameToDisplay } from './frame-to-display.js';

// Synthetic instances: each isolates one rule of the Image Pixel Module (PS3.3 C.7.6.3) with
// values small enough to work out by hand.

interface ImageSpec {
  readonly rows: number;
  readonly columns: number;
  readonly bitsAllocated: number;
  readonly bitsStored?: number;
  readonly highBit?: number;
  readonly pixelRepresentation?: number;
  readonly samplesPerPixel?: number;
  readonly photometric: string;
  readonly planarConfiguration?: number;
  readonly frames?: number;
  readonly extra?: DicomDataset;
}

const us = (...values: number[]): DicomElement => ({ vr: 'US', Value: values });

function attributes(spec: ImageSpec): DicomDataset {
  return {
    '00280002': us(spec.samplesPerPixel ?? 1),
    '00280004': { vr: 'CS', Value: [spec.photometric] },
    '00280010': us(spec.rows),
    '00280011': us(spec.columns),
    '00280100': us(spec.bitsAllocated),
    '00280101': us(spec.bitsStored ?? spec.bitsAllocated),
    '00280102': us(spec.highBit ?? (spec.bitsStored ?? spec.bitsAllocated) - 1),
    '00280103': us(spec.pixelRepresentation ?? 0),
    ...(spec.planarConfiguration === undefined ? {} : { '00280006': us(spec.planarConfiguration) }),
    ...(spec.frames === undefined ? {} : { '00280008': { vr: 'IS', Value: [spec.frames] } }),
    ...spec.extra,
  };
}

/** An instance held in memory, as readPart10 would return it. */
function instance(
  spec: ImageSpec,
  pixels: ArrayBufferView,
  options: { transferSyntaxUid?: string; tag?: string; vr?: string } = {},
): Part10 {
  const transferSyntaxUid = options.transferSyntaxUid ?? TRANSFER_SYNTAX.ExplicitVRLittleEndian;
  const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength).slice();
  return {
    meta: { '00020010': { vr: 'UI', Value: [transferSyntaxUid] } },
    dataset: {
      ...attributes(spec),
      [options.tag ?? '7FE00010']: { vr: options.vr ?? 'OW', Value: [bytes.buffer] },
    },
    transferSyntaxUid,
    warnings: [],
  };
}

/** The same instance written to bytes and read back, through the whole Part 10 path. */
function throughFile(part10: Part10): Part10 {
  return readPart10(writePart10(part10.meta, part10.dataset));
}

describe('stored values', () => {
  it('sign-extends signed samples from Bits Stored and drops the bits above it', async () => {
    // 0xF001: overlay bits in the top nibble above a stored value of 1 (PS3.5 §8.1.1).
    const raw = Uint16Array.of(0x0fff, 0x0800, 0x07ff, 0xf001);
    const spec = {
      rows: 2,
      columns: 2,
      bitsAllocated: 16,
      bitsStored: 12,
      photometric: 'MONOCHROME2',
    };
    const signed = await decodePixelData(instance({ ...spec, pixelRepresentation: 1 }, raw));
    expect([...(signed.frames[0] as Int16Array)]).toEqual([-1, -2048, 2047, 1]);
    expect(signed.frames[0]).toBeInstanceOf(Int16Array);
    const unsigned = await decodePixelData(instance(spec, raw));
    expect([...(unsigned.frames[0] as Uint16Array)]).toEqual([4095, 2048, 2047, 1]);
  });

  it('shifts stored values down when High Bit is not Bits Stored − 1', async () => {
    const raw = Uint16Array.of(0xfff0, 0x0010);
    const spec = {
      rows: 1,
      columns: 2,
      bitsAllocated: 16,
      bitsStored: 12,
      highBit: 15,
      photometric: 'MONOCHROME2',
    };
    expect([...(await decodePixelData(instance(spec, raw))).frames[0]!]).toEqual([4095, 1]);
    const signed = await decodePixelData(instance({ ...spec, pixelRepresentation: 1 }, raw));
    expect([...signed.frames[0]!]).toEqual([-1, 1]);
  });

  it('returns signed 8 and 32-bit samples as Int8Array and Int32Array', async () => {
    const spec = { rows: 1, columns: 2, photometric: 'MONOCHROME2', pixelRepresentation: 1 };
    const int8 = await decodePixelData(
      instance({ ...spec, bitsAllocated: 8 }, Uint8Array.of(0xff, 0x7f), { vr: 'OB' }),
    );
    expect(int8.frames[0]).toEqual(Int8Array.of(-1, 127));
    const int32 = await decodePixelData(
      instance(
        { ...spec, bitsAllocated: 32, bitsStored: 24 },
        Uint32Array.of(0x00ffffff, 0xff000005),
      ),
    );
    expect(int32.frames[0]).toEqual(Int32Array.of(-1, 5));
  });

  it('swaps 8-bit samples in pairs when big endian pixel data is OW', async () => {
    // OW is a stream of 16-bit words; big endian writes each word high byte first (PS3.5 §7.3).
    const part10 = instance(
      { rows: 1, columns: 4, bitsAllocated: 8, photometric: 'MONOCHROME2' },
      Uint8Array.of(1, 2, 3, 4),
      { transferSyntaxUid: TRANSFER_SYNTAX.ExplicitVRBigEndian, vr: 'OW' },
    );
    expect([...(await decodePixelData(part10)).frames[0]!]).toEqual([2, 1, 4, 3]);
  });

  it('unpacks 1-bit frames that do not start on a byte boundary', async () => {
    // Two 3×3 frames, 18 bits, least significant bit first: frame 2 starts at bit 9.
    const bits = [1, 0, 0, 0, 1, 0, 0, 0, 1, /* frame 2 */ 0, 1, 0, 1, 1, 1, 0, 1, 0];
    const bytes = new Uint8Array(4);
    bits.forEach((b, i) => (bytes[i >> 3]! |= b << (i & 7)));
    const part10 = instance(
      { rows: 3, columns: 3, bitsAllocated: 1, photometric: 'MONOCHROME2', frames: 2 },
      bytes,
      { vr: 'OB' },
    );
    const pixels = await decodePixelData(part10);
    expect(pixels.frames.map((f) => [...f])).toEqual([bits.slice(0, 9), bits.slice(9)]);
    expect(pixels.bitsAllocated).toBe(8);
    expect(pixels.bitsStored).toBe(1);
  });

  it('decodes Float Pixel Data as Float32Array, byte-swapped when big endian', async () => {
    const values = Float32Array.of(-1.5, 0.25, 3.0e6, Number.MIN_VALUE);
    const spec = { rows: 2, columns: 2, bitsAllocated: 32, photometric: 'MONOCHROME2' };
    const little = await decodePixelData(instance(spec, values, { tag: '7FE00008', vr: 'OF' }));
    expect(little.frames[0]).toEqual(values);
    const swapped = new Uint8Array(values.slice().buffer);
    for (let i = 0; i < swapped.length; i += 4) swapped.subarray(i, i + 4).reverse();
    const big = await decodePixelData(
      instance(spec, swapped, {
        tag: '7FE00008',
        vr: 'OF',
        transferSyntaxUid: TRANSFER_SYNTAX.ExplicitVRBigEndian,
      }),
    );
    expect(big.frames[0]).toEqual(values);
  });

  it('decodes Double Float Pixel Data as Float64Array', async () => {
    const values = Float64Array.of(Math.PI, -Math.E);
    const spec = { rows: 1, columns: 2, bitsAllocated: 64, photometric: 'MONOCHROME2' };
    const pixels = await decodePixelData(instance(spec, values, { tag: '7FE00009', vr: 'OD' }));
    expect(pixels.frames[0]).toEqual(values);
    expect(pixels.bitsAllocated).toBe(64);
  });
});

describe('colour', () => {
  it('interleaves colour-by-plane frames (Planar Configuration 1)', async () => {
    const planar8 = Uint8Array.of(1, 2, 3, 4, /* G */ 11, 12, 13, 14, /* B */ 21, 22, 23, 24);
    const spec = {
      rows: 2,
      columns: 2,
      samplesPerPixel: 3,
      photometric: 'RGB',
      planarConfiguration: 1,
    };
    const eight = await decodePixelData(
      throughFile(instance({ ...spec, bitsAllocated: 8 }, planar8, { vr: 'OB' })),
    );
    expect([...eight.frames[0]!]).toEqual([1, 11, 21, 2, 12, 22, 3, 13, 23, 4, 14, 24]);
    const planar16 = Uint16Array.from(planar8, (v) => v * 1000);
    const sixteen = await decodePixelData(instance({ ...spec, bitsAllocated: 16 }, planar16));
    expect([...sixteen.frames[0]!]).toEqual(
      [1, 11, 21, 2, 12, 22, 3, 13, 23, 4, 14, 24].map((v) => v * 1000),
    );
  });

  it('converts YBR_FULL to RGB with the ISO/IEC 10918-5 equations', async () => {
    // Mid grey, and pure red as a JFIF encoder would write it: Y 76, Cb 85, Cr 255.
    const ybr = Uint8Array.of(128, 128, 128, 76, 85, 255);
    const spec = {
      rows: 1,
      columns: 2,
      samplesPerPixel: 3,
      bitsAllocated: 8,
      photometric: 'YBR_FULL',
    };
    const pixels = await decodePixelData(instance(spec, ybr, { vr: 'OB' }));
    expect(pixels.photometricInterpretation).toBe('RGB');
    expect(pixels.storedPhotometricInterpretation).toBe('YBR_FULL');
    expect([...pixels.frames[0]!]).toEqual([128, 128, 128, 254, 0, 0]);
  });

  it('converts YBR_FULL to RGB as pydicom convert_color_space does, extremes included', async () => {
    // 16 triples (4 extremes, 12 from numpy default_rng(42)) and pydicom 2.3.1's RGB for them.
    const ybr = [
      255, 255, 0, 0, 0, 255, 128, 255, 255, 128, 0, 0, 97, 86, 90, 112, 36, 22, 218, 110, 194, 18,
      205, 219, 141, 136, 0, 22, 14, 182, 134, 178, 235, 129, 147, 51, 181, 1, 28, 24, 140, 83, 199,
      134, 237, 98, 194, 249,
    ];
    const rgb = [
      76, 255, 255, 178, 0, 0, 255, 0, 255, 0, 255, 0, 44, 139, 23, 0, 219, 0, 255, 177, 186, 146,
      0, 154, 0, 230, 155, 98, 23, 0, 255, 40, 223, 21, 177, 163, 41, 255, 0, 0, 52, 45, 255, 119,
      210, 255, 0, 215,
    ];
    const spec = {
      rows: 4,
      columns: 4,
      samplesPerPixel: 3,
      bitsAllocated: 8,
      photometric: 'YBR_FULL',
    };
    const pixels = await decodePixelData(instance(spec, Uint8Array.from(ybr), { vr: 'OB' }));
    expect([...pixels.frames[0]!]).toEqual(rgb);
  });

  it('expands YBR_FULL_422 chroma to both pixels of each pair', async () => {
    // Y1 Y2 Cb Cr for each pair: two greys, then the red of the previous test twice.
    const ybr = Uint8Array.of(100, 200, 128, 128, 76, 76, 85, 255);
    const spec = {
      rows: 1,
      columns: 4,
      samplesPerPixel: 3,
      bitsAllocated: 8,
      photometric: 'YBR_FULL_422',
    };
    const pixels = await decodePixelData(instance(spec, ybr, { vr: 'OB' }));
    expect([...pixels.frames[0]!]).toEqual([100, 100, 100, 200, 200, 200, 254, 0, 0, 254, 0, 0]);
  });

  it('applies 8-bit palette tables, clamping indices outside the table', async () => {
    // Four entries, the first for index 10 (PS3.3 C.7.6.3.1.5).
    const lut = (values: number[]): DicomElement => ({
      vr: 'OW',
      Value: [Uint8Array.from(values).buffer],
    });
    const spec = {
      rows: 1,
      columns: 6,
      bitsAllocated: 8,
      photometric: 'PALETTE COLOR',
      extra: {
        '00281101': us(4, 10, 8),
        '00281102': us(4, 10, 8),
        '00281103': us(4, 10, 8),
        '00281201': lut([0, 50, 100, 150]),
        '00281202': lut([1, 51, 101, 151]),
        '00281203': lut([2, 52, 102, 152]),
      },
    };
    const pixels = await decodePixelData(
      throughFile(instance(spec, Uint8Array.of(5, 10, 11, 12, 13, 200), { vr: 'OB' })),
    );
    expect(pixels.photometricInterpretation).toBe('RGB');
    expect(pixels.frames[0]).toBeInstanceOf(Uint8Array);
    expect([...pixels.frames[0]!]).toEqual(
      [0, 0, 1, 2, 3, 3].flatMap((k) => [k * 50, k * 50 + 1, k * 50 + 2]),
    );
  });

  it('applies 16-bit palette tables to signed indices with a negative first mapped value', async () => {
    const lut = (scale: number): DicomElement => ({
      vr: 'OW',
      Value: [Uint16Array.of(0, 1, 2, 3).map((v) => v * scale).buffer],
    });
    const descriptor: DicomElement = { vr: 'SS', Value: [4, -2, 16] };
    const spec = {
      rows: 1,
      columns: 5,
      bitsAllocated: 16,
      pixelRepresentation: 1,
      photometric: 'PALETTE COLOR',
      extra: {
        '00281101': descriptor,
        '00281102': descriptor,
        '00281103': descriptor,
        '00281201': lut(1000),
        '00281202': lut(2000),
        '00281203': lut(3000),
      },
    };
    const pixels = await decodePixelData(instance(spec, Int16Array.of(-5, -2, -1, 1, 9)));
    expect(pixels.frames[0]).toBeInstanceOf(Uint16Array);
    expect(pixels.pixelRepresentation).toBe(0);
    expect([...pixels.frames[0]!]).toEqual(
      [0, 0, 1, 3, 3].flatMap((k) => [k * 1000, k * 2000, k * 3000]),
    );
  });

  it('expands segmented palette tables (discrete, linear and indirect segments)', async () => {
    // Expanded by pydicom's _expand_segmented_lut to 10, 20, 30, 40, 50, 10, 20, 30, 40, 50.
    const segmented: DicomElement = {
      vr: 'OW',
      Value: [Uint16Array.of(0, 3, 10, 20, 30, 1, 2, 50, 2, 2, 0, 0).buffer],
    };
    const spec = {
      rows: 1,
      columns: 10,
      bitsAllocated: 8,
      photometric: 'PALETTE COLOR',
      extra: {
        '00281101': us(10, 0, 16),
        '00281102': us(10, 0, 16),
        '00281103': us(10, 0, 16),
        '00281221': segmented,
        '00281222': segmented,
        '00281223': segmented,
      },
    };
    const pixels = await decodePixelData(
      instance(spec, Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), { vr: 'OB' }),
    );
    const red = [...pixels.frames[0]!].filter((_, i) => i % 3 === 0);
    expect(red).toEqual([10, 20, 30, 40, 50, 10, 20, 30, 40, 50]);
  });

  it('throws ERR_DICOM_PIXEL_DECODE for a palette image without its tables', async () => {
    const part10 = instance(
      { rows: 1, columns: 1, bitsAllocated: 8, photometric: 'PALETTE COLOR' },
      Uint8Array.of(0),
      { vr: 'OB' },
    );
    const error = await decodePixelData(part10).catch((e: unknown) => e);
    expect(isPlatformError(error) && error.code).toBe('ERR_DICOM_PIXEL_DECODE');
  });
});

describe('MONOCHROME1', () => {
  const mr = readPart10(
    readFileSync('/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm'),
  );
  const monochrome1: Part10 = {
    ...mr,
    dataset: { ...mr.dataset, '00280004': { vr: 'CS', Value: ['MONOCHROME1'] } },
  };

  it('keeps MONOCHROME1 values as stored and says so', async () => {
    const [one, two] = await Promise.all([decodePixelData(monochrome1), decodePixelData(mr)]);
    expect(one.photometricInterpretation).toBe('MONOCHROME1');
    expect([...one.frames[0]!]).toEqual([...two.frames[0]!]);
  });

  it('renders MONOCHROME1 as the inverse of the same values read as MONOCHROME2', async () => {
    const [one, two] = await Promise.all([decodePixelData(monochrome1), decodePixelData(mr)]);
    const inverted = frameToDisplay(one).data;
    const plain = frameToDisplay(two).data;
    expect([...inverted]).toEqual([...plain].map((v) => 255 - v));
  });
});

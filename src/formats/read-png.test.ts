import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../core/index.js';
import { crc32 } from './kernels/crc32.js';
import { readPng } from './read-png.js';
import { writePng } from './write-png.js';

/** A PNG chunk: length, type, data, CRC (PNG spec §5.3). */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function ihdr(width: number, height: number, depth: number, colourType: number, interlace = 0) {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  data[8] = depth;
  data[9] = colourType;
  data[12] = interlace;
  return chunk('IHDR', data);
}

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG from already filtered scanlines (each with its filter byte) and extra chunks. */
function png(header: Uint8Array, lines: Uint8Array, extra: readonly Uint8Array[] = []): Uint8Array {
  return concat([
    SIGNATURE,
    header,
    ...extra,
    chunk('IDAT', new Uint8Array(deflateSync(lines))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Packs samples of `depth` (1, 2 or 4) bits MSB first into bytes, one scanline. */
function pack(samples: readonly number[], depth: number): number[] {
  const out = new Array<number>(Math.ceil((samples.length * depth) / 8)).fill(0);
  samples.forEach((v, i) => {
    const bit = i * depth;
    out[bit >>> 3]! |= v << (8 - depth - (bit & 7));
  });
  return out;
}

/** Forward filter of one scanline with a fixed type (PNG spec §9.2), as a reference encoder. */
function filterLine(type: number, row: Uint8Array, up: Uint8Array, bpp: number): number[] {
  return [
    type,
    ...Array.from(row, (x, i) => {
      const a = i >= bpp ? row[i - bpp]! : 0;
      const b = up[i]!;
      const c = i >= bpp ? up[i - bpp]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >>> 1, paeth][type]!;
      return (x - predictor) & 0xff;
    }),
  ];
}

function expectFormatError(f: () => unknown, pattern: RegExp): void {
  try {
    f();
  } catch (error) {
    expect(isPlatformError(error) && error.code).toBe('ERR_FORMAT');
    expect((error as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected ERR_FORMAT');
}

describe('readPng', () => {
  it('reads what writePng writes: 8- and 16-bit grey, RGB, RGBA', () => {
    const w = 37;
    const h = 23;
    for (const channels of [1, 3, 4] as const) {
      const data8 = Uint8Array.from({ length: w * h * channels }, (_, i) => (i * 7919) % 251);
      const got8 = readPng(writePng({ width: w, height: h, channels, bitDepth: 8, data: data8 }));
      expect(got8).toMatchObject({ width: w, height: h, channels, bitDepth: 8 });
      expect(got8.data).toEqual(data8);
      const data16 = Uint16Array.from({ length: w * h * channels }, (_, i) => (i * 104729) % 65521);
      const got16 = readPng(
        writePng({ width: w, height: h, channels, bitDepth: 16, data: data16 }),
      );
      expect(got16).toMatchObject({ channels, bitDepth: 16, sourceBitDepth: 16 });
      expect(got16.data).toEqual(data16);
    }
  });

  it('undoes each of the five filter types', () => {
    const w = 9;
    const bpp = 3;
    const rows = Array.from({ length: 6 }, (_, y) =>
      Uint8Array.from({ length: w * bpp }, (_, i) => (y * 53 + i * i * 11 + 200) & 0xff),
    );
    const lines = rows.flatMap((row, y) =>
      filterLine(y % 5, row, y === 0 ? new Uint8Array(w * bpp) : rows[y - 1]!, bpp),
    );
    const got = readPng(png(ihdr(w, rows.length, 8, 2), Uint8Array.from(lines)));
    expect(got.data).toEqual(concat(rows));
  });

  it('reads palette images as colours or as indices (labels), with tRNS', () => {
    const indices = [0, 1, 2, 3, 2, 1, 0, 3, 3];
    // 2-bit palette: 3 pixels per row, 3 rows; each row 1 byte.
    const lines = [0, 1, 2].flatMap((y) => [0, ...pack(indices.slice(y * 3, y * 3 + 3), 2)]);
    const plte = chunk('PLTE', Uint8Array.from([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]));
    const file = png(ihdr(3, 3, 2, 3), Uint8Array.from(lines), [plte]);
    const asIndices = readPng(file, { palette: 'indices' });
    expect(asIndices).toMatchObject({ channels: 1, colourType: 'palette', sourceBitDepth: 2 });
    expect(Array.from(asIndices.data)).toEqual(indices);
    const rgb = readPng(file);
    expect(rgb.channels).toBe(3);
    expect(Array.from(rgb.data.subarray(3, 9))).toEqual([255, 0, 0, 0, 255, 0]);
    const trns = chunk('tRNS', Uint8Array.from([0, 128]));
    const rgba = readPng(png(ihdr(3, 3, 2, 3), Uint8Array.from(lines), [plte, trns]));
    expect(rgba.channels).toBe(4);
    // Entries past the end of tRNS are opaque.
    expect(Array.from(rgba.data.subarray(0, 12))).toEqual([
      0, 0, 0, 0, 255, 0, 0, 128, 0, 255, 0, 255,
    ]);
  });

  it('reads 1-bit grey scaled to 0..255, or as stored', () => {
    const bits = [1, 0, 1, 1, 0, 0, 0, 1, 1, 1];
    const file = png(ihdr(10, 1, 1, 0), Uint8Array.from([0, ...pack(bits, 1)]));
    expect(Array.from(readPng(file).data)).toEqual(bits.map((b) => b * 255));
    expect(Array.from(readPng(file, { scaleLowBitDepth: false }).data)).toEqual(bits);
  });

  it('reads Adam7-interlaced images', () => {
    const w = 11;
    const h = 7;
    const pixel = (x: number, y: number): number => (x * 17 + y * 29) & 0xff;
    const passes = [
      [0, 0, 8, 8],
      [4, 0, 8, 8],
      [0, 4, 4, 8],
      [2, 0, 4, 4],
      [0, 2, 2, 4],
      [1, 0, 2, 2],
      [0, 1, 1, 2],
    ];
    const lines: number[] = [];
    for (const [x0, y0, dx, dy] of passes) {
      for (let y = y0!; y < h; y += dy!) {
        const row: number[] = [];
        for (let x = x0!; x < w; x += dx!) row.push(pixel(x, y));
        if (row.length > 0) lines.push(0, ...row);
      }
    }
    const got = readPng(png(ihdr(w, h, 8, 0, 1), Uint8Array.from(lines)));
    expect(got.interlaced).toBe(true);
    const expected = Array.from({ length: w * h }, (_, i) => pixel(i % w, Math.floor(i / w)));
    expect(Array.from(got.data)).toEqual(expected);
  });

  it('keeps grey + alpha as two channels', () => {
    const file = png(ihdr(2, 1, 8, 4), Uint8Array.from([0, 10, 20, 30, 40]));
    expect(readPng(file)).toMatchObject({ channels: 2, colourType: 'grey-alpha' });
    expect(Array.from(readPng(file).data)).toEqual([10, 20, 30, 40]);
  });

  it('rejects bad input with ERR_FORMAT and the reason', () => {
    const good = writePng({
      width: 4,
      height: 4,
      channels: 1,
      bitDepth: 8,
      data: new Uint8Array(16),
    });
    expectFormatError(() => readPng(new Uint8Array([1, 2, 3])), /signature/);
    const corrupt = good.slice();
    corrupt[20] = corrupt[20]! ^ 0xff; // inside IHDR
    expectFormatError(() => readPng(corrupt), /CRC mismatch in chunk IHDR/);
    expectFormatError(() => readPng(good.subarray(0, good.length - 12)), /IEND|truncated/);
    expectFormatError(() => readPng(good.subarray(0, 40)), /runs past the end|truncated/);
    expectFormatError(
      () => readPng(png(ihdr(2, 2, 3, 0), Uint8Array.from([0, 0, 0, 0]))),
      /bit depth 3/,
    );
    expectFormatError(
      () => readPng(png(ihdr(2, 1, 8, 0), Uint8Array.from([7, 1, 2]))),
      /unknown filter type/,
    );
    expectFormatError(
      () => readPng(png(ihdr(4, 2, 8, 0), Uint8Array.from([0, 1, 2, 3, 4]))),
      /truncated IDAT|header needs more/,
    );
    expectFormatError(
      () => readPng(png(ihdr(1, 1, 8, 3), Uint8Array.from([0, 0]))),
      /without a PLTE/,
    );
    const plte = chunk('PLTE', Uint8Array.from([1, 2, 3]));
    expectFormatError(
      () => readPng(png(ihdr(1, 1, 8, 3), Uint8Array.from([0, 5]), [plte])),
      /palette index 5/,
    );
    const broken = concat([
      SIGNATURE,
      ihdr(1, 1, 8, 0),
      chunk('IDAT', Uint8Array.from([1, 2, 3, 4])),
      chunk('IEND', new Uint8Array(0)),
    ]);
    expectFormatError(() => readPng(broken), /does not inflate/);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from './kernels/crc32.js';
import { writePng } from './write-png.js';
import type { PngImage } from './write-png.js';

interface Decoded {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colourType: number;
  readonly filters: number[];
  readonly samples: number[];
  readonly chunkTypes: string[];
}

/** Node's own CRC-32 (zlib.crc32, Node ≥ 20.15): independent of the encoder's table. */
const nodeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array) => number }).crc32;

/**
 * A minimal PNG decoder for the test: chunk walk with CRC check, inflate, unfilter (all five
 * filter types, PNG spec §9.2), big-endian 16-bit samples.
 */
function decodePng(bytes: Uint8Array): Decoded {
  expect(Array.from(bytes.subarray(0, 8))).toEqual([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
  ]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  const chunkTypes: string[] = [];
  const idat: Uint8Array[] = [];
  let ihdr: DataView | undefined;
  while (offset < bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    const crc = view.getUint32(offset + 8 + length);
    const covered = bytes.subarray(offset + 4, offset + 8 + length);
    expect(crc).toBe(crc32(covered));
    if (nodeCrc32 !== undefined) expect(crc).toBe(nodeCrc32(covered));
    chunkTypes.push(type);
    if (type === 'IHDR') ihdr = new DataView(body.buffer, body.byteOffset, body.byteLength);
    if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  if (ihdr === undefined) throw new Error('no IHDR');
  const width = ihdr.getUint32(0);
  const height = ihdr.getUint32(4);
  const bitDepth = ihdr.getUint8(8);
  const colourType = ihdr.getUint8(9);
  expect([ihdr.getUint8(10), ihdr.getUint8(11), ihdr.getUint8(12)]).toEqual([0, 0, 0]);
  const channels = { 0: 1, 2: 3, 6: 4 }[colourType as 0 | 2 | 6];
  const bpp = (channels * bitDepth) / 8;
  const stride = width * bpp;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe(height * (stride + 1));
  const out = new Uint8Array(height * stride);
  const filters: number[] = [];
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)]!;
    filters.push(type);
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= bpp ? out[y * stride + x - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp]! : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][type];
      if (predictor === undefined) throw new Error(`bad filter ${type}`);
      out[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  const samples: number[] = [];
  if (bitDepth === 16)
    for (let i = 0; i < out.length; i += 2) samples.push((out[i]! << 8) | out[i + 1]!);
  else samples.push(...out);
  return { width, height, bitDepth, colourType, filters, samples, chunkTypes };
}

/** A deterministic pseudo-random generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function image(
  width: number,
  height: number,
  channels: 1 | 3 | 4,
  bitDepth: 8 | 16,
  seed: number,
): PngImage {
  const next = random(seed);
  const n = width * height * channels;
  const max = bitDepth === 16 ? 65535 : 255;
  // Half smooth gradient (favours Sub/Up/Paeth), half noise (favours None).
  const value = (i: number): number => {
    const x = Math.floor(i / channels) % width;
    const y = Math.floor(i / channels / width);
    return y < height / 2
      ? Math.round(((x + y) / (width + height)) * max)
      : Math.floor(next() * (max + 1));
  };
  const data =
    bitDepth === 16
      ? Uint16Array.from({ length: n }, (_, i) => value(i))
      : Uint8Array.from({ length: n }, (_, i) => value(i));
  return { width, height, channels, bitDepth, data };
}

describe('crc32', () => {
  it('matches the published CRC of the IEND chunk type and of "123456789"', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('writePng', () => {
  const cases = [
    [1, 8],
    [1, 16],
    [3, 8],
    [3, 16],
    [4, 8],
    [4, 16],
  ] as const;

  for (const [channels, bitDepth] of cases) {
    it(`round-trips ${channels}-channel ${bitDepth}-bit pixels through an independent decoder`, () => {
      const input = image(37, 23, channels, bitDepth, channels * 100 + bitDepth);
      const decoded = decodePng(writePng(input));
      expect(decoded).toMatchObject({
        width: 37,
        height: 23,
        bitDepth,
        colourType: { 1: 0, 3: 2, 4: 6 }[channels],
      });
      expect(decoded.chunkTypes).toEqual(['IHDR', 'IDAT', 'IEND']);
      expect(decoded.samples).toEqual(Array.from(input.data));
    });
  }

  it('chooses filters per row: smooth gradient rows get a predicting filter, not None', () => {
    const { filters } = decodePng(writePng(image(64, 32, 1, 8, 7)));
    expect(filters.slice(1, 16).every((f) => f !== 0)).toBe(true);
    expect(filters.every((f) => f >= 0 && f <= 4)).toBe(true);
  });

  it('writes 16-bit samples big endian', () => {
    const bytes = writePng(
      { width: 1, height: 1, channels: 1, bitDepth: 16, data: new Uint16Array([0x1234]) },
      { level: 0 },
    );
    const raw = zlib.inflateSync(bytes.subarray(8 + 25 + 8, bytes.length - 12 - 4));
    expect(Array.from(raw)).toEqual([0, 0x12, 0x34]);
  });

  it('rejects a sample count or array type that does not match', () => {
    expect(() =>
      writePng({ width: 2, height: 2, channels: 1, bitDepth: 8, data: new Uint8Array(3) }),
    ).toThrow('4 expected');
    expect(() =>
      writePng({ width: 1, height: 1, channels: 1, bitDepth: 16, data: new Uint8Array(1) }),
    ).toThrow('Uint16Array');
  });

  const pngcheck = spawnSync('pngcheck', ['-h'], { encoding: 'utf8' });
  it.skipIf(pngcheck.error !== undefined)(
    'passes pngcheck (skipped where pngcheck is not installed)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'medscale-png-'));
      try {
        for (const [channels, bitDepth] of cases) {
          const file = join(dir, `c${channels}b${bitDepth}.png`);
          writeFileSync(file, writePng(image(50, 40, channels, bitDepth, 3)));
          const run = spawnSync('pngcheck', ['-v', file], { encoding: 'utf8' });
          expect(run.stdout).toContain('No errors detected');
          expect(run.status).toBe(0);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

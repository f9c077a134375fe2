import { deflateSync } from 'node:zlib';
import { PlatformError } from '../core/index.js';
import { crc32 } from './kernels/crc32.js';
import { bigEndian16, filterScanlines } from './kernels/png-filter.js';

/** An image to encode as PNG: samples row-major, interleaved per pixel. */
export interface PngImage {
  /** Pixels per row, at least 1. */
  readonly width: number;
  /** Rows, at least 1. */
  readonly height: number;
  /** 1: greyscale; 3: RGB; 4: RGBA (alpha not premultiplied). */
  readonly channels: 1 | 3 | 4;
  /** Bits per sample. */
  readonly bitDepth: 8 | 16;
  /**
   * `width × height × channels` samples, top row first. 8-bit: values 0..255; 16-bit: 0..65535
   * in host order (written big endian, as PNG requires).
   */
  readonly data: Uint8Array | Uint8ClampedArray | Uint16Array;
}

/** Options of {@link writePng}. */
export interface WritePngOptions {
  /**
   * zlib level for IDAT, 0 (store) to 9 (smallest).
   * @defaultValue 6
   */
  readonly level?: number;
}

/** The 8-byte PNG signature (PNG spec §5.2). */
const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** IHDR colour type by channel count (PNG spec §11.2.2): grey 0, truecolour 2, RGBA 6. */
const COLOUR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

function chunk(type: string, data: Uint8Array): Uint8Array {
  // length (4, big endian) + type (4) + data + CRC over type and data (PNG spec §5.3).
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes an image as PNG (ISO/IEC 15948, PNG spec 2nd edition): signature, IHDR, one IDAT
 * (zlib via node:zlib `deflateSync`, each row filtered with the per-row adaptive choice of
 * §12.8, minimum sum of absolute differences), IEND. Non-interlaced. 16-bit samples are written big endian (§7.1).
 *
 * @remarks
 * Throws `ERR_USAGE` when the sample count does not match `width × height × channels` or the
 * array type does not match `bitDepth`.
 *
 * @example
 * ```ts
 * writePng({ width: 2, height: 1, channels: 1, bitDepth: 8, data: new Uint8Array([0, 255]) });
 * // returns the bytes of a 2×1 greyscale PNG, black then white
 * ```
 */
export function writePng(image: PngImage, options: WritePngOptions = {}): Uint8Array {
  const { width, height, channels, bitDepth, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new PlatformError('ERR_USAGE', `PNG size ${width}×${height} is not positive integers`);
  }
  if (data.length !== width * height * channels) {
    throw new PlatformError(
      'ERR_USAGE',
      `PNG data has ${data.length} samples, ${width}×${height}×${channels} = ${width * height * channels} expected`,
    );
  }
  if ((bitDepth === 16) !== data instanceof Uint16Array) {
    throw new PlatformError(
      'ERR_USAGE',
      `bitDepth ${bitDepth} needs ${bitDepth === 16 ? 'a Uint16Array' : 'a Uint8Array'}`,
    );
  }
  const bytesPerSample = bitDepth / 8;
  const bpp = channels * bytesPerSample;
  const stride = width * bpp;
  const raw =
    data instanceof Uint16Array
      ? bigEndian16(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = bitDepth;
  ihdr[9] = COLOUR_TYPE[channels];
  // ihdr[10..12]: compression 0 (deflate), filter method 0 (adaptive), interlace 0 (none).
  const filtered = filterScanlines(raw, height, stride, bpp);
  const idat = deflateSync(filtered, options.level === undefined ? {} : { level: options.level });
  const parts = [
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(idat.buffer, idat.byteOffset, idat.byteLength)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

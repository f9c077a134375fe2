import { inflateSync } from 'node:zlib';
import { PlatformError, errorMessage } from '../core/index.js';
import { crc32 } from './kernels/crc32.js';

/** PNG colour types (PNG spec §11.2.2, IHDR). */
export type PngColourType = 'grey' | 'rgb' | 'palette' | 'grey-alpha' | 'rgba';

/** What {@link readPng} returns: samples row-major, interleaved per pixel, top row first. */
export interface DecodedPng {
  /** Pixels per row. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
  /**
   * Samples per pixel of `data`: 1 grey (or palette indices), 2 grey + alpha, 3 RGB, 4 RGBA.
   * An expanded palette gives 3, or 4 when it has a `tRNS` chunk.
   */
  readonly channels: 1 | 2 | 3 | 4;
  /** Bits per sample of `data`: 8 (a `Uint8Array`) or 16 (a `Uint16Array`, host order). */
  readonly bitDepth: 8 | 16;
  readonly data: Uint8Array | Uint16Array;
  /** The colour type the file stores. */
  readonly colourType: PngColourType;
  /** The bit depth the file stores (1, 2, 4, 8 or 16); 1–4 are unpacked to one byte each. */
  readonly sourceBitDepth: 1 | 2 | 4 | 8 | 16;
  /** The palette as RGB triplets (`PLTE`), for palette images. */
  readonly palette?: Uint8Array;
  /** Whether the file is Adam7-interlaced (decoded to a plain raster all the same). */
  readonly interlaced: boolean;
}

/** Options of {@link readPng}. */
export interface ReadPngOptions {
  /**
   * For palette images: `'expand'` returns RGB (RGBA with `tRNS`) colours; `'indices'` returns
   * the palette indices as one channel, as label masks stored as palette PNGs need (the colours
   * are then in `palette`).
   * @defaultValue 'expand'
   */
  readonly palette?: 'expand' | 'indices';
  /**
   * Low bit depths of greyscale images (1, 2, 4) are scaled to 0..255 (`true`, as viewers show
   * them) or kept as the stored values 0..2^depth − 1 (`false`, as label masks need).
   * @defaultValue true
   */
  readonly scaleLowBitDepth?: boolean;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const COLOUR_TYPES: Readonly<Record<number, PngColourType>> = {
  0: 'grey',
  2: 'rgb',
  3: 'palette',
  4: 'grey-alpha',
  6: 'rgba',
};
/** Samples per pixel of each colour type as stored. */
const STORED_CHANNELS: Readonly<Record<PngColourType, number>> = {
  grey: 1,
  rgb: 3,
  palette: 1,
  'grey-alpha': 2,
  rgba: 4,
};
/** Allowed bit depths per colour type (PNG spec §11.2.2, Table 11.1). */
const DEPTHS: Readonly<Record<PngColourType, readonly number[]>> = {
  grey: [1, 2, 4, 8, 16],
  rgb: [8, 16],
  palette: [1, 2, 4, 8],
  'grey-alpha': [8, 16],
  rgba: [8, 16],
};
/** Adam7 passes: x start, y start, x step, y step (PNG spec §8.2). */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;
/**
 * Reverses the scanline filters in place (PNG spec §9.2–9.4): `lines` holds `height` lines of a
 * filter-type byte and `stride` filtered bytes. Returns the first line with an unknown filter
 * type, or -1.
 */
function unfilterScanlines(lines: Uint8Array, height: number, stride: number, bpp: number): number {
  for (let y = 0; y < height; y++) {
    const at = y * (stride + 1) + 1;
    const up = at - stride - 1; // the previous line's first byte (y > 0)
    const type = lines[at - 1] ?? 0;
    if (type === 0) continue;
    if (type > 4) return y;
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? (lines[at + x - bpp] ?? 0) : 0;
      const above = y > 0 ? (lines[up + x] ?? 0) : 0;
      let predictor: number;
      switch (type) {
        case 1:
          predictor = left;
          break;
        case 2:
          predictor = above;
          break;
        case 3:
          predictor = (left + above) >>> 1;
          break;
        case 4: {
          const c = y > 0 && x >= bpp ? (lines[up + x - bpp] ?? 0) : 0;
          const p = left + above - c;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - above);
          const pc = Math.abs(p - c);
          predictor = pa <= pb && pa <= pc ? left : pb <= pc ? above : c;
          break;
        }
        default:
          predictor = 0;
      }
      lines[at + x] = ((lines[at + x] ?? 0) + predictor) & 0xff;
    }
  }
  return -1;
}

/** A decoded image larger than this many samples is refused (a corrupt or hostile header). */
const MAX_SAMPLES = 2 ** 30;

function bad(message: string): PlatformError {
  return new PlatformError('ERR_FORMAT', `not a readable PNG file: ${message}`);
}

interface Header {
  readonly width: number;
  readonly height: number;
  readonly depth: 1 | 2 | 4 | 8 | 16;
  readonly colourType: PngColourType;
  readonly interlaced: boolean;
}

function parseHeader(data: Uint8Array): Header {
  if (data.length !== 13) throw bad(`IHDR has ${data.length} bytes, 13 expected`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const depth = data[8] ?? 0;
  const colourType = COLOUR_TYPES[data[9] ?? 255];
  if (width === 0 || height === 0) throw bad(`size ${width}×${height}`);
  if (colourType === undefined) throw bad(`colour type ${data[9] ?? ''} is not 0, 2, 3, 4 or 6`);
  if (!DEPTHS[colourType].includes(depth))
    throw bad(`bit depth ${depth} is not allowed for colour type ${colourType}`);
  if (data[10] !== 0 || data[11] !== 0)
    throw bad('compression or filter method is not 0 (deflate, adaptive)');
  if (data[12] !== 0 && data[12] !== 1) throw bad(`interlace method ${data[12] ?? ''}`);
  if (width * height * STORED_CHANNELS[colourType] > MAX_SAMPLES)
    throw bad(`${width}×${height} pixels is more than this reader accepts`);
  return { width, height, depth: depth as Header['depth'], colourType, interlaced: data[12] === 1 };
}

/**
 * Unpacks one pass's unfiltered scanlines into `out` (samples of `channels`, one per stored
 * sample; 16-bit as host numbers), at pixel positions `x0 + i·dx`, `y0 + j·dy` of the full image.
 */
function place(
  raw: Uint8Array,
  h: Header,
  passWidth: number,
  passHeight: number,
  stride: number,
  out: Uint8Array | Uint16Array,
  [x0, y0, dx, dy]: readonly [number, number, number, number],
): void {
  const channels = STORED_CHANNELS[h.colourType];
  const samplesPerRow = passWidth * channels;
  for (let j = 0; j < passHeight; j++) {
    const line = j * (stride + 1) + 1;
    const y = y0 + j * dy;
    for (let s = 0; s < samplesPerRow; s++) {
      let v: number;
      if (h.depth === 16) v = ((raw[line + 2 * s] ?? 0) << 8) | (raw[line + 2 * s + 1] ?? 0);
      else if (h.depth === 8) v = raw[line + s] ?? 0;
      else {
        const bit = s * h.depth;
        const byte = raw[line + (bit >>> 3)] ?? 0;
        v = (byte >>> (8 - h.depth - (bit & 7))) & ((1 << h.depth) - 1);
      }
      const x = x0 + Math.floor(s / channels) * dx;
      out[(y * h.width + x) * channels + (s % channels)] = v;
    }
  }
}

/**
 * Decodes a PNG file (ISO/IEC 15948, PNG spec 2nd edition) with node:zlib: every colour type
 * (greyscale, truecolour, palette, grey + alpha, RGBA), every bit depth (1, 2, 4, 8, 16),
 * the five scanline filters (§9.2) and Adam7 interlacing (§8.2). Chunk CRCs are checked
 * (§5.3); ancillary chunks other than `tRNS` are skipped. 16-bit samples come back as host
 * numbers in a `Uint16Array`; 1-, 2- and 4-bit samples one per byte.
 *
 * @remarks
 * Throws `ERR_FORMAT`, naming what is wrong, for a missing signature, a bad CRC, a truncated
 * file, an invalid IHDR, a palette index outside `PLTE`, or IDAT data that does not inflate to
 * the size the header implies.
 *
 * @example
 * ```ts
 * const png = readPng(writePng({ width: 2, height: 1, channels: 1, bitDepth: 8, data: new Uint8Array([0, 255]) }));
 * png.data; // Uint8Array [0, 255]
 * ```
 */
export function readPng(bytes: Uint8Array, options: ReadPngOptions = {}): DecodedPng {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b))
    throw bad('the 8-byte PNG signature is missing');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Header | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let at = 8; at < bytes.length && !ended;) {
    if (at + 12 > bytes.length) throw bad(`truncated chunk at byte ${at}`);
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const end = at + 12 + length;
    if (end > bytes.length) throw bad(`chunk ${type} at byte ${at} runs past the end of the file`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length))
      throw bad(`CRC mismatch in chunk ${type} at byte ${at}`);
    if (header === undefined && type !== 'IHDR') throw bad('the first chunk is not IHDR');
    switch (type) {
      case 'IHDR':
        if (header !== undefined) throw bad('two IHDR chunks');
        header = parseHeader(data);
        break;
      case 'PLTE':
        if (length % 3 !== 0 || length === 0 || length > 768)
          throw bad(`PLTE has ${length} bytes (a multiple of 3, at most 768, expected)`);
        palette = data.slice();
        break;
      case 'tRNS':
        transparency = data.slice();
        break;
      case 'IDAT':
        idat.push(data);
        break;
      case 'IEND':
        ended = true;
        break;
      default:
        // Bit 5 of the first type byte clear: critical; a reader must not skip it (§5.4).
        if (((bytes[at + 4] ?? 0) & 0x20) === 0) throw bad(`unknown critical chunk ${type}`);
    }
    at = end;
  }
  if (header === undefined) throw bad('no IHDR chunk');
  if (!ended) throw bad('no IEND chunk: the file is truncated');
  if (idat.length === 0) throw bad('no IDAT chunk');
  if (header.colourType === 'palette' && palette === undefined)
    throw bad('palette image without a PLTE chunk');

  const joined = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of idat) {
    joined.set(c, offset);
    offset += c.length;
  }
  let raw: Uint8Array;
  try {
    const inflated = inflateSync(joined);
    raw = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    throw bad(`IDAT data does not inflate: ${errorMessage(error)}`);
  }

  const h = header;
  const channels = STORED_CHANNELS[h.colourType];
  const bitsPerPixel = channels * h.depth;
  const bpp = Math.max(1, bitsPerPixel >>> 3);
  const samples = h.width * h.height * channels;
  const stored = h.depth === 16 ? new Uint16Array(samples) : new Uint8Array(samples);
  const passes = h.interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  let consumed = 0;
  for (const pass of passes) {
    const [x0, y0, dx, dy] = pass;
    const passWidth = Math.ceil((h.width - x0) / dx);
    const passHeight = Math.ceil((h.height - y0) / dy);
    if (passWidth <= 0 || passHeight <= 0) continue;
    const stride = Math.ceil((passWidth * bitsPerPixel) / 8);
    const size = passHeight * (stride + 1);
    if (consumed + size > raw.length)
      throw bad(`image data has ${raw.length} bytes, the header needs more (truncated IDAT)`);
    const lines = raw.subarray(consumed, consumed + size);
    const error = unfilterScanlines(lines, passHeight, stride, bpp);
    if (error >= 0) throw bad(`scanline ${error} has an unknown filter type`);
    place(lines, h, passWidth, passHeight, stride, stored, pass);
    consumed += size;
  }
  if (consumed !== raw.length)
    throw bad(`image data has ${raw.length} bytes, the header implies ${consumed}`);

  const common = {
    width: h.width,
    height: h.height,
    colourType: h.colourType,
    sourceBitDepth: h.depth,
    interlaced: h.interlaced,
  };
  if (h.colourType === 'palette' && palette !== undefined) {
    const entries = palette.length / 3;
    for (let i = 0; i < stored.length; i++) {
      if ((stored[i] ?? 0) >= entries)
        throw bad(`palette index ${stored[i] ?? 0} at pixel ${i}; PLTE has ${entries} entries`);
    }
    if (options.palette === 'indices')
      return { ...common, channels: 1, bitDepth: 8, data: stored, palette };
    const alpha = transparency !== undefined;
    const outChannels = alpha ? 4 : 3;
    const out = new Uint8Array(h.width * h.height * outChannels);
    for (let i = 0; i < stored.length; i++) {
      const index = stored[i] ?? 0;
      out[i * outChannels] = palette[3 * index] ?? 0;
      out[i * outChannels + 1] = palette[3 * index + 1] ?? 0;
      out[i * outChannels + 2] = palette[3 * index + 2] ?? 0;
      // tRNS may be shorter than PLTE: missing entries are opaque (§11.3.2.1).
      if (transparency !== undefined) out[i * 4 + 3] = transparency[index] ?? 255;
    }
    return { ...common, channels: outChannels, bitDepth: 8, data: out, palette };
  }
  if (h.depth < 8 && (options.scaleLowBitDepth ?? true)) {
    const factor = 255 / ((1 << h.depth) - 1);
    for (let i = 0; i < stored.length; i++) stored[i] = Math.round((stored[i] ?? 0) * factor);
  }
  return {
    ...common,
    channels: channels as 1 | 2 | 3 | 4,
    bitDepth: h.depth === 16 ? 16 : 8,
    data: stored,
  };
}

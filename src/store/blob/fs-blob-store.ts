import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PlatformError, errorMessage, isPlatformError, parseBlobDigest } from '../../core/index.js';
import type { BlobDigest } from '../../core/index.js';
import {
  BLOB_HEADER_SIZE,
  blobCodecSettings,
  decodeBlob,
  encodeBlob,
  parseBlobHeader,
} from './blob-codec.js';
import type { BlobCodecSettings, BlobCompression } from './blob-codec.js';
import type {
  BlobStat,
  BlobStore,
  CorruptBlob,
  GetBlobOptions,
  PutResult,
  VerifyAllOptions,
  VerifyReport,
} from './blob-store.js';
import { DIGEST_PREFIX, digestHex, sha256Hex } from './digest.js';
import { DirSyncer } from './dir-syncer.js';
import { mapLimit } from './map-limit.js';

/** Options of {@link FsBlobStore}. */
export interface FsBlobStoreOptions {
  /**
   * Codec for blobs this store writes. Reading never depends on it: every file names its codec.
   * @defaultValue 'none'
   */
  readonly compression?: BlobCompression;
  /**
   * Codec level: 0–9 for gzip and deflate, 0–11 for brotli.
   * @defaultValue 6 for gzip and deflate, 3 for brotli
   */
  readonly level?: number;
  /**
   * Whether to fsync files and directories. Turning it off breaks the durability promise
   * ("nothing acknowledged is lost"); it exists for throwaway stores in tests and benchmarks.
   * @defaultValue true
   */
  readonly fsync?: boolean;
  /**
   * Files written in parallel within one `putMany`. Bounds open descriptors and memory.
   * @defaultValue 32
   */
  readonly concurrency?: number;
}

/** Options of {@link FsBlobStore.sweepTemp}. */
export interface SweepTempOptions {
  /**
   * Only temp files older than this are removed, in milliseconds: another process sharing the
   * store may be writing the younger ones.
   * @defaultValue 86_400_000 (one day)
   */
  readonly olderThanMs?: number;
}

/*
 * Process-wide state, keyed by absolute path: whether a directory entry is durable, or a blob is
 * being written, is a fact about the filesystem, not about one store object. Several objects on
 * one root (one per compression setting, say) then share first-touch directory syncs, coalesced
 * directory fsyncs and in-flight writes.
 */
const DIRS = new DirSyncer();
/** Directories whose own entry is known durable (synced in their parent by this process). */
const DURABLE_DIRS = new Map<string, Promise<void>>();
/** Blobs being written by this process, by final path. */
const IN_FLIGHT = new Map<string, Pending>();

/** Errors of `link()` on filesystems without hard links; the store then falls back to rename. */
const LINK_UNSUPPORTED: ReadonlySet<string> = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

const HEX64 = /^[0-9a-f]{64}$/;
const HEX2 = /^[0-9a-f]{2}$/;

/** One blob this call writes. */
interface WriteJob {
  readonly hex: string;
  readonly bytes: Uint8Array;
  readonly pending: Pending;
  result: PutResult | undefined;
}

/** How one input item of `putMany` gets its result. */
type Slot =
  | { readonly kind: 'write'; readonly job: WriteJob }
  | { readonly kind: 'wait'; readonly promise: Promise<PutResult> }
  | { readonly kind: 'repeat'; readonly first: number };

function resultOf(job: WriteJob): PutResult {
  if (job.result === undefined)
    throw new PlatformError('ERR_INTERNAL', 'blob write left no result');
  return job.result;
}

/** A write in flight: later puts of the same content in this process wait for it. */
interface Pending {
  readonly promise: Promise<PutResult>;
  resolve(result: PutResult): void;
  reject(error: unknown): void;
}

function deferred(): Pending {
  let resolve!: (result: PutResult) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<PutResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejections reach whoever awaits; this guard keeps an unawaited one from crashing the process.
  promise.catch(noop);
  return { promise, resolve, reject };
}

function noop(): void {
  // Intentionally empty: see callers.
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

function ioError(what: string, error: unknown): PlatformError {
  if (isPlatformError(error)) return error;
  return new PlatformError('ERR_IO', `${what}: ${errorMessage(error)}`, {
    cause: error,
    retryable: true,
  });
}

/**
 * A {@link BlobStore} in a local or shared filesystem directory.
 *
 * Layout: `<root>/sha256/ab/cd/<64 hex>` for the blob whose SHA-256 starts `abcd`, and
 * `<root>/tmp/` for files being written (on the same filesystem, so a rename or link is atomic).
 * Each stored file starts with a 16-byte header naming its codec, so stores with different
 * compression settings read each other's blobs.
 *
 * @remarks
 * A write is: temp file, write, fsync the file, hard-link it to its final name (fails if that name
 * exists, so two writers never leave two copies and exactly one reports `created`), unlink the temp
 * name, fsync the directory. Newly created fan-out directories have their parents synced too. A
 * crash at any point leaves either no blob or a whole one, plus at worst a stray temp file that
 * {@link FsBlobStore.sweepTemp} removes.
 *
 * @example
 * ```ts
 * const store = await FsBlobStore.open('/data/blobs', { compression: 'gzip' });
 * const [result] = await store.putMany([bytes]);
 * const same = await store.get(result!.digest, { verify: true });
 * ```
 */
export class FsBlobStore implements BlobStore {
  /** The store's directory. */
  readonly root: string;
  /** Codec and level used for new blobs. */
  readonly codec: BlobCodecSettings;
  readonly #fsync: boolean;
  readonly #concurrency: number;
  readonly #blobDir: string;
  readonly #tmpDir: string;
  #ready: Promise<void> | undefined;
  #useLinks = true;
  #tmpCounter = 0;
  readonly #tmpPrefix = `${process.pid}.${randomBytes(6).toString('hex')}`;

  /**
   * A store rooted at `root`. Nothing touches the disk until the first write (or
   * {@link FsBlobStore.init}); throws `ERR_CONFIG` for an unknown codec or level.
   */
  constructor(root: string, options: FsBlobStoreOptions = {}) {
    this.root = root;
    this.codec = blobCodecSettings(options.compression ?? 'none', options.level);
    this.#fsync = options.fsync ?? true;
    this.#concurrency = Math.max(1, options.concurrency ?? 32);
    this.#blobDir = join(resolve(root), 'sha256');
    this.#tmpDir = join(resolve(root), 'tmp');
  }

  /** Creates (if needed) and opens a store; same as the constructor plus {@link FsBlobStore.init}. */
  static async open(root: string, options: FsBlobStoreOptions = {}): Promise<FsBlobStore> {
    const store = new FsBlobStore(root, options);
    await store.init();
    return store;
  }

  /** Creates the store's directories durably. Writes call it themselves; it runs once. */
  init(): Promise<void> {
    this.#ready ??= this.#createDirectories().catch((error: unknown) => {
      this.#ready = undefined;
      throw ioError(`cannot create blob store at ${this.root}`, error);
    });
    return this.#ready;
  }

  async #createDirectories(): Promise<void> {
    const first = await fs.mkdir(this.root, { recursive: true });
    await fs.mkdir(this.#blobDir, { recursive: true });
    await fs.mkdir(this.#tmpDir, { recursive: true });
    if (!this.#fsync) return;
    await this.#syncDir(this.root);
    // mkdir -p returns the topmost directory it created: its parent must record it as well.
    if (first !== undefined) {
      for (let dir = dirname(this.root); ; dir = dirname(dir)) {
        await this.#syncDir(dir);
        if (dir === dirname(first) || dir === dirname(dir)) break;
      }
    }
  }

  async #syncDir(dir: string): Promise<void> {
    if (this.#fsync) await DIRS.sync(dir);
  }

  /** Path of the stored file for `digest` (whether or not it exists). */
  pathOf(digest: BlobDigest): string {
    const hex = digestHex(digest);
    return this.#pathOfHex(hex);
  }

  #pathOfHex(hex: string): string {
    return join(this.#blobDir, hex.slice(0, 2), hex.slice(2, 4), hex);
  }

  /** {@inheritDoc BlobStore.put} */
  async put(bytes: Uint8Array): Promise<PutResult> {
    const [result] = await this.putMany([bytes]);
    if (result === undefined) throw new PlatformError('ERR_INTERNAL', 'putMany returned no result');
    return result;
  }

  /** {@inheritDoc BlobStore.putMany} */
  async putMany(items: readonly Uint8Array[]): Promise<readonly PutResult[]> {
    await this.init();
    const slots: Slot[] = [];
    const jobs: WriteJob[] = [];
    // Hash and claim synchronously, before any await, so that a concurrent putMany of the same
    // content in this process finds the claim and waits instead of writing a second time.
    const firstOfBatch = new Map<string, number>();
    items.forEach((bytes, index) => {
      const hex = sha256Hex(bytes);
      const first = firstOfBatch.get(hex);
      if (first !== undefined) {
        slots.push({ kind: 'repeat', first });
        return;
      }
      firstOfBatch.set(hex, index);
      const claimed = IN_FLIGHT.get(this.#pathOfHex(hex));
      if (claimed !== undefined) {
        slots.push({ kind: 'wait', promise: claimed.promise });
        return;
      }
      const job: WriteJob = { hex, bytes, pending: deferred(), result: undefined };
      IN_FLIGHT.set(this.#pathOfHex(hex), job.pending);
      jobs.push(job);
      slots.push({ kind: 'write', job });
    });

    try {
      const dirty = new Set<string>();
      await mapLimit(jobs, this.#concurrency, async (job) => {
        job.result = await this.#writeOne(job.hex, job.bytes, dirty);
      });
      // Group commit: one fsync per distinct directory, after every file of the batch is in place.
      await Promise.all([...dirty].map((dir) => this.#syncDir(dir)));
      for (const job of jobs) job.pending.resolve(resultOf(job));
    } catch (error) {
      const failure = ioError('blob write failed', error);
      for (const job of jobs) job.pending.reject(failure);
      throw failure;
    } finally {
      for (const job of jobs) IN_FLIGHT.delete(this.#pathOfHex(job.hex));
    }

    const results: PutResult[] = [];
    for (const slot of slots) {
      switch (slot.kind) {
        case 'write':
          results.push(resultOf(slot.job));
          break;
        case 'wait':
          // Written by a concurrent call, and durable once that call's promise resolves.
          results.push({ ...(await slot.promise), created: false });
          break;
        case 'repeat': {
          // Same content as an earlier item of this batch.
          const first = results[slot.first];
          if (first === undefined) throw new PlatformError('ERR_INTERNAL', 'repeat before first');
          results.push({ ...first, created: false });
          break;
        }
      }
    }
    return results;
  }

  /** Writes one blob into place; adds the directories that need an fsync to `dirty`. */
  async #writeOne(hex: string, bytes: Uint8Array, dirty: Set<string>): Promise<PutResult> {
    const digest = (DIGEST_PREFIX + hex) as BlobDigest;
    const path = this.#pathOfHex(hex);
    const leaf = dirname(path);
    const existing = await statOrUndefined(path);
    if (existing !== undefined) {
      // Stored earlier, maybe by another process that has not synced its directories yet:
      // syncing them here is what lets this call promise durability for a blob it did not write.
      await this.#ensureLeaf(leaf);
      dirty.add(leaf);
      return { digest, created: false, size: bytes.byteLength, storedSize: existing.size };
    }
    // The leaf directory is made (and its name synced in its parent) while the temp file is
    // written and synced: only the link into it has to wait for both.
    const leafReady = this.#ensureLeaf(leaf);
    leafReady.catch(noop); // awaited below; a failed write must not leave it unhandled
    const encoded = await encodeBlob(bytes, this.codec);
    const tmp = join(this.#tmpDir, `${this.#tmpPrefix}.${(this.#tmpCounter++).toString(36)}.tmp`);
    const storedSize = encoded.header.byteLength + encoded.payload.byteLength;
    const handle = await fs.open(tmp, 'wx', 0o444);
    try {
      try {
        await handle.writev([encoded.header, encoded.payload]);
        if (this.#fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      await leafReady;
      let created: boolean;
      try {
        created = await this.#place(tmp, path);
      } catch (error) {
        if (errnoCode(error) !== 'ENOENT') throw error;
        // The leaf directory went away since this process made it (removed by hand, or the store
        // deleted and made again at the same path): make it again and retry once.
        this.#forgetLeaf(leaf);
        await this.#ensureLeaf(leaf);
        created = await this.#place(tmp, path);
      }
      dirty.add(leaf);
      return { digest, created, size: bytes.byteLength, storedSize };
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }

  /** Gives the synced temp file its final name without replacing an existing blob. */
  async #place(tmp: string, path: string): Promise<boolean> {
    if (this.#useLinks) {
      try {
        await fs.link(tmp, path);
        await fs.unlink(tmp);
        return true;
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'EEXIST') {
          await fs.unlink(tmp);
          return false;
        }
        if (code === undefined || !LINK_UNSUPPORTED.has(code)) throw error;
        this.#useLinks = false;
      }
    }
    // No hard links: check, then rename. Two writers racing may both rename, but the content is
    // identical by construction, so the loser's rename only replaces a file with its twin.
    if ((await statOrUndefined(path)) !== undefined) {
      await fs.unlink(tmp);
      return false;
    }
    await fs.rename(tmp, path);
    return true;
  }

  /**
   * Makes sure the leaf directory exists and that its name, and its parent's, are durable. Done
   * once per directory per process; the first touch also covers directories created by others.
   */
  #ensureLeaf(leaf: string): Promise<void> {
    return this.#ensureDurable(leaf, async () => {
      await fs.mkdir(leaf, { recursive: true });
      const mid = dirname(leaf);
      await Promise.all([
        this.#syncDir(mid),
        this.#ensureDurable(mid, () => this.#syncDir(this.#blobDir)),
      ]);
    });
  }

  #ensureDurable(dir: string, make: () => Promise<void>): Promise<void> {
    let ready = DURABLE_DIRS.get(dir);
    if (ready === undefined) {
      ready = make();
      DURABLE_DIRS.set(dir, ready);
      ready.catch(() => DURABLE_DIRS.delete(dir));
    }
    return ready;
  }

  /** Forgets what this process knew of a leaf directory, after finding it gone. */
  #forgetLeaf(leaf: string): void {
    DURABLE_DIRS.delete(leaf);
    DURABLE_DIRS.delete(dirname(leaf));
  }

  /** {@inheritDoc BlobStore.get} */
  async get(digest: BlobDigest, options: GetBlobOptions = {}): Promise<Uint8Array> {
    const hex = digestHex(digest);
    const stored = await this.#read(hex, digest);
    const bytes = await decodeBlob(stored, digest);
    if (options.verify === true && sha256Hex(bytes) !== hex) {
      throw new PlatformError(
        'ERR_STORE_DIGEST_MISMATCH',
        `${digest}: stored content hashes to sha256:${sha256Hex(bytes)}`,
      );
    }
    return bytes;
  }

  async #read(hex: string, digest: BlobDigest): Promise<Uint8Array> {
    try {
      return await fs.readFile(this.#pathOfHex(hex));
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') {
        throw new PlatformError('ERR_STORE_NOT_FOUND', `blob ${digest} is not stored`);
      }
      throw ioError(`cannot read blob ${digest}`, error);
    }
  }

  /** {@inheritDoc BlobStore.has} */
  async has(digest: BlobDigest): Promise<boolean> {
    return (await statOrUndefined(this.pathOf(digest))) !== undefined;
  }

  /** {@inheritDoc BlobStore.stat} */
  async stat(digest: BlobDigest): Promise<BlobStat> {
    const path = this.pathOf(digest);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path, 'r');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') {
        throw new PlatformError('ERR_STORE_NOT_FOUND', `blob ${digest} is not stored`);
      }
      throw ioError(`cannot open blob ${digest}`, error);
    }
    try {
      const header = Buffer.alloc(BLOB_HEADER_SIZE);
      const { bytesRead } = await handle.read(header, 0, BLOB_HEADER_SIZE, 0);
      const { size } = parseBlobHeader(header.subarray(0, bytesRead), digest);
      return { size, storedSize: (await handle.stat()).size };
    } finally {
      await handle.close();
    }
  }

  /** {@inheritDoc BlobStore.delete} */
  async delete(digest: BlobDigest): Promise<boolean> {
    const path = this.pathOf(digest);
    try {
      await fs.unlink(path);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return false;
      throw ioError(`cannot delete blob ${digest}`, error);
    }
    // A delete that a crash could undo would make garbage collection report space it did not free.
    await this.#syncDir(dirname(path));
    return true;
  }

  /** {@inheritDoc BlobStore.list} */
  async *list(): AsyncGenerator<BlobDigest> {
    for (const a of await sortedEntries(this.#blobDir, HEX2)) {
      for (const b of await sortedEntries(join(this.#blobDir, a), HEX2)) {
        for (const name of await sortedEntries(join(this.#blobDir, a, b), HEX64)) {
          if (name.startsWith(a + b)) yield parseBlobDigest(DIGEST_PREFIX + name);
        }
      }
    }
  }

  /** {@inheritDoc BlobStore.verifyAll} */
  async verifyAll(options: VerifyAllOptions = {}): Promise<VerifyReport> {
    const corrupt: CorruptBlob[] = [];
    const seen = new Set<string>();
    const batch: BlobDigest[] = [];
    const concurrency = Math.max(1, options.concurrency ?? 8);
    const check = async (digest: BlobDigest): Promise<void> => {
      try {
        await this.get(digest, { verify: true });
      } catch (error) {
        const code = isPlatformError(error) ? error.code : 'ERR_IO';
        corrupt.push({ digest, code, reason: errorMessage(error) });
      }
    };
    // Verify in bounded batches while listing, so memory stays flat on stores of any size.
    for await (const digest of this.list()) {
      seen.add(digest);
      batch.push(digest);
      if (batch.length >= 256) await mapLimit(batch.splice(0), concurrency, check);
    }
    await mapLimit(batch, concurrency, check);
    const missing = [...new Set(options.expected ?? [])].filter((d) => !seen.has(d));
    corrupt.sort((x, y) => (x.digest < y.digest ? -1 : 1));
    return { checked: seen.size, corrupt, missing };
  }

  /**
   * Removes temp files left by writers that crashed; returns how many were removed.
   *
   * @remarks
   * Safe with other processes sharing the store as long as none takes longer than `olderThanMs`
   * to write one blob.
   */
  async sweepTemp(options: SweepTempOptions = {}): Promise<number> {
    const cutoff = Date.now() - (options.olderThanMs ?? 86_400_000);
    let removed = 0;
    for (const name of await sortedEntries(this.#tmpDir, /\.tmp$/)) {
      const path = join(this.#tmpDir, name);
      const info = await statOrUndefined(path);
      if (info !== undefined && info.mtimeMs <= cutoff) {
        await fs.rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

async function sortedEntries(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((name) => pattern.test(name)).sort();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
}

import type { BlobDigest } from '../../core/index.js';

/** What {@link BlobStore.put} and {@link BlobStore.putMany} report for one item. */
export interface PutResult {
  /** Content address: SHA-256 of the logical (uncompressed) bytes. */
  readonly digest: BlobDigest;
  /**
   * `true` when this call wrote the blob; `false` when it was already stored (or another item of
   * the same batch, or a concurrent put of the same content, wrote it). Either way the blob is
   * durable once the call resolves.
   */
  readonly created: boolean;
  /** Logical size, in bytes. */
  readonly size: number;
  /** Size of the stored file, header included, in bytes. */
  readonly storedSize: number;
}

/** Options of {@link BlobStore.get}. */
export interface GetBlobOptions {
  /**
   * Re-hash the logical bytes and throw `ERR_STORE_DIGEST_MISMATCH` when they do not match the
   * digest. Costs one SHA-256 pass (about 0.6 ms per MB on this project’s 2-core machine).
   * @defaultValue false
   */
  readonly verify?: boolean;
}

/** Sizes of a stored blob. */
export interface BlobStat {
  /** Logical (uncompressed) size, in bytes. */
  readonly size: number;
  /** Size of the stored file, header included, in bytes. */
  readonly storedSize: number;
}

/** One blob that failed verification. */
export interface CorruptBlob {
  readonly digest: BlobDigest;
  /** `ERR_STORE_DIGEST_MISMATCH`, or `ERR_IO` when the file could not be read. */
  readonly code: string;
  readonly reason: string;
}

/** Options of {@link BlobStore.verifyAll}. */
export interface VerifyAllOptions {
  /**
   * Digests that should be present (for example every `blob_digest` of the catalog); those not
   * found are reported in {@link VerifyReport.missing}.
   */
  readonly expected?: Iterable<BlobDigest>;
  /**
   * Blobs verified in parallel.
   * @defaultValue 8
   */
  readonly concurrency?: number;
}

/** Result of a full consistency check (fsck) of a store. */
export interface VerifyReport {
  /** Blobs read and re-hashed. */
  readonly checked: number;
  /** Blobs whose content no longer matches their address, or that cannot be decoded. */
  readonly corrupt: readonly CorruptBlob[];
  /** Expected digests with no stored blob. */
  readonly missing: readonly BlobDigest[];
}

/**
 * A content-addressed, write-once store of byte strings. Blobs are named by the SHA-256 of their
 * logical bytes, so storing the same content twice keeps one copy.
 *
 * @remarks
 * Implementations must make a blob durable (it survives a crash or power loss) before `put` or
 * `putMany` resolves: principle 3 of DESIGN.md, "nothing acknowledged is lost".
 */
export interface BlobStore {
  /** Stores one blob; same as `putMany([bytes])`. */
  put(bytes: Uint8Array): Promise<PutResult>;
  /**
   * Stores many blobs with one group commit: every file is written and synced, then each distinct
   * directory is synced once. Results are in input order.
   */
  putMany(items: readonly Uint8Array[]): Promise<readonly PutResult[]>;
  /**
   * The logical bytes of a blob. Throws `ERR_STORE_NOT_FOUND` when absent and
   * `ERR_STORE_DIGEST_MISMATCH` when the stored file is corrupt.
   */
  get(digest: BlobDigest, options?: GetBlobOptions): Promise<Uint8Array>;
  /** Whether a blob is stored. */
  has(digest: BlobDigest): Promise<boolean>;
  /** Sizes of a stored blob; throws `ERR_STORE_NOT_FOUND` when absent. */
  stat(digest: BlobDigest): Promise<BlobStat>;
  /** Removes a blob (for garbage collection); resolves `false` when it was not stored. */
  delete(digest: BlobDigest): Promise<boolean>;
  /** Every stored digest, in lexicographic order. */
  list(): AsyncIterable<BlobDigest>;
  /** Re-hashes every stored blob and reports the corrupt and the missing ones. */
  verifyAll(options?: VerifyAllOptions): Promise<VerifyReport>;
}

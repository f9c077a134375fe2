import { createHash } from 'node:crypto';
import { parseBlobDigest } from '../../core/index.js';
import type { BlobDigest } from '../../core/index.js';

/** Prefix of every digest the store produces; the algorithm is part of the address. */
export const DIGEST_PREFIX = 'sha256:';

/** Lower-case hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The content address of `bytes`: `sha256:` followed by the hex SHA-256.
 *
 * @example
 * ```ts
 * digestOf(new TextEncoder().encode('abc'));
 * // returns 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export function digestOf(bytes: Uint8Array): BlobDigest {
  return parseBlobDigest(DIGEST_PREFIX + sha256Hex(bytes));
}

/** The 64 hex digits of a digest, after checking its form (`ERR_STORE_INVALID_DIGEST`). */
export function digestHex(digest: BlobDigest | string): string {
  return parseBlobDigest(digest).slice(DIGEST_PREFIX.length);
}

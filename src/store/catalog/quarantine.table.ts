import type { Insertable, Selectable } from 'kysely';
import type { BlobDigest } from '../../core/index.js';
import type { Id, IsoTimestamp } from './column-types.js';

/** One rejected input, kept with the reason it was rejected ("bad input is data"). */
export interface QuarantineTable {
  id: Id;
  /** The project it was sent to, when known. */
  project_id: number | null;
  /** Where it came from: a file path, or a peer (`AE TITLE@host:port`, an HTTP client). */
  source: string;
  /** The error code (`ERR_DICOM_PARSE`, …); see docs/errors.md. */
  reason_code: string;
  /** A message a person can act on. */
  reason: string;
  /** The original bytes in the quarantine blob store, when they could be kept. */
  blob_digest: BlobDigest | null;
  /** Size of the input, in bytes, when known. */
  size_bytes: number | null;
  received_at: IsoTimestamp;
}

/** A quarantine row as read. */
export type QuarantineRow = Selectable<QuarantineTable>;
/** A quarantine row to insert. */
export type NewQuarantineRow = Insertable<QuarantineTable>;

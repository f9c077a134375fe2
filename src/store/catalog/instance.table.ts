import type { Insertable, Selectable } from 'kysely';
import type { BlobDigest, SopInstanceUid, Uid } from '../../core/index.js';
import type { Id, IsoTimestamp, JsonText } from './column-types.js';

/** One stored DICOM instance (one de-identified Part 10 file in the blob store). */
export interface InstanceTable {
  id: Id;
  series_id: number;
  /**
   * The project, repeated from the subject so that the database itself can enforce one
   * `original_digest` per project.
   */
  project_id: number;
  /** SOP Instance UID (0008,0018), remapped by de-identification; unique. */
  sop_instance_uid: SopInstanceUid;
  /** SOP Class UID (0008,0016). */
  sop_class_uid: Uid;
  /** Transfer Syntax UID (0002,0010) of the stored file. */
  transfer_syntax_uid: Uid;
  /** Instance Number (0020,0013). */
  instance_number: number | null;
  /** Address of the de-identified file in the blob store. */
  blob_digest: BlobDigest;
  /**
   * Keyed digest of the original file as received (`hmac-sha256:…` under the project secret):
   * detects the same file sent twice. Unique per project.
   */
  original_digest: string;
  /** Size of the stored (de-identified) file, in bytes. */
  size_bytes: number;
  /** The instance-level attributes as DICOM JSON (PS3.18 Annex F). */
  dicom_json: JsonText;
  received_at: IsoTimestamp;
}

/** An instance row as read. */
export type InstanceRow = Selectable<InstanceTable>;
/** An instance row to insert. */
export type NewInstanceRow = Insertable<InstanceTable>;

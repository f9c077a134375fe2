import type { Brand } from './brand.js';
import { PlatformError } from './errors.js';

/** A DICOM UID (VR UI): digits and dots, at most 64 characters (PS3.5 §9.1). */
export type Uid = Brand<string, 'Uid'>;
/** Study Instance UID (0020,000D). */
export type StudyInstanceUid = Brand<Uid, 'StudyInstanceUid'>;
/** Series Instance UID (0020,000E). */
export type SeriesInstanceUid = Brand<Uid, 'SeriesInstanceUid'>;
/** SOP Instance UID (0008,0018). */
export type SopInstanceUid = Brand<Uid, 'SopInstanceUid'>;
/** Frame of Reference UID (0020,0052). */
export type FrameOfReferenceUid = Brand<Uid, 'FrameOfReferenceUid'>;
/** Content address of a blob: `sha256:` followed by 64 lowercase hex digits. */
export type BlobDigest = Brand<string, 'BlobDigest'>;

/** Longest UID the standard allows (PS3.5 §9.1). */
export const MAX_UID_LENGTH = 64;

const UID_PATTERN = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;
const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** Whether `value` is a well-formed DICOM UID (PS3.5 §9.1). */
export function isUid(value: string): boolean {
  return value.length > 0 && value.length <= MAX_UID_LENGTH && UID_PATTERN.test(value);
}

/** Checks and brands a DICOM UID; throws `ERR_DICOM_INVALID_UID` otherwise. */
export function parseUid(value: string): Uid {
  if (!isUid(value)) {
    throw new PlatformError('ERR_DICOM_INVALID_UID', `not a DICOM UID: "${value}"`);
  }
  return value as Uid;
}

/** Checks and brands a Study Instance UID. */
export function parseStudyInstanceUid(value: string): StudyInstanceUid {
  return parseUid(value) as StudyInstanceUid;
}

/** Checks and brands a Series Instance UID. */
export function parseSeriesInstanceUid(value: string): SeriesInstanceUid {
  return parseUid(value) as SeriesInstanceUid;
}

/** Checks and brands a SOP Instance UID. */
export function parseSopInstanceUid(value: string): SopInstanceUid {
  return parseUid(value) as SopInstanceUid;
}

/** Checks and brands a Frame of Reference UID. */
export function parseFrameOfReferenceUid(value: string): FrameOfReferenceUid {
  return parseUid(value) as FrameOfReferenceUid;
}

/** Checks and brands a blob digest (`sha256:<64 hex>`); throws `ERR_STORE_INVALID_DIGEST` otherwise. */
export function parseBlobDigest(value: string): BlobDigest {
  if (!DIGEST_PATTERN.test(value)) {
    throw new PlatformError('ERR_STORE_INVALID_DIGEST', `not a sha256 blob digest: "${value}"`);
  }
  return value as BlobDigest;
}

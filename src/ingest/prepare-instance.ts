import { createHash, createHmac } from 'node:crypto';
import type {
  BlobDigest,
  DicomJson,
  ErrorCode,
  SeriesInstanceUid,
  SopInstanceUid,
  StudyInstanceUid,
  Uid,
} from '../core/index.js';
import {
  PlatformError,
  errorMessage,
  isPlatformError,
  isUid,
  parseBlobDigest,
  parseSeriesInstanceUid,
  parseSopInstanceUid,
  parseStudyInstanceUid,
  parseUid,
} from '../core/index.js';
import type { Deidentifier, DicomDataset, DicomWarning } from '../dicom/index.js';
import {
  SERIES_LEVEL_TAGS,
  STUDY_LEVEL_TAGS,
  readPart10,
  toDicomJson,
  writePart10,
} from '../dicom/index.js';

/** An instance read, validated and de-identified, ready to be stored and catalogued. */
export interface PreparedInstance {
  readonly kind: 'instance';
  /** Where it came from: a file path, `dimse:<AE>` or `stow:<client>`. */
  readonly source: string;
  /** The de-identified Part 10 file. */
  readonly bytes: Uint8Array;
  /** SHA-256 of `bytes`: the blob's address. */
  readonly digest: BlobDigest;
  /**
   * Keyed digest (HMAC-SHA-256 under the project secret) of the original bytes: detects the
   * same file sent twice without keeping anything that could be matched to the original.
   */
  readonly originalDigest: string;
  /** Size of the original file, in bytes. */
  readonly originalSizeBytes: number;
  readonly pseudonym: string;
  readonly sex: string | undefined;
  readonly birthYear: number | undefined;
  /** The acquiring site (Institution Name before removal), when the file names one. */
  readonly site: string | undefined;
  readonly study: {
    readonly uid: StudyInstanceUid;
    readonly dateShifted: string | undefined;
    readonly description: string | undefined;
    readonly dicomJson: DicomJson;
  };
  readonly series: {
    readonly uid: SeriesInstanceUid;
    readonly modality: string;
    readonly description: string | undefined;
    readonly number: number | undefined;
    readonly dicomJson: DicomJson;
  };
  readonly instance: {
    readonly sopInstanceUid: SopInstanceUid;
    readonly sopClassUid: Uid;
    readonly transferSyntaxUid: Uid;
    readonly instanceNumber: number | undefined;
    readonly dicomJson: DicomJson;
  };
  readonly warnings: readonly DicomWarning[];
}

/** An input that cannot be ingested, with the reason; it goes to the quarantine. */
export interface RejectedInstance {
  readonly kind: 'rejected';
  readonly source: string;
  readonly code: ErrorCode;
  readonly reason: string;
  readonly sizeBytes: number;
}

/** The outcome of {@link prepareInstance}. */
export type PreparedOrRejected = PreparedInstance | RejectedInstance;

const REQUIRED_UIDS = [
  ['0020000D', 'Study Instance UID (0020,000D)'],
  ['0020000E', 'Series Instance UID (0020,000E)'],
  ['00080018', 'SOP Instance UID (0008,0018)'],
  ['00080016', 'SOP Class UID (0008,0016)'],
] as const;

function text(dataset: DicomDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/[\0 ]+$/, '').trim();
  return trimmed === '' ? undefined : trimmed;
}

function integer(dataset: DicomDataset, tag: string): number | undefined {
  const value = Number(text(dataset, tag));
  return Number.isInteger(value) ? value : undefined;
}

/** Keyed digest of original bytes; hex, prefixed with its algorithm. */
export function originalDigestOf(bytes: Uint8Array, secret: string | Uint8Array): string {
  return `hmac-sha256:${createHmac('sha256', secret).update(bytes).digest('hex')}`;
}

/**
 * Reads one DICOM file, checks that it can be catalogued (the four UIDs present), de-identifies
 * it (PS3.15) and writes the new Part 10 bytes. Never throws for bad input: what cannot be read
 * or de-identified comes back as a {@link RejectedInstance} with a code and a reason a person
 * can act on. Pixel data are carried over byte for byte, in the original transfer syntax.
 */
export function prepareInstance(
  bytes: Uint8Array,
  source: string,
  deidentifier: Deidentifier,
  secret: string | Uint8Array,
): PreparedOrRejected {
  try {
    const part = readPart10(bytes);
    const { meta, dataset } = part;
    const warnings: DicomWarning[] = [...part.warnings];
    for (const [tag, name] of REQUIRED_UIDS) {
      const uid = text(dataset, tag);
      if (uid === undefined) {
        throw new PlatformError('ERR_DICOM_MISSING_UID', `required ${name} is missing or empty`);
      }
      // Malformed UIDs (leading zeros, letters) are common in old archives; they are remapped
      // to valid ones below, so they are a warning rather than a reason to refuse the instance.
      if (!isUid(uid) && !uid.startsWith('1.2.840.10008.')) {
        // The value itself stays out of the message: warnings reach logs, and it is an original UID.
        warnings.push({
          code: 'INVALID_UID',
          message: `${name} is not a valid UID (PS3.5 §9.1); remapped`,
        });
      }
    }
    const modality = text(dataset, '00080060') ?? 'OT';
    const result = deidentifier.deidentify(meta, dataset);
    const out = writePart10(meta, dataset);
    const digest = parseBlobDigest(`sha256:${createHash('sha256').update(out).digest('hex')}`);
    return {
      kind: 'instance',
      source,
      bytes: out,
      digest,
      originalDigest: originalDigestOf(bytes, secret),
      originalSizeBytes: bytes.length,
      pseudonym: result.pseudonym,
      sex: result.sex,
      birthYear: result.birthYear,
      site: result.site,
      study: {
        uid: parseStudyInstanceUid(text(dataset, '0020000D') ?? ''),
        dateShifted: result.studyDateShifted,
        description: text(dataset, '00081030'),
        dicomJson: toDicomJson(dataset, { include: STUDY_LEVEL_TAGS }),
      },
      series: {
        uid: parseSeriesInstanceUid(text(dataset, '0020000E') ?? ''),
        modality,
        description: text(dataset, '0008103E'),
        number: integer(dataset, '00200011'),
        dicomJson: toDicomJson(dataset, { include: SERIES_LEVEL_TAGS }),
      },
      instance: {
        sopInstanceUid: parseSopInstanceUid(text(dataset, '00080018') ?? ''),
        sopClassUid: parseUid(text(dataset, '00080016') ?? ''),
        transferSyntaxUid: parseUid(part.transferSyntaxUid),
        instanceNumber: integer(dataset, '00200013'),
        dicomJson: toDicomJson(dataset),
      },
      warnings,
    };
  } catch (error) {
    return {
      kind: 'rejected',
      source,
      code: isPlatformError(error) ? error.code : 'ERR_DICOM_PARSE',
      reason: errorMessage(error),
      sizeBytes: bytes.length,
    };
  }
}

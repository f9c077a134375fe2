import { PlatformError, errorMessage } from '../../core/index.js';
import { dcmjsReadDataset, dcmjsReadFile } from './dcmjs-adapter.js';
import type { DicomDataset } from './dicom-dataset.js';
import { TRANSFER_SYNTAX } from './transfer-syntax.js';

/** Something the lenient reader fixed or noticed; kept with the instance, never thrown. */
export interface DicomWarning {
  /** Stable short code: `NO_PREAMBLE`, `NO_META`, `DCMJS`, `ODD_LENGTH`, … */
  readonly code: string;
  readonly message: string;
}

/** A Part 10 file read into memory (PS3.10 §7). */
export interface Part10 {
  /** File meta information (group 0002). Synthesized when the file had none. */
  readonly meta: DicomDataset;
  /** The dataset proper. */
  readonly dataset: DicomDataset;
  /** The transfer syntax the dataset was encoded in. */
  readonly transferSyntaxUid: string;
  /** What the lenient reader fixed or noticed. */
  readonly warnings: readonly DicomWarning[];
}

/** Options of {@link readPart10}. */
export interface ReadPart10Options {
  /**
   * Throw on anything the lenient reader would only warn about.
   * @defaultValue false
   */
  readonly strict?: boolean;
}

const MIN_PART10_LENGTH = 132;

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/**
 * Guesses the encoding of a bare dataset (no preamble) from its first element: a group
 * 0x0008 tag in little or big endian, then whether a two-letter VR follows (PS3.5 §7.1).
 */
function sniffBareDataset(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8) return undefined;
  const groupLe = bytes[0]! | (bytes[1]! << 8);
  const groupBe = (bytes[0]! << 8) | bytes[1]!;
  const vrLooksExplicit = /^[A-Z]{2}$/.test(String.fromCharCode(bytes[4]!, bytes[5]!));
  if (groupLe >= 0x0002 && groupLe <= 0x0010) {
    return vrLooksExplicit
      ? TRANSFER_SYNTAX.ExplicitVRLittleEndian
      : TRANSFER_SYNTAX.ImplicitVRLittleEndian;
  }
  if (groupBe >= 0x0002 && groupBe <= 0x0010 && vrLooksExplicit) {
    return TRANSFER_SYNTAX.ExplicitVRBigEndian;
  }
  return undefined;
}

function warningsFrom(lines: readonly string[]): DicomWarning[] {
  return lines.map((message) => ({ code: 'DCMJS', message }));
}

/**
 * Reads a DICOM Part 10 file, leniently: what can be fixed is fixed and reported in
 * `warnings`; what cannot be read throws a {@link PlatformError} whose code says why
 * (`ERR_DICOM_NOT_DICOM`, `ERR_DICOM_TRUNCATED`, `ERR_DICOM_PARSE`).
 *
 * Files without the 128-byte preamble and `DICM` prefix (PS3.10 §7.1), as older scanners
 * and some archives write, are read as bare datasets whose encoding is sniffed.
 */
export function readPart10(bytes: Uint8Array, options: ReadPart10Options = {}): Part10 {
  const hasPrefix =
    bytes.length >= MIN_PART10_LENGTH &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d;
  if (!hasPrefix) return readBare(bytes, options);

  let result;
  try {
    result = dcmjsReadFile(toArrayBuffer(bytes));
  } catch (error) {
    throw classifyReadError(error, bytes.length);
  }
  const transferSyntaxUid = firstUid(result.meta['00020010']);
  if (transferSyntaxUid === undefined) {
    throw new PlatformError(
      'ERR_DICOM_PARSE',
      'file meta information has no Transfer Syntax UID (0002,0010)',
    );
  }
  const warnings = warningsFrom(result.logLines);
  if (options.strict === true && warnings.length > 0) {
    throw new PlatformError('ERR_DICOM_PARSE', warnings.map((w) => w.message).join('; '));
  }
  return { meta: result.meta, dataset: result.dataset, transferSyntaxUid, warnings };
}

function readBare(bytes: Uint8Array, options: ReadPart10Options): Part10 {
  const syntax = sniffBareDataset(bytes);
  if (syntax === undefined || options.strict === true) {
    throw new PlatformError(
      'ERR_DICOM_NOT_DICOM',
      `not a DICOM file: no "DICM" prefix at byte 128 and no recognisable dataset at byte 0 (${bytes.length} bytes)`,
    );
  }
  let result;
  try {
    result = dcmjsReadDataset(toArrayBuffer(bytes), syntax);
  } catch (error) {
    throw classifyReadError(error, bytes.length);
  }
  const { dataset } = result;
  if (Object.keys(dataset).length === 0) {
    throw new PlatformError('ERR_DICOM_NOT_DICOM', 'not a DICOM file: no element could be read');
  }
  const sopClass = firstUid(dataset['00080016']);
  const sopInstance = firstUid(dataset['00080018']);
  const meta: DicomDataset = {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020010': { vr: 'UI', Value: [syntax] },
    ...(sopClass === undefined ? {} : { '00020002': { vr: 'UI', Value: [sopClass] } }),
    ...(sopInstance === undefined ? {} : { '00020003': { vr: 'UI', Value: [sopInstance] } }),
  };
  const warnings: DicomWarning[] = [
    {
      code: 'NO_META',
      message: `no preamble or file meta information; read as a bare dataset in ${syntax}`,
    },
    ...warningsFrom(result.logLines),
  ];
  return { meta, dataset, transferSyntaxUid: syntax, warnings };
}

function firstUid(element: { readonly Value?: readonly unknown[] } | undefined): string | undefined {
  const value = element?.Value?.[0];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/[\0 ]+$/, '');
  return trimmed === '' ? undefined : trimmed;
}

function classifyReadError(error: unknown, length: number): PlatformError {
  const message = errorMessage(error);
  if (/offset|bounds|range|end of|beyond|outside/i.test(message)) {
    return new PlatformError(
      'ERR_DICOM_TRUNCATED',
      `file ends inside an element (${length} bytes): ${message}`,
      { cause: error },
    );
  }
  return new PlatformError('ERR_DICOM_PARSE', `cannot parse DICOM: ${message}`, { cause: error });
}

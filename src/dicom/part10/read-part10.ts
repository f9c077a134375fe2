import { checkValueLengths } from './check-value-lengths.js';
import { inflateRawSync, inflateSync } from 'node:zlib';
import {
  PlatformError,
  TAG,
  errorMessage,
  firstNumber,
  firstString,
  isPlatformError,
} from '../../core/index.js';
import { dcmjsReadDataset, dictionaryVr } from './dcmjs-adapter.js';
import type { DicomDataset, DicomElement } from './dicom-dataset.js';
import { defineLengths } from './define-lengths.js';
import { groupFragmentsIntoFrames } from './encapsulated-frames.js';
import type {
  DatasetEncoding,
  DatasetScan,
  PixelDataLocation,
  UnknownSequenceLocation,
} from './scan-dataset.js';
import {
  LONG_VRS,
  formatTag,
  looksExplicitVr,
  scanDataset,
  sniffBareEncoding,
} from './scan-dataset.js';
import { TRANSFER_SYNTAX, isEncapsulated } from './transfer-syntax.js';

/** Something the lenient reader fixed or noticed; kept with the instance, never thrown. */
export interface DicomWarning {
  /**
   * Stable short code. {@link readPart10} uses `NO_META`, `META_NO_TRANSFER_SYNTAX`,
   * `META_GROUP_LENGTH`, `TRANSFER_SYNTAX_MISMATCH`, `DEFLATE_ZLIB_WRAPPER`, `TRAILING_BYTES`,
   * `NONSTANDARD_VR`, `STRAY_DELIMITER`, `PIXEL_FRAGMENTS` and `DCMJS` (a note dcmjs logged).
   */
  readonly code: string;
  readonly message: string;
}

/** A Part 10 file read into memory (PS3.10 §7). */
export interface Part10 {
  /** File meta information (group 0002). Synthesized when the file had none. */
  readonly meta: DicomDataset;
  /**
   * The dataset proper. Encapsulated pixel data holds one `ArrayBuffer` per frame in `Value`
   * (the frame's fragments joined, the Basic Offset Table consumed); native pixel data holds
   * the value bytes as stored, in the byte order of the transfer syntax.
   */
  readonly dataset: DicomDataset;
  /**
   * The transfer syntax of the file: the one its meta information declares (0002,0010), which
   * is what says how pixel data is compressed. When the elements turned out to be encoded
   * otherwise, a `TRANSFER_SYNTAX_MISMATCH` warning says so.
   */
  readonly transferSyntaxUid: string;
  /** What the lenient reader fixed or noticed. */
  readonly warnings: readonly DicomWarning[];
}

/** Options of {@link readPart10}. */
export interface ReadPart10Options {
  /**
   * Throw `ERR_DICOM_PARSE` on anything the lenient reader would only warn about.
   * @defaultValue false
   */
  readonly strict?: boolean;
}

const PREAMBLE_LENGTH = 128;
const META_START = PREAMBLE_LENGTH + 4;
const IMPLICIT_LE: DatasetEncoding = { littleEndian: true, explicitVr: false };
const EXPLICIT_LE: DatasetEncoding = { littleEndian: true, explicitVr: true };
const EXPLICIT_BE: DatasetEncoding = { littleEndian: false, explicitVr: true };

// dcmjs reports these two for every implicit VR file: "ox" for Pixel Data, whose VR PS3.5 §A.1
// fixes as OW in implicit VR, and "xs" for the US-or-SS attributes, which the reader resolves
// from Pixel Representation itself (resolveAmbiguousVrs). They are not news about the file.
const DCMJS_NOISE = /^Invalid vr type (ox|xs) /;

// Attributes whose VR is "US or SS" in PS3.6, with the indices of the values that follow Pixel
// Representation. For LUT descriptors only the second value (first mapped pixel value) does:
// the number of entries and the bit depth are always unsigned (PS3.3 C.7.6.3.1.5, C.11.1.1).
const US_OR_SS: ReadonlyMap<string, readonly number[] | 'all'> = new Map<
  string,
  readonly number[] | 'all'
>([
  ['00280106', 'all'], // Smallest Image Pixel Value
  ['00280107', 'all'], // Largest Image Pixel Value
  ['00280108', 'all'], // Smallest Pixel Value in Series
  ['00280109', 'all'], // Largest Pixel Value in Series
  ['00280110', 'all'], // Smallest Image Pixel Value in Plane (retired)
  ['00280111', 'all'], // Largest Image Pixel Value in Plane (retired)
  ['00280120', 'all'], // Pixel Padding Value
  ['00280121', 'all'], // Pixel Padding Range Limit
  ['00281101', [1]], // Red Palette Color Lookup Table Descriptor
  ['00281102', [1]], // Green Palette Color Lookup Table Descriptor
  ['00281103', [1]], // Blue Palette Color Lookup Table Descriptor
  ['00283002', [1]], // LUT Descriptor
  ['00409211', 'all'], // Real World Value Last Value Mapped
  ['00409216', 'all'], // Real World Value First Value Mapped
  ['00603004', 'all'], // Histogram First Bin Value
  ['00603006', 'all'], // Histogram Last Bin Value
]);

function encodingOf(transferSyntaxUid: string): DatasetEncoding {
  if (transferSyntaxUid === TRANSFER_SYNTAX.ImplicitVRLittleEndian) return IMPLICIT_LE;
  if (transferSyntaxUid === TRANSFER_SYNTAX.ExplicitVRBigEndian) return EXPLICIT_BE;
  // Every other syntax, compressed ones included, encodes elements explicit VR little endian.
  return EXPLICIT_LE;
}

function syntaxOf(encoding: DatasetEncoding): string {
  if (!encoding.explicitVr) return TRANSFER_SYNTAX.ImplicitVRLittleEndian;
  return encoding.littleEndian
    ? TRANSFER_SYNTAX.ExplicitVRLittleEndian
    : TRANSFER_SYNTAX.ExplicitVRBigEndian;
}

function describe(encoding: DatasetEncoding): string {
  return `${encoding.explicitVr ? 'explicit' : 'implicit'} VR ${encoding.littleEndian ? 'little' : 'big'} endian`;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

function firstUid(
  element: { readonly Value?: readonly unknown[] } | undefined,
): string | undefined {
  const value = element?.Value?.[0];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/[\0 ]+$/, '');
  return trimmed === '' ? undefined : trimmed;
}

function hasPrefix(bytes: Uint8Array): boolean {
  return (
    bytes.length >= META_START &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d
  );
}

/**
 * Reads a DICOM Part 10 file, leniently: what can be fixed is fixed and reported in
 * `warnings`; what cannot be read throws a {@link PlatformError} whose code says why, and
 * nothing else is ever thrown:
 *
 * - `ERR_DICOM_NOT_DICOM`: no `DICM` prefix (PS3.10 §7.1) and no data set at byte 0;
 * - `ERR_DICOM_TRUNCATED`: the bytes end inside an element, an item, before a delimiter or
 *   short of what native Pixel Data needs (Rows × Columns × Samples per Pixel × Number of
 *   Frames × Bits Allocated / 8, PS3.5 §8.1.1);
 * - `ERR_DICOM_PARSE`: anything else that cannot be read.
 *
 * Files without the preamble, as older scanners and some archives write them, are read as
 * bare data sets whose encoding is sniffed. A data set encoded otherwise than its meta
 * information says is read as encoded (as pydicom and DCMTK do). Deflated data sets (PS3.5
 * §A.5) are inflated. Encapsulated pixel data is split into frames (see {@link Part10.dataset}).
 * In implicit VR, attributes whose VR is "US or SS" are read as SS when Pixel Representation
 * is 1 (PS3.5 §A.1).
 */
export function readPart10(bytes: Uint8Array, options: ReadPart10Options = {}): Part10 {
  let part10: Part10;
  try {
    part10 = hasPrefix(bytes) ? readWithMeta(bytes) : readBare(bytes);
  } catch (error) {
    if (isPlatformError(error)) throw error;
    throw new PlatformError('ERR_DICOM_PARSE', `cannot parse DICOM: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  if (part10.transferSyntaxUid !== TRANSFER_SYNTAX.DeflatedExplicitVRLittleEndian) {
    checkValueLengths(part10.dataset, bytes.length);
  }
  if (options.strict === true && part10.warnings.length > 0) {
    throw new PlatformError('ERR_DICOM_PARSE', part10.warnings.map((w) => w.message).join('; '));
  }
  return part10;
}

interface MetaLocation {
  /** Offset of the first byte after the meta group. */
  readonly end: number;
  readonly groupLength: number | undefined;
}

/** Finds the end of the file meta group, which is always explicit VR little endian (PS3.10 §7.1). */
function locateMeta(bytes: Uint8Array): MetaLocation {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = META_START;
  let groupLength: number | undefined;
  while (bytes.length - pos >= 8 && view.getUint16(pos, true) === 0x0002) {
    const element = view.getUint16(pos + 2, true);
    const vr = String.fromCharCode(bytes[pos + 4] ?? 0, bytes[pos + 5] ?? 0);
    const long = LONG_VRS.has(vr);
    if (long && bytes.length - pos < 12) break;
    const length = long ? view.getUint32(pos + 8, true) : view.getUint16(pos + 6, true);
    const valueOffset = pos + (long ? 12 : 8);
    if (valueOffset + length > bytes.length) {
      throw new PlatformError(
        'ERR_DICOM_TRUNCATED',
        `file ends inside file meta element ${formatTag(0x00020000 | element)} at byte ${pos}`,
      );
    }
    if (element === 0x0000 && vr === 'UL' && length === 4) {
      groupLength = view.getUint32(valueOffset, true);
    }
    pos = valueOffset + length;
  }
  if (bytes.length - pos < 8 && bytes.length > pos) {
    throw new PlatformError(
      'ERR_DICOM_TRUNCATED',
      `file ends inside an element header at byte ${pos}`,
    );
  }
  return { end: pos, groupLength };
}

function readWithMeta(bytes: Uint8Array): Part10 {
  const warnings: DicomWarning[] = [];
  const location = locateMeta(bytes);
  if (location.groupLength !== undefined) {
    const declaredEnd = META_START + 12 + location.groupLength;
    if (declaredEnd > bytes.length) {
      throw new PlatformError(
        'ERR_DICOM_TRUNCATED',
        `file meta information declares ${location.groupLength} bytes (0002,0000) but the file ` +
          `ends at byte ${bytes.length}`,
      );
    }
    if (declaredEnd !== location.end) {
      warnings.push({
        code: 'META_GROUP_LENGTH',
        message: `File Meta Information Group Length (0002,0000) says the group ends at byte ${declaredEnd}; it ends at ${location.end}`,
      });
    }
  }
  const metaRead = dcmjsReadDataset(
    toArrayBuffer(bytes.subarray(META_START, location.end)),
    TRANSFER_SYNTAX.ExplicitVRLittleEndian,
  );
  const meta = metaRead.dataset;
  // The group length is derived data: writers recompute it, and keeping it would make dcmjs
  // write it twice.
  delete meta['00020000'];
  warnings.push(...dcmjsWarnings(metaRead.logLines));
  const body = bytes.subarray(location.end);
  if (body.length === 0) {
    throw new PlatformError(
      'ERR_DICOM_TRUNCATED',
      `file ends after the file meta information (byte ${bytes.length}): no data set`,
    );
  }
  let transferSyntaxUid = firstUid(meta['00020010']);
  if (transferSyntaxUid === undefined) {
    const sniffed = looksExplicitVr(body, 0) ? EXPLICIT_LE : IMPLICIT_LE;
    transferSyntaxUid = syntaxOf(sniffed);
    meta['00020010'] = { vr: 'UI', Value: [transferSyntaxUid] };
    warnings.push({
      code: 'META_NO_TRANSFER_SYNTAX',
      message: `file meta information has no Transfer Syntax UID (0002,0010); the data set reads as ${describe(sniffed)}`,
    });
  }
  let datasetBytes = body;
  if (transferSyntaxUid === TRANSFER_SYNTAX.DeflatedExplicitVRLittleEndian) {
    datasetBytes = inflate(body, warnings);
  }
  return readDataset(
    datasetBytes,
    meta,
    transferSyntaxUid,
    encodingOf(transferSyntaxUid),
    warnings,
  );
}

/** Inflates a deflated data set (PS3.5 §A.5: raw deflate, RFC 1951, no zlib header). */
function inflate(body: Uint8Array, warnings: DicomWarning[]): Uint8Array {
  try {
    return inflateRawSync(body);
  } catch (rawError) {
    // Some writers wrap the stream in a zlib header (RFC 1950): 0x78 then a checksum byte.
    if (body[0] === 0x78 && ((body[0] << 8) | (body[1] ?? 0)) % 31 === 0) {
      try {
        const inflated = inflateSync(body);
        warnings.push({
          code: 'DEFLATE_ZLIB_WRAPPER',
          message: 'deflated data set has a zlib header, which PS3.5 §A.5 does not allow',
        });
        return inflated;
      } catch {
        // Report the raw-deflate failure below: that is the encoding the standard requires.
      }
    }
    const message = errorMessage(rawError);
    throw new PlatformError(
      /unexpected end/i.test(message) ? 'ERR_DICOM_TRUNCATED' : 'ERR_DICOM_PARSE',
      `cannot inflate the deflated data set: ${message}`,
      { cause: rawError },
    );
  }
}

function readBare(bytes: Uint8Array): Part10 {
  const encoding = sniffBareEncoding(bytes);
  if (encoding === undefined) {
    throw new PlatformError(
      'ERR_DICOM_NOT_DICOM',
      `not a DICOM file: no "DICM" prefix at byte 128 and no data set at byte 0 (${bytes.length} bytes)`,
    );
  }
  const syntax = syntaxOf(encoding);
  const warnings: DicomWarning[] = [
    {
      code: 'NO_META',
      message: `no preamble or file meta information; read as a bare data set in ${describe(encoding)}`,
    },
  ];
  const meta: DicomDataset = {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020010': { vr: 'UI', Value: [syntax] },
  };
  const part10 = readDataset(bytes, meta, syntax, encoding, warnings);
  const sopClass = firstUid(part10.dataset['00080016']);
  const sopInstance = firstUid(part10.dataset['00080018']);
  if (sopClass !== undefined) meta['00020002'] = { vr: 'UI', Value: [sopClass] };
  if (sopInstance !== undefined) meta['00020003'] = { vr: 'UI', Value: [sopInstance] };
  return part10;
}

function readDataset(
  bytes: Uint8Array,
  meta: DicomDataset,
  transferSyntaxUid: string,
  declared: DatasetEncoding,
  warnings: DicomWarning[],
): Part10 {
  let encoding = declared;
  // Some writers label an implicit VR data set explicit or the reverse (pydicom's
  // SC_rgb_jpeg.dcm is one); the first element tells which it is.
  if (declared.littleEndian && looksExplicitVr(bytes, 0) !== declared.explicitVr) {
    encoding = { littleEndian: true, explicitVr: !declared.explicitVr };
    warnings.push({
      code: 'TRANSFER_SYNTAX_MISMATCH',
      message: `Transfer Syntax UID ${transferSyntaxUid} says ${describe(declared)}, the data set is ${describe(encoding)}; read as encoded`,
    });
  }
  const scan = scanDataset(bytes, encoding, { isSequenceTag: (tag) => dictionaryVr(tag) === 'SQ' });
  warnings.push(...scanWarnings(scan));
  const { dataset, logLines } = dcmjsReadDataset(
    dcmjsInput(bytes, scan, encoding),
    syntaxOf(encoding),
  );
  warnings.push(...dcmjsWarnings(logLines));
  const missing = scan.topLevelTags.find((tag) => !(tag in dataset));
  if (missing !== undefined) {
    const reason = logLines.filter((line) => !DCMJS_NOISE.test(line)).join('; ');
    throw new PlatformError(
      'ERR_DICOM_PARSE',
      `cannot parse element ${formatTag(parseInt(missing, 16))} or one before it` +
        (reason === '' ? '' : `: ${reason}`),
    );
  }
  for (const location of scan.unknownSequences) {
    dataset[location.tag] = readUnknownSequence(bytes, location);
  }
  if (!encoding.explicitVr) resolveAmbiguousVrs(dataset, pixelRepresentation(dataset));
  const pixel = scan.pixelData;
  if (pixel?.encapsulated !== undefined) {
    splitEncapsulatedFrames(bytes, dataset, pixel, warnings);
  } else if (pixel !== undefined) {
    const length = pixel.valueLength ?? 0;
    const value = copyBytes(bytes, pixel.valueOffset, pixel.valueOffset + length);
    dataset[pixel.tag] = { vr: pixel.vr ?? NATIVE_PIXEL_VR[pixel.tag] ?? 'OW', Value: [value] };
    if (!isEncapsulated(transferSyntaxUid)) checkNativeLength(dataset, pixel.tag, length);
  }
  return { meta, dataset, transferSyntaxUid, warnings };
}

// In implicit VR the file carries no VR: Pixel Data is OW (PS3.5 §A.1), Float and Double Float
// Pixel Data are OF and OD (PS3.6).
const NATIVE_PIXEL_VR: Readonly<Record<string, string>> = {
  '7FE00010': 'OW',
  '7FE00008': 'OF',
  '7FE00009': 'OD',
};

interface Splice {
  readonly from: number;
  readonly to: number;
  readonly insert: Uint8Array;
}

/** An empty element header: tag, and in explicit VR the given VR, then a zero length. */
function emptyElement(tagHex: string, vr: string, encoding: DatasetEncoding): Uint8Array {
  const le = encoding.littleEndian;
  const header = new DataView(new ArrayBuffer(encoding.explicitVr ? 12 : 8));
  const tag = parseInt(tagHex, 16);
  header.setUint16(0, tag >>> 16, le);
  header.setUint16(2, tag & 0xffff, le);
  if (encoding.explicitVr) {
    header.setUint8(4, vr.charCodeAt(0));
    header.setUint8(5, vr.charCodeAt(1));
  }
  return new Uint8Array(header.buffer);
}

/**
 * The data set bytes as dcmjs gets them: the pixel data value cut out, its element kept empty,
 * since the reader takes pixel data from the structural scan (so dcmjs neither copies the
 * largest value of the file nor trips over an offset table it cannot follow); and top-level
 * undefined-length UN elements emptied, since dcmjs cannot read them (they are read apart).
 */
function dcmjsInput(bytes: Uint8Array, scan: DatasetScan, encoding: DatasetEncoding): ArrayBuffer {
  const splices: Splice[] = scan.unknownSequences.map((u) => ({
    from: u.headerOffset,
    to: u.endOffset,
    insert: emptyElement(u.tag, 'UN', encoding),
  }));
  const pixel = scan.pixelData;
  if (pixel !== undefined) {
    splices.push({
      from: pixel.headerOffset,
      to: pixel.endOffset,
      insert: emptyElement(pixel.tag, 'OB', encoding),
    });
  }
  // Trailing zero padding is left out: dcmjs would read it as empty (0000,0000) elements.
  const content = bytes.subarray(0, scan.contentEnd);
  if (splices.length === 0) return defineLengths(content, encoding).buffer as ArrayBuffer;
  splices.sort((a, b) => a.from - b.from);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const splice of splices) {
    parts.push(content.subarray(at, splice.from), splice.insert);
    at = splice.to;
  }
  parts.push(content.subarray(at));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return defineLengths(out, encoding).buffer as ArrayBuffer;
}

/**
 * Reads a top-level UN element of undefined length as the sequence it is: its items are
 * encoded implicit VR little endian whatever the transfer syntax (PS3.5 §6.2.2, CP-246).
 */
function readUnknownSequence(bytes: Uint8Array, location: UnknownSequenceLocation): DicomElement {
  const header = emptyElement(location.tag, '', IMPLICIT_LE);
  new DataView(header.buffer).setUint32(4, 0xffffffff, true);
  const items = bytes.subarray(location.valueOffset, location.endOffset);
  // Read it as an undefined-length sequence, the one form dcmjs takes for a sequence whatever
  // its tag: a defined-length value gets the Sequence Delimitation Item it lacks.
  const close = location.undefinedLength ? 0 : 8;
  const buffer = new Uint8Array(header.length + items.length + close);
  buffer.set(header, 0);
  buffer.set(items, header.length);
  if (close > 0) buffer.set([0xfe, 0xff, 0xdd, 0xe0], header.length + items.length);
  const { dataset } = dcmjsReadDataset(
    defineLengths(buffer, IMPLICIT_LE).buffer as ArrayBuffer,
    TRANSFER_SYNTAX.ImplicitVRLittleEndian,
  );
  const element = dataset[location.tag];
  if (element === undefined) {
    throw new PlatformError(
      'ERR_DICOM_PARSE',
      `cannot parse ${formatTag(parseInt(location.tag, 16))}, a sequence written as UN`,
    );
  }
  return { ...element, vr: 'SQ' };
}

/** A copy of `bytes[start, end)` in a buffer of its own (Node's `Buffer#slice` shares memory). */
function copyBytes(bytes: Uint8Array, start: number, end: number): ArrayBuffer {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out.buffer;
}

function scanWarnings(scan: DatasetScan): DicomWarning[] {
  const warnings: DicomWarning[] = [];
  if (scan.trailingZeroBytes > 0) {
    warnings.push({
      code: 'TRAILING_BYTES',
      message: `${scan.trailingZeroBytes} zero byte(s) after the last element, ignored`,
    });
  }
  for (const vr of scan.nonStandardVrs) {
    warnings.push({
      code: 'NONSTANDARD_VR',
      message: `non-standard VR ${vr}, read with a 2-byte length`,
    });
  }
  for (const tag of scan.strayDelimiters) {
    warnings.push({ code: 'STRAY_DELIMITER', message: `${tag} outside any sequence, skipped` });
  }
  return warnings;
}

function dcmjsWarnings(lines: readonly string[]): DicomWarning[] {
  return lines
    .filter((message) => !DCMJS_NOISE.test(message))
    .map((message) => ({ code: 'DCMJS', message }));
}

function pixelRepresentation(dataset: DicomDataset): number {
  return firstNumber(dataset, TAG.PixelRepresentation) ?? 0;
}

/** Reinterprets "US or SS" values dcmjs read as US when Pixel Representation says signed. */
function resolveAmbiguousVrs(dataset: DicomDataset, representation: number): void {
  for (const [tag, element] of Object.entries(dataset)) {
    if (element.vr === 'SQ') {
      for (const item of element.Value ?? []) {
        if (typeof item === 'object' && item !== null) {
          const nested = item as DicomDataset;
          resolveAmbiguousVrs(
            nested,
            firstNumber(nested, TAG.PixelRepresentation) ?? representation,
          );
        }
      }
      continue;
    }
    const which = US_OR_SS.get(tag);
    if (which === undefined || representation !== 1 || element.Value === undefined) continue;
    const values = element.Value.map((v, i) =>
      typeof v === 'number' && v >= 0x8000 && (which === 'all' || which.includes(i))
        ? v - 0x10000
        : v,
    );
    dataset[tag] = { ...element, vr: 'SS', Value: values } satisfies DicomElement;
  }
}

/** Reads Number of Frames (an IS); `undefined` when absent or not an integer. */
function numberOfFrames(dataset: DicomDataset): number | undefined {
  const n = firstNumber(dataset, TAG.NumberOfFrames);
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

function splitEncapsulatedFrames(
  bytes: Uint8Array,
  dataset: DicomDataset,
  location: PixelDataLocation,
  warnings: DicomWarning[],
): void {
  if (location.encapsulated === undefined) return;
  const extended = dataset['7FE00001']?.Value?.[0];
  let extendedOffsetTable: number[] | undefined;
  if (extended instanceof ArrayBuffer && extended.byteLength % 8 === 0) {
    const view = new DataView(extended);
    extendedOffsetTable = Array.from({ length: extended.byteLength / 8 }, (_, i) =>
      Number(view.getBigUint64(i * 8, true)),
    );
  }
  const grouped = groupFragmentsIntoFrames({
    bytes,
    basicOffsetTable: location.encapsulated.basicOffsetTable,
    fragments: location.encapsulated.fragments,
    numberOfFrames: numberOfFrames(dataset) ?? 1,
    ...(extendedOffsetTable === undefined ? {} : { extendedOffsetTable }),
  });
  for (const message of grouped.warnings) warnings.push({ code: 'PIXEL_FRAGMENTS', message });
  dataset[location.tag] = { vr: 'OB', Value: grouped.frames };
}

/** Throws `ERR_DICOM_TRUNCATED` when native pixel data is shorter than its attributes need. */
function checkNativeLength(dataset: DicomDataset, tag: string, length: number): void {
  const rows = firstNumber(dataset, TAG.Rows);
  const columns = firstNumber(dataset, TAG.Columns);
  const bitsAllocated =
    tag === '7FE00008' ? 32 : tag === '7FE00009' ? 64 : firstNumber(dataset, TAG.BitsAllocated);
  if (rows === undefined || columns === undefined || bitsAllocated === undefined) return;
  const samples = tag === '7FE00010' ? (firstNumber(dataset, TAG.SamplesPerPixel) ?? 1) : 1;
  // YBR_FULL_422 stores two luminance and two chrominance samples per pair of pixels
  // (PS3.3 C.7.6.3.1.2), so a frame holds two samples per pixel, not three.
  const photometric = firstString(dataset, TAG.PhotometricInterpretation);
  const samplesPerPixel = photometric === 'YBR_FULL_422' && samples === 3 ? 2 : samples;
  // An unreadable Number of Frames is read as 1: the check must not claim what it cannot know.
  const frames = numberOfFrames(dataset) ?? 1;
  const needed = Math.ceil((rows * columns * samplesPerPixel * frames * bitsAllocated) / 8);
  if (length < needed) {
    throw new PlatformError(
      'ERR_DICOM_TRUNCATED',
      `${formatTag(parseInt(tag, 16))} holds ${length} bytes; ${rows}×${columns}×${samplesPerPixel}` +
        `×${frames} samples of ${bitsAllocated} bits need ${needed}`,
    );
  }
}

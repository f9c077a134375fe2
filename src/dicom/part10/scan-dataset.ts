import { PlatformError } from '../../core/index.js';

/** How the elements of a data set are encoded (PS3.5 §7.1): byte order and explicit or implicit VR. */
export interface DatasetEncoding {
  readonly littleEndian: boolean;
  readonly explicitVr: boolean;
}

/** One item of an encapsulated Pixel Data element (PS3.5 §A.4), located in the scanned bytes. */
export interface PixelFragment {
  /** Offset of the item tag (FFFE,E000), in bytes from the start of the scanned buffer. */
  readonly itemOffset: number;
  /** Offset of the first value byte, in bytes from the start of the scanned buffer. */
  readonly valueOffset: number;
  /** Value length, in bytes. */
  readonly length: number;
}

/** Where the top-level pixel data element sits in the scanned bytes. */
export interface PixelDataLocation {
  /** `7FE00010` (Pixel Data), `7FE00008` (Float Pixel Data) or `7FE00009` (Double Float Pixel Data). */
  readonly tag: string;
  /** The VR written in the file; `undefined` in implicit VR. */
  readonly vr: string | undefined;
  /** Offset of the element's tag. */
  readonly headerOffset: number;
  /** Offset of the first byte after the element (after the Sequence Delimitation Item if any). */
  readonly endOffset: number;
  /** Offset of the first value byte (native pixel data) or of the first item (encapsulated). */
  readonly valueOffset: number;
  /** Value length in bytes; `undefined` for an undefined length (encapsulated pixel data). */
  readonly valueLength: number | undefined;
  /**
   * The Basic Offset Table (first item, PS3.5 §A.4 Table A.4-1) and the fragments after it,
   * present when the value length is undefined.
   */
  readonly encapsulated?: {
    readonly basicOffsetTable: readonly number[];
    readonly fragments: readonly PixelFragment[];
  };
}

/**
 * A top-level element of VR UN that holds a sequence encoded in implicit VR little endian
 * (PS3.5 §6.2.2, CP-246): undefined length, or a tag the dictionary calls a sequence.
 */
export interface UnknownSequenceLocation {
  readonly tag: string;
  readonly headerOffset: number;
  /** Offset of the first item tag. */
  readonly valueOffset: number;
  /** Offset after the value (after the Sequence Delimitation Item when there is one). */
  readonly endOffset: number;
  /** Whether the length was undefined, so that the value ends with a Sequence Delimitation Item. */
  readonly undefinedLength: boolean;
}

/** Options of {@link scanDataset}. */
export interface ScanDatasetOptions {
  /**
   * Whether the data dictionary gives a tag (eight upper-case hex digits) the VR SQ: a UN
   * element of defined length with such a tag holds an implicit VR sequence.
   * @defaultValue no tag
   */
  readonly isSequenceTag?: (tag: string) => boolean;
}

/** What {@link scanDataset} learnt about the structure of a data set. */
export interface DatasetScan {
  /** Tags of the top-level elements, eight upper-case hex digits, in file order. */
  readonly topLevelTags: readonly string[];
  /** The top-level pixel data element, when there is one. */
  readonly pixelData?: PixelDataLocation;
  /**
   * Zero bytes after the last element, which some writers pad files with; they are not
   * elements (a tag of (0000,0000) belongs to no data set).
   */
  readonly trailingZeroBytes: number;
  /** Offset of the first byte after the last element: where trailing zero bytes begin. */
  readonly contentEnd: number;
  /** Non-standard VRs met (explicit VR only), as `(gggg,eeee) XX`; read with a 2-byte length as DCMTK does. */
  readonly nonStandardVrs: readonly string[];
  /** Item or delimitation tags found outside any sequence and skipped, as `(gggg,eeee)`. */
  readonly strayDelimiters: readonly string[];
  /** Top-level UN elements of undefined length (explicit VR only), in file order. */
  readonly unknownSequences: readonly UnknownSequenceLocation[];
}

const UNDEFINED_LENGTH = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITATION = 0xfffee00d;
const SEQUENCE_DELIMITATION = 0xfffee0dd;
const PIXEL_DATA_TAGS: ReadonlySet<number> = new Set([0x7fe00010, 0x7fe00008, 0x7fe00009]);
// Nested sequences deeper than this are not found in real data; the bound keeps hostile input
// from exhausting the call stack.
const MAX_DEPTH = 64;

/** Value representations defined in PS3.5 §6.2, Table 6.2-1. */
export const KNOWN_VRS: ReadonlySet<string> = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL',
  'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US',
  'UT', 'UV',
]); // prettier-ignore

/** VRs whose explicit-VR header has two reserved bytes and a 32-bit length (PS3.5 §7.1.2). */
export const LONG_VRS: ReadonlySet<string> = new Set([
  'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV',
]); // prettier-ignore

const IMPLICIT_LE: DatasetEncoding = { littleEndian: true, explicitVr: false };

/** An element header as read: tag, VR (explicit VR only), value length and value offset. */
export interface ElementHeader {
  readonly tag: number;
  /** The VR for explicit VR; `undefined` for implicit VR and for item and delimitation tags. */
  readonly vr: string | undefined;
  readonly length: number;
  readonly valueOffset: number;
}

interface ScanState {
  readonly view: DataView;
  readonly end: number;
  readonly nonStandardVrs: string[];
}

/**
 * Reads the element header at `pos` (PS3.5 §7.1): throws `ERR_DICOM_TRUNCATED` when the bytes
 * end inside it.
 */
export function readElementHeader(
  bytes: Uint8Array,
  pos: number,
  encoding: DatasetEncoding,
): ElementHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return readHeader({ view, end: bytes.byteLength, nonStandardVrs: [] }, pos, encoding);
}

/** `(gggg,eeee)` for messages, as the standard writes tags. */
export function formatTag(tag: number): string {
  const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

function hexTag(tag: number): string {
  return (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

function truncated(message: string): PlatformError {
  return new PlatformError('ERR_DICOM_TRUNCATED', message);
}

function readTag(view: DataView, pos: number, littleEndian: boolean): number {
  return ((view.getUint16(pos, littleEndian) << 16) | view.getUint16(pos + 2, littleEndian)) >>> 0;
}

function readHeader(state: ScanState, pos: number, encoding: DatasetEncoding): ElementHeader {
  const { view, end } = state;
  const le = encoding.littleEndian;
  if (end - pos < 8) {
    throw truncated(`file ends inside an element header at byte ${pos}`);
  }
  const tag = readTag(view, pos, le);
  // Items and delimiters have no VR in either encoding (PS3.5 §7.5).
  if (tag >>> 16 === 0xfffe || !encoding.explicitVr) {
    return { tag, vr: undefined, length: view.getUint32(pos + 4, le), valueOffset: pos + 8 };
  }
  const vr = String.fromCharCode(view.getUint8(pos + 4), view.getUint8(pos + 5));
  if (LONG_VRS.has(vr)) {
    if (end - pos < 12) {
      throw truncated(`file ends inside the header of ${formatTag(tag)} at byte ${pos}`);
    }
    return { tag, vr, length: view.getUint32(pos + 8, le), valueOffset: pos + 12 };
  }
  // Kept short: a run of garbage would otherwise add one entry per element.
  if (!KNOWN_VRS.has(vr) && state.nonStandardVrs.length < 16) {
    state.nonStandardVrs.push(`${formatTag(tag)} ${JSON.stringify(vr)}`);
  }
  return { tag, vr, length: view.getUint16(pos + 6, le), valueOffset: pos + 8 };
}

/**
 * Walks items up to the Sequence Delimitation Item of an undefined-length sequence (or of
 * encapsulated pixel data, which has the same item structure) and returns the offset after it.
 */
function skipUndefinedSequence(
  state: ScanState,
  start: number,
  itemEncoding: DatasetEncoding,
  owner: number,
  depth: number,
  fragments?: PixelFragment[],
): number {
  if (depth > MAX_DEPTH) {
    throw new PlatformError('ERR_DICOM_PARSE', `sequences nested deeper than ${MAX_DEPTH} levels`);
  }
  const { view, end } = state;
  const le = itemEncoding.littleEndian;
  let pos = start;
  for (;;) {
    if (end - pos < 8) {
      throw truncated(
        `file ends inside ${formatTag(owner)} before its Sequence Delimitation Item (byte ${pos})`,
      );
    }
    const tag = readTag(view, pos, le);
    const length = view.getUint32(pos + 4, le);
    if (tag === SEQUENCE_DELIMITATION) return pos + 8;
    if (tag !== ITEM) {
      throw new PlatformError(
        'ERR_DICOM_PARSE',
        `${formatTag(tag)} found inside ${formatTag(owner)} at byte ${pos}, where an item was expected`,
      );
    }
    const valueOffset = pos + 8;
    if (length === UNDEFINED_LENGTH) {
      if (fragments !== undefined) {
        throw new PlatformError(
          'ERR_DICOM_PARSE',
          `pixel data fragment at byte ${pos} has an undefined length (PS3.5 §A.4 forbids it)`,
        );
      }
      pos = skipUndefinedItem(state, valueOffset, itemEncoding, depth + 1);
      continue;
    }
    if (valueOffset + length > end) {
      throw truncated(
        `item of ${formatTag(owner)} at byte ${pos} needs ${length} bytes, ${end - valueOffset} remain`,
      );
    }
    fragments?.push({ itemOffset: pos, valueOffset, length });
    pos = valueOffset + length;
  }
}

/** Walks the elements of an undefined-length item up to its Item Delimitation Item. */
function skipUndefinedItem(
  state: ScanState,
  start: number,
  encoding: DatasetEncoding,
  depth: number,
): number {
  let pos = start;
  for (;;) {
    if (state.end - pos < 8) {
      throw truncated(`file ends inside an item before its Item Delimitation Item (byte ${pos})`);
    }
    const header = readHeader(state, pos, encoding);
    if (header.tag === ITEM_DELIMITATION) return header.valueOffset;
    pos = skipElementValue(state, header, encoding, depth);
  }
}

/** Returns the offset after an element's value, descending into undefined-length values. */
function skipElementValue(
  state: ScanState,
  header: ElementHeader,
  encoding: DatasetEncoding,
  depth: number,
): number {
  if (header.length === UNDEFINED_LENGTH) {
    // An undefined-length UN holds a sequence encoded in implicit VR little endian (PS3.5 §6.2.2).
    const inner = header.vr === 'UN' ? IMPLICIT_LE : encoding;
    return skipUndefinedSequence(state, header.valueOffset, inner, header.tag, depth + 1);
  }
  const next = header.valueOffset + header.length;
  if (next > state.end) {
    throw truncated(
      `${formatTag(header.tag)} at byte ${header.valueOffset} needs ${header.length} bytes, ` +
        `${state.end - header.valueOffset} remain`,
    );
  }
  return next;
}

/**
 * Walks the element structure of a data set without decoding any value, to tell a complete
 * file from a truncated or malformed one before dcmjs (which stops quietly in lenient mode)
 * reads it, and to locate the fragments of encapsulated pixel data (PS3.5 §7 and §A.4).
 *
 * Throws `ERR_DICOM_TRUNCATED` when the bytes end inside an element, an item or before a
 * delimiter, and `ERR_DICOM_PARSE` when the structure is impossible.
 */
export function scanDataset(
  bytes: Uint8Array,
  encoding: DatasetEncoding,
  options: ScanDatasetOptions = {},
): DatasetScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const state: ScanState = { view, end: bytes.byteLength, nonStandardVrs: [] };
  const topLevelTags: string[] = [];
  const strayDelimiters: string[] = [];
  const unknownSequences: UnknownSequenceLocation[] = [];
  let pixelData: PixelDataLocation | undefined;
  let trailingZeroBytes = 0;
  let pos = 0;
  // First non-zero byte at or after the last padding check: remembered so that a long run of
  // zeros is scanned once, not once per 8-byte "(0000,0000)" element inside it.
  let nonZeroAt = -1;
  while (pos < state.end) {
    const remaining = state.end - pos;
    if (remaining < 8 || view.getUint32(pos) === 0) {
      if (nonZeroAt < pos) {
        nonZeroAt = pos;
        while (nonZeroAt < state.end && bytes[nonZeroAt] === 0) nonZeroAt++;
      }
      if (nonZeroAt === state.end) {
        trailingZeroBytes = remaining;
        break;
      }
      if (remaining < 8) throw truncated(`file ends inside an element header at byte ${pos}`);
    }
    const start = pos;
    const header = readHeader(state, pos, encoding);
    if (header.tag >>> 16 === 0xfffe) {
      // A delimiter outside any sequence: some writers leave one after the last element.
      strayDelimiters.push(formatTag(header.tag));
      pos = header.valueOffset;
      continue;
    }
    const isPixelData = PIXEL_DATA_TAGS.has(header.tag);
    if (isPixelData && header.length === UNDEFINED_LENGTH) {
      const fragments: PixelFragment[] = [];
      pos = skipUndefinedSequence(state, header.valueOffset, encoding, header.tag, 1, fragments);
      const [table, ...rest] = fragments;
      const basicOffsetTable: number[] = [];
      if (table !== undefined) {
        for (let i = 0; i + 4 <= table.length; i += 4) {
          basicOffsetTable.push(view.getUint32(table.valueOffset + i, true));
        }
      }
      pixelData = {
        tag: hexTag(header.tag),
        vr: header.vr,
        headerOffset: start,
        endOffset: pos,
        valueOffset: header.valueOffset,
        valueLength: undefined,
        encapsulated: { basicOffsetTable, fragments: rest },
      };
    } else {
      pos = skipElementValue(state, header, encoding, 0);
      const undefinedLength = header.length === UNDEFINED_LENGTH;
      if (
        header.vr === 'UN' &&
        (undefinedLength || options.isSequenceTag?.(hexTag(header.tag)) === true)
      ) {
        unknownSequences.push({
          tag: hexTag(header.tag),
          headerOffset: start,
          valueOffset: header.valueOffset,
          endOffset: pos,
          undefinedLength,
        });
      }
      if (isPixelData) {
        pixelData = {
          tag: hexTag(header.tag),
          vr: header.vr,
          headerOffset: start,
          endOffset: pos,
          valueOffset: header.valueOffset,
          valueLength: header.length,
        };
      }
    }
    topLevelTags.push(hexTag(header.tag));
  }
  return {
    topLevelTags,
    ...(pixelData === undefined ? {} : { pixelData }),
    trailingZeroBytes,
    contentEnd: state.end - trailingZeroBytes,
    nonStandardVrs: state.nonStandardVrs,
    strayDelimiters,
    unknownSequences,
  };
}

/** Whether a known two-letter VR follows the tag at `offset`, as in explicit VR encodings (PS3.5 §7.1.2). */
export function looksExplicitVr(bytes: Uint8Array, offset: number): boolean {
  if (bytes.length - offset < 6) return false;
  return KNOWN_VRS.has(String.fromCharCode(bytes[offset + 4] ?? 0, bytes[offset + 5] ?? 0));
}

/**
 * Guesses the encoding of a bare data set (no preamble, no file meta information) from its
 * first element: a group between 0x0002 and 0x0010 read little or big endian, then whether a
 * known VR follows, then whether the first value fits in the bytes (PS3.5 §7.1). Returns
 * `undefined` when the bytes do not start like a data set, which is how non-DICOM input is told.
 */
export function sniffBareEncoding(bytes: Uint8Array): DatasetEncoding | undefined {
  if (bytes.length < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const explicitVr = looksExplicitVr(bytes, 0);
  const firstGroup = (le: boolean): boolean => {
    const group = view.getUint16(0, le);
    return group >= 0x0002 && group <= 0x0010;
  };
  const candidates: DatasetEncoding[] = [];
  if (firstGroup(true)) candidates.push({ littleEndian: true, explicitVr });
  // Big endian data sets are always explicit VR: there is no implicit VR big endian syntax.
  if (firstGroup(false) && explicitVr) candidates.push({ littleEndian: false, explicitVr: true });
  for (const encoding of candidates) {
    const state: ScanState = { view, end: bytes.byteLength, nonStandardVrs: [] };
    try {
      const header = readHeader(state, 0, encoding);
      if (header.length === UNDEFINED_LENGTH || header.valueOffset + header.length <= state.end) {
        return encoding;
      }
    } catch {
      // Too short for this reading of the header: try the next one.
    }
  }
  return undefined;
}

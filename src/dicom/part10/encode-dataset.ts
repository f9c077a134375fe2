import type { DicomDataset } from './dicom-dataset.js';
import { ByteWriter } from './kernels/byte-writer.js';
import { TRANSFER_SYNTAX } from './transfer-syntax.js';

/**
 * What {@link encodePart10} and {@link encodeDataset} give back: the bytes, or why the dataset
 * holds something the encoder does not reproduce byte for byte, in which case the caller
 * writes it with dcmjs.
 */
export type EncodeResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: string };

// This encoder reproduces, byte for byte, what dcmjs 0.51's `DicomDict.write` and
// `DicomMessage.write` produce for the dict form (DICOM JSON with binary values as buffers),
// quirks included, since dcmjs is its oracle (encode-dataset.test.ts): elements in the order of
// `Object.keys().sort()`; sequences and items always of undefined length with delimiters
// (PS3.5 §7.5.2); values as dcmjs's `_getTagWriteValues` picks them (the raw strings read
// when formatting them gives `Value` again); numbers coerced as its `toInt` and `toFloat` do;
// short-VR values of 64 KiB or more written as UN with a 4-byte length; encapsulated pixel data
// as a Basic Offset Table plus fragments of at most 20 KiB per frame (PS3.5 §A.4).
//
// Where dcmjs is wrong this encoder is right instead, and the test says so: text under
// Specific Character Set ISO_IR 100 is written in ISO 8859-1 (dcmjs writes UTF-8 whatever the
// set), and a binary value given as a typed array that starts inside its buffer is written from
// its own first byte (dcmjs writes the buffer from byte 0).
//
// Anything else that is not what dcmjs would read back (a VR dcmjs does not know, a value of an
// unexpected type, text outside ISO 8859-1 under ISO_IR 100) makes the encoder give up with a
// reason, and the caller falls back to dcmjs: correctness first.

/** Thrown inside the encoder for a dataset it hands back to dcmjs. */
class Fallback extends Error {}

type Kind =
  | 'ascii'
  | 'DS'
  | 'IS'
  | 'text'
  | 'PN'
  | 'US'
  | 'SS'
  | 'UL'
  | 'SL'
  | 'FL'
  | 'FD'
  | 'AT'
  | 'UV'
  | 'binary'
  | 'SQ';

// The VRs dcmjs 0.51 has classes for (its `VRinstances`), by how they are written.
const KIND: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ['AE', 'ascii'],
  ['AS', 'ascii'],
  ['CS', 'ascii'],
  ['DA', 'ascii'],
  ['DT', 'ascii'],
  ['TM', 'ascii'],
  ['UI', 'ascii'],
  ['UR', 'ascii'],
  ['DS', 'DS'],
  ['IS', 'IS'],
  ['LO', 'text'],
  ['LT', 'text'],
  ['SH', 'text'],
  ['ST', 'text'],
  ['UC', 'text'],
  ['UT', 'text'],
  ['PN', 'PN'],
  ['US', 'US'],
  ['SS', 'SS'],
  ['UL', 'UL'],
  ['SL', 'SL'],
  ['FL', 'FL'],
  ['FD', 'FD'],
  ['AT', 'AT'],
  ['UV', 'UV'],
  ['OB', 'binary'],
  ['OD', 'binary'],
  ['OF', 'binary'],
  ['OW', 'binary'],
  ['UN', 'binary'],
  ['SQ', 'SQ'],
]);

// dcmjs's `length32VRs`: in explicit VR these have 2 reserved bytes and a 4-byte length. OL, OV
// and SV are missing because dcmjs has no class for them (they are read as UN).
const LENGTH32: ReadonlySet<string> = new Set([
  'OB',
  'OW',
  'OF',
  'SQ',
  'UC',
  'UR',
  'UT',
  'UN',
  'OD',
  'UV',
]);

const UNDEFINED_LENGTH = 0xffffffff;
const FRAGMENT_SIZE = 20 * 1024;
const BACKSLASH = 0x5c;
const TAG_KEY = /^[0-9A-Fa-f]{8}$/;
const NATIVE_SYNTAXES: ReadonlySet<unknown> = new Set([
  TRANSFER_SYNTAX.ImplicitVRLittleEndian,
  TRANSFER_SYNTAX.ExplicitVRLittleEndian,
  TRANSFER_SYNTAX.DeflatedExplicitVRLittleEndian,
  TRANSFER_SYNTAX.ExplicitVRBigEndian,
]);

type Charset = 'utf8' | 'latin1';

interface Context {
  readonly littleEndian: boolean;
  readonly explicitVr: boolean;
  /** Whether top-level Pixel Data (7FE0,0010) is encapsulated; never so inside items. */
  readonly encapsulated: boolean;
}

interface Syntax extends Context {
  /** The transfer syntax dcmjs writes elements in (its `_normalizeSyntax`). */
  readonly uid: string;
}

function syntaxFor(transferSyntaxUid: unknown): Syntax {
  const uid =
    transferSyntaxUid === TRANSFER_SYNTAX.ImplicitVRLittleEndian ||
    transferSyntaxUid === TRANSFER_SYNTAX.ExplicitVRBigEndian
      ? transferSyntaxUid
      : TRANSFER_SYNTAX.ExplicitVRLittleEndian;
  return {
    uid,
    littleEndian: uid !== TRANSFER_SYNTAX.ExplicitVRBigEndian,
    explicitVr: uid !== TRANSFER_SYNTAX.ImplicitVRLittleEndian,
    encapsulated: !NATIVE_SYNTAXES.has(transferSyntaxUid),
  };
}

// One scratch buffer serves every call (the encoder is synchronous, so calls never overlap);
// it is kept between calls only up to this size, so one huge file does not pin its memory.
const KEEP_SCRATCH_BYTES = 8 * 1024 * 1024;
let scratch: Uint8Array = new Uint8Array(64 * 1024);

function run(encode: (writer: ByteWriter) => void): EncodeResult {
  const writer = new ByteWriter(scratch);
  try {
    encode(writer);
  } catch (error) {
    if (error instanceof Fallback) return { ok: false, reason: error.message };
    throw error;
  } finally {
    if (writer.bytes.length <= KEEP_SCRATCH_BYTES) scratch = writer.bytes;
  }
  return { ok: true, bytes: writer.result() };
}

/**
 * Encodes a Part 10 file (PS3.10 §7.1): a zero preamble, `DICM`, the file meta group in
 * explicit VR little endian led by its group length (0002,0000), computed, then `dataset` in
 * the transfer syntax meta (0002,0010) names (explicit VR little endian for compressed syntaxes,
 * whose Pixel Data is written encapsulated, PS3.5 §A.4). Byte for byte what dcmjs's
 * `DicomDict.write` writes, except where dcmjs is wrong (see the module notes).
 *
 * @remarks
 * `meta` must not hold (0002,0000): like dcmjs, this writes any element it is given. A meta
 * without (0002,0010) gets explicit VR little endian, as in dcmjs. Deflated data sets are not
 * compressed here: the caller encodes meta with an empty data set and deflates
 * {@link encodeDataset}'s output (PS3.5 §A.5).
 * @returns The file, or `ok: false` with the reason when the caller must write it with dcmjs.
 */
export function encodePart10(meta: DicomDataset, dataset: DicomDataset): EncodeResult {
  return run((writer) => {
    const transferSyntax = meta['00020010'];
    let metaToWrite = meta;
    if (transferSyntax === undefined) {
      metaToWrite = {
        ...meta,
        '00020010': { vr: 'UI', Value: [TRANSFER_SYNTAX.ExplicitVRLittleEndian] },
      };
    } else if (!Array.isArray(transferSyntax.Value)) {
      throw new Fallback('Transfer Syntax UID (0002,0010) has no value list');
    }
    const syntax = syntaxFor(metaToWrite['00020010']?.Value?.[0]);
    writer.zeros(128);
    writer.ascii('DICM');
    // (0002,0000) UL, 4 bytes: its value is the length of the rest of the group.
    writer.u32(0x00000002, true);
    writer.ascii('UL');
    writer.u16(4, true);
    const groupLengthAt = writer.pos;
    writer.u32(0, true);
    const metaStart = writer.pos;
    const metaSyntax = syntaxFor(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    writeDataset(writer, metaToWrite, metaSyntax, 'utf8');
    writer.view.setUint32(groupLengthAt, writer.pos - metaStart, true);
    writeDataset(writer, dataset, syntax, charsetOf(dataset, 'utf8'));
  });
}

/**
 * Encodes a bare data set (no preamble, no meta group) as dcmjs's `DicomMessage.write` does in
 * `transferSyntaxUid`: implicit VR little endian, explicit VR big endian, else explicit VR little
 * endian, with top-level Pixel Data encapsulated for compressed syntaxes.
 *
 * @returns The bytes, or `ok: false` with the reason when the caller must write it with dcmjs.
 */
export function encodeDataset(dataset: DicomDataset, transferSyntaxUid: string): EncodeResult {
  return run((writer) => {
    writeDataset(writer, dataset, syntaxFor(transferSyntaxUid), charsetOf(dataset, 'utf8'));
  });
}

interface RawElement {
  readonly vr?: unknown;
  readonly Value?: unknown;
  readonly _rawValue?: unknown;
}

/**
 * The character set text values are written in: ISO 8859-1 for a single-valued Specific
 * Character Set ISO_IR 100 (PS3.3 C.12.1.1.2), else UTF-8, which is what dcmjs writes whatever
 * the set. Nested items inherit the set of the data set they sit in unless they name their own.
 */
function charsetOf(dataset: DicomDataset, inherited: Charset): Charset {
  const element: unknown = dataset['00080005'];
  if (typeof element !== 'object' || element === null) return inherited;
  const values = valuesToWrite('CS', element);
  const terms = Array.isArray(values) ? values : [values];
  if (terms.length === 1 && typeof terms[0] === 'string' && terms[0].trim() === 'ISO_IR 100') {
    return 'latin1';
  }
  return 'utf8';
}

function writeDataset(
  writer: ByteWriter,
  dataset: DicomDataset,
  context: Context,
  charset: Charset,
): void {
  const keys = Object.keys(dataset).sort();
  for (const key of keys) {
    writeElement(writer, key, dataset[key], context, charset);
  }
}

function writeElement(
  writer: ByteWriter,
  key: string,
  element: unknown,
  context: Context,
  charset: Charset,
): void {
  if (!TAG_KEY.test(key)) throw new Fallback(`key ${key} is not a tag`);
  if (!isElement(element)) {
    throw new Fallback(`${key} is not an element`);
  }
  const vr = element.vr;
  const kind = typeof vr === 'string' ? KIND.get(vr) : undefined;
  if (kind === undefined || typeof vr !== 'string') {
    throw new Fallback(`${key} has VR ${String(vr)}, which dcmjs writes as UN`);
  }
  const tag = parseInt(key, 16);
  const le = context.littleEndian;
  writer.u16(tag >>> 16, le);
  writer.u16(tag & 0xffff, le);
  const long = LENGTH32.has(vr);
  if (context.explicitVr) {
    writer.ascii(vr);
    if (long) writer.u16(0, le);
  }
  const lengthAt = writer.pos;
  if (long || !context.explicitVr) writer.u32(0, le);
  else writer.u16(0, le);
  const valueStart = writer.pos;

  const values = valuesToWrite(vr, element);
  let length: number;
  if (kind === 'SQ') {
    writeSequence(writer, values, context, charset);
    length = UNDEFINED_LENGTH;
  } else if (
    kind === 'binary' &&
    context.encapsulated &&
    tag === 0x7fe00010 &&
    (vr === 'OB' || vr === 'OW' || vr === 'UN')
  ) {
    writeEncapsulated(writer, values);
    length = UNDEFINED_LENGTH;
  } else {
    writeValue(writer, kind, vr, values, le, charset);
    length = writer.pos - valueStart;
    if (length & 1) {
      writer.u8(vr === 'UI' || kind === 'binary' ? 0 : 0x20);
      length++;
    }
  }

  if (!context.explicitVr || long) {
    writer.view.setUint32(lengthAt, length, le);
  } else if (length < 0x10000) {
    writer.view.setUint16(lengthAt, length, le);
  } else {
    // dcmjs writes a short-VR value too long for a 2-byte length as UN with a 4-byte one.
    writer.widenShortHeader(valueStart);
    writer.bytes[lengthAt - 2] = 0x55; // U
    writer.bytes[lengthAt - 1] = 0x4e; // N
    writer.view.setUint16(lengthAt, 0, le);
    writer.view.setUint32(lengthAt + 2, length, le);
  }
}

function isElement(value: unknown): value is RawElement {
  return typeof value === 'object' && value !== null;
}

function writeSequence(
  writer: ByteWriter,
  items: unknown,
  context: Context,
  charset: Charset,
): void {
  const le = context.littleEndian;
  if (isTruthy(items)) {
    if (!Array.isArray(items)) throw new Fallback('a sequence value that is not a list');
    const nested: Context = { ...context, encapsulated: false };
    for (const item of items) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw new Fallback('a sequence item that is not a data set');
      }
      const dataset = item as DicomDataset;
      writer.u16(0xfffe, le);
      writer.u16(0xe000, le);
      writer.u32(UNDEFINED_LENGTH, le);
      writeDataset(writer, dataset, nested, charsetOf(dataset, charset));
      writer.u16(0xfffe, le);
      writer.u16(0xe00d, le);
      writer.u32(0, le);
    }
  }
  writer.u16(0xfffe, le);
  writer.u16(0xe0dd, le);
  writer.u32(0, le);
}

/** The bytes of a binary value as dcmjs takes them; `undefined` for none. */
function bufferBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (!isTruthy(value)) return undefined;
  throw new Fallback(`a binary value of type ${typeof value}`);
}

function binaryList(values: unknown): readonly unknown[] {
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) throw new Fallback('a binary value that is not a list');
  return values;
}

/** Encapsulated Pixel Data (PS3.5 §A.4) as dcmjs writes it: one Basic Offset Table entry per frame. */
function writeEncapsulated(writer: ByteWriter, values: unknown): void {
  const frames = binaryList(values).map((frame) => {
    if (!(frame instanceof ArrayBuffer) && !ArrayBuffer.isView(frame)) {
      throw new Fallback('an encapsulated frame that is not a buffer');
    }
    return bufferBytes(frame) ?? new Uint8Array(0);
  });
  writer.u16(0xfffe, true);
  writer.u16(0xe000, true);
  writer.u32(frames.length * 4, true);
  const tableAt = writer.pos;
  writer.zeros(frames.length * 4);
  const fragmentsStart = writer.pos;
  frames.forEach((frame, index) => {
    writer.view.setUint32(tableAt + index * 4, writer.pos - fragmentsStart, true);
    const count = Math.ceil(frame.length / FRAGMENT_SIZE);
    for (let j = 0, start = 0; j < count; j++) {
      const last = j === count - 1;
      const end = last ? frame.length : start + FRAGMENT_SIZE;
      const pad = last && (frame.length & 1) === 1;
      writer.u16(0xfffe, true);
      writer.u16(0xe000, true);
      writer.u32(end - start + (pad ? 1 : 0), true);
      writer.raw(frame.subarray(start, end));
      if (pad) writer.u8(0);
      start = end;
    }
  });
  writer.u16(0xfffe, true);
  writer.u16(0xe0dd, true);
  writer.u32(0, true);
}

function writeValue(
  writer: ByteWriter,
  kind: Kind,
  vr: string,
  values: unknown,
  le: boolean,
  charset: Charset,
): void {
  switch (kind) {
    case 'binary': {
      const bytes = bufferBytes(binaryList(values)[0]);
      if (bytes !== undefined) writer.raw(bytes);
      return;
    }
    case 'DS':
    case 'IS': {
      const convert = kind === 'DS' ? decimalString : integerString;
      const strings = Array.isArray(values) ? values.map(convert) : [convert(values)];
      writeStrings(writer, strings, (v) => {
        writeAscii(writer, v);
      });
      return;
    }
    case 'ascii':
      writeStrings(writer, values, (v) => {
        writeAscii(writer, v);
      });
      return;
    case 'text':
      writeStrings(writer, values, (v) => {
        writeText(writer, v, charset);
      });
      return;
    case 'PN':
      writeStrings(writer, personNameString(values), (v) => {
        writeText(writer, v, charset);
      });
      return;
    case 'SQ':
      throw new Fallback(`${vr} is written elsewhere`);
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD':
    case 'AT':
    case 'UV':
      writeNumbers(writer, kind, values, le);
  }
}

/** dcmjs's `ValueRepresentation.write` for strings: values joined with backslashes (PS3.5 §6.4). */
function writeStrings(writer: ByteWriter, values: unknown, write: (value: unknown) => void): void {
  if (values === null || values === '' || values === undefined) return;
  if (!Array.isArray(values)) {
    write(values);
    return;
  }
  for (let i = 0; i < values.length; i++) {
    if (i > 0) writer.u8(BACKSLASH);
    write(values[i]);
  }
}

/** dcmjs's `writeAsciiString`: a falsy value writes nothing. */
function writeAscii(writer: ByteWriter, value: unknown): void {
  if (typeof value === 'string') writer.ascii(value);
  else if (isTruthy(value)) throw new Fallback(`a ${typeof value} in a string value`);
}

/** JavaScript truthiness, which dcmjs's `if (value)` and `value || ""` test. */
function isTruthy(value: unknown): boolean {
  return Boolean(value);
}

function writeText(writer: ByteWriter, value: unknown, charset: Charset): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw new Fallback(`a ${typeof value} in a text value`);
  if (charset === 'utf8') writer.utf8(value);
  else if (!writer.latin1(value)) throw new Fallback('text outside ISO 8859-1 under ISO_IR 100');
}

type NumberKind = 'US' | 'SS' | 'UL' | 'SL' | 'FL' | 'FD' | 'AT' | 'UV';

function writeNumbers(writer: ByteWriter, kind: NumberKind, values: unknown, le: boolean): void {
  if (values === null || values === '' || values === undefined) return;
  const list: readonly unknown[] = Array.isArray(values) ? values : [values];
  for (const value of list) {
    switch (kind) {
      case 'US':
        writer.u16(toInt(value), le);
        break;
      case 'SS':
        writer.i16(toInt(value), le);
        break;
      case 'UL':
        writer.u32(toInt(value), le);
        break;
      case 'SL':
        writer.i32(toInt(value), le);
        break;
      case 'FL':
        writer.f32(toFloat(value), le);
        break;
      case 'FD':
        writer.f64(toFloat(value), le);
        break;
      case 'AT': {
        // dcmjs's writeTwoUint16s: the value is taken as a number, shifted as an int32.
        const tag = toNumberLike(value);
        writer.u16(toInt(tag >> 16), le);
        writer.u16(toInt(tag & 0xffff), le);
        break;
      }
      case 'UV':
        if (typeof value !== 'bigint') throw new Fallback('a UV value that is not a bigint');
        writer.u64(value, le);
        break;
    }
  }
}

function toNumberLike(value: unknown): number {
  if (typeof value === 'number') return value;
  if (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    value === null ||
    value === undefined
  ) {
    return Number(value);
  }
  throw new Fallback(`a ${typeof value} in a numeric value`);
}

/** dcmjs's `toInt`: strings through `parseInt`; what is not a number makes dcmjs throw. */
function toInt(value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new Fallback('NaN in an integer value');
    return value;
  }
  if (typeof value === 'string') {
    if (Number.isNaN(Number(value))) throw new Fallback(`"${value}" in an integer value`);
    // No radix, as dcmjs calls it: "0x1A" is 26.
    return Number.parseInt(value);
  }
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new Fallback(`a ${typeof value} in an integer value`);
}

/** dcmjs's `toFloat`: strings through `parseFloat`, the rest as the DataView coerces it. */
function toFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number.parseFloat(value);
  if (value === null) return 0;
  if (value === undefined) return NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new Fallback(`a ${typeof value} in a floating point value`);
}

/** dcmjs's `DecimalString.convertToString`: at most 16 characters (PS3.5 §6.2). */
function decimalString(value: unknown): unknown {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value !== 'number' && value !== undefined) {
    throw new Fallback(`a ${typeof value} in a DS value`);
  }
  const text = String(value);
  if (text.length <= 16 || typeof value !== 'number') return text;
  const signChars = value < 0 ? 1 : 0;
  const log = Math.log10(Math.abs(value));
  if (log < -4 || log >= 14 - signChars) {
    const truncated = value.toExponential(16 - signChars);
    if (truncated.length <= 16) return truncated;
    return value.toExponential(16 - (truncated.length - 16) - signChars);
  }
  const truncated = value.toFixed(16 - signChars);
  if (truncated.length <= 16) return truncated;
  return value.toFixed(16 - signChars - (truncated.length - 16));
}

/** dcmjs's `IntegerString.convertToString`. */
function integerString(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (typeof value !== 'number' && value !== undefined) {
    throw new Fallback(`a ${typeof value} in an IS value`);
  }
  return String(value);
}

/** dcmjs's `pnObjectToString`: components joined with `=`, trailing empty ones dropped. */
function personNameString(value: unknown): string {
  if (typeof value === 'string') return value;
  const list: readonly unknown[] = Array.isArray(value) ? value : [value];
  const names: string[] = [];
  for (const name of list) {
    if (!name) continue;
    if (typeof name === 'string') {
      names.push(name);
      continue;
    }
    if (typeof name !== 'object') throw new Fallback(`a ${typeof name} in a PN value`);
    const { Alphabetic, Ideographic, Phonetic } = name as Record<string, unknown>;
    const components: string[] = [];
    for (const component of [Alphabetic, Ideographic, Phonetic]) {
      if (component !== undefined && component !== null && typeof component !== 'string') {
        throw new Fallback('a PN component that is not a string');
      }
      components.push(component ?? '');
    }
    names.push(components.join('=').replace(TRAILING_EQUALS, ''));
  }
  return names.join('\\');
}

const TRAILING_EQUALS = /=*$/;

/**
 * dcmjs's `_getTagWriteValues`: the raw value as read when formatting it gives `Value` again
 * (so `1.50` is not rewritten `1.5`), else `Value`.
 */
function valuesToWrite(vr: string, element: RawElement): unknown {
  const raw = element._rawValue;
  if (!raw) return element.Value;
  const original = Array.isArray(raw)
    ? raw.map((v: unknown) => applyFormatting(vr, v))
    : applyFormatting(vr, raw);
  return deepEqual(element.Value, original) ? raw : element.Value;
}

/** dcmjs's `applyFormatting` of each VR, which reading applies to the raw strings. */
function applyFormatting(vr: string, value: unknown): unknown {
  switch (vr) {
    case 'AE':
    case 'LO':
    case 'SH':
      return asString(value).trim();
    case 'CS':
      return Array.isArray(value) ? value.map((v) => asString(v).trim()) : asString(value).trim();
    case 'DS':
    case 'IS':
      return Array.isArray(value) ? value.map(formatNumber) : formatNumber(value);
    case 'LT':
    case 'ST':
    case 'TM':
    case 'UC':
    case 'UT':
      // dcmjs's rtrim, `replace(/\s*$/g, "")`: \s is exactly what trimEnd removes (ECMA-262).
      return asString(value).trimEnd();
    case 'PN':
      return personNameObjects(value);
    case 'UI':
      return Array.isArray(value) ? value.map(uidChars) : uidChars(value);
    case 'FL':
    case 'FD':
      if (typeof value === 'symbol') throw new Fallback('a symbol in a float value');
      return Number(value);
    default:
      return value;
  }
}

function asString(value: unknown): string {
  if (typeof value !== 'string') throw new Fallback(`a raw ${typeof value} in a string value`);
  return value;
}

function formatNumber(value: unknown): number | null {
  const digits = asString(value)
    .trim()
    .replace(/[^0-9.\\\-+e]/gi, '');
  return digits === '' ? null : Number(digits);
}

function uidChars(value: unknown): string {
  return asString(value).replace(/[^0-9.]/g, '');
}

/** dcmjs's `pnStringToObject` (multiple): a Part 10 PN string as DICOM JSON name objects. */
function personNameObjects(value: unknown): unknown {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    return value
      .split('\\')
      .filter(Boolean)
      .map((name) => {
        const [alphabetic, ideographic, phonetic] = name.split('=');
        return {
          ...(alphabetic ? { Alphabetic: alphabetic } : {}),
          ...(ideographic ? { Ideographic: ideographic } : {}),
          ...(phonetic ? { Phonetic: phonetic } : {}),
        };
      });
  }
  if (typeof value !== 'object') throw new Fallback(`a raw ${typeof value} in a PN value`);
  return Array.isArray(value) ? value : [{ ...value }];
}

/** dcmjs's `deepEqual`: `Object.is` on leaves (so 0 and -0 differ), own enumerable keys. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  for (const key of keysA) {
    if (!keysB.includes(key) || !deepEqual(recordA[key], recordB[key])) return false;
  }
  return true;
}

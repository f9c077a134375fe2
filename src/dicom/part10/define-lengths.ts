import { PlatformError } from '../../core/index.js';
import type { DatasetEncoding, ElementHeader } from './scan-dataset.js';
import { formatTag, readElementHeader } from './scan-dataset.js';

const UNDEFINED_LENGTH = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITATION = 0xfffee00d;
const SEQUENCE_DELIMITATION = 0xfffee0dd;
const PIXEL_DATA = 0x7fe00010;

/** Bytes written so far, as parts joined once at the end. */
type Parts = Uint8Array[];

function total(parts: Parts): number {
  return parts.reduce((n, p) => n + p.length, 0);
}

function join(parts: Parts): Uint8Array {
  const out = new Uint8Array(total(parts));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function delimiter(tag: number, encoding: DatasetEncoding, length = 0): Uint8Array {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint16(0, tag >>> 16, encoding.littleEndian);
  view.setUint16(2, tag & 0xffff, encoding.littleEndian);
  view.setUint32(4, length, encoding.littleEndian);
  return new Uint8Array(view.buffer);
}

function itemHeader(length: number, encoding: DatasetEncoding): Uint8Array {
  return delimiter(ITEM, encoding, length);
}

function sequenceHeader(tag: number, length: number, encoding: DatasetEncoding): Uint8Array {
  const le = encoding.littleEndian;
  const view = new DataView(new ArrayBuffer(encoding.explicitVr ? 12 : 8));
  view.setUint16(0, tag >>> 16, le);
  view.setUint16(2, tag & 0xffff, le);
  if (encoding.explicitVr) {
    view.setUint8(4, 0x53); // 'S'
    view.setUint8(5, 0x51); // 'Q'
    view.setUint32(8, length, le);
  } else {
    view.setUint32(4, length, le);
  }
  return new Uint8Array(view.buffer);
}

/**
 * Whether an element holds items to rewrite: a sequence, or in implicit VR any undefined-length
 * element but Pixel Data (whose encapsulated fragments are items too, but of pixel data).
 */
function holdsItems(header: ElementHeader, encoding: DatasetEncoding): boolean {
  if (encoding.explicitVr) return header.vr === 'SQ';
  return header.length === UNDEFINED_LENGTH && header.tag !== PIXEL_DATA;
}

const IMPLICIT_LE: DatasetEncoding = { littleEndian: true, explicitVr: false };

/** Returns the offset after the Sequence Delimitation Item that closes the items at `pos`. */
function skipItems(bytes: Uint8Array, pos: number, encoding: DatasetEncoding): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = encoding.littleEndian;
  let at = pos;
  for (;;) {
    const tag = ((view.getUint16(at, le) << 16) | view.getUint16(at + 2, le)) >>> 0;
    const length = view.getUint32(at + 4, le);
    if (tag === SEQUENCE_DELIMITATION) return at + 8;
    if (tag !== ITEM) {
      throw new PlatformError('ERR_DICOM_PARSE', `${formatTag(tag)} where an item was expected`);
    }
    at =
      length === UNDEFINED_LENGTH
        ? rewriteElements(bytes, at + 8, bytes.length, true, encoding, [])
        : at + 8 + length;
  }
}

/** Rewrites the items of a sequence value that starts at `pos`; returns the offset after it. */
function rewriteItems(
  bytes: Uint8Array,
  pos: number,
  end: number,
  undefinedLength: boolean,
  encoding: DatasetEncoding,
  out: Parts,
): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = encoding.littleEndian;
  let at = pos;
  while (undefinedLength || at < end) {
    const tag = ((view.getUint16(at, le) << 16) | view.getUint16(at + 2, le)) >>> 0;
    const length = view.getUint32(at + 4, le);
    if (tag === SEQUENCE_DELIMITATION) return at + 8;
    if (tag !== ITEM) {
      throw new PlatformError('ERR_DICOM_PARSE', `${formatTag(tag)} where an item was expected`);
    }
    const content: Parts = [];
    const itemEnd = length === UNDEFINED_LENGTH ? bytes.length : at + 8 + length;
    at = rewriteElements(bytes, at + 8, itemEnd, length === UNDEFINED_LENGTH, encoding, content);
    out.push(itemHeader(total(content), encoding), ...content);
  }
  return at;
}

/**
 * Rewrites the elements in [pos, end), or up to an Item Delimitation Item when
 * `untilDelimiter`, into `out`, giving every sequence and item a defined length.
 */
function rewriteElements(
  bytes: Uint8Array,
  pos: number,
  end: number,
  untilDelimiter: boolean,
  encoding: DatasetEncoding,
  out: Parts,
): number {
  let at = pos;
  while (at < end) {
    const header = readElementHeader(bytes, at, encoding);
    if (header.tag === ITEM_DELIMITATION && untilDelimiter) return header.valueOffset;
    if (header.tag >>> 16 === 0xfffe) {
      // A delimiter outside any sequence (scanDataset warned about it): dropped.
      at = header.valueOffset;
      continue;
    }
    if (holdsItems(header, encoding)) {
      const items: Parts = [];
      const undefinedLength = header.length === UNDEFINED_LENGTH;
      const valueEnd = undefinedLength ? end : header.valueOffset + header.length;
      at = rewriteItems(bytes, header.valueOffset, valueEnd, undefinedLength, encoding, items);
      // A sequence keeps its undefined length: in implicit VR that is all that tells dcmjs a
      // private element is a sequence. Only items, which dcmjs scans for, get lengths.
      if (undefinedLength) {
        out.push(
          sequenceHeader(header.tag, UNDEFINED_LENGTH, encoding),
          ...items,
          delimiter(SEQUENCE_DELIMITATION, encoding),
        );
      } else {
        out.push(sequenceHeader(header.tag, total(items), encoding), ...items);
      }
      continue;
    }
    if (header.length === UNDEFINED_LENGTH) {
      // Encapsulated pixel data (in an icon image, say), or an undefined-length UN: kept as
      // written, dcmjs reads the first by item lengths; only its end is needed here.
      const start = at;
      const inner = header.vr === 'UN' ? IMPLICIT_LE : encoding;
      at = skipItems(bytes, header.valueOffset, inner);
      out.push(bytes.subarray(start, at));
      continue;
    }
    const next = header.valueOffset + header.length;
    out.push(bytes.subarray(at, next));
    at = next;
  }
  if (untilDelimiter) {
    throw new PlatformError('ERR_DICOM_TRUNCATED', 'item ends without an Item Delimitation Item');
  }
  return at;
}

/**
 * Re-encodes a structurally valid data set with a defined length on every sequence item (PS3.5
 * §7.5 allows both forms), dropping Item Delimitation Items. dcmjs finds the end of an
 * undefined-length item by scanning for 0xFFFE words two bytes at a time, which an odd-length
 * element before it (pydicom's nested_priv_SQ.dcm has one) throws out of step; with defined
 * lengths it never scans.
 */
export function defineLengths(bytes: Uint8Array, encoding: DatasetEncoding): Uint8Array {
  const out: Parts = [];
  rewriteElements(bytes, 0, bytes.length, false, encoding, out);
  return join(out);
}

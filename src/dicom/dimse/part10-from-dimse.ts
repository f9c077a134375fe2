import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../deidentify/deidentify.js';

/** What the File Meta Information of a received instance records (PS3.10 §7.1). */
export interface ReceivedInstanceMeta {
  /** Affected SOP Class UID (0000,0002) of the C-STORE-RQ. */
  readonly sopClassUid: string;
  /** Affected SOP Instance UID (0000,1000) of the C-STORE-RQ. */
  readonly sopInstanceUid: string;
  /** Transfer syntax of the accepted presentation context: the data set is encoded in it. */
  readonly transferSyntaxUid: string;
  /** Calling AE title of the association, recorded as Source Application Entity Title. */
  readonly sourceAeTitle?: string;
}

/**
 * Wraps a data set received over DIMSE, byte for byte, into a DICOM Part 10 file: 128-byte
 * preamble, `DICM`, the File Meta Information group (explicit VR little endian), then the data
 * set exactly as it came off the wire.
 *
 * @remarks
 * A C-STORE data set is encoded in the accepted presentation context's transfer syntax (PS3.7
 * §6.3.1, PS3.8 Annex B), which is also how a Part 10 file encodes the data set after its meta
 * group (PS3.10 §7.1), deflate included. Prefixing the meta group is therefore the cheapest
 * faithful conversion: no parse, no re-encode, pixel data bit-identical.
 */
export function part10FromDimse(dataset: Uint8Array, meta: ReceivedInstanceMeta): Uint8Array {
  const elements: Uint8Array[] = [
    element(0x0001, 'OB', Uint8Array.of(0x00, 0x01)),
    element(0x0002, 'UI', uidBytes(meta.sopClassUid)),
    element(0x0003, 'UI', uidBytes(meta.sopInstanceUid)),
    element(0x0010, 'UI', uidBytes(meta.transferSyntaxUid)),
    element(0x0012, 'UI', uidBytes(IMPLEMENTATION_CLASS_UID)),
    element(0x0013, 'SH', textBytes(IMPLEMENTATION_VERSION_NAME)),
  ];
  const ae = meta.sourceAeTitle?.trim();
  if (ae !== undefined && ae !== '') elements.push(element(0x0016, 'AE', textBytes(ae)));
  const groupLength = elements.reduce((n, e) => n + e.length, 0);
  const lengthElement = new Uint8Array(12);
  const view = new DataView(lengthElement.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, 0x0000, true);
  lengthElement.set([0x55, 0x4c], 4); // "UL"
  view.setUint16(6, 4, true);
  view.setUint32(8, groupLength, true);

  const out = new Uint8Array(132 + 12 + groupLength + dataset.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM"
  let offset = 132;
  for (const part of [lengthElement, ...elements]) {
    out.set(part, offset);
    offset += part.length;
  }
  out.set(dataset, offset);
  return out;
}

/** One explicit VR little endian element of group 0002 (short 2-byte length form, or OB's long form). */
function element(tag: number, vr: 'OB' | 'UI' | 'SH' | 'AE', value: Uint8Array): Uint8Array {
  const long = vr === 'OB';
  const header = long ? 12 : 8;
  const bytes = new Uint8Array(header + value.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, tag, true);
  bytes[4] = vr.charCodeAt(0);
  bytes[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, value.length, true);
  else view.setUint16(6, value.length, true);
  bytes.set(value, header);
  return bytes;
}

/** A UID padded to even length with a NUL (PS3.5 §9.1). */
function uidBytes(uid: string): Uint8Array {
  const text = uid.replace(/\0+$/, '').trim();
  const bytes = new Uint8Array(text.length + (text.length % 2));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0x7f;
  return bytes;
}

/** A text value padded to even length with a space (PS3.5 §6.2). */
function textBytes(text: string): Uint8Array {
  const padded = text.length % 2 === 0 ? text : `${text} `;
  return Uint8Array.from(padded, (c) => c.charCodeAt(0) & 0x7f);
}

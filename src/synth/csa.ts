/** One element of a Siemens CSA header: a name, a VR and up to a few string items. */
export interface CsaElement {
  readonly name: string;
  readonly vr: string;
  readonly items: readonly string[];
}

/**
 * Encodes a Siemens "CSA2" header, the binary blob Siemens scanners store in the private elements
 * (0029,xx10) and (0029,xx20) of creator `SIEMENS CSA HEADER`.
 *
 * @remarks
 * Layout as read by nibabel (`nibabel/nicom/csareader.py`) and dcm2niix: `SV10`, 4 unused bytes,
 * tag count and the check value 77 (uint32 LE); then per element a 64-byte NUL-padded name, VM
 * (int32), a 4-byte VR, SyngoDT, item count and 77; then per item four int32 (the second is the
 * item length) followed by the item bytes padded to a multiple of 4. Items are UTF-8 with a
 * trailing NUL. Real headers carry many more elements; these are enough for readers and for
 * de-identification tests (private elements must be removed, and this blob holds PHI text).
 */
export function encodeCsa2(elements: readonly CsaElement[]): Uint8Array {
  const encoder = new TextEncoder();
  const encoded = elements.map((e) => ({
    name: encoder.encode(e.name),
    vr: encoder.encode(e.vr),
    items: e.items.map((item) => encoder.encode(`${item}\0`)),
  }));
  let size = 16;
  for (const e of encoded) {
    size += 84;
    for (const item of e.items) size += 16 + Math.ceil(item.length / 4) * 4;
  }
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(encoder.encode('SV10'), 0);
  bytes.set([4, 3, 2, 1], 4);
  view.setUint32(8, encoded.length, true);
  view.setUint32(12, 77, true);
  let at = 16;
  for (const e of encoded) {
    bytes.set(e.name.subarray(0, 63), at);
    view.setInt32(at + 64, e.items.length, true); // VM
    bytes.set(e.vr.subarray(0, 3), at + 68);
    view.setInt32(at + 72, 0, true); // SyngoDT
    view.setInt32(at + 76, e.items.length, true);
    view.setInt32(at + 80, 77, true);
    at += 84;
    for (const item of e.items) {
      view.setInt32(at, item.length, true);
      view.setInt32(at + 4, item.length, true);
      view.setInt32(at + 8, 77, true);
      view.setInt32(at + 12, item.length, true);
      bytes.set(item, at + 16);
      at += 16 + Math.ceil(item.length / 4) * 4;
    }
  }
  return bytes;
}

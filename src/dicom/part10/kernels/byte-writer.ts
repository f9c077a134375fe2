/**
 * A growable output buffer for the DICOM encoder: one allocation for a whole file instead of
 * dcmjs's stream per element. Numbers are written through a `DataView`, so values are coerced
 * the way dcmjs's `WriteBufferStream` coerces them (ToUint16, ToInt32, … modulo 2^n).
 */
export class ByteWriter {
  /** The bytes written so far are `bytes[0, pos)`; the rest is scratch. */
  bytes: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.bytes.length) this.grow(this.pos + n);
  }

  private grow(needed: number): void {
    let capacity = Math.max(this.bytes.length * 2, 4096);
    while (capacity < needed) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.bytes.subarray(0, this.pos));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  zeros(n: number): void {
    this.ensure(n);
    this.bytes.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }

  u8(value: number): void {
    this.ensure(1);
    this.bytes[this.pos++] = value;
  }

  u16(value: number, littleEndian: boolean): void {
    this.ensure(2);
    this.view.setUint16(this.pos, value, littleEndian);
    this.pos += 2;
  }

  i16(value: number, littleEndian: boolean): void {
    this.ensure(2);
    this.view.setInt16(this.pos, value, littleEndian);
    this.pos += 2;
  }

  u32(value: number, littleEndian: boolean): void {
    this.ensure(4);
    this.view.setUint32(this.pos, value, littleEndian);
    this.pos += 4;
  }

  i32(value: number, littleEndian: boolean): void {
    this.ensure(4);
    this.view.setInt32(this.pos, value, littleEndian);
    this.pos += 4;
  }

  f32(value: number, littleEndian: boolean): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, value, littleEndian);
    this.pos += 4;
  }

  f64(value: number, littleEndian: boolean): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, littleEndian);
    this.pos += 8;
  }

  u64(value: bigint, littleEndian: boolean): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, value, littleEndian);
    this.pos += 8;
  }

  /** The low byte of each UTF-16 code unit, as dcmjs's `writeAsciiString` writes it. */
  ascii(text: string): void {
    const n = text.length;
    this.ensure(n);
    const bytes = this.bytes;
    const at = this.pos;
    for (let i = 0; i < n; i++) bytes[at + i] = text.charCodeAt(i);
    this.pos = at + n;
  }

  /** UTF-8, lone surrogates as U+FFFD (what `TextEncoder` does). */
  utf8(text: string): void {
    const n = text.length;
    this.ensure(n);
    const bytes = this.bytes;
    const at = this.pos;
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        // Three bytes per remaining UTF-16 code unit is the most UTF-8 can take.
        this.pos = at + i;
        this.ensure(3 * (n - i));
        const { written } = UTF8.encodeInto(text.slice(i), this.bytes.subarray(this.pos));
        this.pos += written;
        return;
      }
      bytes[at + i] = code;
    }
    this.pos = at + n;
  }

  /** ISO 8859-1; returns false, having written nothing, when a character is outside it. */
  latin1(text: string): boolean {
    const n = text.length;
    for (let i = 0; i < n; i++) if (text.charCodeAt(i) > 0xff) return false;
    this.ascii(text);
    return true;
  }

  /** Copies `source` in. */
  raw(source: Uint8Array): void {
    this.ensure(source.length);
    this.bytes.set(source, this.pos);
    this.pos += source.length;
  }

  /**
   * Turns the 2-byte length field of a short-VR explicit element whose value starts at
   * `valueStart` into the 4-byte form (VR, 2 reserved bytes, 4-byte length) by moving the value
   * 4 bytes on. The caller writes the new VR and length.
   */
  widenShortHeader(valueStart: number): void {
    this.ensure(4);
    this.bytes.copyWithin(valueStart + 4, valueStart, this.pos);
    this.pos += 4;
  }

  /** A copy of the bytes written, in a buffer of their own. */
  result(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }
}

const UTF8 = new TextEncoder();

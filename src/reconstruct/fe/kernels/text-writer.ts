/**
 * Writes text into a growing byte buffer, integers digit by digit: writers of million-element
 * meshes then build neither one giant string nor a string per number.
 */
export class TextBuffer {
  private buffer = new Uint8Array(1 << 16);
  private length = 0;
  private readonly encoder = new TextEncoder();

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** Appends text (UTF-8). */
  push(text: string): void {
    this.reserve(text.length);
    const start = this.length;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 128) {
        // Rare: names with non-ASCII characters. Encode the whole string properly instead.
        this.length = start;
        const bytes = this.encoder.encode(text);
        this.reserve(bytes.length);
        this.buffer.set(bytes, this.length);
        this.length += bytes.length;
        return;
      }
      this.buffer[this.length++] = code;
    }
  }

  /** Appends a non-negative integer in decimal. */
  int(value: number): void {
    this.reserve(16);
    if (value === 0) {
      this.buffer[this.length++] = 48;
      return;
    }
    let digits = 0;
    for (let v = value; v > 0; v = Math.floor(v / 10)) digits++;
    let at = this.length + digits - 1;
    for (let v = value; v > 0; v = Math.floor(v / 10)) this.buffer[at--] = 48 + (v % 10);
    this.length += digits;
  }

  /** The bytes written so far. */
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** A coordinate in mm rounded to 1 nm, printed in its shortest form. */
export function formatCoordinate(x: number): string {
  const r = Math.round(x * 1e6) / 1e6;
  // `r === 0` is also true for −0, which String() would print as 0 anyway; keep it explicit.
  return r === 0 ? '0' : String(r);
}

/**
 * Writes `values` (plus 1 each when `plusOne`, for 1-based ids) as comma lists of `perLine` per
 * line; with `commaBetweenLines` every line but the last ends in a comma (one list over many
 * lines, as FEBio reads it), otherwise each line is a list of its own (Abaqus data lines).
 */
export function pushList(
  out: TextBuffer,
  values: ArrayLike<number>,
  perLine: number,
  indent: string,
  plusOne: boolean,
  commaBetweenLines: boolean,
): void {
  const add = plusOne ? 1 : 0;
  for (let i = 0; i < values.length; i += perLine) {
    out.push(indent);
    const end = Math.min(values.length, i + perLine);
    for (let j = i; j < end; j++) {
      out.int(values[j]! + add);
      if (j + 1 < end) out.push(', ');
      else if (commaBetweenLines && j + 1 < values.length) out.push(',');
    }
    out.push('\n');
  }
}

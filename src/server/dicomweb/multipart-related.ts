import { randomBytes } from 'node:crypto';
import { PlatformError } from '../../core/index.js';

/** One body part of a multipart message: its headers (names lower-cased) and its bytes. */
export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  /** A view into the message buffer (not a copy). */
  readonly body: Uint8Array;
}

/** A parsed `multipart/related` message (RFC 2387 over RFC 2046 §5.1). */
export interface MultipartRelated {
  /** The `type` parameter of the Content-Type (the root part's media type), lower-cased. */
  readonly type: string | undefined;
  readonly parts: readonly MultipartPart[];
}

/** Options of {@link parseMultipartRelated}. */
export interface ParseMultipartOptions {
  /**
   * Most parts accepted; more fail with `ERR_USAGE`.
   * @defaultValue 10000
   */
  readonly maxParts?: number;
  /**
   * Longest header section of one part, in bytes.
   * @defaultValue 16384
   */
  readonly maxHeaderBytes?: number;
}

/** A media type and its parameters (names lower-cased, values unquoted). */
export interface MediaType {
  /** `type/subtype`, lower-cased. */
  readonly type: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/**
 * Parses a Content-Type value (RFC 9110 §8.3.1), such as
 * `multipart/related; type="application/dicom"; boundary=abc`. Quoted values may contain `;` and backslash escapes.
 */
export function parseMediaType(value: string): MediaType {
  const semicolon = value.indexOf(';');
  const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  const parameters: Record<string, string> = {};
  const re = /;\s*([^=\s;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
  const rest = semicolon < 0 ? '' : value.slice(semicolon);
  for (const m of rest.matchAll(re)) {
    const name = (m[1] ?? '').toLowerCase();
    parameters[name] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return { type, parameters };
}

const CRLF = Buffer.from('\r\n');
const LF = Buffer.from('\n');

/**
 * Parses a `multipart/related` body (PS3.18 §8.6.1.2 for STOW-RS, RFC 2046 §5.1.1 syntax):
 * the boundary comes from `contentType`; a preamble and an epilogue are ignored; part headers
 * end at the first blank line. Throws `ERR_USAGE` for a missing boundary, a body without the
 * closing delimiter, or too many parts.
 *
 * @remarks
 * Delimiters are CRLF `--boundary`, as RFC 2046 requires. Some clients write bare LF line ends;
 * when the body holds no CRLF delimiter at all, LF is accepted instead, so those messages parse
 * too. Parts are views into `body`: nothing is copied, so a 1 GB upload costs 1 GB once.
 */
export function parseMultipartRelated(
  body: Uint8Array,
  contentType: string,
  options: ParseMultipartOptions = {},
): MultipartRelated {
  const media = parseMediaType(contentType);
  if (media.type !== 'multipart/related') {
    throw new PlatformError('ERR_USAGE', `expected multipart/related, got "${media.type}"`);
  }
  const boundary = media.parameters['boundary'];
  if (boundary === undefined || boundary.length === 0 || boundary.length > 70) {
    throw new PlatformError(
      'ERR_USAGE',
      'the multipart/related Content-Type has no valid boundary',
    );
  }
  const maxParts = options.maxParts ?? 10_000;
  const maxHeaderBytes = options.maxHeaderBytes ?? 16_384;
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const dash = Buffer.from(`--${boundary}`);
  // The first delimiter may open the body (no preamble); every later one follows a line end.
  const opens = buf.subarray(0, dash.length).equals(dash);
  const crlfDelimiter = Buffer.concat([CRLF, dash]);
  const eol = buf.includes(crlfDelimiter) ? CRLF : LF;
  const delimiter = eol === CRLF ? crlfDelimiter : Buffer.concat([LF, dash]);
  const first = opens ? 0 : buf.indexOf(delimiter);
  if (first < 0) {
    throw new PlatformError('ERR_USAGE', 'the multipart body does not contain its boundary');
  }
  let cursor = opens ? dash.length : first + delimiter.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    // After a delimiter: `--` closes the message; else optional transport padding, then a line end.
    if (buf[cursor] === 0x2d && buf[cursor + 1] === 0x2d) return { type: rootType(media), parts };
    while (buf[cursor] === 0x20 || buf[cursor] === 0x09) cursor++;
    if (buf[cursor] === 0x0d && buf[cursor + 1] === 0x0a) cursor += 2;
    else if (buf[cursor] === 0x0a) cursor += 1;
    else throw new PlatformError('ERR_USAGE', 'malformed multipart delimiter line');
    const next = buf.indexOf(delimiter, cursor);
    if (next < 0) {
      throw new PlatformError('ERR_USAGE', 'the multipart body ends without its closing boundary');
    }
    const part = buf.subarray(cursor, next);
    if (parts.length >= maxParts) {
      throw new PlatformError('ERR_USAGE', `more than ${maxParts} parts in one request`);
    }
    parts.push(splitPart(part, eol, maxHeaderBytes));
    cursor = next + delimiter.length;
  }
}

function rootType(media: MediaType): string | undefined {
  return media.parameters['type']?.toLowerCase();
}

function splitPart(part: Buffer, eol: Buffer, maxHeaderBytes: number): MultipartPart {
  // A part with no headers starts with the blank line itself.
  if (part.subarray(0, eol.length).equals(eol)) {
    return { headers: {}, body: part.subarray(eol.length) };
  }
  const headerEnd = Buffer.concat([eol, eol]);
  let end = part.indexOf(headerEnd);
  let sep = headerEnd.length;
  if (end < 0 && eol.length === 2) {
    end = part.indexOf(Buffer.from('\n\n'));
    sep = 2;
  }
  if (end < 0 || end > maxHeaderBytes) {
    throw new PlatformError('ERR_USAGE', 'a multipart part has no end of headers');
  }
  const headers: Record<string, string> = {};
  for (const line of part.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: part.subarray(end + sep) };
}

/** A fresh random boundary: 32 hex digits, which never needs quoting. */
export function newBoundary(): string {
  return randomBytes(16).toString('hex');
}

/** Headers and bytes of one part to send. */
export interface OutgoingPart {
  readonly contentType: string;
  readonly body: Uint8Array;
  /** Further headers (`Content-Location`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The bytes that open one part: delimiter line and headers (RFC 2046 §5.1.1). */
export function partHead(
  boundary: string,
  part: Omit<OutgoingPart, 'body'>,
  first: boolean,
): Buffer {
  const lines = [`${first ? '' : '\r\n'}--${boundary}`, `Content-Type: ${part.contentType}`];
  for (const [name, value] of Object.entries(part.headers ?? {})) lines.push(`${name}: ${value}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/** The closing delimiter after the last part. */
export function closingDelimiter(boundary: string): Buffer {
  return Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
}

/** Encodes parts as one `multipart/related` body, in memory. */
export function encodeMultipartRelated(boundary: string, parts: readonly OutgoingPart[]): Buffer {
  const chunks: Uint8Array[] = [];
  parts.forEach((part, i) => {
    chunks.push(partHead(boundary, part, i === 0), part.body);
  });
  chunks.push(parts.length === 0 ? Buffer.from(`--${boundary}--\r\n`) : closingDelimiter(boundary));
  return Buffer.concat(chunks);
}

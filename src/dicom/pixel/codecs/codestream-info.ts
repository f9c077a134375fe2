/** What a compressed frame's header says about the image, read before decoding it. */
export interface CodestreamInfo {
  readonly rows: number;
  readonly columns: number;
  readonly components: number;
  /** Bits per sample of the codestream (JPEG P, JPEG-LS P, JPEG 2000 Ssiz + 1). */
  readonly precision: number;
  /** JPEG 2000 only: whether the first component is signed (Ssiz bit 7). */
  readonly signed?: boolean;
  /** JPEG 2000 only: whether the codestream was wrapped in a JP2 file format header. */
  readonly jp2Wrapped?: boolean;
  /**
   * JPEG with three components only: the colour space the codestream itself declares, when it
   * declares one unambiguously (see {@link readJpegInfo}); `undefined` when it does not.
   */
  readonly colorTransform?: 'ycbcr' | 'rgb';
}

function u16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function u32(bytes: Uint8Array, at: number): number {
  return u16(bytes, at) * 0x10000 + u16(bytes, at + 2);
}

// Start-of-frame markers: SOF0–SOF3, SOF5–SOF7, SOF9–SOF11, SOF13–SOF15 (ISO/IEC 10918-1
// Table B.1) and JPEG-LS SOF55 (ISO/IEC 14495-1 Table C.1). All share the frame header layout.
function isStartOfFrame(marker: number): boolean {
  return (
    (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) ||
    marker === 0xf7
  );
}

/**
 * What a three-component JPEG says about its own colour space, strongest evidence first: an
 * Adobe APP14 transform flag (0 RGB, 1 YCbCr), a JFIF APP0 marker (JFIF is YCbCr by
 * definition), component identifiers 'R', 'G', 'B', and chroma subsampling (components with
 * different sampling factors are never RGB in practice). Anything else is ambiguous.
 */
function colorTransformOf(
  adobeTransform: number | undefined,
  jfif: boolean,
  ids: readonly number[],
  samplings: readonly number[],
): 'ycbcr' | 'rgb' | undefined {
  if (adobeTransform === 0) return 'rgb';
  if (adobeTransform === 1 || adobeTransform === 2) return 'ycbcr';
  if (jfif) return 'ycbcr';
  if (ids.join() === '82,71,66') return 'rgb';
  if (new Set(samplings).size > 1) return 'ycbcr';
  return undefined;
}

/**
 * Reads the frame header of a JPEG or JPEG-LS codestream (ISO/IEC 10918-1 B.2.2, 14495-1
 * C.2.2): precision, lines, samples per line and component count, and for three components the
 * colour space the markers declare. Returns `undefined` when the bytes do not start with SOI or
 * no frame header precedes the first scan.
 */
export function readJpegInfo(bytes: Uint8Array): CodestreamInfo | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  let jfif = false;
  let adobeTransform: number | undefined;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] ?? 0;
    // Fill bytes (0xFF runs) may precede a marker (B.1.1.2).
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = u16(bytes, at + 2);
    const text = (offset: number, n: number): string =>
      String.fromCharCode(...bytes.subarray(at + 4 + offset, at + 4 + offset + n));
    if (marker === 0xe0 && text(0, 5) === 'JFIF\0') jfif = true;
    // APP14 "Adobe": version (2), flags0 (2), flags1 (2), then the transform byte.
    if (marker === 0xee && length >= 12 && text(0, 5) === 'Adobe') adobeTransform = bytes[at + 15];
    if (isStartOfFrame(marker)) {
      if (at + 10 > bytes.length) return undefined;
      const components = bytes[at + 9] ?? 0;
      const ids: number[] = [];
      const samplings: number[] = [];
      for (let c = 0; c < components; c++) {
        ids.push(bytes[at + 10 + 3 * c] ?? 0);
        samplings.push(bytes[at + 11 + 3 * c] ?? 0);
      }
      const colorTransform =
        components === 3 ? colorTransformOf(adobeTransform, jfif, ids, samplings) : undefined;
      return {
        precision: bytes[at + 4] ?? 0,
        rows: u16(bytes, at + 5),
        columns: u16(bytes, at + 7),
        components,
        ...(colorTransform === undefined ? {} : { colorTransform }),
      };
    }
    if (marker === 0xda) return undefined;
    at += 2 + length;
  }
  return undefined;
}

/**
 * Reads the SIZ marker segment of a JPEG 2000 or HTJ2K codestream (ISO/IEC 15444-1 A.5.1):
 * image size, component count, and precision and signedness of the first component. A JP2
 * file format wrapper, which PS3.5 §A.4.4 does not allow but some writers add, is looked
 * through to its contiguous codestream box.
 */
export function readJpeg2000Info(bytes: Uint8Array): CodestreamInfo | undefined {
  let start = 0;
  let jp2Wrapped = false;
  if (u32(bytes, 0) === 12 && u32(bytes, 4) === 0x6a502020) {
    jp2Wrapped = true;
    // Boxes are length, type; find 'jp2c' (ISO/IEC 15444-1 I.5.4).
    let at = 0;
    start = -1;
    while (at + 8 <= bytes.length) {
      const length = u32(bytes, at);
      if (u32(bytes, at + 4) === 0x6a703263) {
        start = at + 8;
        break;
      }
      if (length < 8) return undefined;
      at += length;
    }
    if (start < 0) return undefined;
  }
  if (u16(bytes, start) !== 0xff4f || u16(bytes, start + 2) !== 0xff51) return undefined;
  const siz = start + 4;
  if (siz + 41 > bytes.length) return undefined;
  const xsiz = u32(bytes, siz + 4);
  const ysiz = u32(bytes, siz + 8);
  const xosiz = u32(bytes, siz + 12);
  const yosiz = u32(bytes, siz + 16);
  const ssiz = bytes[siz + 38] ?? 0;
  return {
    columns: xsiz - xosiz,
    rows: ysiz - yosiz,
    components: u16(bytes, siz + 36),
    precision: (ssiz & 0x7f) + 1,
    signed: (ssiz & 0x80) !== 0,
    jp2Wrapped,
  };
}

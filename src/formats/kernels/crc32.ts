/** CRC-32 lookup table for the reflected polynomial 0xEDB88320 (PNG spec Annex D, ISO 3309). */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 of `bytes` as PNG chunks and gzip use it (PNG spec Annex D): initial value all ones,
 * final value inverted.
 *
 * @param crc - The CRC of the bytes before these, to continue a running CRC.
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('IEND')); // returns 0xae426082
 * ```
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (const byte of bytes) c = TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

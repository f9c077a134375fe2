// The slice of jpeg-lossless-decoder-js 2.1 that jpeg-lossless.ts calls: its package.json names
// release/lossless.d.ts, which the published package does not contain.
declare module 'jpeg-lossless-decoder-js' {
  /** JPEG lossless (ITU-T T.81 process 14, all seven predictors) decoder, in plain JavaScript. */
  export class Decoder {
    constructor(buffer?: ArrayBuffer | null, numBytes?: number);
    /**
     * Decodes one codestream; samples are interleaved, one element per sample, `numBytes`
     * (1 or 2) bytes each.
     */
    decode(
      buffer: ArrayBuffer,
      offset?: number,
      length?: number,
      numBytes?: number,
    ): Uint8Array | Uint16Array;
  }
}

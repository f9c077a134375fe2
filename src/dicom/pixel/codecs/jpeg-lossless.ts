import { Decoder } from 'jpeg-lossless-decoder-js';
import { PlatformError, errorMessage } from '../../../core/index.js';

/**
 * Decodes a JPEG lossless frame (ITU-T T.81 process 14, any of the seven predictors; PS3.5
 * §A.4.1) with jpeg-lossless-decoder-js, a JavaScript decoder independent of the WebAssembly
 * libjpeg: the fallback when libjpeg rejects a stream, and a second opinion in tests.
 * Returns little-endian samples, colour by pixel, `bytesPerSample` bytes each.
 */
export function decodeJpegLossless(encoded: Uint8Array, bytesPerSample: 1 | 2): Uint8Array {
  try {
    const copy = new Uint8Array(encoded).buffer;
    const samples = new Decoder().decode(copy, 0, copy.byteLength, bytesPerSample);
    return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  } catch (error) {
    throw new PlatformError(
      'ERR_DICOM_PIXEL_DECODE',
      `jpeg-lossless-decoder-js: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}

// The only module that imports dcmjs-codecs: its WebAssembly build of libjpeg (8, 12 and 16 bit,
// lossless processes included), CharLS, OpenJPEG, OpenJPH and libjxl.
import { createRequire } from 'node:module';
import dcmjsCodecs from 'dcmjs-codecs';
import { PlatformError, errorMessage } from '../../../core/index.js';

const { Context, NativeCodecs, log: codecLog } = dcmjsCodecs;

/** Messages the codecs emit during the current decode call; undefined between calls. */
let captured: string[] | undefined;

// libjpeg reports damaged data only as warnings (it fills the rest of the image with grey and
// returns success), and dcmjs-codecs passes its messages to loglevel when logCodecsInfo is on.
// Route them into the current call instead of the console.
codecLog.methodFactory =
  (methodName) =>
  (...args: unknown[]): void => {
    if (captured !== undefined && methodName === 'info') captured.push(args.map(String).join(' '));
  };
codecLog.setLevel('info', false);
codecLog.rebuild();

// libjpeg warnings (jerror.h JWRN_*) that mean the image is damaged, and those that do not
// (JPEG-lossy.dcm, for one, draws "Invalid SOS parameters for sequential JPEG" and decodes).
const LIBJPEG_DAMAGE =
  /Corrupt JPEG data: (premature end of data segment|bad Huffman code|bad arithmetic code|found marker)|Premature end of JPEG file/;
const CODEC_WARNING =
  /Corrupt JPEG data|Invalid SOS parameters|Unknown Adobe color transform|unknown JFIF revision|Inconsistent progression|OpjMessageCallbackWarning/;

/** The frame decoders of the WebAssembly module. */
export type WasmDecoder =
  'decodeJpeg' | 'decodeJpegLs' | 'decodeJpeg2000' | 'decodeHtJpeg2000' | 'decodeJpegXl';

// The Photometric Interpretation names the module accepts (it validates against this list).
const CODEC_PHOTOMETRICS: ReadonlySet<string> = new Set([
  'MONOCHROME1',
  'MONOCHROME2',
  'PALETTE COLOR',
  'RGB',
  'YBR_FULL',
  'YBR_FULL_422',
  'YBR_PARTIAL_422',
  'YBR_PARTIAL_420',
  'YBR_ICT',
  'YBR_RCT',
]);

/** What the module needs to know about a frame besides its bytes. */
export interface WasmFrameInput {
  readonly encoded: Uint8Array;
  readonly rows: number;
  readonly columns: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly samplesPerPixel: number;
  readonly pixelRepresentation: number;
  readonly photometricInterpretation: string;
  /** JPEG only: have libjpeg convert YCbCr to RGB (and upsample chroma) while decoding. */
  readonly convertToRgb: boolean;
}

/** A decoded frame: little-endian samples, colour by pixel, and the colour space they are in. */
export interface WasmFrameOutput {
  readonly bytes: Uint8Array;
  readonly photometricInterpretation: string;
  /** Set when the codec reported damaged data yet returned an image (libjpeg does so). */
  readonly damage?: string;
  /** Codec warnings that do not mean damage. */
  readonly warnings: readonly string[];
}

function codecText(line: string): string {
  return line
    .replace(/^NativeCodecs::onCodecsInfo::/, '')
    .replace(/^[\w:]*::(EmitMessage|OpjMessageCallbackWarning)::/, '')
    .trim();
}

let ready: Promise<void> | undefined;
let poisoned = false;

function wasmPath(): string {
  // An explicit path, so that the module is found wherever dcmjs-codecs' bundle thinks its
  // __dirname is (it resolves the file next to itself otherwise).
  return createRequire(import.meta.url).resolve('dcmjs-codecs/build/dcmjs-native-codecs.wasm');
}

/**
 * Instantiates the codec WebAssembly module once per thread, lazily; concurrent callers share
 * one instantiation. Each worker thread has its own module registry and so its own instance,
 * which is what makes the codecs safe there: an instance is only ever entered by one thread,
 * and every decode call runs to completion synchronously.
 *
 * After a decode call failed the instance is discarded and the next call instantiates a fresh
 * one: the failure unwound a JavaScript exception (or a trap) through WebAssembly frames that
 * never ran their cleanup, leaving the module's shadow stack pointer and heap allocations behind.
 */
export function ensureWasmCodecs(): Promise<void> {
  if (poisoned) {
    poisoned = false;
    ready = undefined;
    NativeCodecs.release();
  }
  ready ??= NativeCodecs.initializeAsync({
    webAssemblyModulePathOrUrl: wasmPath(),
    logCodecsInfo: true,
    logCodecsTrace: false,
  }).catch((error: unknown) => {
    ready = undefined;
    throw new PlatformError(
      'ERR_INTERNAL',
      `cannot instantiate the pixel codec WebAssembly module: ${errorMessage(error)}`,
      { cause: error },
    );
  });
  return ready;
}

/** Decodes one frame with the WebAssembly module; {@link ensureWasmCodecs} must have resolved. */
export function decodeWithWasm(decoder: WasmDecoder, input: WasmFrameInput): WasmFrameOutput {
  if (poisoned || !NativeCodecs.isInitialized()) {
    throw new PlatformError(
      'ERR_INTERNAL',
      'pixel codec WebAssembly module used before it was ready',
    );
  }
  const photometric = CODEC_PHOTOMETRICS.has(input.photometricInterpretation)
    ? input.photometricInterpretation
    : input.samplesPerPixel === 1
      ? 'MONOCHROME2'
      : 'RGB';
  const messages: string[] = [];
  captured = messages;
  try {
    const context = new Context({
      width: input.columns,
      height: input.rows,
      bitsAllocated: input.bitsAllocated,
      bitsStored: input.bitsStored,
      samplesPerPixel: input.samplesPerPixel,
      pixelRepresentation: input.pixelRepresentation,
      planarConfiguration: 0,
      photometricInterpretation: photometric,
      encodedBuffer: input.encoded,
    });
    const decoded = NativeCodecs[decoder](context, { convertColorspaceToRgb: input.convertToRgb });
    const bytes = decoded.getDecodedBuffer();
    if (bytes === undefined) throw new Error('the decoder returned no buffer');
    const damage = messages.find((m) => LIBJPEG_DAMAGE.test(m));
    return {
      bytes,
      photometricInterpretation: decoded.getPhotometricInterpretation() ?? photometric,
      ...(damage === undefined ? {} : { damage: codecText(damage) }),
      warnings: messages.filter((m) => m !== damage && CODEC_WARNING.test(m)).map(codecText),
    };
  } catch (error) {
    poisoned = true;
    throw new PlatformError('ERR_DICOM_PIXEL_DECODE', `${decoder}: ${errorMessage(error).trim()}`, {
      cause: error,
    });
  } finally {
    captured = undefined;
  }
}

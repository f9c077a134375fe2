import { PlatformError, errorMessage } from '../../core/index.js';
import type { DicomWarning, Part10 } from '../part10/read-part10.js';
import { TRANSFER_SYNTAX, transferSyntaxName } from '../part10/transfer-syntax.js';
import type { CodestreamInfo } from './codecs/codestream-info.js';
import { readJpeg2000Info, readJpegInfo } from './codecs/codestream-info.js';
import { decodeJpegLossless } from './codecs/jpeg-lossless.js';
import type { WasmDecoder, WasmFrameOutput } from './codecs/wasm-codecs.js';
import { decodeWithWasm, ensureWasmCodecs } from './codecs/wasm-codecs.js';
import type {
  DecodePixelDataOptions,
  DecodedPixels,
  OutputPhotometricInterpretation,
  PixelArray,
} from './decoded-pixels.js';
import type { ImagePixelModule } from './image-pixel-module.js';
import { readImagePixelModule, readModalityRescale, readVoiWindow } from './image-pixel-module.js';
import { applyPalette, expandYbr422, ybrFullToRgb } from './kernels/color.js';
import { decodeRleFrame } from './kernels/rle.js';
import type { SignedSamples, UnsignedSamples } from './kernels/samples.js';
import { normalizeStored, planarToInterleaved, swapBytes, unpackBits } from './kernels/samples.js';
import type { PaletteColorLut } from './palette-color.js';
import { readPaletteColorLut } from './palette-color.js';

/** How a transfer syntax's pixel data is turned into samples. */
type Codec =
  | 'native'
  | 'encapsulated-native'
  | 'rle'
  | 'jpeg'
  | 'jpeg-lossless'
  | 'jpeg-ls'
  | 'jpeg2000'
  | 'htj2k'
  | 'jpeg-xl';

const CODECS: Readonly<Record<string, Codec>> = {
  [TRANSFER_SYNTAX.ImplicitVRLittleEndian]: 'native',
  [TRANSFER_SYNTAX.ExplicitVRLittleEndian]: 'native',
  [TRANSFER_SYNTAX.DeflatedExplicitVRLittleEndian]: 'native',
  [TRANSFER_SYNTAX.ExplicitVRBigEndian]: 'native',
  [TRANSFER_SYNTAX.EncapsulatedUncompressedExplicitVRLittleEndian]: 'encapsulated-native',
  [TRANSFER_SYNTAX.Rle]: 'rle',
  [TRANSFER_SYNTAX.JpegBaseline]: 'jpeg',
  [TRANSFER_SYNTAX.JpegExtended]: 'jpeg',
  [TRANSFER_SYNTAX.JpegLosslessP14]: 'jpeg-lossless',
  [TRANSFER_SYNTAX.JpegLosslessSV1]: 'jpeg-lossless',
  [TRANSFER_SYNTAX.JpegLsLossless]: 'jpeg-ls',
  [TRANSFER_SYNTAX.JpegLsNearLossless]: 'jpeg-ls',
  [TRANSFER_SYNTAX.Jpeg2000Lossless]: 'jpeg2000',
  [TRANSFER_SYNTAX.Jpeg2000]: 'jpeg2000',
  [TRANSFER_SYNTAX.Htj2kLossless]: 'htj2k',
  [TRANSFER_SYNTAX.Htj2kLosslessRpcl]: 'htj2k',
  [TRANSFER_SYNTAX.Htj2k]: 'htj2k',
  [TRANSFER_SYNTAX.JpegXlLossless]: 'jpeg-xl',
  [TRANSFER_SYNTAX.JpegXlJpegRecompression]: 'jpeg-xl',
  [TRANSFER_SYNTAX.JpegXl]: 'jpeg-xl',
};

// Syntaxes whose decoded values may differ from the acquired ones. JPEG-LS near-lossless with
// NEAR = 0 is in fact lossless, but the syntax does not promise it.
const LOSSY: ReadonlySet<string> = new Set([
  TRANSFER_SYNTAX.JpegBaseline,
  TRANSFER_SYNTAX.JpegExtended,
  TRANSFER_SYNTAX.JpegLsNearLossless,
  TRANSFER_SYNTAX.Jpeg2000,
  TRANSFER_SYNTAX.Htj2k,
  TRANSFER_SYNTAX.JpegXl,
  TRANSFER_SYNTAX.JpegXlJpegRecompression,
]);

const WASM_DECODER: Partial<Record<Codec, WasmDecoder>> = {
  jpeg: 'decodeJpeg',
  'jpeg-lossless': 'decodeJpeg',
  'jpeg-ls': 'decodeJpegLs',
  jpeg2000: 'decodeJpeg2000',
  htj2k: 'decodeHtJpeg2000',
  'jpeg-xl': 'decodeJpegXl',
};

function decodeError(message: string): PlatformError {
  return new PlatformError('ERR_DICOM_PIXEL_DECODE', message);
}

/** The samples of one frame on their way to a typed array. */
interface FrameSamples {
  /** Little-endian samples, colour by pixel, in a buffer of their own (offset 0). */
  readonly bytes: Uint8Array;
  /** Bytes per sample in `bytes`. */
  readonly bytesPerSample: number;
  /** The colour space of `bytes`: the stored one, unless the codec converted it. */
  readonly photometric: string;
  /** Whether `bytes` still has the YBR_FULL_422 layout (two samples per pixel). */
  readonly subsampled422: boolean;
  /** Bits below the stored value in each word (High Bit + 1 − Bits Stored); 0 from codecs. */
  readonly shift: number;
  /** Significant bits per sample. */
  readonly bits: number;
}

function pixelDataBytes(module: ImagePixelModule): Uint8Array {
  const buffers = module.pixelDataValue.filter((v): v is ArrayBuffer => v instanceof ArrayBuffer);
  if (buffers.length === 1 && buffers[0] !== undefined) return new Uint8Array(buffers[0]);
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
}

function storedSamplesPerPixel(module: ImagePixelModule): number {
  return module.photometricInterpretation === 'YBR_FULL_422' && module.samplesPerPixel === 3
    ? 2
    : module.samplesPerPixel;
}

/**
 * Puts native (uncompressed) samples into the little-endian, colour-by-pixel form: byte order
 * by the transfer syntax (PS3.5 §7.3), planes interleaved (PS3.3 C.7.6.3.1.3).
 */
function arrangeNative(
  frame: Uint8Array,
  module: ImagePixelModule,
  bytesPerSample: number,
): Uint8Array {
  const pixels = module.rows * module.columns;
  if (module.planarConfiguration === 1 && module.samplesPerPixel > 1) {
    if (storedSamplesPerPixel(module) !== module.samplesPerPixel) {
      throw decodeError('YBR_FULL_422 pixel data cannot have Planar Configuration 1');
    }
    return planarToInterleaved(frame, module.samplesPerPixel, pixels, bytesPerSample);
  }
  return frame;
}

/** Native pixel data, whole, as little-endian bytes; swapped only when big endian. */
function nativeLittleEndian(module: ImagePixelModule, littleEndian: boolean): Uint8Array {
  const bytes = pixelDataBytes(module);
  if (littleEndian) return bytes;
  const copy = bytes.slice();
  // Samples wider than a byte swap by their own width, as pydicom and DCMTK read them; 8-bit
  // (and 1-bit) samples in an OW value swap in pairs, OW being a stream of big endian 16-bit
  // words (PS3.5 §7.3); in OB they stay as they are.
  if (module.bitsAllocated >= 16) {
    swapBytes(copy, (module.bitsAllocated / 8) as 2 | 4 | 8);
  } else if (module.pixelDataVr === 'OW') {
    swapBytes(copy, 2);
  }
  return copy;
}

function nativeFrame(all: Uint8Array, module: ImagePixelModule, index: number): FrameSamples {
  const samplesPerFrame = module.rows * module.columns * storedSamplesPerPixel(module);
  const common = {
    photometric: module.photometricInterpretation,
    subsampled422: storedSamplesPerPixel(module) !== module.samplesPerPixel,
  };
  if (module.bitsAllocated === 1) {
    const bitOffset = index * samplesPerFrame;
    if (Math.ceil((bitOffset + samplesPerFrame) / 8) > all.length) {
      throw decodeError(`frame ${index + 1} of 1-bit pixel data runs past its ${all.length} bytes`);
    }
    const unpacked = unpackBits(all, bitOffset, samplesPerFrame);
    return {
      ...common,
      bytes: arrangeNative(unpacked, module, 1),
      bytesPerSample: 1,
      shift: 0,
      bits: 1,
    };
  }
  const bytesPerSample = module.bitsAllocated / 8;
  const frameBytes = samplesPerFrame * bytesPerSample;
  const start = index * frameBytes;
  if (start + frameBytes > all.length) {
    throw decodeError(
      `frame ${index + 1} needs bytes ${start}–${start + frameBytes}; pixel data holds ${all.length}`,
    );
  }
  const frame = all.slice(start, start + frameBytes);
  return {
    ...common,
    bytes: arrangeNative(frame, module, bytesPerSample),
    bytesPerSample,
    shift: module.highBit + 1 - module.bitsStored,
    bits: module.bitsStored,
  };
}

function checkCodestream(
  info: CodestreamInfo | undefined,
  module: ImagePixelModule,
  name: string,
): void {
  if (info === undefined) {
    throw decodeError(`frame is not a ${name} codestream: no readable header`);
  }
  if (info.rows !== module.rows || info.columns !== module.columns) {
    throw decodeError(
      `${name} codestream is ${info.rows}×${info.columns}; Rows × Columns say ${module.rows}×${module.columns}`,
    );
  }
  if (info.components !== module.samplesPerPixel) {
    throw decodeError(
      `${name} codestream has ${info.components} component(s); Samples per Pixel says ${module.samplesPerPixel}`,
    );
  }
  if (info.precision > module.bitsAllocated) {
    throw decodeError(
      `${name} codestream has ${info.precision}-bit samples; Bits Allocated is ${module.bitsAllocated}`,
    );
  }
}

function encapsulatedFrame(
  codec: Exclude<Codec, 'native'>,
  encoded: Uint8Array,
  module: ImagePixelModule,
  warnings: DicomWarning[],
): FrameSamples {
  const pixels = module.rows * module.columns;
  if (
    module.bitsAllocated === 1 ||
    (module.bitsAllocated > 16 && codec !== 'rle' && codec !== 'encapsulated-native')
  ) {
    throw decodeError(
      `Bits Allocated ${module.bitsAllocated} cannot be decoded from ${codec.toUpperCase()} pixel data`,
    );
  }
  const bytesPerSample = module.bitsAllocated / 8;
  const native = {
    photometric: module.photometricInterpretation,
    bytesPerSample,
    shift: module.highBit + 1 - module.bitsStored,
    bits: module.bitsStored,
  };
  if (codec === 'rle') {
    const bytes = decodeRleFrame(encoded, pixels, module.samplesPerPixel, bytesPerSample);
    return { ...native, bytes, subsampled422: false };
  }
  if (codec === 'encapsulated-native') {
    const frameBytes = pixels * storedSamplesPerPixel(module) * bytesPerSample;
    if (encoded.length < frameBytes) {
      throw decodeError(`uncompressed frame holds ${encoded.length} bytes; ${frameBytes} needed`);
    }
    return {
      ...native,
      bytes: arrangeNative(encoded.slice(0, frameBytes), module, bytesPerSample),
      subsampled422: storedSamplesPerPixel(module) !== module.samplesPerPixel,
    };
  }
  let info: CodestreamInfo | undefined;
  if (codec === 'jpeg' || codec === 'jpeg-lossless' || codec === 'jpeg-ls') {
    info = readJpegInfo(encoded);
    checkCodestream(info, module, codec === 'jpeg-ls' ? 'JPEG-LS' : 'JPEG');
  } else if (codec === 'jpeg2000' || codec === 'htj2k') {
    info = readJpeg2000Info(encoded);
    checkCodestream(info, module, codec === 'htj2k' ? 'HTJ2K' : 'JPEG 2000');
  }
  // PS3.5 §8.2.1 lets Photometric Interpretation say RGB over a YCbCr JPEG only when it means
  // it; some writers (GDCM among them) label YCbCr streams RGB. Trust the stream when its
  // markers are unambiguous, as libjpeg itself does, and say so.
  const ycbcrLabelledRgb =
    codec === 'jpeg' &&
    module.photometricInterpretation === 'RGB' &&
    info?.colorTransform === 'ycbcr';
  if (ycbcrLabelledRgb) {
    warnings.push({
      code: 'JPEG_COLOR_TRANSFORM',
      message:
        'Photometric Interpretation is RGB but the JPEG codestream is YCbCr (JFIF or Adobe marker, or subsampled chroma); converted to RGB',
    });
  }
  const precision = info?.precision ?? module.bitsStored;
  const bits = Math.max(precision, module.bitsStored);
  const decoder = WASM_DECODER[codec];
  if (decoder === undefined) throw decodeError(`no decoder for ${codec}`);
  const input = {
    encoded,
    rows: module.rows,
    columns: module.columns,
    // An 8-bit stream in 16 bits allocated is decoded to bytes and widened below: the module
    // fills a 16-bit output from an 8-bit stream with garbage.
    bitsAllocated: precision <= 8 ? 8 : module.bitsAllocated,
    // libjpeg picks its 8, 12 or 16-bit build from this, so it must be the stream's precision.
    bitsStored: precision,
    samplesPerPixel: module.samplesPerPixel,
    pixelRepresentation: module.pixelRepresentation,
    photometricInterpretation: module.photometricInterpretation,
    // Colour-converting is right for YCbCr JPEG only; an RGB stream stays as it is.
    convertToRgb:
      codec === 'jpeg' && (module.photometricInterpretation.startsWith('YBR') || ycbcrLabelledRgb),
  };
  let decoded: WasmFrameOutput | undefined;
  try {
    decoded = decodeWithWasm(decoder, input);
  } catch (error) {
    if (codec !== 'jpeg-lossless') throw error;
    // libjpeg refuses some lossless streams an independent decoder reads; say so and go on.
    warnings.push({
      code: 'DECODER_FALLBACK',
      message: `libjpeg could not decode a JPEG lossless frame (${errorMessage(error)}); decoded with jpeg-lossless-decoder-js`,
    });
  }
  let bytes: Uint8Array;
  let photometric: string;
  if (decoded === undefined) {
    bytes = decodeJpegLossless(encoded, bytesPerSample === 1 ? 1 : 2);
    photometric = module.photometricInterpretation;
  } else {
    if (decoded.damage !== undefined) {
      // Damaged data, not a stream libjpeg cannot read: another decoder would not do better.
      throw decodeError(`${codec.toUpperCase()} frame is damaged: ${decoded.damage}`);
    }
    for (const message of decoded.warnings) warnings.push({ code: 'CODEC_WARNING', message });
    bytes = decoded.bytes;
    photometric = decoded.photometricInterpretation;
  }
  const expected = pixels * module.samplesPerPixel * bytesPerSample;
  if (bytes.length === expected / 2 && bytesPerSample === 2) {
    // An 8-bit stream in 16 bits allocated comes back one byte per sample: widen it.
    const wide = Uint16Array.from(bytes);
    bytes = new Uint8Array(wide.buffer);
  } else if (bytes.length < expected) {
    throw decodeError(`decoded frame holds ${bytes.length} bytes; ${expected} expected`);
  }
  if (bits > module.bitsStored) {
    warnings.push({
      code: 'BITS_STORED',
      message: `codestream precision is ${bits} bits, Bits Stored (0028,0101) says ${module.bitsStored}; kept ${bits}`,
    });
  }
  if (info?.signed !== undefined && info.signed !== (module.pixelRepresentation === 1)) {
    warnings.push({
      code: 'PIXEL_REPRESENTATION',
      message: `JPEG 2000 codestream is ${info.signed ? 'signed' : 'unsigned'}, Pixel Representation is ${module.pixelRepresentation}; read as Pixel Representation says`,
    });
  }
  if (info?.jp2Wrapped === true) {
    warnings.push({
      code: 'JP2_HEADER',
      message: 'JPEG 2000 frame is wrapped in a JP2 header, which PS3.5 §A.4.4 does not allow',
    });
  }
  return {
    bytes: bytes.length === expected ? bytes : bytes.slice(0, expected),
    bytesPerSample,
    photometric,
    subsampled422: false,
    shift: 0,
    bits,
  };
}

/** Views little-endian sample bytes as stored values of the right type (PS3.5 §8.1.1). */
function toPixelArray(
  samples: FrameSamples,
  module: ImagePixelModule,
  signedOutput: boolean,
): PixelArray {
  const { buffer } = samples.bytes;
  if (module.pixelDataTag === '7FE00008') return new Float32Array(buffer);
  if (module.pixelDataTag === '7FE00009') return new Float64Array(buffer);
  let unsigned: UnsignedSamples;
  let signed: SignedSamples | undefined;
  switch (samples.bytesPerSample) {
    case 1:
      unsigned = new Uint8Array(buffer);
      signed = signedOutput ? new Int8Array(buffer) : undefined;
      break;
    case 2:
      unsigned = new Uint16Array(buffer);
      signed = signedOutput ? new Int16Array(buffer) : undefined;
      break;
    case 4:
      unsigned = new Uint32Array(buffer);
      signed = signedOutput ? new Int32Array(buffer) : undefined;
      break;
    default:
      throw decodeError(`${samples.bytesPerSample}-byte samples are not supported`);
  }
  normalizeStored(unsigned, signed, samples.shift, samples.bits);
  return signed ?? unsigned;
}

interface ColourResult {
  readonly frame: PixelArray;
  readonly photometric: OutputPhotometricInterpretation;
  readonly bitsStored: number;
}

function toOutputColour(
  frame: PixelArray,
  samples: FrameSamples,
  module: ImagePixelModule,
  palette: () => PaletteColorLut,
): ColourResult {
  const pi = samples.photometric;
  const bitsStored = samples.bits;
  if (pi === 'MONOCHROME1' || pi === 'MONOCHROME2') {
    if (module.samplesPerPixel !== 1) {
      throw decodeError(`${pi} with ${module.samplesPerPixel} samples per pixel`);
    }
    return { frame, photometric: pi, bitsStored };
  }
  if (pi === 'PALETTE COLOR') {
    if (module.samplesPerPixel !== 1) {
      throw decodeError(`PALETTE COLOR with ${module.samplesPerPixel} samples per pixel`);
    }
    const lut = palette();
    const pixels = module.rows * module.columns;
    if (lut.bits === 16) {
      const out = new Uint16Array(pixels * 3);
      applyPalette(frame, lut, out);
      return { frame: out, photometric: 'RGB', bitsStored: 16 };
    }
    const out = new Uint8Array(pixels * 3);
    applyPalette(frame, lut, out);
    return { frame: out, photometric: 'RGB', bitsStored: 8 };
  }
  if (module.samplesPerPixel !== 3) {
    throw decodeError(`${pi} with ${module.samplesPerPixel} sample(s) per pixel`);
  }
  // After decompression YBR_RCT and YBR_ICT frames are RGB: the codec undid the component
  // transform (PS3.5 §8.2.4).
  if (pi === 'RGB' || pi === 'YBR_RCT' || pi === 'YBR_ICT') {
    return { frame, photometric: 'RGB', bitsStored };
  }
  if (pi === 'YBR_FULL' || pi === 'YBR_FULL_422') {
    if (!(frame instanceof Uint8Array || frame instanceof Uint16Array)) {
      throw decodeError(`${pi} pixel data must be unsigned 8 or 16-bit samples`);
    }
    let full = frame;
    if (samples.subsampled422) {
      if (module.columns % 2 !== 0) {
        throw decodeError(`YBR_FULL_422 needs an even number of columns, not ${module.columns}`);
      }
      full =
        frame instanceof Uint8Array
          ? expandYbr422(frame, module.rows, module.columns, (n) => new Uint8Array(n))
          : expandYbr422(frame, module.rows, module.columns, (n) => new Uint16Array(n));
    }
    ybrFullToRgb(full, bitsStored);
    return { frame: full, photometric: 'RGB', bitsStored };
  }
  throw decodeError(`Photometric Interpretation ${pi} is not supported for decoding`);
}

/**
 * Decodes the pixel data of an instance into stored values, one typed array per frame, for
 * every transfer syntax in {@link TRANSFER_SYNTAX}: native little and big endian (byte-swapped
 * per word) and deflated; RLE (PS3.5 Annex G, in TypeScript); JPEG baseline and extended
 * 12-bit, JPEG lossless processes 14 and 14 SV1, JPEG-LS, JPEG 2000, HTJ2K and JPEG XL with the
 * codecs of dcmjs-codecs' WebAssembly module (libjpeg, CharLS, OpenJPEG, OpenJPH, libjxl),
 * jpeg-lossless-decoder-js standing in for libjpeg on lossless streams it rejects.
 *
 * Frames are sign-extended from Bits Stored when Pixel Representation is 1 and masked to it
 * otherwise; colour comes out as interleaved RGB (YBR converted, palettes applied).
 *
 * @param part10 - The instance, as {@link readPart10} returns it.
 * @throws `ERR_DICOM_NO_PIXEL_DATA` when there is no pixel data,
 *   `ERR_DICOM_UNSUPPORTED_TRANSFER_SYNTAX` (UID and name in the message) when the syntax is
 *   not decodable, `ERR_DICOM_PIXEL_DECODE` when a codestream is corrupt or the attributes do
 *   not describe it, `ERR_USAGE` for a frame index out of range.
 *
 * @example
 * ```ts
 * const pixels = await decodePixelData(readPart10(bytes));
 * pixels.frames[0]; // Int16Array(262144) for a 512×512 signed CT slice
 * toModalityValues(pixels.frames[0], pixels.rescale); // Float32Array of HU
 * ```
 */
export async function decodePixelData(
  part10: Part10,
  options: DecodePixelDataOptions = {},
): Promise<DecodedPixels> {
  const module = readImagePixelModule(part10.dataset);
  const transferSyntaxUid = part10.transferSyntaxUid;
  const codec = CODECS[transferSyntaxUid];
  if (codec === undefined) {
    throw new PlatformError(
      'ERR_DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      `cannot decode pixel data in ${transferSyntaxUid} (${transferSyntaxName(transferSyntaxUid)})`,
    );
  }
  const frameIndices = options.frames ?? Array.from({ length: module.numberOfFrames }, (_, i) => i);
  for (const index of frameIndices) {
    if (!Number.isInteger(index) || index < 0 || index >= module.numberOfFrames) {
      throw new PlatformError(
        'ERR_USAGE',
        `frame index ${index} is out of range: the instance has ${module.numberOfFrames} frame(s)`,
      );
    }
  }
  const warnings: DicomWarning[] = [...module.warnings];
  const signedOutput = module.pixelRepresentation === 1;
  let lut: PaletteColorLut | undefined;
  const palette = (): PaletteColorLut =>
    (lut ??= readPaletteColorLut(
      part10.dataset,
      transferSyntaxUid !== TRANSFER_SYNTAX.ExplicitVRBigEndian,
    ));

  let nativeBytes: Uint8Array | undefined;
  if (codec === 'native') {
    if (module.pixelDataValue.some((v) => !(v instanceof ArrayBuffer))) {
      throw decodeError('native pixel data is not a byte buffer');
    }
    nativeBytes = nativeLittleEndian(
      module,
      transferSyntaxUid !== TRANSFER_SYNTAX.ExplicitVRBigEndian,
    );
  } else if (module.pixelDataValue.length !== module.numberOfFrames) {
    throw decodeError(
      `encapsulated pixel data holds ${module.pixelDataValue.length} frame(s); Number of Frames is ${module.numberOfFrames}`,
    );
  }
  if (WASM_DECODER[codec] !== undefined) await ensureWasmCodecs();

  const frames: PixelArray[] = [];
  let photometric: OutputPhotometricInterpretation = 'MONOCHROME2';
  let bitsStored = module.bitsStored;
  for (const index of frameIndices) {
    let samples: FrameSamples;
    if (nativeBytes !== undefined) {
      samples = nativeFrame(nativeBytes, module, index);
    } else {
      const value = module.pixelDataValue[index];
      if (!(value instanceof ArrayBuffer))
        throw decodeError(`frame ${index + 1} is not a byte buffer`);
      // A failed WebAssembly call discards the instance; the next frame gets a fresh one.
      if (WASM_DECODER[codec] !== undefined) await ensureWasmCodecs();
      samples = encapsulatedFrame(
        codec as Exclude<Codec, 'native'>,
        new Uint8Array(value),
        module,
        warnings,
      );
    }
    const stored = toPixelArray(samples, module, signedOutput);
    const coloured = toOutputColour(stored, samples, module, palette);
    frames.push(coloured.frame);
    photometric = coloured.photometric;
    bitsStored = coloured.bitsStored;
  }

  const isColour = photometric === 'RGB';
  const window = isColour ? undefined : readVoiWindow(part10.dataset);
  const first = frames[0];
  const bitsAllocated = first === undefined ? module.bitsAllocated : first.BYTES_PER_ELEMENT * 8;
  return {
    rows: module.rows,
    columns: module.columns,
    samplesPerPixel: isColour ? 3 : 1,
    numberOfFrames: module.numberOfFrames,
    frameIndices,
    frames,
    bitsAllocated: (bitsAllocated === 1 ? 8 : bitsAllocated) as DecodedPixels['bitsAllocated'],
    bitsStored,
    pixelRepresentation: outputRepresentation(module),
    photometricInterpretation: photometric,
    storedPhotometricInterpretation: module.photometricInterpretation,
    transferSyntaxUid,
    lossy: LOSSY.has(transferSyntaxUid) || module.lossyImageCompression,
    rescale: isColour ? { slope: 1, intercept: 0 } : readModalityRescale(part10.dataset),
    ...(window === undefined ? {} : { window }),
    warnings: dedupe(warnings),
  };
}

/** Float samples count as signed; palette lookups give unsigned colour whatever the indices. */
function outputRepresentation(module: ImagePixelModule): 0 | 1 {
  if (module.pixelDataTag !== '7FE00010') return 1;
  if (module.photometricInterpretation === 'PALETTE COLOR') return 0;
  return module.pixelRepresentation;
}

function dedupe(warnings: readonly DicomWarning[]): DicomWarning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = `${w.code}\u0000${w.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

import type { DicomWarning } from '../part10/read-part10.js';
import type { VoiLutFunction } from './kernels/display.js';

export type { VoiLutFunction } from './kernels/display.js';

/**
 * The typed array one decoded frame is returned in, chosen by Bits Allocated and Pixel
 * Representation (PS3.3 C.7.6.3.1): Uint8/Int8 for 1 and 8 bits, Uint16/Int16 for 16,
 * Uint32/Int32 for 32; Float32 and Float64 for Float and Double Float Pixel Data (PS3.3 C.7.6.24).
 */
export type PixelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/**
 * Photometric Interpretation of decoded frames. Colour is always RGB: YBR_FULL, YBR_FULL_422,
 * YBR_RCT, YBR_ICT and PALETTE COLOR are converted. MONOCHROME1 is kept as stored, so the
 * lowest value means white (PS3.3 C.7.6.3.1.2); `frameToDisplay` inverts it.
 */
export type OutputPhotometricInterpretation = 'MONOCHROME1' | 'MONOCHROME2' | 'RGB';

/**
 * The linear Modality LUT: Rescale Slope (0028,1053) and Rescale Intercept (0028,1052)
 * (PS3.3 C.11.1.1.2). Output units are Rescale Type (0028,1054), e.g. Hounsfield units for CT.
 */
export interface ModalityRescale {
  /** Multiplier of stored values. @defaultValue 1 */
  readonly slope: number;
  /** Added after the multiplication, in output units. @defaultValue 0 */
  readonly intercept: number;
  /** Rescale Type (0028,1054), e.g. `'HU'`; absent when the instance does not say. */
  readonly type?: string;
}

/** A VOI window (PS3.3 C.11.2.1.2): centre and width in modality (rescaled) units. */
export interface VoiWindow {
  /** Window Center (0028,1050), in modality units. */
  readonly center: number;
  /** Window Width (0028,1051), in modality units; at least 1 for `LINEAR`. */
  readonly width: number;
  /** VOI LUT Function (0028,1056). @defaultValue 'LINEAR' */
  readonly function: VoiLutFunction;
}

/**
 * The pixel data of one instance, decoded to stored values, frame by frame. Every frame is
 * `rows × columns × samplesPerPixel` samples, row by row, colour by pixel (RGB interleaved:
 * Planar Configuration 0).
 */
export interface DecodedPixels {
  /** Rows (0028,0010): pixels per column. */
  readonly rows: number;
  /** Columns (0028,0011): pixels per row. */
  readonly columns: number;
  /** Samples per pixel of the decoded frames: 1 for monochrome, 3 for RGB. */
  readonly samplesPerPixel: 1 | 3;
  /** Number of Frames (0028,0008) of the instance, 1 when absent. */
  readonly numberOfFrames: number;
  /** Which frames `frames` holds, zero-based, in the same order. */
  readonly frameIndices: readonly number[];
  /** The decoded frames, aligned with `frameIndices`. */
  readonly frames: readonly PixelArray[];
  /**
   * Bits per sample of the decoded arrays: 8, 16, 32 or 64. One-bit pixel data is unpacked to
   * one byte per pixel; palette colour takes the depth of its lookup table entries.
   */
  readonly bitsAllocated: 8 | 16 | 32 | 64;
  /**
   * Significant bits per sample. Usually Bits Stored (0028,0101); the codestream's precision
   * when it is larger (a `BITS_STORED` warning says so); the LUT entry depth for palette colour.
   */
  readonly bitsStored: number;
  /** 1 when samples are two's complement (sign-extended from `bitsStored`), else 0. */
  readonly pixelRepresentation: 0 | 1;
  /** Photometric Interpretation of the decoded frames. */
  readonly photometricInterpretation: OutputPhotometricInterpretation;
  /** Photometric Interpretation (0028,0004) as the instance stores it. */
  readonly storedPhotometricInterpretation: string;
  /** The transfer syntax the pixel data was decoded from. */
  readonly transferSyntaxUid: string;
  /**
   * Whether the values differ from what was acquired: a lossy transfer syntax, or Lossy Image
   * Compression (0028,2110) `01` (PS3.3 C.7.6.1.1.5).
   */
  readonly lossy: boolean;
  /** The Modality LUT of the instance (identity for colour and when absent). */
  readonly rescale: ModalityRescale;
  /** The first VOI window of the instance, when it has one. */
  readonly window?: VoiWindow;
  /** What the decoder fixed or noticed. */
  readonly warnings: readonly DicomWarning[];
}

/** Options of `decodePixelData`. */
export interface DecodePixelDataOptions {
  /**
   * Zero-based indices of the frames to decode, in the order wanted.
   * @defaultValue every frame
   */
  readonly frames?: readonly number[];
}

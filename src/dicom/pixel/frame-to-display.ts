import { PlatformError } from '../../core/index.js';
import type { DecodedPixels, VoiWindow } from './decoded-pixels.js';
import { scaleToUint8, windowToUint8 } from './kernels/display.js';
import { minMax } from './kernels/samples.js';

/** Options of {@link frameToDisplay}. */
export interface FrameToDisplayOptions {
  /**
   * The VOI window, centre and width in modality (rescaled) units (PS3.3 C.11.2.1.2).
   * Ignored for colour frames.
   * @defaultValue the instance's first window (`pixels.window`), else the frame's full range
   */
  readonly window?: VoiWindow;
}

/** One frame as 8-bit samples, ready for an image file: gray, or RGB interleaved. */
export interface DisplayFrame {
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: 1 | 3;
  /** `rows × columns × samplesPerPixel` samples, row by row; for gray, 0 is black. */
  readonly data: Uint8Array;
  /** The window applied, in modality units; absent for colour. */
  readonly window?: VoiWindow;
}

/**
 * Renders one decoded frame to 8 bits per sample for display or PNG export: monochrome frames
 * go through the Modality LUT (`pixels.rescale`, PS3.3 C.11.1) and a VOI window (C.11.2), and
 * MONOCHROME1 is inverted so that 0 is black in the output (C.7.6.3.1.2); colour frames are
 * scaled from Bits Stored to 8 bits.
 *
 * @param frame - Index into `pixels.frames` (not the instance's frame number).
 * @throws `ERR_USAGE` when `frame` is out of range.
 *
 * @example
 * ```ts
 * const { data } = frameToDisplay(pixels, 0, {
 *   window: { center: 40, width: 400, function: 'LINEAR' }, // a soft-tissue CT window, in HU
 * });
 * ```
 */
export function frameToDisplay(
  pixels: DecodedPixels,
  frame = 0,
  options: FrameToDisplayOptions = {},
): DisplayFrame {
  const values = pixels.frames[frame];
  if (values === undefined) {
    throw new PlatformError(
      'ERR_USAGE',
      `frame ${frame} is out of range: ${pixels.frames.length} frame(s) were decoded`,
    );
  }
  const { rows, columns } = pixels;
  const data = new Uint8Array(rows * columns * pixels.samplesPerPixel);
  if (pixels.photometricInterpretation === 'RGB') {
    if (values instanceof Uint8Array && pixels.bitsStored === 8) data.set(values);
    else scaleToUint8(values, pixels.bitsStored, data);
    return { rows, columns, samplesPerPixel: 3, data };
  }
  const { slope, intercept } = pixels.rescale;
  let window = options.window ?? pixels.window;
  if (window === undefined) {
    const { min, max } = minMax(values);
    const [low, high] = slope >= 0 ? [min, max] : [max, min];
    const lowValue = low * slope + intercept;
    const highValue = high * slope + intercept;
    window = {
      center: (lowValue + highValue) / 2,
      width: highValue > lowValue ? highValue - lowValue : 1,
      function: 'LINEAR_EXACT',
    };
  }
  windowToUint8(
    values,
    slope,
    intercept,
    window.center,
    window.width,
    window.function,
    pixels.photometricInterpretation === 'MONOCHROME1',
    data,
  );
  return { rows, columns, samplesPerPixel: 1, data, window };
}

import type { ModalityRescale, PixelArray } from './decoded-pixels.js';
import { rescaleInto } from './kernels/display.js';

/**
 * Applies the linear Modality LUT to one frame of stored values: `value × slope + intercept`
 * (PS3.3 C.11.1.1.2), giving values in the units of Rescale Type (Hounsfield units for CT).
 * Single precision holds any rescaled 16-bit value to well under a unit.
 *
 * @example
 * ```ts
 * toModalityValues(new Int16Array([0, 1024]), { slope: 1, intercept: -1024 }); // [-1024, 0]
 * ```
 */
export function toModalityValues(
  frame: PixelArray,
  rescale: Pick<ModalityRescale, 'slope' | 'intercept'>,
): Float32Array {
  const out = new Float32Array(frame.length);
  rescaleInto(frame, rescale.slope, rescale.intercept, out);
  return out;
}

import type { Volume } from '../../core/index.js';
import { medianOfSquares } from './kernels/select.js';
import { checkMask } from './validate.js';

/**
 * Foreground-background energy ratio (Shehzad et al. 2015; MRIQC `fber`): median(|F|²) /
 * median(|B|²), dimensionless; higher is better.
 *
 * @remarks
 * Medians as numpy's (mean of the two middle values for an even count). B is the `background`
 * mask given (air beyond the margin of {@link backgroundMask}), where MRIQC takes everything
 * outside the head mask. As in MRIQC, returns −1 when median(|B|²) is below 1e-3, which includes
 * an empty background (a skull-stripped or zero-filled image); otherwise NaN when the foreground is
 * empty.
 */
export function fber(volume: Volume, foreground: Uint8Array, background: Uint8Array): number {
  checkMask(volume, foreground, 'foreground');
  checkMask(volume, background, 'background');
  return fberFromMedians(
    medianOfSquares(absValues(volume.data, foreground)),
    medianOfSquares(absValues(volume.data, background)),
  );
}

/** FBER from median(|F|²) and median(|B|²). */
export function fberFromMedians(foregroundMedian: number, backgroundMedian: number): number {
  if (!(backgroundMedian >= 1e-3)) return -1;
  return foregroundMedian / backgroundMedian;
}

function absValues(data: Float32Array, mask: Uint8Array): Float32Array {
  let count = 0;
  for (const m of mask) if (m !== 0) count++;
  const out = new Float32Array(count);
  let n = 0;
  mask.forEach((m, v) => {
    if (m !== 0) out[n++] = Math.abs(data[v] ?? 0);
  });
  return out;
}

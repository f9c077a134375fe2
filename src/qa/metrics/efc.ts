import type { Volume } from '../../core/index.js';
import { efcSums } from './kernels/region-sums.js';
import type { EfcSums } from './kernels/region-sums.js';

/**
 * MRIQC's entropy focus criterion (Atkinson et al. 1997, IEEE TMI 16(6):903–910), over every voxel
 * of the volume: lower is better, 0 when all energy is in one voxel, 1 for a constant volume.
 *
 * @remarks
 * Exactly MRIQC's `efc` (mriqc/qc/anatomical.py) with no frame mask:
 * b_max = √(Σ x²), efc_max = N · (1/√N) · ln(1/√N),
 * efc = (1/efc_max) · Σ (x/b_max) · ln((x + 1e-16)/b_max),
 * evaluated as (Σ x·ln(x + 1e-16) − ln(b_max)·Σx) / (b_max · efc_max) in one pass, in doubles, and
 * without MRIQC's rounding to 4 decimals. Negative voxels (not expected in magnitude images; MRIQC
 * would return NaN) count as 0. NaN for an all-zero volume (b_max = 0) or a single voxel
 * (efc_max = 0).
 */
export function efc(volume: Volume): number {
  return efcFromSums(efcSums(volume.data));
}

/** EFC from its one-pass sums. */
export function efcFromSums(s: EfcSums): number {
  const n = s.count;
  const efcMax = n * (1 / Math.sqrt(n)) * Math.log(1 / Math.sqrt(n));
  const bMax = Math.sqrt(s.sumSquares);
  if (!(bMax > 0) || efcMax === 0) return NaN;
  return (s.sumXLogX - Math.log(bMax) * s.sum) / (bMax * efcMax);
}

// Rasterizes the short-axis sections of the synthetic LV: every pixel of every slice of every
// phase, so the loop is kept free of allocations.
import type { LvShape } from '../lv-cycle.js';

/**
 * Labels slice `k` of a short-axis stack into `out` (`n × n`, row-major): 1 where the pixel
 * centre lies in the cavity, 2 in the myocardium, 0 elsewhere. The LV frame has its origin at the
 * apex of the cavity, +z towards the base; the slice lies at height `z` (mm); columns run along
 * the 4-chamber axis, rows along the 2-chamber axis, `s` mm apart, centred on the long axis.
 */
export function rasterizeShortAxisSlice(
  shape: LvShape,
  z: number,
  n: number,
  s: number,
  out: Uint8Array,
): void {
  const { endo, epi } = shape;
  // Heights from each ellipsoid's centre: the cavity's centre is a above the apex.
  const zc = z - endo.longSemiAxisMm;
  out.fill(0);
  if (zc > endo.truncationMm) return; // above the base plane: atrium, not LV
  const fEndo = 1 - (zc * zc) / (endo.longSemiAxisMm * endo.longSemiAxisMm);
  const fEpi = 1 - (zc * zc) / (epi.longSemiAxisMm * epi.longSemiAxisMm);
  if (fEpi <= 0) return;
  const b4 = endo.shortSemiAxesMm[0] ** 2;
  const b2 = endo.shortSemiAxesMm[1] ** 2;
  const B4 = epi.shortSemiAxesMm[0] ** 2;
  const B2 = epi.shortSemiAxesMm[1] ** 2;
  const half = (n - 1) / 2;
  for (let r = 0; r < n; r++) {
    const y = (r - half) * s;
    for (let c = 0; c < n; c++) {
      const x = (c - half) * s;
      if (fEndo > 0 && (x * x) / b4 + (y * y) / b2 <= fEndo) out[r * n + c] = 1;
      else if ((x * x) / B4 + (y * y) / B2 <= fEpi) out[r * n + c] = 2;
    }
  }
}

import type { Vec3 } from '../core/index.js';
import { vec3 } from './body-model.js';
import type { Orientation } from '../protocol/index.js';

/** Where a series' slices lie, in patient coordinates (LPS, millimetres). */
export interface SeriesGeometry {
  /** Direction cosines of a row (left → right in the image): Image Orientation (Patient) [0..2]. */
  readonly rowDirection: Vec3;
  /** Direction cosines of a column (top → bottom): Image Orientation (Patient) [3..5]. */
  readonly columnDirection: Vec3;
  /** Unit slice normal, `rowDirection × columnDirection`; slices step along it. */
  readonly normal: Vec3;
  /** Centre of the imaged volume, in millimetres. */
  readonly centre: Vec3;
  readonly rows: number;
  readonly columns: number;
  readonly slices: number;
  /** Pixel Spacing: `[between rows, between columns]`, in millimetres. */
  readonly pixelSpacingMm: readonly [number, number];
  /** Centre-to-centre slice distance, in millimetres. */
  readonly spacingBetweenSlicesMm: number;
}

/** Rounds direction cosines to the 6 decimals written into the header, so files and phantom agree. */
function rounded(v: Vec3): Vec3 {
  return [round6(v[0]), round6(v[1]), round6(v[2])];
}

function round6(x: number): number {
  const r = Math.round(x * 1e6) / 1e6;
  return r === 0 ? 0 : r; // no negative zero in headers
}

/**
 * Row and column directions for an orientation, as a Siemens scanner writes them for a supine,
 * head-first patient: transverse `[1,0,0 / 0,1,0]`, sagittal `[0,1,0 / 0,0,−1]`, coronal
 * `[1,0,0 / 0,0,−1]` (PS3.3 C.7.6.2.1.1). The cardiac short axis is double-oblique: its normal is
 * the left-ventricular long axis.
 */
export function orientationAxes(
  orientation: Orientation,
  heartLongAxis: Vec3,
): { readonly row: Vec3; readonly column: Vec3; readonly normal: Vec3 } {
  let row: Vec3;
  let column: Vec3;
  switch (orientation) {
    case 'ax':
      row = [1, 0, 0];
      column = [0, 1, 0];
      break;
    case 'sag':
      row = [0, 1, 0];
      column = [0, 0, -1];
      break;
    case 'cor':
      row = [1, 0, 0];
      column = [0, 0, -1];
      break;
    case 'sax': {
      // Row: horizontal and perpendicular to the long axis; column completes a right-handed frame.
      const n = heartLongAxis;
      row = rounded(vec3.normalize(vec3.cross([0, 0, 1], n)));
      column = rounded(vec3.cross(n, row));
      break;
    }
  }
  return { row, column, normal: vec3.normalize(vec3.cross(row, column)) };
}

/** Image Position (Patient) of slice `k` (0-based): the centre of its first pixel, in millimetres. */
export function imagePosition(g: SeriesGeometry, k: number): Vec3 {
  const [dr, dc] = g.pixelSpacingMm;
  const along = (k - (g.slices - 1) / 2) * g.spacingBetweenSlicesMm;
  const right = -((g.columns - 1) / 2) * dc;
  const down = -((g.rows - 1) / 2) * dr;
  const { centre: c, normal: n, rowDirection: r, columnDirection: d } = g;
  return [
    c[0] + along * n[0] + right * r[0] + down * d[0],
    c[1] + along * n[1] + right * r[1] + down * d[1],
    c[2] + along * n[2] + right * r[2] + down * d[2],
  ];
}

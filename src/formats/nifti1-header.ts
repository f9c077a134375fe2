// The NIfTI-1 header layout and orientation arithmetic, after nifti1.h (NIfTI DFWG, 2004)
// and the quaternion and polar-decomposition routines of its reference library nifti1_io.c.
import { PlatformError } from '../core/index.js';
import type { Volume, VoxelArray } from '../core/index.js';

/** `sizeof_hdr`: a NIfTI-1 header is 348 bytes (nifti1.h). */
export const NIFTI1_HEADER_SIZE = 348;

/**
 * Where voxel data start in a single-file `.nii`: the 348-byte header plus the 4-byte
 * extension flag (all zero: no extensions), nifti1.h "vox_offset".
 */
export const NIFTI1_VOX_OFFSET = 352;

/** NIfTI-1 `datatype` codes (nifti1.h `DT_*`) of the arrays a {@link Volume} may hold. */
export const NIFTI1_DATATYPE = {
  uint8: 2,
  int16: 4,
  int32: 8,
  float32: 16,
  float64: 64,
  int8: 256,
  uint16: 512,
  uint32: 768,
} as const;

/** The name of a NIfTI-1 datatype this module reads and writes. */
export type Nifti1DatatypeName = keyof typeof NIFTI1_DATATYPE;

/** `xform_code` values (nifti1.h `NIFTI_XFORM_*`). */
export const NIFTI1_XFORM = {
  unknown: 0,
  scannerAnat: 1,
  alignedAnat: 2,
  talairach: 3,
  mni152: 4,
} as const;

/** `xyzt_units` bits (nifti1.h `NIFTI_UNITS_*`): millimetres for space, seconds for time. */
export const NIFTI1_UNITS = { mm: 2, sec: 8 } as const;

/**
 * A NIfTI affine from voxel index (i, j, k) to RAS+ millimetres: rows `srow_x`, `srow_y`,
 * `srow_z`, four numbers each, `x = m[0] i + m[1] j + m[2] k + m[3]`.
 */
// prettier-ignore
export type Nifti1Affine = readonly [
  number, number, number, number,
  number, number, number, number,
  number, number, number, number,
];

/** The qform parameters (nifti1.h method 2): a unit quaternion, a handedness flag and an offset. */
export interface Nifti1Quatern {
  readonly b: number;
  readonly c: number;
  readonly d: number;
  /** `pixdim[0]`: 1 for a right-handed (i, j, k), -1 when k must be flipped first. */
  readonly qfac: 1 | -1;
  /** `qoffset_x/y/z`: RAS+ position of voxel (0, 0, 0), in millimetres. */
  readonly offset: readonly [number, number, number];
}

type Mat33 = [number, number, number, number, number, number, number, number, number];

/** Name of the datatype that stores `data` as is. */
export function nifti1DatatypeOf(data: VoxelArray): Nifti1DatatypeName {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'uint16';
  return 'uint32';
}

/** Bits per voxel of a datatype (`bitpix`). */
export function nifti1Bitpix(datatype: Nifti1DatatypeName): number {
  switch (datatype) {
    case 'uint8':
    case 'int8':
      return 8;
    case 'int16':
    case 'uint16':
      return 16;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 32;
    case 'float64':
      return 64;
  }
}

/**
 * The NIfTI sform of a volume: voxel index to RAS+ millimetres.
 *
 * @remarks
 * The volume is in DICOM LPS; NIfTI world coordinates are RAS+ (nifti1.h, "+x = Right,
 * +y = Anterior, +z = Superior"), so the x and y rows of the LPS affine are negated. Column c of
 * the 3×3 part is direction axis c times spacing c; the translation is the origin. The affine is
 * exact for sheared (tilted) grids as well.
 */
export function volumeToNifti1Affine(volume: Volume<VoxelArray>): Nifti1Affine {
  const { direction: d, spacing: s, origin: o } = volume;
  // prettier-ignore
  return [
    -d[0] * s[0], -d[3] * s[1], -d[6] * s[2], -o[0],
    -d[1] * s[0], -d[4] * s[1], -d[7] * s[2], -o[1],
    d[2] * s[0], d[5] * s[1], d[8] * s[2], o[2],
  ];
}

function det33(m: Mat33): number {
  return (
    m[0] * (m[4] * m[8] - m[5] * m[7]) -
    m[1] * (m[3] * m[8] - m[5] * m[6]) +
    m[2] * (m[3] * m[7] - m[4] * m[6])
  );
}

/** Inverse-transpose of a row-major 3×3. */
function invTranspose33(m: Mat33): Mat33 {
  const det = det33(m);
  // Cofactor matrix divided by the determinant is the inverse transposed.
  return [
    (m[4] * m[8] - m[5] * m[7]) / det,
    -(m[3] * m[8] - m[5] * m[6]) / det,
    (m[3] * m[7] - m[4] * m[6]) / det,
    -(m[1] * m[8] - m[2] * m[7]) / det,
    (m[0] * m[8] - m[2] * m[6]) / det,
    -(m[0] * m[7] - m[1] * m[6]) / det,
    (m[1] * m[5] - m[2] * m[4]) / det,
    -(m[0] * m[5] - m[2] * m[3]) / det,
    (m[0] * m[4] - m[1] * m[3]) / det,
  ];
}

/**
 * The orthogonal matrix nearest to `m` (polar decomposition, Newton iteration
 * `X ← (X + X⁻ᵀ) / 2`), as nifti1_io's `nifti_mat33_polar` does before building a quaternion:
 * a qform can only hold a rotation, while a tilted grid's direction matrix is sheared.
 */
function nearestOrthogonal(m: Mat33): Mat33 {
  let x = m;
  for (let iteration = 0; iteration < 100; iteration++) {
    const y = invTranspose33(x);
    const previous = x;
    const next = previous.map((v, i) => 0.5 * (v + (y[i] ?? NaN))) as Mat33;
    const change = Math.max(...next.map((v, i) => Math.abs(v - (previous[i] ?? NaN))));
    x = next;
    if (change < 1e-15) break;
  }
  return x;
}

/**
 * The qform quaternion of an affine (nifti1.h method 2; `nifti_mat44_to_quatern` of nifti1_io):
 * columns normalized, the nearest rotation taken when the columns are not orthogonal, and a
 * reflection (negative determinant) carried by `qfac = -1` with the third column negated, as
 * nifti1.h prescribes for left-handed (i, j, k).
 */
export function nifti1QuaternFromAffine(affine: Nifti1Affine): Nifti1Quatern {
  const [m11, m12, m13, , m21, m22, m23, , m31, m32, m33] = affine;
  // A zero-length column (degenerate axis) is left as is rather than divided by zero.
  const c1 = Math.hypot(m11, m21, m31) || 1;
  const c2 = Math.hypot(m12, m22, m32) || 1;
  const c3 = Math.hypot(m13, m23, m33) || 1;
  // prettier-ignore
  let q = nearestOrthogonal([
    m11 / c1, m12 / c2, m13 / c3,
    m21 / c1, m22 / c2, m23 / c3,
    m31 / c1, m32 / c2, m33 / c3,
  ]);
  const qfac: 1 | -1 = det33(q) < 0 ? -1 : 1;
  if (qfac === -1) q = [q[0], q[1], -q[2], q[3], q[4], -q[5], q[6], q[7], -q[8]];
  const [r11, r12, r13, r21, r22, r23, r31, r32, r33] = q;
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    // Near a half-turn the trace is small: take the largest diagonal term instead (nifti1_io).
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    // q and -q are the same rotation; nifti1.h stores the one with a ≥ 0 and drops a.
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac, offset: [affine[3], affine[7], affine[11]] };
}

/**
 * The affine a qform describes (nifti1.h method 2; `nifti_quatern_to_mat44`): rotation from the
 * quaternion, columns scaled by `pixdim[1..3]`, the k column by `qfac` too.
 */
export function nifti1AffineFromQuatern(
  q: Nifti1Quatern,
  pixdim: readonly [number, number, number],
): Nifti1Affine {
  let { b, c, d } = q;
  // a is implied by unit length. Near a half-turn (a ≈ 0) float32 rounding of b, c, d leaves
  // 1 - (b² + c² + d²) at ±1e-7, whose square root (3e-4) would tilt the axes: like nifti1_io,
  // take a below 1e-7 as 0 and renormalize (b, c, d).
  const rest = 1 - (b * b + c * c + d * d);
  let a: number;
  if (rest < 1e-7) {
    const scale = 1 / Math.sqrt(b * b + c * c + d * d);
    [a, b, c, d] = [0, b * scale, c * scale, d * scale];
  } else {
    a = Math.sqrt(rest);
  }
  const [dx, dy, dz] = [pixdim[0], pixdim[1], q.qfac * pixdim[2]];
  const [ox, oy, oz] = q.offset;
  // prettier-ignore
  return [
    (a * a + b * b - c * c - d * d) * dx, 2 * (b * c - a * d) * dy, 2 * (b * d + a * c) * dz, ox,
    2 * (b * c + a * d) * dx, (a * a + c * c - b * b - d * d) * dy, 2 * (c * d - a * b) * dz, oy,
    2 * (b * d - a * c) * dx, 2 * (c * d + a * b) * dy, (a * a + d * d - c * c - b * b) * dz, oz,
  ];
}

/** Throws `ERR_USAGE` for a datatype code this module has no typed array for. */
export function nifti1DatatypeName(code: number): Nifti1DatatypeName {
  for (const [name, value] of Object.entries(NIFTI1_DATATYPE)) {
    if (value === code) return name as Nifti1DatatypeName;
  }
  throw new PlatformError('ERR_USAGE', `NIfTI-1 datatype ${code} is not supported`);
}

// Per-pixel rendering of one synthetic apical echo frame and its exact label mask. Hot loop over
// every pixel of every frame: typed-array indexing with the loop bounds as the check.
import { gaussianTable } from '../../kernels/gaussian-table.js';
import type { Random } from '../../random.js';

/** One section (the plane of the view) of a truncated ellipsoid, in mm: `x²/b² + z²/a² ≤ 1`, `z ≤ h`. */
export interface Section {
  readonly a: number;
  readonly b: number;
  readonly h: number;
}

/** Everything needed to draw one frame of one apical view. */
export interface ApicalFrameScene {
  readonly columns: number;
  readonly rows: number;
  /** Pixel spacing along columns (x) and rows (y), in mm. */
  readonly sx: number;
  readonly sy: number;
  /** Transducer (sector apex) position: column index (may be fractional); it sits on row 0. */
  readonly transducerColumn: number;
  readonly sectorHalfAngleRad: number;
  readonly depthMm: number;
  /** LV centre, in mm from the transducer (x lateral, y depth). */
  readonly centreX: number;
  readonly centreY: number;
  /** Tilt of the centre→base direction from straight down, in radians. */
  readonly tiltRad: number;
  readonly endo: Section;
  readonly epi: Section;
  /** Right ventricle and atrium (4-chamber view only). */
  readonly rightHeart: boolean;
}

/** Variance left in a white field after the PSF below: `Σw²` of [1 4 6 4 1]/16 times that of [1 2 1]/4. */
const PSF_VARIANCE = (70 / 256) * (6 / 16);
/** Scale of each quadrature component so that the mean power after the PSF is the reflectivity². */
const IQ_SCALE = 1 / Math.sqrt(2 * PSF_VARIANCE);

/**
 * `20·log10(v)` for a positive float32 `v`, indexed by its top 17 bits (sign, exponent and 8
 * mantissa bits): 0.03 dB resolution without a logarithm per pixel.
 */
const DB_OF_BITS = (() => {
  const table = new Float32Array(1 << 17);
  const bits = new Uint32Array(1);
  const value = new Float32Array(bits.buffer);
  for (let k = 0; k < 1 << 16; k++) {
    bits[0] = (k << 15) | (1 << 14); // the middle of the bucket
    const v = value[0]!;
    table[k] = v > 0 && Number.isFinite(v) ? 20 * Math.log10(v) : -400;
  }
  return table;
})();

/** The sector of a clip: which pixels it covers and their depth loss, the same in every frame. */
export interface SectorGeometry {
  /** 1 inside the sector. */
  readonly inSector: Uint8Array;
  /** Net depth attenuation after time-gain compensation, in dB (subtracted). */
  readonly attenuationDb: Float32Array;
}

/** Precomputes the {@link SectorGeometry} of a scene's image. */
export function sectorGeometry(scene: ApicalFrameScene): SectorGeometry {
  const { columns, rows, sx, sy } = scene;
  const tanHalf = Math.tan(scene.sectorHalfAngleRad);
  const depth2 = scene.depthMm * scene.depthMm;
  const inSector = new Uint8Array(columns * rows);
  const attenuationDb = new Float32Array(columns * rows);
  for (let r = 0; r < rows; r++) {
    const y = r * sy;
    for (let c = 0; c < columns; c++) {
      const xr = (c - scene.transducerColumn) * sx;
      const i = r * columns + c;
      inSector[i] = y > 0 && Math.abs(xr) <= y * tanHalf && xr * xr + y * y <= depth2 ? 1 : 0;
      attenuationDb[i] = NET_ATTENUATION_DB_PER_MM * Math.sqrt(xr * xr + y * y);
    }
  }
  return { inSector, attenuationDb };
}

/** Labels of the masks (as in the CAMUS data set: 1 LV cavity, 2 LV myocardium, 3 left atrium). */
export const LABEL = { background: 0, lvCavity: 1, lvMyocardium: 2, leftAtrium: 3 } as const;

// Echogenicity (amplitude reflectivity) relative to the brightest reflector.
const BLOOD = 0.01;
const TISSUE = 0.06;
const MYOCARDIUM = 0.3;
const THIN_WALL = 0.26;
const PERICARDIUM = 0.85;
/** Net amplitude loss with depth after time-gain compensation, in dB per mm. */
const NET_ATTENUATION_DB_PER_MM = 0.06;
/** Displayed dynamic range, in dB. */
const DYNAMIC_RANGE_DB = 52;

const inEllipse = (
  x: number,
  z: number,
  cx: number,
  cz: number,
  rx: number,
  rz: number,
): boolean => {
  const u = (x - cx) / rx;
  const v = (z - cz) / rz;
  return u * u + v * v <= 1;
};

/**
 * Renders one frame into `image` (8-bit B-mode, sector-shaped) and `labels` (exact masks: a
 * pixel's label is that of the structure containing its centre), both `rows × columns`,
 * row-major. `fieldI` and `fieldQ` are scratch of the same size.
 *
 * @remarks
 * B-mode model: random scatterers whose strength is each pixel's reflectivity (blood dark,
 * myocardium bright, pericardium brightest), as two Gaussian quadrature fields convolved with a
 * point-spread function 5 pixels wide laterally and 3 axially (lateral resolution is the
 * coarser); the envelope power `I² + Q²` is then fully developed speckle (Rayleigh amplitude)
 * with the PSF's grain. Minus the net depth attenuation left after time-gain compensation, it
 * is log-compressed over 52 dB to 0–255. Gaussians come from a table indexed by an inlined
 * xoshiro128** stream seeded by four words of `random`, decibels from a table indexed by the
 * float's bits, so a frame costs no logarithm per pixel.
 */
export function renderApicalFrame(
  scene: ApicalFrameScene,
  sector: SectorGeometry,
  random: Random,
  image: Uint8Array,
  labels: Uint8Array,
  fieldI: Float32Array,
  fieldQ: Float32Array,
): void {
  const gauss = gaussianTable();
  const { columns, rows, sx, sy, endo, epi } = scene;
  const dx = Math.sin(scene.tiltRad);
  const dy = Math.cos(scene.tiltRad);
  const { inSector, attenuationDb } = sector;
  let s0 = random.nextUint32() | 1;
  let s1 = random.nextUint32();
  let s2 = random.nextUint32();
  let s3 = random.nextUint32();
  // Neighbours, in LV coordinates (x lateral, z from the LV centre towards the base).
  const laRx = 0.95 * epi.b;
  const laRz = 22;
  const laZ = endo.h + 0.85 * laRz;
  const rvRx = 15;
  const rvRz = 0.72 * epi.a;
  const rvX = -(epi.b + 0.75 * rvRx);
  const rvZ = 0.2 * epi.a;
  const raRx = 16;
  const raRz = 20;
  const raZ = endo.h + 0.9 * raRz;
  const a2 = endo.a * endo.a;
  const b2 = endo.b * endo.b;
  const A2 = epi.a * epi.a;
  const B2 = epi.b * epi.b;
  const pa = epi.a + 2.5;
  const pb = epi.b + 2.5;
  for (let r = 0; r < rows; r++) {
    const y = r * sy;
    for (let c = 0; c < columns; c++) {
      const i = r * columns + c;
      const xr = (c - scene.transducerColumn) * sx;
      const px = xr - scene.centreX;
      const py = y - scene.centreY;
      const z = px * dx + py * dy;
      const x = px * dy - py * dx;
      let label = 0;
      let reflectivity = TISSUE;
      const belowBase = z > endo.h;
      if (!belowBase && (x * x) / b2 + (z * z) / a2 <= 1) {
        label = LABEL.lvCavity;
        reflectivity = BLOOD;
      } else if (!belowBase && (x * x) / B2 + (z * z) / A2 <= 1) {
        label = LABEL.lvMyocardium;
        reflectivity = MYOCARDIUM;
      } else if (belowBase && inEllipse(x, z, 0, laZ, laRx, laRz)) {
        label = LABEL.leftAtrium;
        reflectivity = BLOOD;
      } else if (belowBase && inEllipse(x, z, 0, laZ, laRx + 3, laRz + 3)) {
        reflectivity = THIN_WALL;
      } else if (!belowBase && inEllipse(x, z, 0, 0, pb, pa)) {
        reflectivity = PERICARDIUM;
      } else if (scene.rightHeart) {
        if (!belowBase && inEllipse(x, z, rvX, rvZ, rvRx, rvRz)) reflectivity = BLOOD;
        else if (!belowBase && inEllipse(x, z, rvX, rvZ, rvRx + 4, rvRz + 4))
          reflectivity = THIN_WALL;
        else if (belowBase && inEllipse(x, z, rvX, raZ, raRx, raRz)) reflectivity = BLOOD;
        else if (belowBase && inEllipse(x, z, rvX, raZ, raRx + 3, raRz + 3))
          reflectivity = THIN_WALL;
      }
      labels[i] = label;
      // xoshiro128** (Blackman & Vigna), drawn for every pixel so noise does not depend on the sector.
      const word = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const w = inSector[i] === 1 ? reflectivity * IQ_SCALE : 0;
      fieldI[i] = w * gauss[word >>> 16]!;
      fieldQ[i] = w * gauss[word & 0xffff]!;
    }
  }
  psf(fieldI, columns, rows);
  psf(fieldQ, columns, rows);
  for (let i = 0; i < rows * columns; i++) {
    const a = fieldI[i]!;
    const b = fieldQ[i]!;
    fieldI[i] = a * a + b * b;
  }
  const scale = 255 / DYNAMIC_RANGE_DB;
  const power = fieldI;
  const bits = new Uint32Array(power.buffer, power.byteOffset, power.length);
  const n = rows * columns;
  for (let i = 0; i < n; i++) {
    if (inSector[i] !== 1 || power[i]! <= 0) {
      image[i] = 0;
      continue;
    }
    // 10·log10 of the power is 20·log10 of the envelope amplitude.
    const g = (0.5 * DB_OF_BITS[bits[i]! >>> 15]! - attenuationDb[i]! + DYNAMIC_RANGE_DB) * scale;
    image[i] = g <= 0 ? 0 : g >= 255 ? 255 : (g + 0.5) | 0;
  }
}

/** The separable PSF, [1 4 6 4 1]/16 along rows and [1 2 1]/4 along columns, in place. */
function psf(field: Float32Array, columns: number, rows: number): void {
  const line = new Float32Array(Math.max(columns, rows));
  for (let r = 0; r < rows; r++) {
    const o = r * columns;
    for (let c = 0; c < columns; c++) line[c] = field[o + c]!;
    for (let c = 0; c < columns; c++) {
      const l2 = line[c > 1 ? c - 2 : 0]!;
      const l1 = line[c > 0 ? c - 1 : 0]!;
      const r1 = line[c < columns - 1 ? c + 1 : columns - 1]!;
      const r2 = line[c < columns - 2 ? c + 2 : columns - 1]!;
      field[o + c] = (l2 + 4 * l1 + 6 * line[c]! + 4 * r1 + r2) / 16;
    }
  }
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) line[r] = field[r * columns + c]!;
    for (let r = 0; r < rows; r++) {
      const up = line[r > 0 ? r - 1 : 0]!;
      const down = line[r < rows - 1 ? r + 1 : rows - 1]!;
      field[r * columns + c] = (up + 2 * line[r]! + down) / 4;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

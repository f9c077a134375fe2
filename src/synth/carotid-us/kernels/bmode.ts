import { TISSUE } from './carotid-section.js';
import type { SectionRaster } from './carotid-section.js';

/** Acquisition and display settings of one B-mode image. */
export interface BmodeSettings {
  /** Pixel size, mm. */
  readonly spacingMm: number;
  /** Transducer centre frequency, MHz. */
  readonly frequencyMHz: number;
  /** Log-compression dynamic range, dB. */
  readonly dynamicRangeDb: number;
  /** Overall gain, dB. */
  readonly gainDb: number;
  /** Display gamma (after log compression), dimensionless. */
  readonly gamma: number;
  /** Error of the time-gain compensation: residual gain slope, dB per cm of depth. */
  readonly tgcSlopeDbPerCm: number;
  /** Amplitude (dB) and period (mm) of a slow ripple in the TGC curve (slider positions). */
  readonly tgcRippleDb: number;
  readonly tgcRipplePeriodMm: number;
  /** Axial and lateral standard deviation of the Gaussian point-spread function, mm. */
  readonly psfAxialMm: number;
  readonly psfLateralMm: number;
  /** Electronic noise floor, relative to tissue of echogenicity 1. */
  readonly noiseFloor: number;
  /** Passes (0–3) of a 1-2-1 smoothing of the envelope power: the scanner's speckle reduction. */
  readonly speckleReduction: number;
  /** Soft-tissue layer boundaries below the skin, mm: skin, fat, muscle (sternocleidomastoid). */
  readonly skinMm: number;
  readonly fatMm: number;
  readonly muscleMm: number;
  /** Phase of the layer-boundary undulation, radians. */
  readonly layerPhase: number;
}

/** Attenuation of soft tissue, dB/(cm·MHz) (≈ 0.5–0.7 in muscle and fat; blood ≈ 0.15). */
const TISSUE_ATTENUATION = 0.6;
const BLOOD_ATTENUATION = 0.15;
/** dB above tissue of echogenicity 1 that still shows white: the display's headroom. */
const HEADROOM_DB = 32;

/**
 * Echogenicity (backscatter amplitude relative to muscle ≈ 1) of each pixel, and the round-trip
 * attenuation and shadowing along each column (the beam runs down the columns), residual after
 * time-gain compensation. `texture` is a smooth random field (about 1 ± 0.3) for tissue
 * heterogeneity; `fibres` an anisotropic one for muscle striation.
 *
 * @remarks
 * Walls follow the classic double-line pattern of B-mode carotid images (Pignoli et al. 1986,
 * Circulation 74:1399): a bright lumen–intima interface, a darker media, a bright
 * media–adventitia interface and a bright adventitia; specular interfaces are brighter where
 * they face the beam. Calcified plaque shadows what lies below it; the lumen attenuates less
 * than tissue, so tissue below it is enhanced.
 */
export function echoAmplitude(
  raster: SectionRaster,
  columns: number,
  rows: number,
  s: BmodeSettings,
  texture: Float32Array,
  fibres: Float32Array,
  out: Float32Array,
): void {
  const { tissue, aux, facing } = raster;
  const h = s.spacingMm;
  const perPixelTissueDb = (2 * TISSUE_ATTENUATION * s.frequencyMHz * h) / 10;
  const perPixelBloodDb = (2 * BLOOD_ATTENUATION * s.frequencyMHz * h) / 10;
  // Blood attenuates less than the tissue the TGC assumes: each blood pixel brightens what is below.
  const bloodStep = Math.pow(10, (perPixelTissueDb - perPixelBloodDb) / 20);
  const rowGain = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const depth = r * h;
    const db =
      s.gainDb +
      (s.tgcSlopeDbPerCm * depth) / 10 +
      s.tgcRippleDb * Math.sin((2 * Math.PI * depth) / s.tgcRipplePeriodMm);
    rowGain[r] = Math.pow(10, db / 20);
  }
  for (let c = 0; c < columns; c++) {
    const wave = Math.sin((2 * Math.PI * c * h) / 23 + s.layerPhase);
    const wave2 = Math.sin((2 * Math.PI * c * h) / 9.7 + 2 * s.layerPhase);
    const skin = s.skinMm * (1 + 0.1 * wave2);
    const fat = skin + s.fatMm * (1 + 0.15 * wave);
    const muscle = fat + s.muscleMm * (1 + 0.12 * wave2);
    let enhancement = 1;
    let shadow = 1;
    for (let r = 0; r < rows; r++) {
      const i = r * columns + c;
      const depth = r * h;
      const t = tissue[i]!;
      let e: number;
      let blood = false;
      switch (t) {
        case TISSUE.lumen:
          e = 0.035;
          blood = true;
          break;
        case TISSUE.vein:
          e = 0.03;
          blood = true;
          break;
        case TISSUE.intimaMedia: {
          const x = aux[i]!;
          const f = 0.35 + 0.65 * facing[i]!;
          e = (x < 0.22 ? 3 : x < 0.65 ? 0.5 : 3.6) * f;
          break;
        }
        case TISSUE.adventitia:
          e = (2.2 + 3 * (1 - aux[i]! / 0.8)) * (0.4 + 0.6 * facing[i]!);
          break;
        case TISSUE.plaqueHypoechoic:
          e = 0.28 * texture[i]!;
          break;
        case TISSUE.plaqueMixed:
          e = 0.3 + 1.3 * fibres[i]! * texture[i]!;
          break;
        case TISSUE.plaqueHyperechoic:
          e = 1.9 * texture[i]!;
          break;
        case TISSUE.plaqueCalcified:
          e = 4.5;
          shadow = Math.max(0.12, shadow * 0.93);
          break;
        default:
          if (depth < skin) e = 2.4;
          else if (depth < fat) e = 0.4 * texture[i]! + 1.2 * Math.max(0, fibres[i]! - 1.2);
          else if (depth < muscle) e = 0.65 * texture[i]! * (0.5 + 0.7 * fibres[i]!);
          else e = 0.85 * texture[i]!;
      }
      if (blood) enhancement *= bloodStep;
      out[i] = e * shadow * enhancement * rowGain[r]!;
    }
  }
}

/** A normalised 1D Gaussian kernel of standard deviation `sigma` pixels (radius 2.5σ, at least 1). */
function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(2.5 * sigma));
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const w = Math.exp(-(i * i) / (2 * sigma * sigma));
    k[i + radius] = w;
    sum += w;
  }
  for (let i = 0; i < k.length; i++) k[i] = k[i]! / sum;
  return k;
}

/**
 * Separable convolution of two images `a` and `b` (rows × columns) with `kx` along rows and
 * `ky` along columns, edges clamped; in place, `sa` and `sb` are scratch. Interior pixels take
 * a branch-free loop.
 */
function convolveSeparable2(
  a: Float32Array,
  b: Float32Array,
  columns: number,
  rows: number,
  kx: Float32Array,
  ky: Float32Array,
  sa: Float32Array,
  sb: Float32Array,
): void {
  const rx = (kx.length - 1) / 2;
  const ry = (ky.length - 1) / 2;
  for (let r = 0; r < rows; r++) {
    const row = r * columns;
    for (let c = 0; c < columns; c++) {
      let suma = 0;
      let sumb = 0;
      if (c >= rx && c < columns - rx) {
        const base = row + c - rx;
        for (let k = 0; k < kx.length; k++) {
          const w = kx[k]!;
          suma += w * a[base + k]!;
          sumb += w * b[base + k]!;
        }
      } else {
        for (let k = -rx; k <= rx; k++) {
          const cc = c + k < 0 ? 0 : c + k >= columns ? columns - 1 : c + k;
          const w = kx[k + rx]!;
          suma += w * a[row + cc]!;
          sumb += w * b[row + cc]!;
        }
      }
      sa[row + c] = suma;
      sb[row + c] = sumb;
    }
  }
  a.fill(0);
  b.fill(0);
  // Along columns as row-wise accumulation (contiguous memory): out row r += w · in row r + k.
  for (let r = 0; r < rows; r++) {
    const out = r * columns;
    for (let k = -ry; k <= ry; k++) {
      const rr = r + k < 0 ? 0 : r + k >= rows ? rows - 1 : r + k;
      const w = ky[k + ry]!;
      const src = rr * columns;
      for (let c = 0; c < columns; c++) {
        a[out + c]! += w * sa[src + c]!;
        b[out + c]! += w * sb[src + c]!;
      }
    }
  }
}

const IDENTITY = Float32Array.of(1);

/** The kernel of three successive boxes of radius `k` (length 6k + 1, sum 1). */
function tripleBoxKernel(k: number): Float32Array {
  const w = 2 * k + 1;
  let kernel = Float32Array.of(1);
  for (let pass = 0; pass < 3; pass++) {
    const next = new Float32Array(kernel.length + w - 1);
    for (let i = 0; i < kernel.length; i++)
      for (let j = 0; j < w; j++) next[i + j]! += kernel[i]! / w;
    kernel = next;
  }
  return kernel;
}

/**
 * Three passes of a running box mean of radius `k` along each row of `data`, in place (edges
 * clamped); `scratch` holds at least one row.
 */
function boxRows3(
  data: Float32Array,
  columns: number,
  rows: number,
  k: number,
  scratch: Float32Array,
): void {
  const w = 2 * k + 1;
  const last = columns - 1;
  for (let r = 0; r < rows; r++) {
    const row = r * columns;
    for (let pass = 0; pass < 3; pass++) {
      let sum = 0;
      for (let j = -k; j <= k; j++) sum += data[row + (j < 0 ? 0 : j > last ? last : j)]!;
      for (let c = 0; c < columns; c++) {
        scratch[c] = sum / w;
        const add = c + k + 1;
        const drop = c - k;
        sum += data[row + (add > last ? last : add)]! - data[row + (drop < 0 ? 0 : drop)]!;
      }
      for (let c = 0; c < columns; c++) data[row + c] = scratch[c]!;
    }
  }
}

/**
 * Fills `out` with standard normal deviates from a 65,536-entry inverse-CDF table, two per
 * 32-bit draw (the 16-bit halves index the table).
 */
export function fillNormal(out: Float32Array, table: Float64Array, next: () => number): void {
  const n = out.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const u = next();
    out[i] = table[u & 0xffff]!;
    out[i + 1] = table[u >>> 16]!;
  }
  if (i < n) out[i] = table[next() & 0xffff]!;
}

/**
 * Turns echo amplitudes into a displayed B-mode image in [0, 1]: the amplitude multiplies a
 * complex Gaussian scatterer field (`noiseRe`, `noiseIm`, standard normal), which is convolved
 * with a Gaussian point-spread function; its magnitude, the envelope, is Rayleigh-distributed
 * speckle with the PSF's correlation length (the fully developed speckle of Burckhardt 1978,
 * IEEE Trans Sonics Ultrason 25:1, and Wagner et al. 1983). An electronic noise floor is added,
 * then log compression over the dynamic range and a display gamma. `scratch`: four arrays of
 * `columns × rows` floats, overwritten.
 */
export function bmodeFromAmplitude(
  amplitude: Float32Array,
  noiseRe: Float32Array,
  noiseIm: Float32Array,
  columns: number,
  rows: number,
  s: BmodeSettings,
  out: Float32Array,
  scratch: readonly [Float32Array, Float32Array, Float32Array, Float32Array],
): void {
  const n = columns * rows;
  const [re, im, sa, sb] = scratch;
  for (let i = 0; i < n; i++) {
    re[i] = amplitude[i]! * noiseRe[i]!;
    im[i] = amplitude[i]! * noiseIm[i]!;
  }
  // Wide lateral PSFs: three box passes (variance k(k+1) each triple, Wells 1986) cost O(1)
  // per pixel where a Gaussian kernel costs O(σ); narrow ones keep the sampled Gaussian.
  const sigmaX = s.psfLateralMm / s.spacingMm;
  let kx: Float32Array;
  if (sigmaX >= 2) {
    const k = Math.max(1, Math.round((-1 + Math.sqrt(1 + 4 * sigmaX * sigmaX)) / 2));
    boxRows3(re, columns, rows, k, sa);
    boxRows3(im, columns, rows, k, sa);
    kx = tripleBoxKernel(k);
  } else kx = gaussianKernel(sigmaX);
  const ky = gaussianKernel(s.psfAxialMm / s.spacingMm);
  convolveSeparable2(re, im, columns, rows, sigmaX >= 2 ? IDENTITY : kx, ky, sa, sb);
  // Unit variance per component for unit amplitude: divide by the kernel's L2 norm.
  let l2x = 0;
  let l2y = 0;
  for (const w of kx) l2x += w * w;
  for (const w of ky) l2y += w * w;
  const norm2 = 1 / (l2x * l2y);
  const floor2 = s.noiseFloor * s.noiseFloor;
  const dr = s.dynamicRangeDb;
  for (let i = 0; i < n; i++) re[i] = (re[i]! * re[i]! + im[i]! * im[i]!) * norm2 + floor2;
  for (let pass = 0; pass < s.speckleReduction; pass++) smooth121(re, columns, rows, im);
  // Gamma through a table: 4096 steps are finer than the 8-bit output.
  const gammaLut = new Float32Array(4097);
  for (let j = 0; j <= 4096; j++) gammaLut[j] = Math.pow(j / 4096, s.gamma);
  for (let i = 0; i < n; i++) {
    const db = 10 * Math.log10(re[i]!) - HEADROOM_DB;
    let v = (db + dr) / dr;
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    out[i] = gammaLut[Math.round(v * 4096)]!;
  }
}

/** One pass of a separable [1 2 1]/4 filter over `data` in place (edges clamped); `scratch` is n floats. */
function smooth121(data: Float32Array, columns: number, rows: number, scratch: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const row = r * columns;
    for (let c = 0; c < columns; c++) {
      const l = data[row + (c > 0 ? c - 1 : c)]!;
      const m = data[row + c]!;
      const rr = data[row + (c < columns - 1 ? c + 1 : c)]!;
      scratch[row + c] = 0.25 * l + 0.5 * m + 0.25 * rr;
    }
  }
  for (let r = 0; r < rows; r++) {
    const up = (r > 0 ? r - 1 : r) * columns;
    const row = r * columns;
    const down = (r < rows - 1 ? r + 1 : r) * columns;
    for (let c = 0; c < columns; c++) {
      data[row + c] = 0.25 * scratch[up + c]! + 0.5 * scratch[row + c]! + 0.25 * scratch[down + c]!;
    }
  }
}

/**
 * A smooth random field ≈ `1 + amplitude·N(0,1)`-like, from white noise on a grid coarser by
 * `cellX`, `cellY` pixels, bilinearly interpolated: cheap tissue heterogeneity.
 */
export function smoothField(
  columns: number,
  rows: number,
  cellX: number,
  cellY: number,
  amplitude: number,
  table: Float64Array,
  next: () => number,
): Float32Array {
  const gw = Math.ceil(columns / cellX) + 2;
  const gh = Math.ceil(rows / cellY) + 2;
  const grid = new Float32Array(gw * gh);
  fillNormal(grid, table, next);
  const out = new Float32Array(columns * rows);
  for (let r = 0; r < rows; r++) {
    const gy = r / cellY;
    const y0 = Math.floor(gy);
    const fy = gy - y0;
    for (let c = 0; c < columns; c++) {
      const gx = c / cellX;
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const a = grid[y0 * gw + x0]!;
      const b = grid[y0 * gw + x0 + 1]!;
      const d = grid[(y0 + 1) * gw + x0]!;
      const e = grid[(y0 + 1) * gw + x0 + 1]!;
      const g = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
      out[r * columns + c] = Math.max(0.05, 1 + amplitude * g);
    }
  }
  return out;
}

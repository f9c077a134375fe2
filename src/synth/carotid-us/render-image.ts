import type { Vec3 } from '../../core/index.js';
import { gaussianTable } from '../kernels/gaussian-table.js';
import type { Random } from '../random.js';
import { round, toSectionModel } from './carotid-model.js';
import type { CarotidArteryModel, CarotidBranch } from './carotid-model.js';
import { bmodeFromAmplitude, echoAmplitude, fillNormal, smoothField } from './kernels/bmode.js';
import type { BmodeSettings } from './kernels/bmode.js';
import {
  LAYER,
  blitRegion,
  canvasToRgb,
  createCanvas,
  drawGlyphs,
  drawGreyBar,
  fillRect,
  strokeRect,
} from './kernels/canvas.js';
import type { Canvas } from './kernels/canvas.js';
import { rasterizeSection } from './kernels/carotid-section.js';
import type { ColourMap, UltrasoundScanner } from './scanners.js';
import { sectionPlane } from './views.js';
import type { ViewPlan } from './views.js';

/**
 * One rendered frame's motion: pulsation of the lumen and probe drift. Frame f's mask is the
 * model with every plaque-free lumen radius times `radiusScale` (plaque thickness and IMT
 * unchanged), cut by the view's plane moved by `shiftMm` (its origin + `shiftMm`).
 */
export interface FrameMotion {
  /** Lumen radius scale (systolic distension), dimensionless; 1 for single frames. */
  readonly radiusScale: number;
  /** Probe displacement in model space, mm. */
  readonly shiftMm: Vec3;
}

/** A rendered image: stored pixels and exact label masks, frame by frame. */
export interface RenderedImage {
  readonly columns: number;
  readonly rows: number;
  readonly samplesPerPixel: 1 | 3;
  /** Per frame: `rows × columns × samplesPerPixel` bytes. */
  readonly frames: readonly Uint8Array[];
  /** Per frame: `rows × columns` labels (0 background, 1 lumen, 2 wall). */
  readonly masks: readonly Uint8Array[];
  readonly motion: readonly FrameMotion[];
  readonly settings: BmodeSettings;
  /** Branches with lumen pixels in the first frame. */
  readonly branchesInView: readonly CarotidBranch[];
}

const BRANCHES: readonly CarotidBranch[] = ['cca', 'ica', 'eca'];

/** A 5 × 7 pseudo-font of 48 glyphs, fixed for all images (text-like blocks, not legible text). */
const FONT = ((): Uint8Array => {
  const font = new Uint8Array(48 * 35);
  let state = 0x2545f491;
  for (let i = 0; i < font.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    font[i] = (state >>> 0) % 100 < 42 ? 1 : 0;
  }
  return font;
})();

function drawTextLine(
  canvas: Canvas,
  r: Random,
  x: number,
  y: number,
  maxChars: number,
  scale: number,
  grey: number,
): void {
  const n = 3 + r.int(Math.max(1, maxChars - 3));
  const glyphs = Array.from({ length: n }, () => (r.next() < 0.15 ? -1 : r.int(48)));
  drawGlyphs(canvas, FONT, glyphs, x, y, scale, grey);
}

/** Draws the overlays of a vendor screen around the region: title, table, grey bar, ticks, focus. */
function drawOverlays(
  canvas: Canvas,
  r: Random,
  scanner: UltrasoundScanner,
  plan: ViewPlan,
  focusMm: number,
): void {
  const g = plan.geometry;
  const scale = canvas.columns >= 900 ? 2 : 1;
  if (scanner.titleBar) {
    fillRect(
      canvas,
      0,
      0,
      canvas.columns,
      Math.round(scanner.marginTop * 0.45),
      28,
      LAYER.graphics,
    );
    drawTextLine(canvas, r, 8, 6, 28, scale, 230);
    drawTextLine(canvas, r, canvas.columns - 30 * 6 * scale, 6, 24, scale, 200);
  }
  // Parameter table on the right: lines of text-like glyphs.
  const tableX = g.regionX0 + g.columns + 24 + r.int(16);
  const lines = 8 + r.int(9);
  const lineH = 10 * scale + 4;
  const tableY = scanner.marginTop + 8 + r.int(20);
  const maxChars = Math.max(4, Math.floor((canvas.columns - tableX - 8) / (6 * scale)));
  for (let i = 0; i < lines; i++) {
    const y = tableY + i * lineH;
    if (y + lineH > canvas.rows - 4) break;
    drawTextLine(canvas, r, tableX, y, Math.min(maxChars, 14), scale, r.next() < 0.3 ? 255 : 190);
  }
  // Grey bar next to the region or below the table.
  const barH = Math.min(Math.round(g.rows * 0.45), 220);
  const barX = r.next() < 0.5 ? g.regionX0 + g.columns + 8 : tableX;
  const barY =
    r.next() < 0.5 ? g.regionY0 : Math.min(canvas.rows - barH - 8, tableY + lines * lineH + 12);
  drawGreyBar(canvas, barX, barY, 8 + r.int(6), barH);
  // Depth ticks every 5 mm along the region's right edge (every 10 mm longer).
  const tickX = g.regionX0 + g.columns + 2;
  for (let mm = 0; mm <= g.rows * g.spacingMm; mm += 5) {
    const y = g.regionY0 + Math.round(mm / g.spacingMm);
    fillRect(canvas, tickX, y, mm % 10 === 0 ? 5 : 3, 1, 220, LAYER.graphics);
  }
  // Focus marker: a small triangle left of the region.
  const fy = g.regionY0 + Math.round(focusMm / g.spacingMm);
  for (let i = 0; i < 5; i++)
    fillRect(canvas, g.regionX0 - 8 + i, fy - (4 - i), 1, 2 * (4 - i) + 1, 235, LAYER.graphics);
  if (scanner.regionFrame)
    strokeRect(canvas, g.regionX0 - 1, g.regionY0 - 1, g.columns + 2, g.rows + 2, 120);
  if (r.next() < 0.4) strokeRect(canvas, 0, 0, canvas.columns, canvas.rows, 90);
}

/** Draws the B-mode settings of one image (all from `r`). */
function drawSettings(r: Random, plan: ViewPlan): BmodeSettings {
  const f = plan.frequencyMHz;
  return {
    spacingMm: plan.geometry.spacingMm,
    frequencyMHz: f,
    dynamicRangeDb: round(r.uniform(48, 66), 2),
    gainDb: round(r.uniform(-7, 6), 2),
    gamma: round(r.uniform(0.75, 1.35), 3),
    tgcSlopeDbPerCm: round(r.uniform(-2.5, 2.5), 3),
    tgcRippleDb: round(r.uniform(0, 2.5), 3),
    tgcRipplePeriodMm: round(r.uniform(12, 30), 3),
    psfAxialMm: round(r.uniform(0.07, 0.1) * (10 / f), 4),
    psfLateralMm: round(r.uniform(0.17, 0.27) * (10 / f), 4),
    noiseFloor: round(r.uniform(0.01, 0.05), 4),
    speckleReduction: r.int(3),
    skinMm: round(r.uniform(1, 2), 3),
    fatMm: round(r.uniform(1.5, 6), 3),
    muscleMm: round(r.uniform(4, 9), 3),
    layerPhase: round(r.uniform(0, 2 * Math.PI), 4),
  };
}

/**
 * Renders one view of `model`: the exact label masks of the plane and a B-mode-like image
 * (speckle, attenuation, TGC, gain, log compression) inside a vendor-like screen layout,
 * grey or colour-mapped; a cine loop gets pulsating lumen radii and a slight probe drift.
 */
export function renderImage(
  r: Random,
  model: CarotidArteryModel,
  plan: ViewPlan,
  scanner: UltrasoundScanner,
  colourMap: ColourMap,
): RenderedImage {
  const section = toSectionModel(model);
  const settings = drawSettings(r, plan);
  const g = plan.geometry;
  const n = g.columns * g.rows;
  const table = gaussianTable();
  const next = r.nextUint32;
  const texture = smoothField(
    g.columns,
    g.rows,
    Math.max(2, Math.round(1.2 / g.spacingMm)),
    Math.max(2, Math.round(0.8 / g.spacingMm)),
    0.3,
    table,
    next,
  );
  const fibres = smoothField(
    g.columns,
    g.rows,
    Math.max(2, Math.round(3 / g.spacingMm)),
    Math.max(2, Math.round(0.35 / g.spacingMm)),
    0.35,
    table,
    next,
  );
  const noiseRe = new Float32Array(n);
  const noiseIm = new Float32Array(n);
  fillNormal(noiseRe, table, next);
  fillNormal(noiseIm, table, next);
  const focusMm = round(plan.vesselDepthMm + r.uniform(-3, 5), 2);
  const pulse = r.uniform(0.03, 0.06);
  const drift = [r.uniform(-0.3, 0.3), r.uniform(-0.2, 0.2)] as const;
  const canvasTemplate = createCanvas(scanner.columns, scanner.rows);
  drawOverlays(canvasTemplate, r, scanner, plan, focusMm);
  const mapIndex = colourMap === 'sepia' ? 1 : colourMap === 'blue' ? 2 : 0;
  const textRgb =
    colourMap === 'grey'
      ? [255, 255, 255]
      : r.pick([
          [255, 255, 255],
          [255, 235, 120],
          [150, 235, 255],
        ]);
  const samplesPerPixel = colourMap === 'grey' ? 1 : 3;

  const frames: Uint8Array[] = [];
  const masks: Uint8Array[] = [];
  const motion: FrameMotion[] = [];
  let branchesInView: CarotidBranch[] = [];
  const amplitude = new Float32Array(n);
  const display = new Float32Array(n);
  const fresh = new Float32Array(n);
  const scratch = [
    new Float32Array(n),
    new Float32Array(n),
    new Float32Array(n),
    new Float32Array(n),
  ] as const;
  for (let f = 0; f < plan.frames; f++) {
    const phase = plan.frames === 1 ? 0 : f / plan.frames;
    // Systolic distension: a Gaussian pulse early in the cycle.
    const radiusScale =
      plan.frames === 1 ? 1 : round(1 + pulse * Math.exp(-(((phase - 0.2) / 0.12) ** 2)), 6);
    const t = Math.sin(2 * Math.PI * phase);
    const shiftMm: Vec3 =
      plan.frames === 1
        ? [0, 0, 0]
        : [
            round(drift[0] * t * g.u[0] + drift[1] * t * g.v[0], 6),
            round(drift[0] * t * g.u[1] + drift[1] * t * g.v[1], 6),
            round(drift[0] * t * g.u[2] + drift[1] * t * g.v[2], 6),
          ];
    const raster = rasterizeSection(section, sectionPlane(g, shiftMm), radiusScale);
    if (f === 0)
      branchesInView = BRANCHES.filter((_, i) => (raster.lumenPixelsPerBranch[i] ?? 0) > 0);
    if (f > 0) {
      // Speckle decorrelates partly between frames.
      const keep = 0.9;
      const add = Math.sqrt(1 - keep * keep);
      fillNormal(fresh, table, next);
      for (let i = 0; i < n; i++) noiseRe[i] = keep * (noiseRe[i] ?? 0) + add * (fresh[i] ?? 0);
      fillNormal(fresh, table, next);
      for (let i = 0; i < n; i++) noiseIm[i] = keep * (noiseIm[i] ?? 0) + add * (fresh[i] ?? 0);
    }
    echoAmplitude(raster, g.columns, g.rows, settings, texture, fibres, amplitude);
    bmodeFromAmplitude(amplitude, noiseRe, noiseIm, g.columns, g.rows, settings, display, scratch);
    const canvas = {
      columns: canvasTemplate.columns,
      rows: canvasTemplate.rows,
      grey: canvasTemplate.grey.slice(),
      layer: canvasTemplate.layer.slice(),
    };
    blitRegion(canvas, display, g.columns, g.rows, g.regionX0, g.regionY0);
    frames.push(samplesPerPixel === 1 ? canvas.grey : canvasToRgb(canvas, mapIndex, textRgb));
    const mask = new Uint8Array(scanner.columns * scanner.rows);
    for (let row = 0; row < g.rows; row++) {
      mask.set(
        raster.labels.subarray(row * g.columns, (row + 1) * g.columns),
        (g.regionY0 + row) * scanner.columns + g.regionX0,
      );
    }
    masks.push(mask);
    motion.push({ radiusScale, shiftMm });
  }
  return {
    columns: scanner.columns,
    rows: scanner.rows,
    samplesPerPixel,
    frames,
    masks,
    motion,
    settings,
    branchesInView,
  };
}

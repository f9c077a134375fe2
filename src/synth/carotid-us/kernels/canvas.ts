/**
 * A stored-image canvas being drawn: grey levels and, per pixel, which layer drew it (the
 * ultrasound region is colour-mapped; overlays keep their own colour in RGB output).
 */
export interface Canvas {
  readonly columns: number;
  readonly rows: number;
  /** Grey level 0..255 per pixel. */
  readonly grey: Uint8Array;
  /** 0: background, 1: ultrasound region (colour-mapped), 2: text, 3: graphics (ticks, frames). */
  readonly layer: Uint8Array;
}

/** Codes of {@link Canvas.layer}. */
export const LAYER = { background: 0, region: 1, text: 2, graphics: 3 } as const;

/** A new black canvas. */
export function createCanvas(columns: number, rows: number): Canvas {
  return {
    columns,
    rows,
    grey: new Uint8Array(columns * rows),
    layer: new Uint8Array(columns * rows),
  };
}

/** Fills a rectangle (clipped to the canvas). */
export function fillRect(
  canvas: Canvas,
  x0: number,
  y0: number,
  width: number,
  height: number,
  grey: number,
  layer: number,
): void {
  const xa = Math.max(0, Math.floor(x0));
  const ya = Math.max(0, Math.floor(y0));
  const xb = Math.min(canvas.columns, Math.floor(x0 + width));
  const yb = Math.min(canvas.rows, Math.floor(y0 + height));
  for (let y = ya; y < yb; y++) {
    for (let x = xa; x < xb; x++) {
      canvas.grey[y * canvas.columns + x] = grey;
      canvas.layer[y * canvas.columns + x] = layer;
    }
  }
}

/** A one-pixel rectangle outline. */
export function strokeRect(
  canvas: Canvas,
  x0: number,
  y0: number,
  width: number,
  height: number,
  grey: number,
): void {
  fillRect(canvas, x0, y0, width, 1, grey, LAYER.graphics);
  fillRect(canvas, x0, y0 + height - 1, width, 1, grey, LAYER.graphics);
  fillRect(canvas, x0, y0, 1, height, grey, LAYER.graphics);
  fillRect(canvas, x0 + width - 1, y0, 1, height, grey, LAYER.graphics);
}

/** Copies a displayed region (values in [0, 1]) into the canvas at (x0, y0). */
export function blitRegion(
  canvas: Canvas,
  region: Float32Array,
  columns: number,
  rows: number,
  x0: number,
  y0: number,
): void {
  for (let r = 0; r < rows; r++) {
    const at = (y0 + r) * canvas.columns + x0;
    for (let c = 0; c < columns; c++) {
      canvas.grey[at + c] = Math.round(region[r * columns + c]! * 255);
      canvas.layer[at + c] = LAYER.region;
    }
  }
}

/**
 * Draws a line of text-like glyphs: each glyph a 5 × 7 bit pattern from `font` (35 bits per
 * glyph, bit i = row ⌊i/5⌋, column i mod 5), scaled by `scale`, 1 pixel apart.
 */
export function drawGlyphs(
  canvas: Canvas,
  font: Uint8Array,
  glyphs: readonly number[],
  x0: number,
  y0: number,
  scale: number,
  grey: number,
): void {
  let x = x0;
  for (const g of glyphs) {
    if (g >= 0) {
      for (let bit = 0; bit < 35; bit++) {
        if (font[g * 35 + bit] === 1) {
          fillRect(
            canvas,
            x + (bit % 5) * scale,
            y0 + Math.floor(bit / 5) * scale,
            scale,
            scale,
            grey,
            LAYER.text,
          );
        }
      }
    }
    x += 6 * scale;
  }
}

/** A vertical grey bar from white (top) to black (bottom), in the region's colour map. */
export function drawGreyBar(
  canvas: Canvas,
  x0: number,
  y0: number,
  width: number,
  height: number,
): void {
  for (let y = 0; y < height; y++) {
    const v = Math.round(255 * (1 - y / Math.max(1, height - 1)));
    fillRect(canvas, x0, y0 + y, width, 1, v, LAYER.region);
  }
}

/** RGB of grey level `g` (0..255) in a colour map: 0 grey, 1 sepia, 2 blue tint. */
function mapColour(map: number, g: number, out: Uint8Array, at: number): void {
  const v = g / 255;
  if (map === 1) {
    out[at] = Math.round(255 * Math.min(1, v * 1.08));
    out[at + 1] = Math.round(255 * Math.pow(v, 1.12) * 0.9);
    out[at + 2] = Math.round(255 * Math.pow(v, 1.45) * 0.72);
  } else if (map === 2) {
    out[at] = Math.round(255 * Math.pow(v, 1.3) * 0.82);
    out[at + 1] = Math.round(255 * Math.pow(v, 1.08) * 0.93);
    out[at + 2] = Math.round(255 * Math.min(1, Math.pow(v, 0.85) * 1.05));
  } else {
    out[at] = g;
    out[at + 1] = g;
    out[at + 2] = g;
  }
}

/**
 * The canvas as interleaved RGB: the region layer through colour map `map` (0 grey, 1 sepia,
 * 2 blue tint), text in `textRgb` scaled by its grey level, graphics and background grey.
 */
export function canvasToRgb(canvas: Canvas, map: number, textRgb: readonly number[]): Uint8Array {
  const n = canvas.columns * canvas.rows;
  const out = new Uint8Array(3 * n);
  const lut = new Uint8Array(3 * 256);
  for (let g = 0; g < 256; g++) mapColour(map, g, lut, 3 * g);
  const [tr = 255, tg = 255, tb = 255] = textRgb;
  for (let i = 0; i < n; i++) {
    const g = canvas.grey[i]!;
    const layer = canvas.layer[i]!;
    if (layer === LAYER.region) {
      out[3 * i] = lut[3 * g]!;
      out[3 * i + 1] = lut[3 * g + 1]!;
      out[3 * i + 2] = lut[3 * g + 2]!;
    } else if (layer === LAYER.text) {
      out[3 * i] = Math.round((tr * g) / 255);
      out[3 * i + 1] = Math.round((tg * g) / 255);
      out[3 * i + 2] = Math.round((tb * g) / 255);
    } else {
      out[3 * i] = g;
      out[3 * i + 1] = g;
      out[3 * i + 2] = g;
    }
  }
  return out;
}

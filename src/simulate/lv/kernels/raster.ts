/**
 * A tiny RGBA rasteriser for charts: anti-aliased thick line segments (coverage from the distance
 * to the segment), filled rectangles and a 5×7 bitmap font. Enough to draw a PV-loop chart as PNG
 * without a canvas library.
 */

/** An RGBA image, 8 bits per channel, rows top to bottom. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** A white image of the given size. */
export function createRgba(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4).fill(255);
  return { width, height, data };
}

function blend(
  img: RgbaImage,
  x: number,
  y: number,
  r: number,
  g: number,
  b: number,
  a: number,
): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height || a <= 0) return;
  const i = (y * img.width + x) * 4;
  const d = img.data;
  const k = a > 1 ? 1 : a;
  d[i] = Math.round(d[i]! + (r - d[i]!) * k);
  d[i + 1] = Math.round(d[i + 1]! + (g - d[i + 1]!) * k);
  d[i + 2] = Math.round(d[i + 2]! + (b - d[i + 2]!) * k);
  d[i + 3] = 255;
}

/** Draws a segment of `lineWidth` pixels, anti-aliased over one pixel, colour `r, g, b` (0–255). */
export function drawSegment(
  img: RgbaImage,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  lineWidth: number,
  r: number,
  g: number,
  b: number,
): void {
  const half = lineWidth / 2;
  const x0 = Math.max(0, Math.floor(Math.min(x1, x2) - half - 1));
  const xe = Math.min(img.width - 1, Math.ceil(Math.max(x1, x2) + half + 1));
  const y0 = Math.max(0, Math.floor(Math.min(y1, y2) - half - 1));
  const ye = Math.min(img.height - 1, Math.ceil(Math.max(y1, y2) + half + 1));
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  for (let y = y0; y <= ye; y++) {
    for (let x = x0; x <= xe; x++) {
      const px = x + 0.5 - x1;
      const py = y + 0.5 - y1;
      let t = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px - t * dx;
      const ey = py - t * dy;
      const dist = Math.sqrt(ex * ex + ey * ey);
      const cover = half + 0.5 - dist;
      if (cover > 0) blend(img, x, y, r, g, b, cover);
    }
  }
}

/** Fills an axis-aligned rectangle (pixel coordinates, rounded). */
export function fillRect(
  img: RgbaImage,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
  g: number,
  b: number,
): void {
  const xa = Math.max(0, Math.round(x));
  const ya = Math.max(0, Math.round(y));
  const xb = Math.min(img.width, Math.round(x + w));
  const yb = Math.min(img.height, Math.round(y + h));
  for (let yy = ya; yy < yb; yy++) for (let xx = xa; xx < xb; xx++) blend(img, xx, yy, r, g, b, 1);
}

// 5×7 glyphs, one string of 35 cells per character ('#' set), rows top to bottom.
const FONT: Readonly<Record<string, string>> = {
  '0': '.###.#...##..###.#.###..##...#.###.',
  '1': '..#...##....#....#....#....#...###.',
  '2': '.###.#...#....#...#...#...#...#####',
  '3': '#####...#...#.....#.....##...#.###.',
  '4': '...#...##..#.#.#..#.#####...#....#.',
  '5': '######....####.....#....##...#.###.',
  '6': '..##..#...#....####.#...##...#.###.',
  '7': '#####....#...#...#...#....#....#...',
  '8': '.###.#...##...#.###.#...##...#.###.',
  '9': '.###.#...##...#.####....#...#..##..',
  A: '.###.#...##...#######...##...##...#',
  B: '####.#...##...#####.#...##...#####.',
  C: '.###.#...##....#....#....#...#.###.',
  D: '###..#..#.#...##...##...##..#.###..',
  E: '######....#....####.#....#....#####',
  F: '######....#....####.#....#....#....',
  G: '.###.#...##....#.####...##...#.####',
  H: '#...##...##...#######...##...##...#',
  I: '.###...#....#....#....#....#...###.',
  J: '..###...#....#....#....#.#..#..##..',
  K: '#...##..#.#.#..##...#.#..#..#.#...#',
  L: '#....#....#....#....#....#....#####',
  M: '#...###.###.#.##.#.##...##...##...#',
  N: '#...##...###..##.#.##..###...##...#',
  O: '.###.#...##...##...##...##...#.###.',
  P: '####.#...##...#####.#....#....#....',
  Q: '.###.#...##...##...##.#.##..#..##.#',
  R: '####.#...##...#####.#.#..#..#.#...#',
  S: '.#####....#.....###.....#....#####.',
  T: '#####..#....#....#....#....#....#..',
  U: '#...##...##...##...##...##...#.###.',
  V: '#...##...##...##...##...#.#.#...#..',
  W: '#...##...##...##.#.##.#.##.#.#.#.#.',
  X: '#...##...#.#.#...#...#.#.#...##...#',
  Y: '#...##...#.#.#...#....#....#....#..',
  Z: '#####....#...#...#...#...#....#####',
  '.': '..........................##...##..',
  ',': '.....................##....#...#...',
  '-': '...............#####...............',
  '+': '.......#....#..#####..#....#.......',
  '(': '...#...#...#....#....#.....#.....#.',
  ')': '.#.....#.....#....#....#...#...#...',
  '/': '.........#...#...#...#...#.........',
  ':': '......##...##........##...##.......',
  '%': '##...##..#...#...#...#...#..##...##',
  '=': '..........#####.....#####..........',
  '×': '.....#...#.#.#...#...#.#.#...#.....',
  ' ': '...................................',
};

/** Width in pixels of `text` at `scale` (6 cells per character, the last column blank). */
export function textWidth(text: string, scale: number): number {
  return Math.max(0, text.length * 6 - 1) * scale;
}

/**
 * Draws `text` with its top-left corner at (x, y), each font cell `scale` pixels; with `vertical`
 * the text runs bottom to top (rotated −90°) with (x, y) its bottom-left corner. Lower case is
 * drawn as upper case; characters without a glyph as blanks.
 */
export function drawText(
  img: RgbaImage,
  text: string,
  x: number,
  y: number,
  scale: number,
  vertical: boolean,
  r: number,
  g: number,
  b: number,
): void {
  let pen = 0;
  for (const ch of text.toUpperCase()) {
    const glyph = FONT[ch] ?? FONT[' '] ?? '';
    for (let row = 0; row < 7; row++) {
      for (let col = 0; col < 5; col++) {
        if (glyph[row * 5 + col] !== '#') continue;
        const u = pen + col * scale;
        const v = row * scale;
        const px = vertical ? x + v : x + u;
        const py = vertical ? y - u - scale : y + v;
        fillRect(img, px, py, scale, scale, r, g, b);
      }
    }
    pen += 6 * scale;
  }
}

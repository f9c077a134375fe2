import { PlatformError } from '../../core/index.js';
import { createRgba, drawSegment, drawText, fillRect, textWidth } from './kernels/raster.js';
import type { RgbaImage } from './kernels/raster.js';

/** One PV loop to draw. */
export interface PvLoopSeries {
  /** Legend text. */
  readonly label: string;
  /** LV volume samples [mL]. */
  readonly v: ArrayLike<number>;
  /** LV pressure samples [mmHg], same length as `v`. */
  readonly p: ArrayLike<number>;
  /** ESPVR line `P = Emax·(V − V0)` drawn dashed in the loop's colour. */
  readonly espvr?: { readonly emax: number; readonly v0: number };
  /** Colour `#rrggbb`; default from a palette. */
  readonly color?: string;
}

/** Options of {@link pvLoopChart}. */
export interface PvChartOptions {
  /** Title above the plot. */
  readonly title?: string;
  /**
   * Size in pixels.
   * @defaultValue 720
   */
  readonly width?: number;
  /** @defaultValue 540 */
  readonly height?: number;
}

/** A drawing primitive of a chart, in pixel coordinates (origin top left). */
export type PvChartPrimitive =
  | {
      readonly kind: 'line';
      readonly points: readonly number[];
      readonly color: string;
      readonly width: number;
      readonly dash?: number;
    }
  | {
      readonly kind: 'rect';
      readonly x: number;
      readonly y: number;
      readonly w: number;
      readonly h: number;
      readonly fill: string;
    }
  | {
      readonly kind: 'text';
      readonly x: number;
      readonly y: number;
      readonly text: string;
      readonly size: number;
      readonly anchor: 'start' | 'middle' | 'end';
      readonly color: string;
      readonly vertical?: boolean;
    };

/** A chart as primitives: rendered to SVG by {@link chartToSvg} and to pixels by {@link rasterizeChart}. */
export interface PvChart {
  readonly width: number;
  readonly height: number;
  readonly primitives: readonly PvChartPrimitive[];
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

/** A "nice" tick step (1, 2 or 5 × 10^k) giving about `count` ticks over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * Lays out before/after PV loops on one chart: axes with ticks (volume [mL] horizontally, pressure
 * [mmHg] vertically), grid, one closed loop per series, dashed ESPVR lines and a legend.
 *
 * @throws `PlatformError` `ERR_SIMULATE_INPUT` when a series has no samples or mismatched arrays.
 */
export function pvLoopChart(
  series: readonly PvLoopSeries[],
  options: PvChartOptions = {},
): PvChart {
  const width = options.width ?? 720;
  const height = options.height ?? 540;
  if (series.length === 0) throw new PlatformError('ERR_SIMULATE_INPUT', 'no PV loop to draw');
  let vMin = Infinity;
  let vMax = -Infinity;
  let pMax = 0;
  for (const s of series) {
    if (s.v.length === 0 || s.v.length !== s.p.length)
      throw new PlatformError(
        'ERR_SIMULATE_INPUT',
        `PV loop "${s.label}" needs equally long, non-empty volume and pressure arrays`,
      );
    for (let i = 0; i < s.v.length; i++) {
      const v = s.v[i] ?? 0;
      const p = s.p[i] ?? 0;
      vMin = Math.min(vMin, v);
      vMax = Math.max(vMax, v);
      pMax = Math.max(pMax, p);
    }
  }
  // Volume axis from 0 (or below, for negative V0) so the ESPVR intercepts show.
  const v0Min = Math.min(0, ...series.map((s) => s.espvr?.v0 ?? 0));
  const xStep = niceStep(vMax - v0Min, 6);
  const x0 = Math.floor(v0Min / xStep) * xStep;
  const x1 = Math.ceil((vMax + 0.05 * (vMax - vMin)) / xStep) * xStep;
  const yStep = niceStep(pMax * 1.1, 6);
  const y1 = Math.ceil((pMax * 1.1) / yStep) * yStep;
  const left = 76;
  const right = width - 24;
  const top = options.title === undefined ? 24 : 48;
  const bottom = height - 60;
  const sx = (v: number): number => left + ((v - x0) / (x1 - x0)) * (right - left);
  const sy = (p: number): number => bottom - (p / y1) * (bottom - top);

  const prims: PvChartPrimitive[] = [
    { kind: 'rect', x: 0, y: 0, w: width, h: height, fill: '#ffffff' },
  ];
  if (options.title !== undefined) {
    prims.push({
      kind: 'text',
      x: width / 2,
      y: 16,
      text: options.title,
      size: 3,
      anchor: 'middle',
      color: '#000000',
    });
  }
  for (let v = x0; v <= x1 + 1e-9; v += xStep) {
    const x = sx(v);
    prims.push({ kind: 'line', points: [x, top, x, bottom], color: '#e5e5e5', width: 1 });
    prims.push({ kind: 'line', points: [x, bottom, x, bottom + 5], color: '#000000', width: 1 });
    prims.push({
      kind: 'text',
      x,
      y: bottom + 10,
      text: fmt(v),
      size: 2,
      anchor: 'middle',
      color: '#000000',
    });
  }
  for (let p = 0; p <= y1 + 1e-9; p += yStep) {
    const y = sy(p);
    prims.push({ kind: 'line', points: [left, y, right, y], color: '#e5e5e5', width: 1 });
    prims.push({ kind: 'line', points: [left - 5, y, left, y], color: '#000000', width: 1 });
    prims.push({
      kind: 'text',
      x: left - 8,
      y: y - 7,
      text: fmt(p),
      size: 2,
      anchor: 'end',
      color: '#000000',
    });
  }
  prims.push({
    kind: 'line',
    points: [left, top, left, bottom, right, bottom],
    color: '#000000',
    width: 1.5,
  });
  prims.push({
    kind: 'text',
    x: (left + right) / 2,
    y: height - 28,
    text: 'LV volume (mL)',
    size: 2,
    anchor: 'middle',
    color: '#000000',
  });
  prims.push({
    kind: 'text',
    x: 14,
    y: (top + bottom) / 2,
    text: 'LV pressure (mmHg)',
    size: 2,
    anchor: 'middle',
    color: '#000000',
    vertical: true,
  });

  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length] ?? '#000000';
    if (s.espvr !== undefined) {
      const { emax, v0 } = s.espvr;
      const vTop = Math.min(x1, v0 + y1 / emax);
      prims.push({
        kind: 'line',
        points: [sx(v0), sy(0), sx(vTop), sy(emax * (vTop - v0))],
        color,
        width: 1.5,
        dash: 6,
      });
    }
    const points: number[] = [];
    for (let i = 0; i < s.v.length; i++) points.push(sx(s.v[i] ?? 0), sy(s.p[i] ?? 0));
    points.push(points[0] ?? 0, points[1] ?? 0);
    prims.push({ kind: 'line', points, color, width: 2.5 });
  });
  // Legend in the top-right corner on a white box, sized to the longest label.
  const labelWidth = Math.max(...series.map((s) => textWidth(s.label, 2)));
  const lx = right - labelWidth - 52;
  prims.push({
    kind: 'rect',
    x: lx - 8,
    y: top + 4,
    w: labelWidth + 56,
    h: series.length * 22 + 8,
    fill: '#ffffff',
  });
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length] ?? '#000000';
    const ly = top + 10 + k * 22;
    prims.push({ kind: 'line', points: [lx, ly + 7, lx + 28, ly + 7], color, width: 3 });
    prims.push({
      kind: 'text',
      x: lx + 36,
      y: ly,
      text: s.label,
      size: 2,
      anchor: 'start',
      color: '#000000',
    });
  });
  return { width, height, primitives: prims };
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const r1 = (x: number): string => (Math.round(x * 10) / 10).toString();

/** Renders a chart as a standalone SVG document (text in sans-serif, 7 px per font cell). */
export function chartToSvg(chart: PvChart): string {
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${chart.width}" height="${chart.height}" viewBox="0 0 ${chart.width} ${chart.height}" font-family="Helvetica, Arial, sans-serif">`,
  ];
  for (const p of chart.primitives) {
    switch (p.kind) {
      case 'rect':
        out.push(
          `<rect x="${r1(p.x)}" y="${r1(p.y)}" width="${r1(p.w)}" height="${r1(p.h)}" fill="${p.fill}"/>`,
        );
        break;
      case 'line': {
        const pts: string[] = [];
        for (let i = 0; i + 1 < p.points.length; i += 2)
          pts.push(`${r1(p.points[i] ?? 0)},${r1(p.points[i + 1] ?? 0)}`);
        const dash = p.dash === undefined ? '' : ` stroke-dasharray="${p.dash} ${p.dash}"`;
        out.push(
          `<polyline points="${pts.join(' ')}" fill="none" stroke="${p.color}" stroke-width="${p.width}" stroke-linejoin="round"${dash}/>`,
        );
        break;
      }
      case 'text': {
        const size = p.size * 7;
        // Primitive y is the top of the text; SVG y is the baseline.
        const transform =
          p.vertical === true ? ` transform="rotate(-90 ${r1(p.x + size)} ${r1(p.y)})"` : '';
        const x = p.vertical === true ? p.x + size : p.x;
        const y = p.vertical === true ? p.y : p.y + size;
        out.push(
          `<text x="${r1(x)}" y="${r1(y)}" font-size="${size}" text-anchor="${p.anchor}" fill="${p.color}"${transform}>${escapeXml(p.text)}</text>`,
        );
        break;
      }
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function rgb(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  const n = m?.[1] === undefined ? 0 : parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Rasterises a chart to RGBA pixels (anti-aliased lines, 5×7 bitmap font), e.g. for PNG. */
export function rasterizeChart(chart: PvChart): RgbaImage {
  const img = createRgba(chart.width, chart.height);
  for (const p of chart.primitives) {
    switch (p.kind) {
      case 'rect': {
        const [r, g, b] = rgb(p.fill);
        fillRect(img, p.x, p.y, p.w, p.h, r, g, b);
        break;
      }
      case 'line': {
        const [r, g, b] = rgb(p.color);
        for (let i = 0; i + 3 < p.points.length; i += 2) {
          const ax = p.points[i] ?? 0;
          const ay = p.points[i + 1] ?? 0;
          const bx = p.points[i + 2] ?? 0;
          const by = p.points[i + 3] ?? 0;
          if (p.dash === undefined) {
            drawSegment(img, ax, ay, bx, by, p.width, r, g, b);
            continue;
          }
          const len = Math.hypot(bx - ax, by - ay);
          for (let s = 0; s < len; s += 2 * p.dash) {
            const e = Math.min(len, s + p.dash);
            drawSegment(
              img,
              ax + ((bx - ax) * s) / len,
              ay + ((by - ay) * s) / len,
              ax + ((bx - ax) * e) / len,
              ay + ((by - ay) * e) / len,
              p.width,
              r,
              g,
              b,
            );
          }
        }
        break;
      }
      case 'text': {
        const [r, g, b] = rgb(p.color);
        const w = textWidth(p.text, p.size);
        const shift = p.anchor === 'start' ? 0 : p.anchor === 'middle' ? w / 2 : w;
        if (p.vertical === true) drawText(img, p.text, p.x, p.y + shift, p.size, true, r, g, b);
        else drawText(img, p.text, p.x - shift, p.y, p.size, false, r, g, b);
        break;
      }
    }
  }
  return img;
}

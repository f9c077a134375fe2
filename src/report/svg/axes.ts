import { escapeHtml, formatNumber } from '../html.js';
import type { BandScale, LinearScale } from './scales.js';
import { ticks } from './scales.js';
import { element, textElement, tooltip, truncate } from './svg.js';

const AXIS_COLOUR = '#5f6368';
const GRID_COLOUR = '#e8eaed';

/** Options of {@link leftAxis}. */
export interface LeftAxisOptions {
  /** Left edge of the plot area, where the axis line is drawn, in pixels. */
  readonly x: number;
  /** Right edge of the plot area, for grid lines across it; no grid lines when absent. */
  readonly gridTo?: number;
  /** Approximate tick count. @defaultValue 5 */
  readonly count?: number;
  /** Axis title, drawn rotated along the axis. */
  readonly label?: string;
}

/** A vertical numeric axis with ticks, labels and optional horizontal grid lines. */
export function leftAxis(scale: LinearScale, options: LeftAxisOptions): string {
  const { x } = options;
  const [top, bottom] = [Math.min(...scale.range), Math.max(...scale.range)];
  let out = element('line', { x1: x, x2: x, y1: top, y2: bottom, stroke: AXIS_COLOUR });
  for (const t of ticks(scale.domain, options.count ?? 5)) {
    const y = scale(t);
    if (options.gridTo !== undefined) {
      out += element('line', { x1: x, x2: options.gridTo, y1: y, y2: y, stroke: GRID_COLOUR });
    }
    out += element('line', { x1: x - 4, x2: x, y1: y, y2: y, stroke: AXIS_COLOUR });
    out += textElement(formatNumber(t), {
      x: x - 6,
      y: y + 3.5,
      'text-anchor': 'end',
      fill: AXIS_COLOUR,
    });
  }
  if (options.label !== undefined) {
    const cy = (top + bottom) / 2;
    out += textElement(options.label, {
      x: 12, // the SVG's left edge, whatever the margin: tick labels take the room in between
      y: cy,
      transform: `rotate(-90 12 ${cy})`,
      'text-anchor': 'middle',
      fill: AXIS_COLOUR,
    });
  }
  return out;
}

/** Options of {@link bottomAxis}. */
export interface BottomAxisOptions {
  /** Bottom edge of the plot area, where the axis line is drawn, in pixels. */
  readonly y: number;
  /** Approximate tick count. @defaultValue 5 */
  readonly count?: number;
  /** Axis title, drawn centred below the tick labels. */
  readonly label?: string;
  /** Formats tick values. @defaultValue `formatNumber` */
  readonly format?: (value: number) => string;
  /** Keeps only integer ticks, for counts and orders. */
  readonly integer?: boolean;
}

/** A horizontal numeric axis with ticks and labels. */
export function bottomAxis(scale: LinearScale, options: BottomAxisOptions): string {
  const { y } = options;
  const [left, right] = [Math.min(...scale.range), Math.max(...scale.range)];
  const format = options.format ?? formatNumber;
  let out = element('line', { x1: left, x2: right, y1: y, y2: y, stroke: AXIS_COLOUR });
  for (const t of ticks(scale.domain, options.count ?? 5)) {
    if (options.integer === true && !Number.isInteger(t)) continue;
    const x = scale(t);
    out += element('line', { x1: x, x2: x, y1: y, y2: y + 4, stroke: AXIS_COLOUR });
    out += textElement(format(t), { x, y: y + 15, 'text-anchor': 'middle', fill: AXIS_COLOUR });
  }
  if (options.label !== undefined) {
    out += textElement(options.label, {
      x: (left + right) / 2,
      y: y + 29,
      'text-anchor': 'middle',
      fill: AXIS_COLOUR,
    });
  }
  return out;
}

/** Options of {@link bandAxis}. */
export interface BandAxisOptions {
  /** Bottom edge of the plot area, in pixels. */
  readonly y: number;
  /**
   * Longest label drawn before it is shortened with an ellipsis (full text in a tooltip).
   * @defaultValue as many characters as fit in one band step, at about 6.5 px each
   */
  readonly maxChars?: number;
  /** Second, muted line under each label, e.g. `n = 12`. */
  readonly sublabel?: (key: string) => string;
}

/** A horizontal categorical axis: one label per band, centred under it. */
export function bandAxis(scale: BandScale, options: BandAxisOptions): string {
  const { y } = options;
  const first = scale.keys[0];
  const last = scale.keys[scale.keys.length - 1];
  let out = '';
  if (first !== undefined && last !== undefined) {
    out += element('line', {
      x1: scale(first) - 4,
      x2: scale(last) + scale.bandwidth + 4,
      y1: y,
      y2: y,
      stroke: AXIS_COLOUR,
    });
  }
  for (const key of scale.keys) {
    const cx = scale(key) + scale.bandwidth / 2;
    const label = truncate(key, options.maxChars ?? Math.max(3, Math.floor(scale.step / 6.5)));
    out += element(
      'text',
      { x: cx, y: y + 15, 'text-anchor': 'middle', fill: '#202124' },
      `${tooltip(key)}${escapeHtml(label)}`,
    );
    if (options.sublabel !== undefined) {
      out += textElement(options.sublabel(key), {
        x: cx,
        y: y + 28,
        'text-anchor': 'middle',
        fill: AXIS_COLOUR,
      });
    }
  }
  return out;
}

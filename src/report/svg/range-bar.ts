import { OUTCOME_COLOURS, formatNumber } from '../html.js';
import { linearScale } from './scales.js';
import type { Interval, LinearScale } from './scales.js';
import { element, svgDocument } from './svg.js';

/** A value and the normative range it is read against. */
export interface RangeBarInput {
  /** What is measured, for the accessible title, e.g. `snr`. */
  readonly label: string;
  readonly value: number;
  /** Lower end of the normative range. */
  readonly low: number;
  /** Upper end of the normative range. */
  readonly high: number;
  /** Median of the normative sample. */
  readonly median: number;
  /** Width in pixels. @defaultValue 200 */
  readonly width?: number;
  /** Height in pixels. @defaultValue 22 */
  readonly height?: number;
}

/** Where a range bar draws its parts, in pixels, and whether the value is inside the range. */
export interface RangeBarLayout {
  readonly scale: LinearScale;
  /** Left and right edges of the range band. */
  readonly band: Interval;
  /** x of the median tick. */
  readonly medianX: number;
  /** x of the value dot. */
  readonly valueX: number;
  /** Whether `low ≤ value ≤ high`. */
  readonly inside: boolean;
}

const PAD = 6;

/**
 * Lays out a range bar: the domain spans the range and the value with 15 % of that span added on
 * each side, so a value far outside still shows on the bar, at its edge region.
 */
export function rangeBarLayout(input: RangeBarInput): RangeBarLayout {
  const width = input.width ?? 200;
  const finite = [input.low, input.high, input.median, input.value].filter(Number.isFinite);
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  const span = max - min || Math.abs(max) * 0.1 || 1;
  min -= span * 0.15;
  max += span * 0.15;
  const scale = linearScale([min, max], [PAD, width - PAD]);
  return {
    scale,
    band: [scale(input.low), scale(input.high)],
    medianX: scale(input.median),
    valueX: scale(input.value),
    inside: input.value >= input.low && input.value <= input.high,
  };
}

/**
 * A bullet chart of one value against its normative range: a grey band from low to high, a dark
 * tick at the median, and a dot at the value, green inside the range and red outside.
 *
 * @example
 * ```ts
 * rangeBar({ label: 'snr', value: 12, low: 18, high: 30, median: 24 }); // '<svg …>…</svg>'
 * ```
 */
export function rangeBar(input: RangeBarInput): string {
  const width = input.width ?? 200;
  const height = input.height ?? 22;
  const layout = rangeBarLayout(input);
  const mid = height / 2;
  const [b0, b1] = layout.band;
  const where = layout.inside ? 'inside' : 'outside';
  const title =
    `${input.label} ${formatNumber(input.value)}, ${where} the normative range ` +
    `${formatNumber(input.low)}–${formatNumber(input.high)} (median ${formatNumber(input.median)})`;
  const body =
    element('line', { x1: PAD, x2: width - PAD, y1: mid, y2: mid, stroke: '#dadce0' }) +
    element('rect', {
      x: b0,
      y: mid - 5,
      width: Math.max(1, b1 - b0),
      height: 10,
      fill: '#d2d6db',
      rx: 2,
    }) +
    element('line', {
      x1: layout.medianX,
      x2: layout.medianX,
      y1: mid - 7,
      y2: mid + 7,
      stroke: '#202124',
      'stroke-width': 2,
    }) +
    element('circle', {
      cx: layout.valueX,
      cy: mid,
      r: 5,
      fill: layout.inside ? OUTCOME_COLOURS.pass : OUTCOME_COLOURS.fail,
      stroke: '#fff',
      'stroke-width': 1.5,
      class: `value-${where}`,
    });
  return svgDocument({ width, height, title }, body);
}

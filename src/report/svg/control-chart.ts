import { OUTCOME_COLOURS, formatNumber } from '../html.js';
import { robustSpread, robustZ } from '../stats.js';
import { bottomAxis, leftAxis } from './axes.js';
import { extent, linearScale, niceDomain } from './scales.js';
import type { Interval, LinearScale } from './scales.js';
import { element, px, svgDocument, textElement, tooltip } from './svg.js';

/** One measurement on a control chart, in session order. */
export interface ControlChartPoint {
  readonly value: number;
  /** What the point is, for its tooltip, e.g. the subject and study date. */
  readonly label?: string;
}

/** Input of {@link controlChart}. */
export interface ControlChartInput {
  /** Accessible title, also drawn above the plot. */
  readonly title: string;
  /** Measurements in session order; point k is drawn at x = k + 1. */
  readonly points: readonly ControlChartPoint[];
  /**
   * Control limits in robust z units: points with `|z| > zLimit` are outliers.
   * @defaultValue 3.5, the cut-off Iglewicz and Hoaglin (1993) recommend for modified z-scores
   */
  readonly zLimit?: number;
  /** y-axis title, e.g. the metric. */
  readonly yLabel?: string;
  /** y domain; by default the nice extent of the values and the limits. */
  readonly yDomain?: Interval;
  /** A reference band drawn behind the points, e.g. the site's normative range. */
  readonly band?: Interval;
  /** Width in pixels. @defaultValue 320 */
  readonly width?: number;
  /** Height in pixels. @defaultValue 180 */
  readonly height?: number;
}

/** A point as a control chart draws it. */
export interface ControlChartPlacedPoint extends ControlChartPoint {
  /** Session order, 1-based. */
  readonly order: number;
  /** Position in pixels. */
  readonly x: number;
  readonly y: number;
  /** Robust z-score against the chart's own median and spread. */
  readonly z: number;
  readonly outlier: boolean;
}

/** Where a control chart draws everything, in pixels, and the statistics behind it. */
export interface ControlChartLayout {
  readonly x: LinearScale;
  readonly y: LinearScale;
  readonly median: number;
  /** Robust standard deviation (see `robustSpread`). */
  readonly sigma: number;
  /** `median − zLimit × sigma`. */
  readonly lower: number;
  /** `median + zLimit × sigma`. */
  readonly upper: number;
  readonly points: readonly ControlChartPlacedPoint[];
}

/** Margins of the plot area inside a control chart, in pixels. */
export const CONTROL_CHART_MARGIN = { top: 24, right: 12, bottom: 34, left: 52 } as const;

/**
 * Lays out a control chart: session order 1…n along x (domain `[0.5, n + 0.5]`), the value along
 * y, the median and the `±zLimit` robust limits of the points themselves, and which points fall
 * outside those limits.
 *
 * @remarks
 * The limits come from the charted values (median ± z × 1.4826 MAD), not from a mean and standard
 * deviation, so that the outliers the chart is meant to show do not widen the limits that should
 * catch them.
 */
export function controlChartLayout(input: ControlChartInput): ControlChartLayout {
  const width = input.width ?? 320;
  const height = input.height ?? 180;
  const zLimit = input.zLimit ?? 3.5;
  const m = CONTROL_CHART_MARGIN;
  const finite = input.points.map((p) => p.value).filter(Number.isFinite);
  const spread = robustSpread(finite);
  const lower = spread.median - zLimit * spread.sigma;
  const upper = spread.median + zLimit * spread.sigma;
  const n = input.points.length;
  const x = linearScale([0.5, Math.max(1, n) + 0.5], [m.left, width - m.right]);
  const shown = [...finite, lower, upper, ...(input.band ?? [])];
  const y = linearScale(input.yDomain ?? niceDomain(extent(shown) ?? [0, 1]), [
    height - m.bottom,
    m.top,
  ]);
  const points = input.points.map((p, k): ControlChartPlacedPoint => {
    const z = robustZ(p.value, spread);
    return {
      ...p,
      order: k + 1,
      x: x(k + 1),
      y: y(p.value),
      z,
      outlier: Number.isFinite(p.value) && Math.abs(z) > zLimit,
    };
  });
  return { x, y, median: spread.median, sigma: spread.sigma, lower, upper, points };
}

/**
 * A control chart (Shewhart style, with robust limits): values in session order joined by a
 * line, the median as a solid line, the `±zLimit` limits dashed, and outliers as larger red
 * points with a ring.
 */
export function controlChart(input: ControlChartInput): string {
  const width = input.width ?? 320;
  const height = input.height ?? 180;
  const zLimit = input.zLimit ?? 3.5;
  const layout = controlChartLayout(input);
  const { x, y } = layout;
  const m = CONTROL_CHART_MARGIN;
  const left = m.left;
  const right = width - m.right;
  const bottom = height - m.bottom;

  let body = textElement(input.title, { x: left, y: 14, 'font-weight': 600 });
  if (input.band !== undefined) {
    const [lo, hi] = input.band;
    body += element(
      'rect',
      {
        x: left,
        y: Math.max(m.top, y(hi)),
        width: right - left,
        height: Math.max(0.5, Math.min(bottom, y(lo)) - Math.max(m.top, y(hi))),
        fill: '#e6f4ea',
      },
      tooltip(`normative range ${formatNumber(lo)}–${formatNumber(hi)}`),
    );
  }
  body += leftAxis(y, { x: left, gridTo: right, label: input.yLabel });
  body += bottomAxis(x, { y: bottom, integer: true, label: 'session order' });

  const hline = (value: number, dashed: boolean, what: string): string =>
    Number.isFinite(value) && value >= Math.min(...y.domain) && value <= Math.max(...y.domain)
      ? element(
          'line',
          {
            x1: left,
            x2: right,
            y1: y(value),
            y2: y(value),
            stroke: dashed ? OUTCOME_COLOURS.fail : '#202124',
            'stroke-dasharray': dashed ? '4 3' : undefined,
            class: what,
          },
          tooltip(`${what} ${formatNumber(value)}`),
        )
      : '';
  body += hline(layout.median, false, 'median');
  body += hline(layout.lower, true, `lower limit (z = −${zLimit})`);
  body += hline(layout.upper, true, `upper limit (z = +${zLimit})`);

  const drawn = layout.points.filter((p) => Number.isFinite(p.value));
  if (drawn.length > 1) {
    body += element('polyline', {
      points: drawn.map((p) => `${px(p.x)},${px(p.y)}`).join(' '),
      fill: 'none',
      stroke: '#9aa0a6',
    });
  }
  for (const p of drawn) {
    const text =
      `#${p.order}${p.label === undefined ? '' : ` ${p.label}`}: ${formatNumber(p.value)}` +
      ` (z = ${formatNumber(Number(p.z.toFixed(2)))})${p.outlier ? ', outlier' : ''}`;
    body += p.outlier
      ? element(
          'circle',
          {
            class: 'outlier',
            cx: p.x,
            cy: p.y,
            r: 4.5,
            fill: OUTCOME_COLOURS.fail,
            stroke: '#fff',
            'stroke-width': 1.5,
          },
          tooltip(text),
        )
      : element('circle', { cx: p.x, cy: p.y, r: 3, fill: '#1a73e8' }, tooltip(text));
  }
  const outliers = drawn.filter((p) => p.outlier).length;
  return svgDocument(
    {
      width,
      height,
      title: input.title,
      description:
        `${drawn.length} sessions, median ${formatNumber(layout.median)}, limits ` +
        `${formatNumber(layout.lower)} to ${formatNumber(layout.upper)}, ${outliers} outliers`,
    },
    body,
  );
}

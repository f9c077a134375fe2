import { formatNumber } from '../html.js';
import { quantile } from '../stats.js';
import { leftAxis, bandAxis } from './axes.js';
import { bandScale, extent, linearScale, niceDomain } from './scales.js';
import type { Interval } from './scales.js';
import { element, svgDocument, textElement, tooltip } from './svg.js';

/** Five-number summary of a sample with Tukey's fences. */
export interface BoxStats {
  readonly n: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  /** Smallest value at or above `q1 − 1.5 IQR`. */
  readonly whiskerLow: number;
  /** Largest value at or below `q3 + 1.5 IQR`. */
  readonly whiskerHigh: number;
  /** Values beyond the whiskers. */
  readonly outliers: readonly number[];
}

/**
 * Box-plot statistics of the finite values of a sample (Tukey 1977: whiskers reach the most
 * extreme values within 1.5 IQR of the quartiles); `undefined` when there is no finite value.
 */
export function boxStats(values: readonly number[]): BoxStats | undefined {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return undefined;
  const q1 = quantile(finite, 0.25);
  const q3 = quantile(finite, 0.75);
  const iqr = q3 - q1;
  const inside = finite.filter((v) => v >= q1 - 1.5 * iqr && v <= q3 + 1.5 * iqr);
  return {
    n: finite.length,
    q1,
    median: quantile(finite, 0.5),
    q3,
    whiskerLow: inside[0] ?? q1,
    whiskerHigh: inside[inside.length - 1] ?? q3,
    outliers: finite.filter((v) => v < q1 - 1.5 * iqr || v > q3 + 1.5 * iqr),
  };
}

/** One box of a box plot: a label (e.g. a site) and its values. */
export interface BoxPlotGroup {
  readonly label: string;
  readonly values: readonly number[];
}

/** Input of {@link boxPlot}. */
export interface BoxPlotInput {
  /** Accessible title, also drawn above the plot. */
  readonly title: string;
  readonly groups: readonly BoxPlotGroup[];
  /** y-axis title, e.g. the metric and its unit. */
  readonly yLabel?: string;
  /** A reference band drawn behind the boxes, e.g. a pooled normative range. */
  readonly band?: Interval;
  /** Width in pixels. @defaultValue `max(240, 70 + 90 × groups)` */
  readonly width?: number;
  /** Height in pixels. @defaultValue 200 */
  readonly height?: number;
}

const MARGIN = { top: 24, right: 12, bottom: 40, left: 52 } as const;

/**
 * Box plots of several groups on one axis, with every value drawn as a dot beside its box (a strip
 * plot), since QA cohorts are often small enough that the dots say more than the box.
 */
export function boxPlot(input: BoxPlotInput): string {
  const width = input.width ?? Math.max(240, 70 + 90 * input.groups.length);
  const height = input.height ?? 200;
  const bottom = height - MARGIN.bottom;
  const right = width - MARGIN.right;
  const all = input.groups.flatMap((g) => g.values);
  const dataExtent = extent(input.band === undefined ? all : [...all, ...input.band]) ?? [0, 1];
  const y = linearScale(niceDomain(dataExtent), [bottom, MARGIN.top]);
  const x = bandScale(
    input.groups.map((g) => g.label),
    [MARGIN.left, right],
    0.3,
  );
  const stats = new Map(input.groups.map((g) => [g.label, boxStats(g.values)]));

  let body = textElement(input.title, { x: MARGIN.left, y: 14, 'font-weight': 600 });
  if (input.band !== undefined) {
    const [lo, hi] = input.band;
    body += element('rect', {
      x: MARGIN.left,
      y: y(hi),
      width: right - MARGIN.left,
      height: Math.max(0.5, y(lo) - y(hi)),
      fill: '#e6f4ea',
    });
  }
  body += leftAxis(y, { x: MARGIN.left, gridTo: right, label: input.yLabel });
  body += bandAxis(x, { y: bottom, sublabel: (k) => `n = ${stats.get(k)?.n ?? 0}` });

  for (const group of input.groups) {
    const s = stats.get(group.label);
    if (s === undefined) continue;
    const left = x(group.label);
    const boxWidth = x.bandwidth * 0.55;
    const cx = left + boxWidth / 2;
    const summary =
      `${group.label}: median ${formatNumber(s.median)}, IQR ${formatNumber(s.q1)}–` +
      `${formatNumber(s.q3)}, n = ${s.n}`;
    body += element(
      'g',
      { class: 'box' },
      tooltip(summary) +
        element('line', { x1: cx, x2: cx, y1: y(s.whiskerLow), y2: y(s.q1), stroke: '#5f6368' }) +
        element('line', { x1: cx, x2: cx, y1: y(s.q3), y2: y(s.whiskerHigh), stroke: '#5f6368' }) +
        element('rect', {
          x: left,
          y: y(s.q3),
          width: boxWidth,
          height: Math.max(0.5, y(s.q1) - y(s.q3)),
          fill: '#e8f0fe',
          stroke: '#1a73e8',
        }) +
        element('line', {
          x1: left,
          x2: left + boxWidth,
          y1: y(s.median),
          y2: y(s.median),
          stroke: '#1a73e8',
          'stroke-width': 2,
        }),
    );
    // Dots beside the box, spread over a strip so that ties stay visible; the spread is a fixed
    // sequence, not random, so that the same data draw the same page.
    const stripLeft = left + boxWidth + 4;
    const stripWidth = Math.max(2, x.bandwidth - boxWidth - 6);
    group.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const outlier = s.outliers.includes(v);
      body += element(
        'circle',
        {
          cx: stripLeft + ((i * 0.618034) % 1) * stripWidth,
          cy: y(v),
          r: outlier ? 3 : 2,
          fill: outlier ? '#c62828' : '#1a73e8',
          'fill-opacity': outlier ? 1 : 0.6,
        },
        tooltip(formatNumber(v)),
      );
    });
  }
  return svgDocument({ width, height, title: input.title }, body);
}

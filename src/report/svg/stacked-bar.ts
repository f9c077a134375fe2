import { bandAxis, leftAxis } from './axes.js';
import { bandScale, linearScale, niceDomain } from './scales.js';
import { element, svgDocument, textElement, tooltip } from './svg.js';

/** One kind of segment in a stacked bar, bottom first, e.g. `pass`. */
export interface StackSegment {
  readonly key: string;
  /** Legend text. */
  readonly label: string;
  /** Fill colour (CSS colour). */
  readonly colour: string;
}

/** One bar: a category and its count per segment key (missing keys count 0). */
export interface StackedBar {
  readonly label: string;
  readonly values: Readonly<Partial<Record<string, number>>>;
}

/** Input of {@link stackedBarChart}. */
export interface StackedBarInput {
  /** Accessible title, also drawn above the plot. */
  readonly title: string;
  readonly segments: readonly StackSegment[];
  readonly bars: readonly StackedBar[];
  /** y-axis title. @defaultValue `'sessions'` */
  readonly yLabel?: string;
  /** Width in pixels. @defaultValue `max(280, 80 + 52 × bars)` */
  readonly width?: number;
  /** Height in pixels. @defaultValue 220 */
  readonly height?: number;
}

const MARGIN = { top: 40, right: 12, bottom: 36, left: 52 } as const;

/**
 * A stacked bar chart of counts, one bar per category with segments stacked bottom up in the
 * order of `segments`, with a legend; each segment's tooltip states its count.
 */
export function stackedBarChart(input: StackedBarInput): string {
  const width = input.width ?? Math.max(280, 80 + 52 * input.bars.length);
  const height = input.height ?? 220;
  const bottom = height - MARGIN.bottom;
  const right = width - MARGIN.right;
  const total = (bar: StackedBar): number =>
    input.segments.reduce((sum, s) => sum + (bar.values[s.key] ?? 0), 0);
  const maxTotal = Math.max(1, ...input.bars.map(total));
  // 10 % headroom so that the total printed above the tallest bar stays clear of the legend.
  const y = linearScale(niceDomain([0, maxTotal * 1.1]), [bottom, MARGIN.top]);
  const x = bandScale(
    input.bars.map((b) => b.label),
    [MARGIN.left, right],
    0.25,
  );

  let body = textElement(input.title, { x: MARGIN.left, y: 14, 'font-weight': 600 });
  let legendX = MARGIN.left;
  for (const s of input.segments) {
    body += element('rect', { x: legendX, y: 22, width: 10, height: 10, fill: s.colour });
    body += textElement(s.label, { x: legendX + 14, y: 31 });
    legendX += 24 + 7 * s.label.length;
  }
  body += leftAxis(y, { x: MARGIN.left, gridTo: right, label: input.yLabel ?? 'sessions' });
  body += bandAxis(x, { y: bottom });

  for (const bar of input.bars) {
    let base = 0;
    for (const s of input.segments) {
      const count = bar.values[s.key] ?? 0;
      if (count <= 0) continue;
      body += element(
        'rect',
        {
          x: x(bar.label),
          y: y(base + count),
          width: x.bandwidth,
          height: y(base) - y(base + count),
          fill: s.colour,
        },
        tooltip(`${bar.label}: ${count} ${s.label}`),
      );
      base += count;
    }
    body += textElement(String(base), {
      x: x(bar.label) + x.bandwidth / 2,
      y: y(base) - 3,
      'text-anchor': 'middle',
      fill: '#5f6368',
    });
  }
  return svgDocument({ width, height, title: input.title }, body);
}

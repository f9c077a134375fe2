import { describe, expect, it } from 'vitest';
import { boxStats } from './box-plot.js';
import { CONTROL_CHART_MARGIN, controlChart, controlChartLayout } from './control-chart.js';
import { rangeBar, rangeBarLayout } from './range-bar.js';
import { bandScale, linearScale, niceDomain, ticks } from './scales.js';

describe('scales', () => {
  it('map linearly, backwards too, and put a zero-width domain mid-range', () => {
    const y = linearScale([0, 100], [150, 50]);
    expect(y(0)).toBe(150);
    expect(y(25)).toBe(125);
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5);
  });

  it('widen a domain to nice ends and tick it at a nice step', () => {
    expect(niceDomain([3, 97])).toEqual([0, 100]);
    expect(ticks([0, 100])).toEqual([0, 20, 40, 60, 80, 100]);
    expect(ticks([0, 0.3], 3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceDomain([5, 5])).toEqual([4.4, 5.6]); // widened by 10 %, then to steps of 0.2
  });

  it('give each band key an equal band with the padding split around it', () => {
    const x = bandScale(['a', 'b'], [0, 100], 0.2);
    expect(x.bandwidth).toBe(40);
    expect(x('a')).toBe(5);
    expect(x('b')).toBe(55);
    expect(x('c')).toBeNaN();
  });
});

describe('boxStats', () => {
  it('puts whiskers at the last values within 1.5 IQR and lists the rest as outliers', () => {
    expect(boxStats([100, 1, 2, 3, 4])).toEqual({
      n: 5,
      q1: 2,
      median: 3,
      q3: 4,
      whiskerLow: 1,
      whiskerHigh: 4,
      outliers: [100],
    });
    expect(boxStats([NaN])).toBeUndefined();
  });
});

describe('controlChart', () => {
  // Median 3.5, MAD 1.5, so σ = 2.224 and the ±3.5 z limits are −4.28 and 11.28: only 100 is out.
  const input = {
    title: 'SNR, t1, site A',
    points: [1, 2, 3, 4, 5, 100].map((value) => ({ value })),
    width: 320,
    height: 180,
    yDomain: [0, 100] as const,
  };

  it('flags the points beyond the robust limits, and only those', () => {
    const layout = controlChartLayout(input);
    expect(layout.median).toBe(3.5);
    expect(layout.upper).toBeCloseTo(3.5 + 3.5 * 1.482602218505602 * 1.5, 10);
    expect(layout.points.map((p) => p.outlier)).toEqual([false, false, false, false, false, true]);
  });

  it('draws the outlier where the scales put it: x from session order, y from the value', () => {
    // Plot area x: 52…308 px for orders 0.5…6.5, so order 6 is at 52 + 5.5/6 × 256 = 286.67 px.
    // Plot area y: 146…24 px for values 0…100, so 100 is at the top edge, 24 px.
    const { left, right, top, bottom } = CONTROL_CHART_MARGIN;
    expect([left, 320 - right, top, 180 - bottom]).toEqual([52, 308, 24, 146]);
    const outlier = controlChartLayout(input).points[5]!;
    expect(outlier.x).toBeCloseTo(286.6667, 3);
    expect(outlier.y).toBe(24);
    const first = controlChartLayout(input).points[0]!;
    expect(first.x).toBeCloseTo(52 + (0.5 / 6) * 256, 10);
    expect(first.y).toBeCloseTo(146 - 0.01 * 122, 10);

    const svg = controlChart(input);
    expect(svg.match(/class="outlier"/g)).toHaveLength(1);
    expect(svg).toContain('<circle class="outlier" cx="286.67" cy="24"');
  });

  it('draws the median as a solid line and both limits dashed', () => {
    const svg = controlChart(input);
    expect(svg).toMatch(/<line [^>]*y1="141.73"[^>]*class="median"/); // 146 − 3.5 × 1.22
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(1); // the lower limit is below the y domain
  });
});

describe('rangeBar', () => {
  it('colours the value dot by whether it lies within the range', () => {
    expect(rangeBar({ label: 'snr', value: 24, low: 18, high: 30, median: 23 })).toContain(
      'class="value-inside"',
    );
    expect(rangeBar({ label: 'snr', value: 12, low: 18, high: 30, median: 23 })).toContain(
      'class="value-outside"',
    );
  });

  it('keeps a value far outside the range on the bar', () => {
    const layout = rangeBarLayout({ label: 'snr', value: 1000, low: 18, high: 30, median: 23 });
    expect(layout.valueX).toBeLessThanOrEqual(200);
    expect(layout.band[0]).toBeGreaterThanOrEqual(0);
    expect(layout.inside).toBe(false);
  });
});

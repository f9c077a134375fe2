import { describe, expect, it } from 'vitest';
import { MAD_TO_SIGMA, median, quantile, robustSpread, robustZ } from './stats.js';

describe('quantile', () => {
  it('interpolates between order statistics (type 7), whatever the input order', () => {
    expect(quantile([4, 1, 3, 2], 0.25)).toBeCloseTo(1.75, 12);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is NaN for an empty sample rather than 0', () => {
    expect(median([])).toBeNaN();
    expect(robustSpread([]).sigma).toBeNaN();
  });
});

describe('robustSpread', () => {
  it('is the median and 1.4826 × MAD, unmoved by one gross outlier', () => {
    const spread = robustSpread([1, 2, 3, 4, 5, 100]);
    expect(spread.median).toBe(3.5);
    expect(spread.sigma).toBeCloseTo(MAD_TO_SIGMA * 1.5, 12);
  });

  it('falls back to 1.2533 × the mean absolute deviation when the MAD is 0', () => {
    const spread = robustSpread([5, 5, 5, 5, 9]);
    expect(spread.sigma).toBeCloseTo(1.2533 * 0.8, 12);
    expect(robustZ(9, spread)).toBeCloseTo(4 / (1.2533 * 0.8), 12);
  });

  it('gives z = 0 for identical values and ±∞ for any other against them', () => {
    const spread = robustSpread([2, 2, 2]);
    expect(robustZ(2, spread)).toBe(0);
    expect(robustZ(3, spread)).toBe(Infinity);
  });
});

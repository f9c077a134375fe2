/**
 * Scales map data values to pixel positions. They are plain functions with their domain and
 * range attached, so a test can compute where a point must be drawn.
 */

/** A closed interval `[min, max]`. */
export type Interval = readonly [min: number, max: number];

/** A linear map from a numeric domain to pixels. */
export interface LinearScale {
  /** Data interval; `domain[0]` maps to `range[0]`. */
  readonly domain: Interval;
  /** Pixel interval; may run backwards (y axes grow downwards). */
  readonly range: Interval;
  /** Position of `value` in pixels; values outside the domain extrapolate. */
  (value: number): number;
}

/**
 * A linear scale. A zero-width domain maps everything to the middle of the range rather than
 * dividing by zero.
 */
export function linearScale(domain: Interval, range: Interval): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const map = (value: number): number =>
    span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0);
  return Object.assign(map, { domain, range });
}

/**
 * A "nice" tick step near `span / count`: 1, 2 or 5 times a power of ten.
 *
 * @see Heckbert, "Nice numbers for graph labels", Graphics Gems (1990).
 */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Decimals that print a multiple of `step` exactly, so that `0.1 + 0.2` prints as `0.3`. */
function stepDecimals(step: number): number {
  return Math.min(20, Math.max(0, -Math.floor(Math.log10(step))));
}

/**
 * Widens `[min, max]` outwards to multiples of a nice step, so that axis ticks fall on its ends.
 * A zero-width interval is first widened by 10 % of its magnitude (or ±1 around zero).
 */
export function niceDomain(interval: Interval, count = 5): Interval {
  let [min, max] = interval;
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = niceStep(max - min, count);
  const decimals = stepDecimals(step);
  return [
    Number((Math.floor(min / step) * step).toFixed(decimals)),
    Number((Math.ceil(max / step) * step).toFixed(decimals)),
  ];
}

/** Tick values at a nice step within `interval`, ends included when they fall on the step. */
export function ticks(interval: Interval, count = 5): number[] {
  const [min, max] = interval;
  const step = niceStep(max - min, count);
  const decimals = stepDecimals(step);
  const out: number[] = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) {
    out.push(Number((k * step).toFixed(decimals)));
  }
  return out;
}

/** The smallest interval holding every finite value; `undefined` when there is none. */
export function extent(values: Iterable<number>): Interval | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : undefined;
}

/** A categorical scale: one band of equal width per key, with padding between bands. */
export interface BandScale {
  readonly keys: readonly string[];
  /** Width of one band in pixels. */
  readonly bandwidth: number;
  /** Distance between the starts of neighbouring bands in pixels (band plus padding). */
  readonly step: number;
  /** Left edge of `key`'s band in pixels; `NaN` for an unknown key. */
  (key: string): number;
}

/**
 * A band scale over `keys` in `range`.
 *
 * @param padding - Fraction of each step left empty between bands, 0 to 1.
 */
export function bandScale(keys: readonly string[], range: Interval, padding = 0.2): BandScale {
  const [r0, r1] = range;
  const step = keys.length === 0 ? 0 : (r1 - r0) / keys.length;
  const bandwidth = step * (1 - padding);
  const index = new Map(keys.map((k, i) => [k, i]));
  const map = (key: string): number => {
    const i = index.get(key);
    return i === undefined ? NaN : r0 + i * step + (step - bandwidth) / 2;
  };
  return Object.assign(map, { keys, bandwidth, step });
}

import type { Protocol, ProtocolSeries } from '../protocol/index.js';
import { robustLocationScale, robustZ } from './robust-stats.js';
import type { RobustLocationScale } from './robust-stats.js';
import type { QaCheck } from './qa-result.js';
import type { SeriesObservation } from './series-observation.js';

/**
 * Which way a metric goes bad. Normative checks are one-sided: a series with less noise or
 * less ghosting than usual is not a defect, and flagging it would double the false alarms.
 */
export const METRIC_BAD_DIRECTION: Readonly<Record<string, 'low' | 'high'>> = {
  snr: 'low',
  snrMean: 'low',
  snrDifference: 'low',
  cnr: 'low',
  fber: 'low',
  sharpness: 'low',
  snrLocal: 'low',
  gradientRatio: 'low',
  uqi: 'low',
  efc: 'high',
  ghostingRatio: 'high',
};

/**
 * Metrics compared on a log scale: ratios whose spread grows with their level, so that a
 * halving of SNR is the same z at every site whatever its typical SNR.
 */
const LOG_METRICS = new Set([
  'snr',
  'snrMean',
  'snrDifference',
  'snrLocal',
  'cnr',
  'fber',
  'sharpness',
  'gradientRatio',
]);

/**
 * Smallest σ, in the metric's own unit, that makes a difference worth a warning, for metrics
 * whose typical value is near 0 (so that 2 % of the median means nothing). Ghost ratio: 0.003,
 * so that at z 5 a warning needs a ghost 1.5 % of the signal above the site's usual level. A
 * clean series repeats its ghost ratio to ±0.001, and a warning at 0.5 % of the signal (seen on
 * coronal trunk slabs whose arms leave slivers of air) helps nobody; the injected 8–15 % ghosts
 * give ratios of 0.02–0.1.
 */
const ABSOLUTE_SIGMA_FLOOR: Readonly<Record<string, number>> = { ghostingRatio: 0.003 };

/**
 * Smallest σ the normative z divides by: 2 % on log metrics; otherwise 2 % of the median, or the
 * metric's {@link ABSOLUTE_SIGMA_FLOOR} when larger.
 */
function sigmaFloor(metric: string, reference: RobustLocationScale): number {
  if (LOG_METRICS.has(metric)) return 0.02;
  return Math.max(1e-6, ABSOLUTE_SIGMA_FLOOR[metric] ?? 0, 0.02 * Math.abs(reference.median));
}

function transform(metric: string, value: number): number {
  return LOG_METRICS.has(metric) ? Math.log(Math.max(value, 1e-12)) : value;
}

/**
 * Past values of a metric for the same protocol series at the same site: the site's history,
 * from which normative ranges are learned.
 */
export interface NormativeHistory {
  /** Values of `metric` for `seriesKey` at `site`, from sessions other than `excludeStudy`. */
  values(
    site: string | undefined,
    seriesKey: string,
    metric: string,
    excludeStudy: string,
  ): readonly number[];
}

/** One metric value in a history, as stored. */
export interface MetricSample {
  readonly site?: string;
  readonly seriesKey: string;
  readonly metric: string;
  readonly studyInstanceUid: string;
  readonly value: number;
}

/** A {@link NormativeHistory} over samples held in memory (a batch run, or rows read from the catalog). */
export function historyFromSamples(samples: readonly MetricSample[]): NormativeHistory {
  const index = new Map<string, MetricSample[]>();
  for (const s of samples) {
    if (!Number.isFinite(s.value)) continue;
    const key = `${s.site ?? ''}\u0000${s.seriesKey}\u0000${s.metric}`;
    const list = index.get(key) ?? [];
    list.push(s);
    index.set(key, list);
  }
  return {
    values: (site, seriesKey, metric, excludeStudy) =>
      (index.get(`${site ?? ''}\u0000${seriesKey}\u0000${metric}`) ?? [])
        .filter((s) => s.studyInstanceUid !== excludeStudy)
        .map((s) => s.value),
  };
}

/** A normative range of a metric, as reports draw it. */
export interface NormativeRange {
  readonly site?: string;
  readonly seriesKey: string;
  readonly metric: string;
  readonly median: number;
  /** Bounds at ±robustZ, back-transformed to the metric's own scale. */
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

/**
 * The normative range of every (site, protocol series, metric) with at least `minHistory`
 * samples, at ±`robustZ`: what reports draw each value against.
 */
export function normativeRanges(
  samples: readonly MetricSample[],
  policy: { readonly minHistory: number; readonly robustZ: number },
): NormativeRange[] {
  const groups = new Map<string, { sample: MetricSample; values: number[] }>();
  for (const s of samples) {
    const id = `${s.site ?? ''}\u0000${s.seriesKey}\u0000${s.metric}`;
    const group = groups.get(id) ?? { sample: s, values: [] };
    group.values.push(s.value);
    groups.set(id, group);
  }
  const out: NormativeRange[] = [];
  for (const { sample, values } of groups.values()) {
    if (values.length < policy.minHistory) continue;
    out.push({
      ...(sample.site === undefined ? {} : { site: sample.site }),
      seriesKey: sample.seriesKey,
      metric: sample.metric,
      ...normativeRange(sample.metric, values, policy.robustZ),
    });
  }
  return out;
}

/** The normative range of a metric from history values, at ±`zLimit` robust z. */
export function normativeRange(
  metric: string,
  values: readonly number[],
  zLimit: number,
): Omit<NormativeRange, 'site' | 'seriesKey' | 'metric'> {
  const t = values.map((v) => transform(metric, v));
  const ref = robustLocationScale(t);
  const sigma = Math.max(ref.sigma, sigmaFloor(metric, ref));
  const back = (x: number): number => (LOG_METRICS.has(metric) ? Math.exp(x) : x);
  return {
    median: back(ref.median),
    low: back(ref.median - zLimit * sigma),
    high: back(ref.median + zLimit * sigma),
    n: values.length,
  };
}

/**
 * Image-quality checks of one series: each metric against the protocol's absolute thresholds
 * (`iq.<metric>`, severity as the protocol says), and against the site's history for this
 * protocol series (`normative.<metric>`: one-sided robust z-score on the metric's natural scale,
 * a warning past the protocol's limit; a pass with the value recorded when the history is too
 * short, so that the value joins the history).
 */
export function checkQuality(
  protocol: Protocol,
  series: ProtocolSeries,
  observed: SeriesObservation,
  site: string | undefined,
  studyInstanceUid: string,
  history: NormativeHistory | undefined,
): QaCheck[] {
  const checks: QaCheck[] = [];
  const metrics = observed.metrics ?? {};
  const base = { seriesKey: series.key, seriesInstanceUid: observed.seriesInstanceUid };
  for (const [metric, threshold] of Object.entries(series.quality) as [
    string,
    (typeof series.quality)[keyof typeof series.quality],
  ][]) {
    if (threshold === undefined) continue;
    const value = metrics[metric];
    const bounds = [
      threshold.min === undefined ? undefined : `≥ ${threshold.min}`,
      threshold.max === undefined ? undefined : `≤ ${threshold.max}`,
    ]
      .filter((x) => x !== undefined)
      .join(' and ');
    if (value === undefined || !Number.isFinite(value)) {
      checks.push({
        ...base,
        check: `iq.${metric}`,
        status: 'warn',
        value: null,
        expected: bounds,
        reason: `${series.key}: ${metric} could not be computed`,
      });
      continue;
    }
    const ok =
      (threshold.min === undefined || value >= threshold.min) &&
      (threshold.max === undefined || value <= threshold.max);
    checks.push({
      ...base,
      check: `iq.${metric}`,
      status: ok ? 'pass' : threshold.severity,
      value,
      expected: bounds,
      unit: '1',
      reason: ok
        ? `${metric} ${value.toPrecision(4)} within limits`
        : `${series.key}: ${metric} is ${value.toPrecision(4)}, the protocol requires ${bounds}`,
    });
  }
  const normative = protocol.normative;
  for (const metric of normative.metrics) {
    const value = metrics[metric];
    if (value === undefined || !Number.isFinite(value)) continue;
    const past = history?.values(site, series.key, metric, studyInstanceUid) ?? [];
    const where = { ...base, check: `normative.${metric}`, value, unit: '1' };
    if (past.length < normative.minHistory) {
      checks.push({
        ...where,
        status: 'pass',
        expected: null,
        reason: `${metric} ${value.toPrecision(4)} recorded; ${past.length} earlier value(s) at this site, ${normative.minHistory} needed for a normative range`,
        detail: { historyN: past.length },
      });
      continue;
    }
    const ref = robustLocationScale(past.map((v) => transform(metric, v)));
    const z = robustZ(transform(metric, value), ref, sigmaFloor(metric, ref));
    const bad =
      METRIC_BAD_DIRECTION[metric] === 'high' ? z > normative.robustZ : z < -normative.robustZ;
    const range = normativeRange(metric, past, normative.robustZ);
    checks.push({
      ...where,
      status: bad ? normative.severity : 'pass',
      expected: `${range.low.toPrecision(4)}–${range.high.toPrecision(4)} (median ${range.median.toPrecision(4)})`,
      tolerance: `|z| ≤ ${normative.robustZ}`,
      reason: bad
        ? `${series.key}: ${metric} ${value.toPrecision(4)} is an outlier for this site (robust z = ${z.toFixed(1)} over ${past.length} sessions)`
        : `${metric} ${value.toPrecision(4)} within the site's range (z = ${z.toFixed(1)})`,
      detail: { z, historyN: past.length, median: range.median, low: range.low, high: range.high },
    });
  }
  return checks;
}

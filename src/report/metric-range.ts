import type { NormativeRange } from './qa-types.js';
/**
 * The normative range of one image-quality metric for one protocol series, from the history of a
 * site (or of all sites pooled when `site` is absent): QA's own {@link NormativeRange}, so that a
 * report draws exactly the range the check judged by.
 */
export type MetricRange = NormativeRange;

/**
 * The range for a site, series and metric: the site's own when there is one, else the pooled one
 * (no `site`), else `undefined`.
 */
export function findMetricRange(
  ranges: readonly MetricRange[],
  site: string | undefined,
  seriesKey: string,
  metric: string,
): MetricRange | undefined {
  const matching = ranges.filter((r) => r.seriesKey === seriesKey && r.metric === metric);
  return (
    (site === undefined ? undefined : matching.find((r) => r.site === site)) ??
    matching.find((r) => r.site === undefined)
  );
}

/**
 * The image-quality metrics the cohort report charts, in the order it shows them (see
 * `qa/metrics`).
 */
export const REPORT_METRICS = [
  'snr',
  'cnr',
  'efc',
  'fber',
  'ghostingRatio',
  'sharpness',
  'uqi',
] as const;

const METRIC_LABELS: Readonly<Record<string, string>> = {
  snr: 'SNR',
  cnr: 'CNR',
  efc: 'EFC (entropy focus criterion)',
  fber: 'FBER (foreground/background energy ratio)',
  ghostingRatio: 'Ghosting ratio',
  sharpness: 'Sharpness',
  uqi: 'UQI (universal quality index)',
};

/** A label a person reads for a metric key, e.g. `SNR` for `snr`; unknown keys pass through. */
export function metricLabel(metric: string): string {
  return METRIC_LABELS[metric] ?? metric;
}

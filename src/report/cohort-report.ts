import type { CohortSummary, OutcomeCounts } from './cohort-summary.js';
import { cohortReportJson } from './cohort-summary.js';
import { sessionReportFileName } from './file-names.js';
import {
  OUTCOME_COLOURS,
  OUTCOME_LABELS,
  OUTCOME_ORDER,
  escapeHtml,
  formatDicomDate,
  htmlPage,
  outcomeBadge,
  plural,
} from './html.js';
import type { MetricRange } from './metric-range.js';
import { REPORT_METRICS, findMetricRange, metricLabel } from './metric-range.js';
import type { SessionQa } from './qa-types.js';
import { countOutcomes } from './session-report.js';
import { boxPlot } from './svg/box-plot.js';
import { controlChart } from './svg/control-chart.js';
import type { StackSegment } from './svg/stacked-bar.js';
import { stackedBarChart } from './svg/stacked-bar.js';

/** What {@link renderCohortReport} needs. */
export interface CohortReportInput {
  readonly sessions: readonly SessionQa[];
  /** Normative ranges, drawn as bands behind the box plots (pooled) and control charts (per site). */
  readonly ranges: readonly MetricRange[];
  /** Page title. @defaultValue `'QA cohort report'` */
  readonly title?: string;
}

/** Label of sessions whose site is unknown, in tables and plots. */
export const UNKNOWN_SITE = '(unknown site)';

// Stacked bottom up: passes at the base, failures on top where the eye lands first.
const SEGMENTS: readonly StackSegment[] = [...OUTCOME_ORDER].reverse().map((o) => ({
  key: o,
  label: OUTCOME_LABELS[o],
  colour: OUTCOME_COLOURS[o],
}));

/**
 * Sessions in acquisition order: by Study Date, then by when they were checked, then by Study
 * Instance UID so that the order is total and the page reproducible.
 */
export function sessionOrder(sessions: readonly SessionQa[]): SessionQa[] {
  const key = (s: SessionQa): string => s.studyDate ?? '99999999';
  return [...sessions].sort(
    (a, b) =>
      compare(key(a), key(b)) ||
      compare(a.checkedAt, b.checkedAt) ||
      compare(a.studyInstanceUid, b.studyInstanceUid),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function outcomeValues(c: OutcomeCounts): Record<string, number> {
  return { pass: c.pass, warn: c.warn, fail: c.fail };
}

function countCells(c: OutcomeCounts): string {
  return (
    OUTCOME_ORDER.map((o) => `<td class="num">${c[o]}</td>`).join('') +
    `<td class="num">${c.total}</td>`
  );
}

const COUNT_HEAD = `${OUTCOME_ORDER.map((o) => `<th scope="col" class="num">${OUTCOME_LABELS[o]}</th>`).join('')}<th scope="col" class="num">Total</th>`;

function renderSites(summary: CohortSummary): string {
  const rows = summary.sites.map(
    (s) => `<tr><th scope="row">${escapeHtml(s.site ?? UNKNOWN_SITE)}</th>${countCells(s)}</tr>`,
  );
  return [
    '<section>',
    '<h2>Outcomes per site</h2>',
    '<table class="sites">',
    `<thead><tr><th scope="col">Site</th>${COUNT_HEAD}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    `<tfoot><tr><th scope="row">All sites</th>${countCells(summary.status)}</tr></tfoot>`,
    '</table>',
    stackedBarChart({
      title: 'Session outcomes per site',
      segments: SEGMENTS,
      bars: summary.sites.map((s) => ({ label: s.site ?? UNKNOWN_SITE, values: outcomeValues(s) })),
    }),
    '</section>',
  ].join('\n');
}

function renderMonths(summary: CohortSummary): string {
  const rows = summary.months.map(
    (m) => `<tr><th scope="row">${escapeHtml(m.month ?? 'unknown')}</th>${countCells(m)}</tr>`,
  );
  return [
    '<section>',
    '<h2>Outcomes over time</h2>',
    stackedBarChart({
      title: 'Session outcomes per study month',
      segments: SEGMENTS,
      bars: summary.months.map((m) => ({ label: m.month ?? 'unknown', values: outcomeValues(m) })),
    }),
    '<details>',
    '<summary>Counts per month</summary>',
    '<table class="months">',
    `<thead><tr><th scope="col">Study month</th>${COUNT_HEAD}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    '</details>',
    '</section>',
  ].join('\n');
}

/** How many of the most frequent problem checks the cohort page lists. */
const TOP_CHECKS = 25;

function renderTopChecks(summary: CohortSummary): string {
  const top = summary.checks.slice(0, TOP_CHECKS);
  const parts = ['<section>', '<h2>Most frequent failing checks</h2>'];
  if (top.length === 0) {
    parts.push('<p>No check failed or warned.</p>');
  } else {
    const rows = top.map(
      (c) =>
        `<tr><td><code>${escapeHtml(c.check)}</code></td>` +
        `<td>${c.seriesKey === null ? '<span class="muted">—</span>' : escapeHtml(c.seriesKey)}</td>` +
        `<td class="num">${c.fail}</td><td class="num">${c.warn}</td>` +
        `<td class="num">${c.sessions}</td></tr>`,
    );
    parts.push(
      '<table class="top-checks">',
      `<caption>Most failures first${
        summary.checks.length > TOP_CHECKS ? `; ${TOP_CHECKS} of ${summary.checks.length}` : ''
      }.</caption>`,
      '<thead><tr><th scope="col">Check</th><th scope="col">Series</th>' +
        '<th scope="col" class="num">Failures</th><th scope="col" class="num">Warnings</th>' +
        '<th scope="col" class="num">Sessions</th></tr></thead>',
      `<tbody>${rows.join('\n')}</tbody>`,
      '</table>',
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** One value of one metric of one series, with the session it came from. */
interface MetricSample {
  readonly session: SessionQa;
  readonly value: number;
}

/** Samples by protocol, series key and metric, in session order. */
/** Samples by metric. */
type ByMetric = Map<string, MetricSample[]>;
/** Samples by protocol series key, then metric. */
type BySeriesKey = Map<string, ByMetric>;

function collectSamples(ordered: readonly SessionQa[]): Map<string, BySeriesKey> {
  const out = new Map<string, BySeriesKey>();
  for (const session of ordered) {
    for (const series of session.series) {
      if (series.seriesKey === undefined) continue; // extra series have no protocol norm
      for (const metric of REPORT_METRICS) {
        const value = series.metrics[metric];
        if (value === undefined || !Number.isFinite(value)) continue;
        const byKey = getOrInsert(out, session.protocolName, (): BySeriesKey => new Map());
        const byMetric = getOrInsert(byKey, series.seriesKey, (): ByMetric => new Map());
        getOrInsert(byMetric, metric, (): MetricSample[] => []).push({ session, value });
      }
    }
  }
  return out;
}

function getOrInsert<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function siteOf(session: SessionQa): string {
  return session.site ?? UNKNOWN_SITE;
}

function renderMetricPlots(
  protocol: string,
  seriesKey: string,
  metric: string,
  samples: readonly MetricSample[],
  ranges: readonly MetricRange[],
): string {
  const bySite = new Map<string, MetricSample[]>();
  for (const s of samples) getOrInsert(bySite, siteOf(s.session), (): MetricSample[] => []).push(s);
  const sites = [...bySite.keys()].sort(compare);
  const label = metricLabel(metric);
  const pooled = findMetricRange(ranges, undefined, seriesKey, metric);
  const box = boxPlot({
    title: `${label}, ${seriesKey}: distribution per site`,
    yLabel: metric,
    groups: sites.map((site) => ({
      label: site,
      values: (bySite.get(site) ?? []).map((s) => s.value),
    })),
    band: pooled === undefined ? undefined : [pooled.low, pooled.high],
  });
  const charts = sites.map((site) => {
    const range = findMetricRange(
      ranges,
      site === UNKNOWN_SITE ? undefined : site,
      seriesKey,
      metric,
    );
    return controlChart({
      title: `${label}, ${seriesKey}, ${site}`,
      yLabel: metric,
      points: (bySite.get(site) ?? []).map((s) => ({
        value: s.value,
        label: `${s.session.subject}${
          s.session.studyDate === undefined ? '' : ` ${formatDicomDate(s.session.studyDate)}`
        }`,
      })),
      band: range === undefined ? undefined : [range.low, range.high],
    });
  });
  return [
    `<h4>${escapeHtml(label)} <span class="muted">(${escapeHtml(protocol)} / ${escapeHtml(seriesKey)})</span></h4>`,
    `<div class="plots">${box}${charts.join('')}</div>`,
  ].join('\n');
}

function renderMetrics(ordered: readonly SessionQa[], ranges: readonly MetricRange[]): string {
  const samples = collectSamples(ordered);
  const parts = [
    '<section>',
    '<h2>Image-quality metrics</h2>',
    '<p class="muted">Box plots: distribution per site, every session a dot, the pooled normative ' +
      'range shaded. Control charts: each site in acquisition order, with its median (solid), ' +
      'robust limits at |z| = 3.5 (dashed, red) and outliers in red; the site’s normative range ' +
      'is shaded.</p>',
  ];
  if (samples.size === 0) parts.push('<p>No metric values in this cohort.</p>');
  for (const [protocol, byKey] of samples) {
    for (const [seriesKey, byMetric] of byKey) {
      parts.push(`<h3>${escapeHtml(protocol)}: series ${escapeHtml(seriesKey)}</h3>`);
      for (const metric of REPORT_METRICS) {
        const list = byMetric.get(metric);
        if (list !== undefined) {
          parts.push(renderMetricPlots(protocol, seriesKey, metric, list, ranges));
        }
      }
    }
  }
  parts.push('</section>');
  return parts.join('\n');
}

function renderSessionTable(ordered: readonly SessionQa[]): string {
  const rows = ordered.map((s) => {
    const counts = countOutcomes(s.checks);
    const href = encodeURI(sessionReportFileName(s.studyInstanceUid));
    return (
      `<tr class="row-${s.status}">` +
      `<td>${s.studyDate === undefined ? '' : escapeHtml(formatDicomDate(s.studyDate))}</td>` +
      `<td>${escapeHtml(s.subject)}</td>` +
      `<td>${escapeHtml(s.site ?? '')}</td>` +
      `<td>${escapeHtml(s.visit ?? '')}</td>` +
      `<td>${escapeHtml(`${s.protocolName} ${s.protocolVersion}`)}</td>` +
      `<td>${outcomeBadge(s.status)}</td>` +
      `<td class="num">${counts.fail}</td><td class="num">${counts.warn}</td>` +
      `<td><a href="${escapeHtml(href)}">report</a></td></tr>`
    );
  });
  return [
    '<section>',
    '<h2>Sessions</h2>',
    '<table class="sessions">',
    '<caption>In acquisition order; each links to its session report.</caption>',
    '<thead><tr><th scope="col">Study date</th><th scope="col">Subject</th>' +
      '<th scope="col">Site</th><th scope="col">Visit</th><th scope="col">Protocol</th>' +
      '<th scope="col">Status</th><th scope="col" class="num">Failed</th>' +
      '<th scope="col" class="num">Warnings</th><th scope="col">Report</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    '</section>',
  ].join('\n');
}

/**
 * Renders the QA report of a cohort as one self-contained HTML page: session outcomes per site and
 * per study month (tables and stacked bars), the checks that fail most often, per protocol series
 * and metric a box plot per site and a control chart per site, and a table of the sessions linking
 * to their own reports (see {@link sessionReportFileName}; the pages must share a folder).
 */
export function renderCohortReport(input: CohortReportInput): string {
  const title = input.title ?? 'QA cohort report';
  const summary = cohortReportJson(input.sessions);
  const ordered = sessionOrder(input.sessions);
  const dated = ordered.filter((s) => s.studyDate !== undefined);
  const first = dated[0]?.studyDate;
  const last = dated[dated.length - 1]?.studyDate;
  const span =
    first === undefined || last === undefined
      ? ''
      : `, study dates ${formatDicomDate(first)} to ${formatDicomDate(last)}`;
  const overall = OUTCOME_ORDER.map((o) => `${outcomeBadge(o)} ${summary.status[o]}`).join(' ');
  const body = [
    '<header>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${plural(summary.sessions, 'session')} at ${plural(summary.sites.length, 'site')}${escapeHtml(span)}: ${overall}</p>`,
    '</header>',
    renderSites(summary),
    renderMonths(summary),
    renderTopChecks(summary),
    renderMetrics(ordered, input.ranges),
    renderSessionTable(ordered),
  ].join('\n');
  return htmlPage({ title, body });
}

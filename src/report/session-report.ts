import {
  OUTCOME_ORDER,
  escapeHtml,
  formatCheckValue,
  formatDicomDate,
  formatNumber,
  htmlPage,
  outcomeBadge,
  plural,
} from './html.js';
import type { MetricRange } from './metric-range.js';
import { findMetricRange, metricLabel } from './metric-range.js';
import type { QaCheck, QaOutcome, SeriesQa, SessionQa } from './qa-types.js';
import { rangeBar } from './svg/range-bar.js';

/** What {@link renderSessionReport} needs: the QA result, thumbnails and normative ranges. */
export interface SessionReportInput {
  readonly session: SessionQa;
  /** A PNG of the middle slice of each series, by Series Instance UID; series without one get a note. */
  readonly thumbnails: ReadonlyMap<string, Uint8Array>;
  /** Normative ranges; the site's own are used before pooled ones (see `findMetricRange`). */
  readonly ranges: readonly MetricRange[];
}

const RANK: Readonly<Record<QaOutcome, number>> = { fail: 0, warn: 1, pass: 2 };

/** Checks worst first (fail, warn, pass), keeping the runner's order within each outcome. */
export function sortChecksWorstFirst(checks: readonly QaCheck[]): QaCheck[] {
  // Array.prototype.sort is stable (ES2019), which keeps the runner's order within an outcome.
  return [...checks].sort((a, b) => RANK[a.status] - RANK[b.status]);
}

/** Number of checks per outcome. */
export function countOutcomes(checks: readonly QaCheck[]): Record<QaOutcome, number> {
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  return counts;
}

/**
 * Renders the QA report of one session as one self-contained HTML page: a header with the
 * session's identity and overall outcome, a table of every check (failures first, then warnings,
 * then the passes folded away), and a card per series with its mid-slice thumbnail, each metric
 * drawn against its normative range, and its acquisition parameters.
 *
 * @remarks
 * The page has no script and loads nothing: thumbnails are `data:` URLs and plots inline SVG, so
 * it can be mailed or archived as one file. All text from the session is escaped.
 */
export function renderSessionReport(input: SessionReportInput): string {
  const { session } = input;
  const body = [
    renderHeader(session),
    renderChecks(session),
    '<section>',
    '<h2>Series</h2>',
    session.series.length === 0
      ? '<p class="muted">No series in this session.</p>'
      : `<div class="cards">${session.series
          .map((s) => renderSeriesCard(s, input, session))
          .join('\n')}</div>`,
    '</section>',
  ].join('\n');
  return htmlPage({
    title:
      `QA ${OUTCOME_LABEL_TEXT[session.status]}: ${session.subject} ${session.visit ?? ''}`.trim(),
    body,
  });
}

const OUTCOME_LABEL_TEXT: Readonly<Record<QaOutcome, string>> = {
  pass: 'pass',
  warn: 'warning',
  fail: 'fail',
};

function renderHeader(session: SessionQa): string {
  const counts = countOutcomes(session.checks);
  const field = (name: string, value: string | undefined): string =>
    `<dt>${escapeHtml(name)}</dt><dd>${value === undefined ? '<span class="muted">unknown</span>' : escapeHtml(value)}</dd>`;
  return [
    '<header>',
    `<h1>QA report: subject ${escapeHtml(session.subject)} ${outcomeBadge(session.status, true)}</h1>`,
    `<p>${counts.fail} failed, ${counts.warn} with warnings, ${counts.pass} passed ` +
      `of ${session.checks.length} checks.</p>`,
    '<dl class="meta">',
    field('Subject', session.subject),
    field('Site', session.site),
    field('Visit', session.visit),
    field(
      'Study date',
      session.studyDate === undefined ? undefined : formatDicomDate(session.studyDate),
    ),
    field('Protocol', `${session.protocolName} ${session.protocolVersion}`),
    field('Checked at', session.checkedAt),
    field('Study Instance UID', session.studyInstanceUid),
    '</dl>',
    '</header>',
  ].join('\n');
}

function seriesLabel(check: QaCheck, session: SessionQa): string {
  if (check.seriesKey !== undefined) return escapeHtml(check.seriesKey);
  const series = session.series.find((s) => s.seriesInstanceUid === check.seriesInstanceUid);
  return series === undefined
    ? '<span class="muted">session</span>'
    : `<span class="muted">extra:</span> ${escapeHtml(series.seriesDescription)}`;
}

function checkTable(checks: readonly QaCheck[], session: SessionQa, caption: string): string {
  const rows = checks.map((c) => {
    const cells = [
      outcomeBadge(c.status),
      `<code>${escapeHtml(c.check)}</code>`,
      seriesLabel(c, session),
      escapeHtml(formatCheckValue(c.value)),
      escapeHtml(c.expected ?? '—'),
      escapeHtml(c.tolerance ?? ''),
      escapeHtml(c.unit ?? ''),
      escapeHtml(c.reason),
    ];
    return `<tr class="check row-${c.status}">${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
  });
  const head = ['Status', 'Check', 'Series', 'Value', 'Expected', 'Tolerance', 'Unit', 'Reason']
    .map((h) => `<th scope="col">${h}</th>`)
    .join('');
  return [
    '<table class="checks">',
    `<caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function renderChecks(session: SessionQa): string {
  const sorted = sortChecksWorstFirst(session.checks);
  const problems = sorted.filter((c) => c.status !== 'pass');
  const passes = sorted.filter((c) => c.status === 'pass');
  const parts = ['<section>', '<h2>Checks</h2>'];
  if (problems.length === 0) {
    parts.push('<p>No check failed or warned.</p>');
  } else {
    parts.push(checkTable(problems, session, 'Failed checks first, then warnings.'));
  }
  if (passes.length > 0) {
    parts.push(
      '<details>',
      `<summary>${plural(passes.length, 'passed check')}</summary>`,
      checkTable(passes, session, 'Passed checks.'),
      '</details>',
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function renderThumbnail(series: SeriesQa, thumbnails: ReadonlyMap<string, Uint8Array>): string {
  const png = thumbnails.get(series.seriesInstanceUid);
  if (png === undefined) return '<p class="thumb-missing">No thumbnail.</p>';
  // A data: URL declares its type; bytes that are not a PNG would show as a broken image.
  if (!PNG_SIGNATURE.every((b, i) => png[i] === b)) {
    return '<p class="thumb-missing">Thumbnail is not a PNG.</p>';
  }
  const base64 = Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64');
  return `<img src="data:image/png;base64,${base64}" alt="${escapeHtml(
    `Middle slice of ${series.seriesDescription}`,
  )}">`;
}

/** Worst status of the checks about one metric of one series (`iq.<m>`, `normative.<m>`). */
function metricStatus(session: SessionQa, series: SeriesQa, metric: string): QaOutcome | undefined {
  const statuses = session.checks
    .filter(
      (c) =>
        c.seriesInstanceUid === series.seriesInstanceUid &&
        (c.check === `iq.${metric}` || c.check === `normative.${metric}`),
    )
    .map((c) => c.status);
  return OUTCOME_ORDER.find((o) => statuses.includes(o));
}

function renderMetrics(series: SeriesQa, input: SessionReportInput): string {
  const entries = Object.entries(series.metrics).filter(
    (e): e is [string, number] => typeof e[1] === 'number',
  );
  if (entries.length === 0) return '<p class="muted">No image-quality metrics.</p>';
  const rows = entries.map(([metric, value]) => {
    const range =
      series.seriesKey === undefined
        ? undefined
        : findMetricRange(input.ranges, input.session.site, series.seriesKey, metric);
    const status = metricStatus(input.session, series, metric);
    const plot =
      range === undefined || !Number.isFinite(value)
        ? '<span class="muted">no normative range</span>'
        : rangeBar({
            label: metricLabel(metric),
            value,
            low: range.low,
            high: range.high,
            median: range.median,
          });
    const rangeText =
      range === undefined
        ? ''
        : `${formatNumber(range.low)}–${formatNumber(range.high)}, median ` +
          `${formatNumber(range.median)}, n = ${range.n}${range.site === undefined ? ' (all sites)' : ''}`;
    return (
      `<tr><th scope="row">${escapeHtml(metricLabel(metric))}</th>` +
      `<td class="num">${escapeHtml(formatNumber(value))}</td>` +
      `<td>${plot}${rangeText === '' ? '' : `<br><span class="muted">${escapeHtml(rangeText)}</span>`}</td>` +
      `<td>${status === undefined ? '' : outcomeBadge(status)}</td></tr>`
    );
  });
  return [
    '<table class="metrics">',
    '<thead><tr><th scope="col">Metric</th><th scope="col" class="num">Value</th>' +
      '<th scope="col">Normative range</th><th scope="col">Check</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function renderParameters(series: SeriesQa): string {
  const entries = Object.entries(series.parameters).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return '';
  const rows = entries.map(
    ([name, value]) =>
      `<tr><th scope="row"><code>${escapeHtml(name)}</code></th>` +
      `<td>${escapeHtml(formatCheckValue(value))}</td></tr>`,
  );
  // Folded: the checks already flag the parameters that matter; the list is for looking things up.
  return [
    '<details class="parameters">',
    `<summary>${plural(entries.length, 'acquisition parameter')}</summary>`,
    '<table>',
    '<thead><tr><th scope="col">Parameter</th><th scope="col">Value</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody>`,
    '</table>',
    '</details>',
  ].join('\n');
}

function renderSeriesCard(series: SeriesQa, input: SessionReportInput, session: SessionQa): string {
  const key =
    series.seriesKey === undefined
      ? '<span class="muted">extra series (no protocol match)</span>'
      : `protocol series <code>${escapeHtml(series.seriesKey)}</code>`;
  const number = series.seriesNumber === undefined ? '' : `#${series.seriesNumber} `;
  const problems = sortChecksWorstFirst(
    session.checks.filter(
      (c) => c.seriesInstanceUid === series.seriesInstanceUid && c.status !== 'pass',
    ),
  );
  const issues =
    problems.length === 0
      ? ''
      : `<ul class="issues">${problems
          .map((c) => `<li>${outcomeBadge(c.status)} ${escapeHtml(c.reason)}</li>`)
          .join('')}</ul>`;
  return [
    `<article class="card series-${series.status}">`,
    `<h3>${escapeHtml(number)}${escapeHtml(series.seriesDescription)} ${outcomeBadge(series.status)}</h3>`,
    `<p>${key}, ${series.slices} slices</p>`,
    renderThumbnail(series, input.thumbnails),
    issues,
    renderMetrics(series, input),
    renderParameters(series),
    '</article>',
  ].join('\n');
}

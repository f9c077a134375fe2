/**
 * QA reports a person reads: one self-contained HTML page per session (checks, thumbnails,
 * metrics against their normative ranges), one per cohort (outcomes per site and month, frequent
 * failures, box plots and control charts per metric), and the cohort's JSON summary. A shell
 * module: it renders `SessionQa` results and writes nothing itself.
 * @packageDocumentation
 */
export { renderSessionReport, countOutcomes, sortChecksWorstFirst } from './session-report.js';
export type { SessionReportInput } from './session-report.js';
export { renderCohortReport, sessionOrder, UNKNOWN_SITE } from './cohort-report.js';
export type { CohortReportInput } from './cohort-report.js';
export { cohortReportJson, studyMonth } from './cohort-summary.js';
export type {
  CheckProblemCounts,
  CohortSummary,
  MonthCounts,
  OutcomeCounts,
  SiteCounts,
} from './cohort-summary.js';
export { sessionReportFileName } from './file-names.js';
export { findMetricRange, metricLabel, REPORT_METRICS } from './metric-range.js';
export type { MetricRange } from './metric-range.js';
export { escapeHtml, formatNumber, htmlPage } from './html.js';

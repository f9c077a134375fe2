/**
 * In-silico trials: cohorts (CSV or sampled), per-subject personalisation and drug simulation on
 * worker threads, distribution summaries, comparison with published outcomes, HTML report.
 * @packageDocumentation
 */
export { PROVE_HF_POPULATION, parseCohortCsv, sampleCohort } from './cohort.js';
export type { CohortPopulation, TrialSubject, TruncatedNormal } from './cohort.js';
export { createTrialRandom } from './random.js';
export type { TrialRandom } from './random.js';
export { runSubject, runTrialJob } from './run-subjects.js';
export type { BaselineMode, SubjectOutcome, SubjectState, TrialJob } from './run-subjects.js';
export { runTrial, summarizeMetric } from './run-trial.js';
export type { MetricSummary, RunTrialOptions, TrialComparison, TrialResult } from './run-trial.js';
export { trialHistogramSvg, trialReportHtml } from './trial-report.js';

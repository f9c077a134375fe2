/**
 * The QA result types the reports render, imported in one place so that the report module's
 * dependency on the QA stage is visible at a glance (types only: reports never run QA).
 */
export type { NormativeRange, QaCheck, QaOutcome, SeriesQa, SessionQa } from '../qa/index.js';

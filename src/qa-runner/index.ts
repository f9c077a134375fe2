/**
 * The QA runner: reads sessions from the catalog and blob store, computes image metrics, checks
 * them against the protocol with `qa/`, stores results and writes reports. Shell code.
 * @packageDocumentation
 */
export { QA_STAGE, runQa, selectStudies } from './run-qa.js';
export type { QaSelection, RunQaOptions, RunQaResult } from './run-qa.js';
export { assembleSeries, loadSession, middleSliceThumbnail } from './load-session.js';
export type { LoadedSeries, LoadedSession } from './load-session.js';
export { learnProtocolFromCatalog } from './learn-from-catalog.js';
export { writeQaReports } from './write-reports.js';
export type { WrittenReports } from './write-reports.js';
export { startQaWatcher } from './qa-watcher.js';
export type { QaWatcher, QaWatcherOptions } from './qa-watcher.js';

/**
 * Protocol and image-quality QA of cohort imaging sessions: completeness, parameter and
 * scan-region conformity against the study protocol, image-quality metrics (SNR, UQI, CNR, EFC,
 * FBER, ghosting, sharpness) and normative ranges learned from each site's history. Pure: headers
 * and volumes in, results out; the runner in `qa-runner/` reads the catalog and stores results.
 * @packageDocumentation
 */
export { evaluateSession } from './evaluate-session.js';
export type { EvaluateSessionOptions } from './evaluate-session.js';
export { observeSeries } from './series-observation.js';
export type {
  SeriesGeometryObservation,
  SeriesObservation,
  SessionObservation,
} from './series-observation.js';
export { assignSeries } from './match-series.js';
export type { SeriesAssignment } from './match-series.js';
export { QA_CHECK_FAMILIES, worseOutcome } from './qa-result.js';
export type {
  QaCheck,
  QaCheckFamily,
  QaMetricValues,
  QaOutcome,
  SeriesQa,
  SessionQa,
} from './qa-result.js';
export {
  METRIC_BAD_DIRECTION,
  historyFromSamples,
  normativeRange,
  normativeRanges,
} from './check-quality.js';
export type { MetricSample, NormativeHistory, NormativeRange } from './check-quality.js';
export { orientationFamily } from './check-region.js';
export { PARAMETER_UNITS, formatTolerance } from './check-parameters.js';
export {
  MAD_TO_SIGMA,
  median,
  medianAbsoluteDeviation,
  robustLocationScale,
  robustZ,
} from './robust-stats.js';
export type { RobustLocationScale } from './robust-stats.js';
export { LEARN_DEFAULT_TOLERANCES, learnProtocol } from './learn-protocol.js';
export type {
  LearnedProtocol,
  LearnedProtocolFile,
  LearnedSeriesFile,
  LearnProtocolOptions,
} from './learn-protocol.js';
export * from './metrics/index.js';

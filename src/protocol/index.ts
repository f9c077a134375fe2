/**
 * The acquisition protocol of a cohort study: the series a session must contain, how each is
 * recognised, their sequence parameters with tolerances, where each is placed, and the quality
 * each must reach, with per-site overrides. Shared by the synthetic cohort generator (which
 * follows it) and QA (which checks sessions against it).
 * @packageDocumentation
 */
export {
  CATEGORICAL_PARAMETERS,
  DEFAULT_CENTRE_TOLERANCE_MM,
  DEFAULT_COVERAGE_SLACK_REL,
  DEFAULT_FOV_TOLERANCE_REL,
  DEFAULT_NORMATIVE,
  DEFAULT_OBLIQUE_MIN_DEG,
  DEFAULT_ORIENTATION_TOLERANCE_DEG,
  DEFAULT_REFERENCE_STATURE_M,
  LANDMARKS,
  NUMERIC_PARAMETERS,
  ORIENTATIONS,
  PARAMETER_TAGS,
  PROTOCOL_MODULES,
  PROTOCOL_SCHEMA_VERSION,
  QUALITY_METRICS,
  SUPPORTED_PROTOCOL_SCHEMA_VERSIONS,
  WEIGHTINGS,
  expectedCentreMm,
  expectedCoverageMm,
  expectedFovMm,
  isWithinQuality,
  isWithinTolerance,
  minimumCoverageMm,
} from './protocol.js';
export type {
  CategoricalParameter,
  Landmark,
  MrAcquisitionType,
  NormativePolicy,
  NumericParameter,
  Orientation,
  PhaseEncodingDirection,
  Protocol,
  ProtocolModule,
  ProtocolParameter,
  ProtocolRegion,
  ProtocolScanner,
  ProtocolSeries,
  QualityMetric,
  QualitySeverity,
  QualityThreshold,
  QualityThresholds,
  SeriesMatchHeader,
  SeriesMatchRule,
  SeriesParameters,
  SeriesRegion,
  SiteOverride,
  SiteSeriesOverride,
  Tolerance,
  ToleranceMap,
  Weighting,
} from './protocol.js';
export { DEFAULT_PROTOCOL_URL, loadProtocol, readProtocolFile } from './load-protocol.js';
export { defaultMatchRules, escapeRegExp, matchesSeries } from './match-series.js';
export { protocolForSite } from './protocol-for-site.js';

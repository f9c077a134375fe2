/**
 * The acquisition protocol of a cohort study: the series a session must contain, their sequence
 * parameters with tolerances, where each is placed, and the quality each must reach. Shared by the
 * synthetic cohort generator (which follows it) and QA (which checks sessions against it).
 * @packageDocumentation
 */
export {
  CATEGORICAL_PARAMETERS,
  LANDMARKS,
  NUMERIC_PARAMETERS,
  ORIENTATIONS,
  PARAMETER_TAGS,
  PROTOCOL_MODULES,
  PROTOCOL_SCHEMA_VERSION,
  WEIGHTINGS,
  isWithinTolerance,
} from './protocol.js';
export type {
  CategoricalParameter,
  Landmark,
  MrAcquisitionType,
  NumericParameter,
  Orientation,
  PhaseEncodingDirection,
  Protocol,
  ProtocolModule,
  ProtocolParameter,
  ProtocolScanner,
  ProtocolSeries,
  SeriesParameters,
  Tolerance,
  ToleranceMap,
  Weighting,
} from './protocol.js';
export { DEFAULT_PROTOCOL_URL, loadProtocol, readProtocolFile } from './load-protocol.js';

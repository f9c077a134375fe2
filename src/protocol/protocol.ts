/**
 * The acquisition protocol of an MR cohort: which series a session must contain, how a received
 * series is recognised, where each is placed and with which sequence parameters, how far a
 * measured value may stray from the reference, and which image quality each must reach. The same
 * file drives the synthetic cohort generator and the QA conformity checks.
 *
 * The file form (JSON or YAML) is documented in `examples/protocols/README.md`;
 * {@link loadProtocol} validates it.
 */
import type { Vec3 } from '../core/index.js';

/**
 * Version of the protocol file format this code writes (field `schemaVersion`); a loaded protocol
 * always carries it, whichever supported version its file had.
 */
export const PROTOCOL_SCHEMA_VERSION = 2;

/**
 * File format versions {@link loadProtocol} reads. Version 1 files have no matching rules, regions,
 * quality thresholds, normative policy or site overrides; they load with the defaults.
 */
export const SUPPORTED_PROTOCOL_SCHEMA_VERSIONS: readonly number[] = [1, 2];

/** Slice orientations: transverse, sagittal, coronal, and the cardiac double-oblique short axis. */
export const ORIENTATIONS = ['ax', 'sag', 'cor', 'sax'] as const;
/** A slice orientation; see {@link ORIENTATIONS}. */
export type Orientation = (typeof ORIENTATIONS)[number];

/** The four examination modules of the NAKO MR protocol (Bamberg et al. 2015). */
export const PROTOCOL_MODULES = [
  'neuro',
  'cardiovascular',
  'thoraco-abdominal',
  'musculoskeletal',
] as const;
/** An examination module; see {@link PROTOCOL_MODULES}. */
export type ProtocolModule = (typeof PROTOCOL_MODULES)[number];

/**
 * Image weightings (contrasts). They tell the phantom which intensity each tissue gets, and tell
 * QA which tissue contrasts to expect.
 *
 * @remarks
 * `T1w` T1-weighted (MPRAGE, T1 TSE, in-phase VIBE); `T2w` T2-weighted (HASTE, TSE); `PDw`
 * proton-density weighted (low-flip-angle GRE, as in multi-echo Dixon fat quantification);
 * `PDw-FS` PD-weighted with fat saturation (knee); `FLAIR` fluid-attenuated inversion recovery;
 * `T2starw` T2*-weighted / susceptibility-weighted; `DWI` diffusion-weighted trace (b = 1000 s/mm²);
 * `bSSFP` balanced steady-state free precession (cine); `BB-T1w` black-blood T1-weighted TSE.
 */
export const WEIGHTINGS = [
  'T1w',
  'T2w',
  'PDw',
  'PDw-FS',
  'FLAIR',
  'T2starw',
  'DWI',
  'bSSFP',
  'BB-T1w',
] as const;
/** An image weighting; see {@link WEIGHTINGS}. */
export type Weighting = (typeof WEIGHTINGS)[number];

/**
 * Anatomical landmarks a series is centred on. Each participant's body model gives every landmark
 * a position in patient coordinates (LPS, millimetres).
 */
export const LANDMARKS = [
  'brain',
  'carotid-bifurcation',
  'heart',
  'trunk',
  'abdomen',
  'liver',
  'lumbar-spine',
  'knee-right',
] as const;
/** A landmark; see {@link LANDMARKS}. */
export type Landmark = (typeof LANDMARKS)[number];

/** MR acquisition type (0018,0023): 2D slices or a 3D volume (PS3.3 C.8.3.1). */
export type MrAcquisitionType = '2D' | '3D';

/** In-plane phase-encoding direction (0018,1312): along rows or along columns. */
export type PhaseEncodingDirection = 'ROW' | 'COL';

/**
 * Sequence parameters of one series, each with its unit in the name. Values are what the scanner
 * writes into the DICOM header (PS3.3 C.8.3.1 MR Image Module, C.7.6.2 Image Plane Module).
 */
export interface SeriesParameters {
  /** Scanning Sequence (0018,0020), e.g. `["GR", "IR"]`. Compared as a set. */
  readonly scanningSequence: readonly string[];
  /** Sequence Variant (0018,0021), e.g. `["SK", "SP", "MP"]`. Compared as a set. */
  readonly sequenceVariant: readonly string[];
  /** Scan Options (0018,0022), e.g. `["IR"]`; may be empty. Compared as a set. */
  readonly scanOptions: readonly string[];
  /** MR Acquisition Type (0018,0023). */
  readonly mrAcquisitionType: MrAcquisitionType;
  /** In-plane Phase Encoding Direction (0018,1312). */
  readonly phaseEncodingDirection: PhaseEncodingDirection;
  /** Repetition Time (0018,0080), in milliseconds. */
  readonly repetitionTimeMs: number;
  /** Echo Time (0018,0081), in milliseconds. */
  readonly echoTimeMs: number;
  /** Inversion Time (0018,0082), in milliseconds; present exactly when the sequence has an inversion (`IR`). */
  readonly inversionTimeMs?: number;
  /** Flip Angle (0018,1314), in degrees. */
  readonly flipAngleDeg: number;
  /** Slice Thickness (0018,0050), in millimetres. */
  readonly sliceThicknessMm: number;
  /** Spacing Between Slices (0018,0088), centre to centre, in millimetres. */
  readonly spacingBetweenSlicesMm: number;
  /** Pixel Spacing (0028,0030): `[between rows, between columns]`, in millimetres. */
  readonly pixelSpacingMm: readonly [row: number, column: number];
  /** Rows (0028,0010): pixels along a column. */
  readonly rows: number;
  /** Columns (0028,0011): pixels along a row. */
  readonly columns: number;
  /** Number of slices, i.e. of single-frame instances in the series. */
  readonly slices: number;
  /** Number of Averages (0018,0083). */
  readonly numberOfAverages: number;
  /** Pixel Bandwidth (0018,0095), in hertz per pixel. */
  readonly pixelBandwidthHz: number;
  /** Echo Train Length (0018,0091): echoes per excitation; optional. */
  readonly echoTrainLength?: number;
}

/** Names of the numeric parameters: each has a {@link Tolerance}. */
export const NUMERIC_PARAMETERS = [
  'repetitionTimeMs',
  'echoTimeMs',
  'inversionTimeMs',
  'flipAngleDeg',
  'sliceThicknessMm',
  'spacingBetweenSlicesMm',
  'pixelSpacingMm',
  'rows',
  'columns',
  'slices',
  'numberOfAverages',
  'pixelBandwidthHz',
  'echoTrainLength',
] as const;
/** A numeric parameter name; see {@link NUMERIC_PARAMETERS}. */
export type NumericParameter = (typeof NUMERIC_PARAMETERS)[number];

/** Names of the categorical parameters: compared exactly (as sets for multi-valued ones). */
export const CATEGORICAL_PARAMETERS = [
  'scanningSequence',
  'sequenceVariant',
  'scanOptions',
  'mrAcquisitionType',
  'phaseEncodingDirection',
] as const;
/** A categorical parameter name; see {@link CATEGORICAL_PARAMETERS}. */
export type CategoricalParameter = (typeof CATEGORICAL_PARAMETERS)[number];

/** Any parameter name. */
export type ProtocolParameter = NumericParameter | CategoricalParameter;

/**
 * Where each parameter lives in a DICOM header, as eight upper-case hex digits and keyword
 * (PS3.6). `slices` has no tag: it is the number of instances in the series.
 */
export const PARAMETER_TAGS: Readonly<
  Record<ProtocolParameter, { readonly tag: string; readonly keyword: string } | undefined>
> = {
  scanningSequence: { tag: '00180020', keyword: 'ScanningSequence' },
  sequenceVariant: { tag: '00180021', keyword: 'SequenceVariant' },
  scanOptions: { tag: '00180022', keyword: 'ScanOptions' },
  mrAcquisitionType: { tag: '00180023', keyword: 'MRAcquisitionType' },
  phaseEncodingDirection: { tag: '00181312', keyword: 'InPlanePhaseEncodingDirection' },
  repetitionTimeMs: { tag: '00180080', keyword: 'RepetitionTime' },
  echoTimeMs: { tag: '00180081', keyword: 'EchoTime' },
  inversionTimeMs: { tag: '00180082', keyword: 'InversionTime' },
  flipAngleDeg: { tag: '00181314', keyword: 'FlipAngle' },
  sliceThicknessMm: { tag: '00180050', keyword: 'SliceThickness' },
  spacingBetweenSlicesMm: { tag: '00180088', keyword: 'SpacingBetweenSlices' },
  pixelSpacingMm: { tag: '00280030', keyword: 'PixelSpacing' },
  rows: { tag: '00280010', keyword: 'Rows' },
  columns: { tag: '00280011', keyword: 'Columns' },
  slices: undefined,
  numberOfAverages: { tag: '00180083', keyword: 'NumberOfAverages' },
  pixelBandwidthHz: { tag: '00180095', keyword: 'PixelBandwidth' },
  echoTrainLength: { tag: '00180091', keyword: 'EchoTrainLength' },
};

/**
 * How far a measured value may lie from the reference: it conforms when
 * `|actual − expected| ≤ abs + rel·|expected|` (the `numpy.isclose` rule mrQA uses).
 * Missing bounds count as 0, so `{}` means "exactly equal".
 */
export interface Tolerance {
  /** Absolute bound, in the parameter's own unit. @defaultValue 0 */
  readonly abs?: number;
  /** Relative bound, as a fraction of the reference (0.01 = 1 %). @defaultValue 0 */
  readonly rel?: number;
}

/** A tolerance for each numeric parameter (as written in a file: possibly partial). */
export type ToleranceMap = Readonly<Partial<Record<NumericParameter, Tolerance>>>;

/** Scanner expected at every site. */
export interface ProtocolScanner {
  /** Manufacturer (0008,0070), e.g. `SIEMENS`. */
  readonly manufacturer: string;
  /** Manufacturer's Model Name (0008,1090), e.g. `MAGNETOM Skyra`. */
  readonly manufacturerModelName: string;
  /** Magnetic Field Strength (0018,0087), in tesla. */
  readonly magneticFieldStrengthT: number;
}

/**
 * One rule that recognises a received series as a protocol series. A series matches the rule when
 * every given field matches; a field left out matches anything.
 *
 * @remarks
 * `seriesDescription` and `protocolName` are regular-expression sources (ECMAScript syntax),
 * matched case-insensitively against the whole value, i.e. as if written `^(?:…)$` with flag `i`.
 * The loader compiles them, so a bad pattern fails at load time.
 */
export interface SeriesMatchRule {
  /** Pattern for Series Description (0008,103E), anchored and case-insensitive. */
  readonly seriesDescription?: string;
  /** Pattern for Protocol Name (0018,1030), anchored and case-insensitive. */
  readonly protocolName?: string;
  /** Code strings that Scanning Sequence (0018,0020) must all contain (a subset test). */
  readonly scanningSequence?: readonly string[];
  /** MR Acquisition Type (0018,0023) the series must have. */
  readonly mrAcquisitionType?: MrAcquisitionType;
}

/** The header values of a received series that {@link matchesSeries} looks at. */
export interface SeriesMatchHeader {
  /** Series Description (0008,103E); leading and trailing spaces are ignored. */
  readonly seriesDescription?: string;
  /** Protocol Name (0018,1030); leading and trailing spaces are ignored. */
  readonly protocolName?: string;
  /** Scanning Sequence (0018,0020), all values. */
  readonly scanningSequence?: readonly string[];
  /** MR Acquisition Type (0018,0023). */
  readonly mrAcquisitionType?: string;
}

/**
 * Where a series is expected to image, and how far the measured geometry may stray. Resolved with
 * defaults by the loader, so every loaded series has one.
 */
export interface SeriesRegion {
  /**
   * Orientation family to expect: the slice normal lies along the L–R axis for `sag`, A–P for
   * `cor`, S–I for `ax`; for `sax` (double oblique) it is at least {@link SeriesRegion.obliqueMinDeg}
   * away from every cardinal axis.
   * @defaultValue the series' `orientation`
   */
  readonly orientation: Orientation;
  /** Largest angle between the measured slice normal and the expected axis, in degrees. @defaultValue 20 */
  readonly orientationToleranceDeg: number;
  /** For `sax`: smallest angle between the slice normal and each cardinal axis, in degrees. @defaultValue 15 */
  readonly obliqueMinDeg: number;
  /**
   * Expected centre of the field of view, LPS, in millimetres: in the session frame (estimated by
   * QA from all series of the session) at the reference stature, or, with `relativeTo`, as an
   * offset from that series' centre. No centre check when absent.
   */
  readonly centreMm?: Vec3;
  /** Largest deviation from `centreMm` per LPS axis, in millimetres. @defaultValue [40, 40, 50] */
  readonly centreToleranceMm: Vec3;
  /** Key of another series of the protocol whose measured centre `centreMm` is relative to. */
  readonly relativeTo?: string;
  /**
   * Whether `centreMm` scales with the participant's stature: multiplied by Patient's Size
   * (0010,1020) / {@link ProtocolRegion.referenceStatureM}.
   * @defaultValue true
   */
  readonly scaleWithStature: boolean;
  /**
   * Smallest extent along the slice normal, `(slices − 1)·spacing + thickness`, in millimetres.
   * When absent, {@link minimumCoverageMm} derives it from the parameters (−2 %).
   */
  readonly coverageMinMm?: number;
  /**
   * Largest relative deviation of the in-plane field of view (rows·row spacing, columns·column
   * spacing) from the expected one, as a fraction (0.02 = 2 %).
   * @defaultValue 0.02
   */
  readonly fovToleranceRel: number;
}

/** Protocol-wide settings of the region checks. */
export interface ProtocolRegion {
  /** Stature at which the series' `centreMm` hold, in metres. @defaultValue 1.75 */
  readonly referenceStatureM: number;
}

/** Default {@link SeriesRegion.orientationToleranceDeg}, in degrees. */
export const DEFAULT_ORIENTATION_TOLERANCE_DEG = 20;
/** Default {@link SeriesRegion.obliqueMinDeg}, in degrees. */
export const DEFAULT_OBLIQUE_MIN_DEG = 15;
/** Default {@link SeriesRegion.centreToleranceMm}, per LPS axis, in millimetres. */
export const DEFAULT_CENTRE_TOLERANCE_MM: Vec3 = [40, 40, 50];
/** Default {@link SeriesRegion.fovToleranceRel}, as a fraction. */
export const DEFAULT_FOV_TOLERANCE_REL = 0.02;
/** Default {@link ProtocolRegion.referenceStatureM}, in metres. */
export const DEFAULT_REFERENCE_STATURE_M = 1.75;
/** Slack under the expected slab extent that {@link minimumCoverageMm} allows, as a fraction. */
export const DEFAULT_COVERAGE_SLACK_REL = 0.02;

/**
 * Image-quality metrics a protocol may set thresholds on (their definitions live in QA):
 * `snr` signal-to-noise ratio by the background method (foreground mean over the Rayleigh-corrected
 * SD of the air), `snrMean` the same from the mean of the air, `snrDifference` SNR by the
 * difference method (NEMA MS 1) from a repeat, `snrLocal` foreground mean over the noise measured
 * inside the object (Immerkaer), `cnr` contrast-to-noise ratio, `efc` entropy focus criterion
 * (lower is sharper), `fber` foreground-to-background energy ratio, `ghostingRatio` ghost over
 * signal (lower is better), `sharpness` edge sharpness, `gradientRatio` phase- over readout-axis
 * gradient energy (falls with motion blur), `uqi` universal quality index (Wang & Bovik 2002,
 * 0…1). All are dimensionless.
 */
export const QUALITY_METRICS = [
  'snr',
  'snrMean',
  'snrDifference',
  'cnr',
  'efc',
  'fber',
  'ghostingRatio',
  'sharpness',
  'snrLocal',
  'gradientRatio',
  'uqi',
] as const;
/** A quality metric name; see {@link QUALITY_METRICS}. */
export type QualityMetric = (typeof QUALITY_METRICS)[number];

/** What a threshold or normative violation makes of a series: a warning or a failure. */
export type QualitySeverity = 'warn' | 'fail';

/** Bounds for one quality metric, in the metric's own (dimensionless) unit. */
export interface QualityThreshold {
  /** Smallest acceptable value, inclusive. */
  readonly min?: number;
  /** Largest acceptable value, inclusive. */
  readonly max?: number;
  /** Severity of a value outside `[min, max]`. @defaultValue 'fail' */
  readonly severity: QualitySeverity;
}

/** A threshold per quality metric (resolved: every threshold has its severity). */
export type QualityThresholds = Readonly<Partial<Record<QualityMetric, QualityThreshold>>>;

/**
 * How QA flags outliers against the site's own history: a value whose robust z-score (its distance
 * from the history's median in units of the scaled median absolute deviation; QA defines the
 * details) exceeds `robustZ`, once at least `minHistory` earlier values exist.
 */
export interface NormativePolicy {
  /** Robust z-score above which a value is an outlier (dimensionless). @defaultValue 5 */
  readonly robustZ: number;
  /** Earlier values of the same site and series needed before the check applies. @defaultValue 8 */
  readonly minHistory: number;
  /**
   * Metrics checked against the history.
   * @defaultValue ['snrLocal', 'ghostingRatio', 'gradientRatio', 'efc']
   */
  readonly metrics: readonly QualityMetric[];
  /** Severity of an outlier. @defaultValue 'warn' */
  readonly severity: QualitySeverity;
}

/** Default {@link NormativePolicy}. */
export const DEFAULT_NORMATIVE: NormativePolicy = {
  robustZ: 5,
  minHistory: 8,
  metrics: ['snrLocal', 'ghostingRatio', 'gradientRatio', 'efc'],
  severity: 'warn',
};

/** What one site changes in one series; each field given replaces (or merges over) the series'. */
export interface SiteSeriesOverride {
  /** Parameters replaced at this site (each field given replaces the series' value). */
  readonly parameters?: Partial<SeriesParameters>;
  /** Tolerances replaced at this site, per parameter. */
  readonly tolerances?: ToleranceMap;
  /** Quality thresholds replaced at this site, per metric. */
  readonly quality?: QualityThresholds;
  /** Region fields replaced at this site. */
  readonly region?: Partial<SeriesRegion>;
  /** Whether the series is required at this site. */
  readonly required?: boolean;
}

/** What one site does differently from the protocol; {@link protocolForSite} applies it. */
export interface SiteOverride {
  /** Scanner fields replaced at this site. */
  readonly scanner?: Partial<ProtocolScanner>;
  /** Per-series overrides, keyed by series `key`. */
  readonly series?: Readonly<Record<string, SiteSeriesOverride>>;
}

/** One series of the protocol. */
export interface ProtocolSeries {
  /** Stable identifier, `[a-z0-9_-]`, unique in the protocol; QA reports and folders use it. */
  readonly key: string;
  /** Series Number (0020,0011): the order in the session, unique in the protocol. */
  readonly seriesNumber: number;
  /** Series Description (0008,103E) as the scanner writes it. */
  readonly seriesDescription: string;
  /** Protocol Name (0018,1030) as the scanner writes it. */
  readonly protocolName: string;
  /** Examination module; optional (a learned protocol does not know it). */
  readonly module?: ProtocolModule;
  /**
   * Body Part Examined (0018,0015), a PS3.16 Annex L defined term such as `HEAD`; optional for
   * QA, needed by the synthetic generator.
   */
  readonly bodyPartExamined?: string;
  /**
   * Anatomical landmark the field of view is centred on (a position of the synthetic body model);
   * optional for QA, needed by the synthetic generator.
   */
  readonly landmark?: Landmark;
  /** Slice orientation. */
  readonly orientation: Orientation;
  /** Image weighting; optional for QA, needed by the synthetic generator. */
  readonly weighting?: Weighting;
  /** Whether a session without this series is incomplete. @defaultValue true */
  readonly required: boolean;
  /** Sequence parameters. */
  readonly parameters: SeriesParameters;
  /**
   * The tolerance of every numeric parameter this series has, resolved: the series' own
   * `tolerances` over the protocol's `defaultTolerances`.
   */
  readonly tolerances: Readonly<Partial<Record<NumericParameter, Tolerance>>>;
  /**
   * Rules that recognise this series in received data; it matches when any rule matches. When
   * absent, {@link defaultMatchRules}: exact `seriesDescription`, or exact `protocolName`
   * (case-insensitive).
   */
  readonly match?: readonly SeriesMatchRule[];
  /** Expected scan region, resolved with defaults. */
  readonly region: SeriesRegion;
  /**
   * Quality thresholds, resolved: the series' own `quality` over the protocol's `defaultQuality`
   * (per metric, a series entry replaces the default one).
   */
  readonly quality: QualityThresholds;
}

/** A validated protocol, as {@link loadProtocol} returns it. */
export interface Protocol {
  /** File format version; always {@link PROTOCOL_SCHEMA_VERSION}. */
  readonly schemaVersion: typeof PROTOCOL_SCHEMA_VERSION;
  /** Name, `[a-z0-9._-]`, e.g. `nako-like-3t`. */
  readonly name: string;
  /** Version of this protocol (recorded with every QA result), e.g. `1.0.0`. */
  readonly protocolVersion: string;
  /** What the protocol is for, in a sentence or two. */
  readonly description: string;
  /** Where the parameter values come from. */
  readonly references: readonly string[];
  /** The scanner every site uses. */
  readonly scanner: ProtocolScanner;
  /** Tolerances used where a series does not give its own. */
  readonly defaultTolerances: ToleranceMap;
  /** The series of one session, in acquisition order. */
  readonly series: readonly ProtocolSeries[];
  /** Protocol-wide region settings, resolved. */
  readonly region: ProtocolRegion;
  /** Quality thresholds used where a series does not give its own (already merged into each series). */
  readonly defaultQuality: QualityThresholds;
  /** Normative (site-history) outlier policy, resolved. */
  readonly normative: NormativePolicy;
  /**
   * Per-site overrides keyed by site identifier (`{}` when none); apply them with
   * {@link protocolForSite}, which returns a protocol with `sites` emptied.
   */
  readonly sites: Readonly<Record<string, SiteOverride>>;
}

/**
 * Whether `actual` conforms to `expected` under `tolerance`:
 * `|actual − expected| ≤ abs + rel·|expected|`.
 *
 * @example
 * ```ts
 * isWithinTolerance(2310, 2300, { rel: 0.01 }); // true: 10 ≤ 23
 * isWithinTolerance(3.1, 2.98, { abs: 0.05 }); // false
 * ```
 */
export function isWithinTolerance(actual: number, expected: number, tolerance: Tolerance): boolean {
  const bound = (tolerance.abs ?? 0) + (tolerance.rel ?? 0) * Math.abs(expected);
  // A tiny slack so that values written as decimal strings (DS) and read back still compare equal.
  return Math.abs(actual - expected) <= bound + 1e-9 * Math.max(1, Math.abs(expected));
}

/**
 * Extent of the imaged slab along the slice normal, `(slices − 1)·spacing + thickness`, in
 * millimetres.
 *
 * @example
 * ```ts
 * expectedCoverageMm({ slices: 12, spacingBetweenSlicesMm: 10, sliceThicknessMm: 8 }); // 118
 * ```
 */
export function expectedCoverageMm(
  parameters: Pick<SeriesParameters, 'slices' | 'spacingBetweenSlicesMm' | 'sliceThicknessMm'>,
): number {
  return (parameters.slices - 1) * parameters.spacingBetweenSlicesMm + parameters.sliceThicknessMm;
}

/**
 * In-plane field of view `[rows·row spacing, columns·column spacing]`, in millimetres: the extent
 * along a column (top to bottom) and along a row (left to right).
 */
export function expectedFovMm(
  parameters: Pick<SeriesParameters, 'rows' | 'columns' | 'pixelSpacingMm'>,
): readonly [alongColumn: number, alongRow: number] {
  return [
    parameters.rows * parameters.pixelSpacingMm[0],
    parameters.columns * parameters.pixelSpacingMm[1],
  ];
}

/**
 * The smallest acceptable slab extent of a series, in millimetres: its `region.coverageMinMm`, or
 * else {@link expectedCoverageMm} of its parameters less {@link DEFAULT_COVERAGE_SLACK_REL}.
 *
 * @remarks
 * Derived on demand rather than stored by the loader, so that a protocol rescaled afterwards (the
 * synthetic `small` cohorts, a site's parameter override) gets the coverage of its own parameters.
 */
export function minimumCoverageMm(series: {
  readonly parameters: Pick<
    SeriesParameters,
    'slices' | 'spacingBetweenSlicesMm' | 'sliceThicknessMm'
  >;
  readonly region: Pick<SeriesRegion, 'coverageMinMm'>;
}): number {
  return (
    series.region.coverageMinMm ??
    expectedCoverageMm(series.parameters) * (1 - DEFAULT_COVERAGE_SLACK_REL)
  );
}

/**
 * The expected centre of a series for a participant of `statureM`, LPS, in millimetres: its
 * `region.centreMm`, times `statureM / protocol.region.referenceStatureM` when the region scales
 * with stature and the stature is known; `undefined` when the series has no expected centre.
 *
 * @param statureM - Patient's Size (0010,1020), in metres; no scaling when undefined or not positive.
 */
export function expectedCentreMm(
  series: { readonly region: Pick<SeriesRegion, 'centreMm' | 'scaleWithStature'> },
  protocol: Pick<Protocol, 'region'>,
  statureM?: number,
): Vec3 | undefined {
  const centre = series.region.centreMm;
  if (centre === undefined) return undefined;
  if (!series.region.scaleWithStature || statureM === undefined || !(statureM > 0)) return centre;
  const k = statureM / protocol.region.referenceStatureM;
  return [centre[0] * k, centre[1] * k, centre[2] * k];
}

/**
 * Whether `value` lies within `threshold`'s `[min, max]` (inclusive; a missing bound is open).
 *
 * @example
 * ```ts
 * isWithinQuality(12, { min: 10, severity: 'fail' }); // true
 * ```
 */
export function isWithinQuality(value: number, threshold: QualityThreshold): boolean {
  return (
    (threshold.min === undefined || value >= threshold.min) &&
    (threshold.max === undefined || value <= threshold.max)
  );
}

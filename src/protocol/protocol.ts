/**
 * The acquisition protocol of an MR cohort: which series a session must contain, where each is
 * placed and with which sequence parameters, and how far a measured value may stray from the
 * reference. The same file drives the synthetic cohort generator and the QA conformity checks.
 *
 * The JSON form is documented in `examples/protocols/README.md`; {@link loadProtocol} validates it.
 */

/** Version of the protocol file format this code reads (field `schemaVersion`). */
export const PROTOCOL_SCHEMA_VERSION = 1;

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
  /** Examination module. */
  readonly module: ProtocolModule;
  /** Body Part Examined (0018,0015), a PS3.16 Annex L defined term such as `HEAD`. */
  readonly bodyPartExamined: string;
  /** Anatomical landmark the field of view is centred on. */
  readonly landmark: Landmark;
  /** Slice orientation. */
  readonly orientation: Orientation;
  /** Image weighting. */
  readonly weighting: Weighting;
  /** Whether a session without this series is incomplete. @defaultValue true */
  readonly required: boolean;
  /** Sequence parameters. */
  readonly parameters: SeriesParameters;
  /**
   * The tolerance of every numeric parameter this series has, resolved: the series' own
   * `tolerances` over the protocol's `defaultTolerances`.
   */
  readonly tolerances: Readonly<Partial<Record<NumericParameter, Tolerance>>>;
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

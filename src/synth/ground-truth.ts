import type { Vec3 } from '../core/index.js';
import type {
  Landmark,
  Orientation,
  PhaseEncodingDirection,
  Weighting,
} from '../protocol/index.js';
import type { CohortSize } from './scale-protocol.js';
import type { Tissue } from './tissues.js';

/**
 * Kinds of defect the generator can inject into a session, for QA to find. The order is the
 * order in which they are planned (each kind draws from its own stream; see `DefectRates`).
 */
export const DEFECT_KINDS = [
  'missing-series',
  'wrong-parameter',
  'region-shift',
  'extra-noise',
  'missing-slices',
  'truncated-coverage',
  'wrong-orientation',
  'ghosting',
  'motion-blur',
] as const;
/** A defect kind; see {@link DEFECT_KINDS}. */
export type DefectKind = (typeof DEFECT_KINDS)[number];

/** Header parameters a `wrong-parameter` defect can falsify. */
export const WRONG_PARAMETERS = [
  'repetitionTimeMs',
  'echoTimeMs',
  'flipAngleDeg',
  'sliceThicknessMm',
] as const;
/** A parameter a `wrong-parameter` defect can falsify; see {@link WRONG_PARAMETERS}. */
export type WrongParameter = (typeof WRONG_PARAMETERS)[number];

/** Where an injected defect sits. */
interface DefectSite {
  /** Patient ID of the participant. */
  readonly participantId: string;
  /** Visit name, e.g. `baseline`. */
  readonly visit: string;
  /** Study Instance UID as written into the files (before any pseudonymization at ingest). */
  readonly studyInstanceUid: string;
  /** Protocol key of the affected series. */
  readonly seriesKey: string;
}

/** Where an injected defect sits, for a series that was written. */
interface WrittenDefectSite extends DefectSite {
  /** Series Instance UID as written into the files (before any pseudonymization at ingest). */
  readonly seriesInstanceUid: string;
}

/**
 * One injected defect, with what was changed. A series carries at most one defect.
 *
 * @remarks
 * - `missing-series`: the series was not written at all.
 * - `wrong-parameter`: the header value of `parameter` is `actual` instead of the protocol's
 *   `expected` (outside tolerance): TR or TE 25–50 % off, the flip angle 30–50 % off, or the slice
 *   thickness 1.5–2 times the protocol's. Only the header (and, for TR and TE, the CSA protocol
 *   text) changes: the pixels are those of the protocol's parameters, and Spacing Between Slices
 *   keeps its value, so a thickened slice overlaps its neighbours on paper.
 * - `region-shift`: the field of view was moved by `shiftMm` (LPS); header geometry and pixels both
 *   show the shifted position, as when a technologist places the slab wrongly.
 * - `extra-noise`: noise σ is `factor` times the nominal σ.
 * - `missing-slices`: of the `plannedSlices` slices of the stack, the contiguous run
 *   `sliceIndices` (0-based, never the first or last slice) was not written, as when files are
 *   lost in transfer. The others are byte-identical to the defect-free series and keep their
 *   Instance Numbers (slice index + 1, also the file name), so both the numbering and Image
 *   Position (Patient) show the gap.
 * - `truncated-coverage`: the series was acquired with `slices` instead of `plannedSlices` slices
 *   (60–80 % of them, at least 2 fewer) at the planned slice positions from `firstSliceIndex` on:
 *   `cut` says where slices were lost (`both`: the slab stays centred as planned; `start`: the
 *   first planned slices are missing; `end`: the last ones). Instances are numbered 1…`slices`;
 *   the slab covers `coverageMm` instead of `plannedCoverageMm` and its centre moved by
 *   `centreOffsetMm` along the slice normal.
 * - `wrong-orientation`: the series was acquired in the `actual` orientation family instead of the
 *   protocol's `expected` one (sagittal, transverse and coronal become one of the other two; short
 *   axis becomes transverse), around the same centre with the same matrix, spacing and slice
 *   count; Image Orientation (Patient) and the pixels agree.
 * - `ghosting`: an N/2 (Nyquist) ghost: `amplitude` times the noise-free image, circularly shifted
 *   by `shiftPixels` (half the matrix) along the phase-encoding axis, is added before the noise.
 * - `motion-blur`: the noise-free image is convolved along the phase-encoding axis with a box of
 *   `widthPixels` pixels (edges replicated) before the noise is added.
 *
 * For `ghosting` and `motion-blur`, `phaseEncodingDirection` is the protocol's (0018,1312): `ROW`
 * means along a row (across columns), `COL` along a column (across rows). Both draw the same noise
 * as the defect-free series, so the pixel difference to it is the artefact alone (up to Rician
 * rectification where the signal is weak).
 */
export type DefectTruth =
  | (DefectSite & { readonly kind: 'missing-series' })
  | (WrittenDefectSite & {
      readonly kind: 'wrong-parameter';
      readonly parameter: WrongParameter;
      /** The protocol's value, in the parameter's unit (ms, degrees, mm). */
      readonly expected: number;
      /** The value written into the header, in the same unit. */
      readonly actual: number;
    })
  | (WrittenDefectSite & {
      readonly kind: 'region-shift';
      /** LPS, in millimetres. */
      readonly shiftMm: Vec3;
    })
  | (WrittenDefectSite & {
      readonly kind: 'extra-noise';
      /** Dimensionless, 2.5–4. */
      readonly factor: number;
      /** In stored pixel values. */
      readonly nominalNoiseSigma: number;
      /** In stored pixel values. */
      readonly noiseSigma: number;
    })
  | (WrittenDefectSite & {
      readonly kind: 'missing-slices';
      readonly plannedSlices: number;
      /** 0-based indices of the slices not written, ascending and contiguous (1–3 of them). */
      readonly sliceIndices: readonly number[];
      /** Their Instance Numbers (`sliceIndices` + 1), i.e. the missing file names. */
      readonly instanceNumbers: readonly number[];
    })
  | (WrittenDefectSite & {
      readonly kind: 'truncated-coverage';
      readonly plannedSlices: number;
      /** Slices acquired and written. */
      readonly slices: number;
      /** Where slices were lost: at both ends equally, at the start or at the end of the stack. */
      readonly cut: 'both' | 'start' | 'end';
      /** 0-based index, in the planned stack, of the first acquired slice. */
      readonly firstSliceIndex: number;
      /** In millimetres. */
      readonly spacingBetweenSlicesMm: number;
      /** `plannedSlices × spacingBetweenSlicesMm`, in millimetres. */
      readonly plannedCoverageMm: number;
      /** `slices × spacingBetweenSlicesMm`, in millimetres. */
      readonly coverageMm: number;
      /** Shift of the slab centre along the slice normal, in millimetres (0 for `both`). */
      readonly centreOffsetMm: number;
    })
  | (WrittenDefectSite & {
      readonly kind: 'wrong-orientation';
      readonly expected: Orientation;
      readonly actual: Orientation;
    })
  | (WrittenDefectSite & {
      readonly kind: 'ghosting';
      /** Ghost intensity relative to the object, 0.08–0.15. */
      readonly amplitude: number;
      readonly phaseEncodingDirection: PhaseEncodingDirection;
      /** Circular shift of the ghost along the phase-encoding axis, in pixels (half the matrix). */
      readonly shiftPixels: number;
    })
  | (WrittenDefectSite & {
      readonly kind: 'motion-blur';
      readonly kernel: 'box';
      /** Kernel width along the phase-encoding axis, in pixels: 5, 7 or 9. */
      readonly widthPixels: number;
      readonly phaseEncodingDirection: PhaseEncodingDirection;
    });

/** Current {@link DefectManifest} `schemaVersion`. */
export const DEFECT_MANIFEST_SCHEMA_VERSION = 1;

/**
 * The content of `defects.json`, written beside `ground-truth.json`: exactly which defects were
 * injected where, for QA evaluations that need nothing else.
 *
 * @remarks
 * `defects` lists every injected defect (the same objects as `GroundTruth.defects`) in participant,
 * session and protocol order; each names its participant, visit, study and series key, and every
 * kind but `missing-series` also its Series Instance UID. UIDs are those written into the files, as
 * the generator made them: ingest replaces them with pseudonyms, so match on the original UIDs
 * before de-identification or through the pseudonym map. The file is written even when no defect
 * was requested (`defects` is then empty).
 */
export interface DefectManifest {
  readonly schemaVersion: typeof DEFECT_MANIFEST_SCHEMA_VERSION;
  /** The seed as given (numbers as their decimal string). */
  readonly seed: string;
  /** Number of sessions (studies) in the cohort: the denominator of the rates. */
  readonly sessions: number;
  /** The requested fraction of sessions per kind, in [0, 1]. */
  readonly rates: Readonly<Record<DefectKind, number>>;
  readonly defects: readonly DefectTruth[];
}

/** What was written for one series, and the truth QA should recover from it. */
export interface SeriesTruth {
  readonly key: string;
  readonly seriesNumber: number;
  readonly seriesInstanceUid: string;
  /** Folder of the series' files, relative to the output folder (`/`-separated). */
  readonly directory: string;
  /** Number of files (single-frame instances). */
  readonly instances: number;
  /**
   * Instance Numbers (and file names) missing from the numbering 1…`instances` + their count, with
   * a `missing-slices` defect; absent otherwise.
   */
  readonly missingInstanceNumbers?: readonly number[];
  readonly weighting: Weighting;
  /** As acquired (differs from the protocol's only with a `wrong-orientation` defect). */
  readonly orientation: Orientation;
  readonly landmark: Landmark;
  readonly rows: number;
  readonly columns: number;
  /** `[between rows, between columns]`, in millimetres. */
  readonly pixelSpacingMm: readonly [number, number];
  /** As written into the header (differs from the protocol's with a `wrong-parameter` defect), in mm. */
  readonly sliceThicknessMm: number;
  /** In millimetres. */
  readonly spacingBetweenSlicesMm: number;
  /** Image Orientation (Patient): row then column direction cosines. */
  readonly imageOrientationPatient: readonly number[];
  /** Unit slice normal (row × column); Image Position (Patient) steps along it, instance by instance. */
  readonly normal: Vec3;
  /** Where the field of view should be centred (landmark plus positioning jitter), LPS, mm. */
  readonly nominalCentreMm: Vec3;
  /**
   * Where it was centred (differs from nominal only with a `region-shift` or a one-sided
   * `truncated-coverage` defect), LPS, mm.
   */
  readonly centreMm: Vec3;
  /** Image Position (Patient) of instance 1, in millimetres. */
  readonly firstImagePositionMm: Vec3;
  /** Repetition Time as written into the header, in milliseconds. */
  readonly repetitionTimeMs: number;
  /** Echo Time as written into the header, in milliseconds. */
  readonly echoTimeMs: number;
  /** Flip Angle as written into the header, in degrees. */
  readonly flipAngleDeg: number;
  /** σ of the Gaussian noise in each of the real and imaginary channels, in stored pixel values. */
  readonly noiseSigma: number;
  /** Stored value of relative signal 1000 (the reference tissue signal). */
  readonly referenceSignal: number;
  /** `referenceSignal / noiseSigma`. */
  readonly snr: number;
  /** Noise-free signal of every tissue, in stored pixel values (for CNR truth). */
  readonly tissueSignal: Readonly<Record<Tissue, number>>;
  /** Defects injected into this series. */
  readonly defects: readonly DefectKind[];
}

/** One imaging session (one study) of a participant. */
export interface SessionTruth {
  /** `baseline` or `follow-up-1`. */
  readonly visit: string;
  readonly studyInstanceUid: string;
  readonly frameOfReferenceUid: string;
  /** Study Date, `YYYYMMDD`. */
  readonly studyDate: string;
  /** Study Time, `HHMMSS`. */
  readonly studyTime: string;
  readonly accessionNumber: string;
  readonly studyId: string;
  /** Age at the study, in whole years. */
  readonly ageYears: number;
  /** Weight at the study, in kilograms. */
  readonly weightKg: number;
  /** Folder of the session, relative to the output folder. */
  readonly directory: string;
  /** Series written, in protocol order. */
  readonly series: readonly SeriesTruth[];
  /** Keys of protocol series deliberately left out (`missing-series` defects). */
  readonly missingSeries: readonly string[];
}

/** A participant: identity (the PHI the files carry) and the truth behind the images. */
export interface ParticipantTruth {
  /** Patient ID (0010,0020): site code plus six digits; also the participant's folder name. */
  readonly participantId: string;
  readonly siteId: string;
  /** Patient's Name (0010,0010) in DICOM PN form, e.g. `Müller^Anna`. */
  readonly patientName: string;
  /** Patient's Birth Date, `YYYYMMDD`. */
  readonly birthDate: string;
  readonly sex: 'F' | 'M';
  /** Patient's Address (0010,1040), fictitious. */
  readonly address: string;
  /** Body height, in metres. */
  readonly heightM: number;
  /** Landmark positions of the participant's phantom, LPS, in millimetres. */
  readonly landmarksMm: Readonly<Record<Landmark, Vec3>>;
  /** Left-ventricular long axis (base → apex), a unit vector in LPS. */
  readonly heartLongAxis: Vec3;
  readonly sessions: readonly SessionTruth[];
}

/** A site as recorded in the ground truth. */
export interface SiteTruth {
  readonly siteId: string;
  readonly institutionName: string;
  readonly institutionAddress: string;
  readonly stationName: string;
  readonly aeTitle: string;
  readonly deviceSerialNumber: string;
  /** In megahertz. */
  readonly imagingFrequencyMHz: number;
  /** Site factor applied to every noise σ, dimensionless. */
  readonly noiseFactor: number;
}

/** The content of `ground-truth.json`: everything the generator decided, for tests to compare against. */
export interface GroundTruth {
  readonly generator: { readonly name: 'medscale synth mr-cohort'; readonly formatVersion: 1 };
  /** The seed as given (numbers as their decimal string). */
  readonly seed: string;
  readonly size: CohortSize;
  /** The protocol the files follow (after size scaling), also written to `protocol.json`. */
  readonly protocol: {
    readonly name: string;
    readonly protocolVersion: string;
    readonly file: string;
  };
  /** Output layout, relative to the output folder. */
  readonly layout: string;
  readonly sites: readonly SiteTruth[];
  readonly participants: readonly ParticipantTruth[];
  readonly defects: readonly DefectTruth[];
  readonly totals: {
    readonly participants: number;
    readonly sessions: number;
    readonly series: number;
    readonly instances: number;
    /** Sum of file sizes, in bytes. */
    readonly bytes: number;
  };
}

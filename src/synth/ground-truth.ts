import type { Vec3 } from '../core/index.js';
import type { Landmark, Orientation, Weighting } from '../protocol/index.js';
import type { CohortSize } from './scale-protocol.js';
import type { Tissue } from './tissues.js';

/** Kinds of defect the generator can inject into a session, for QA to find. */
export const DEFECT_KINDS = [
  'missing-series',
  'wrong-parameter',
  'region-shift',
  'extra-noise',
] as const;
/** A defect kind; see {@link DEFECT_KINDS}. */
export type DefectKind = (typeof DEFECT_KINDS)[number];

/** Where an injected defect sits. */
interface DefectSite {
  /** Patient ID of the participant. */
  readonly participantId: string;
  /** Visit name, e.g. `baseline`. */
  readonly visit: string;
  readonly studyInstanceUid: string;
  /** Protocol key of the affected series. */
  readonly seriesKey: string;
}

/**
 * One injected defect, with what was changed.
 *
 * @remarks
 * - `missing-series`: the series was not written at all.
 * - `wrong-parameter`: the header value of `parameter` is `actual` instead of the protocol's
 *   `expected` (outside tolerance); the pixels are unchanged.
 * - `region-shift`: the field of view was moved by `shiftMm` (LPS); header geometry and pixels both
 *   show the shifted position, as when a technologist places the slab wrongly.
 * - `extra-noise`: noise σ is `factor` times the nominal σ.
 */
export type DefectTruth =
  | (DefectSite & { readonly kind: 'missing-series' })
  | (DefectSite & {
      readonly kind: 'wrong-parameter';
      readonly seriesInstanceUid: string;
      readonly parameter: 'repetitionTimeMs' | 'echoTimeMs';
      readonly expected: number;
      readonly actual: number;
    })
  | (DefectSite & {
      readonly kind: 'region-shift';
      readonly seriesInstanceUid: string;
      readonly shiftMm: Vec3;
    })
  | (DefectSite & {
      readonly kind: 'extra-noise';
      readonly seriesInstanceUid: string;
      readonly factor: number;
      readonly nominalNoiseSigma: number;
      readonly noiseSigma: number;
    });

/** What was written for one series, and the truth QA should recover from it. */
export interface SeriesTruth {
  readonly key: string;
  readonly seriesNumber: number;
  readonly seriesInstanceUid: string;
  /** Folder of the series' files, relative to the output folder (`/`-separated). */
  readonly directory: string;
  /** Number of files (single-frame instances). */
  readonly instances: number;
  readonly weighting: Weighting;
  readonly orientation: Orientation;
  readonly landmark: Landmark;
  readonly rows: number;
  readonly columns: number;
  /** `[between rows, between columns]`, in millimetres. */
  readonly pixelSpacingMm: readonly [number, number];
  /** In millimetres. */
  readonly sliceThicknessMm: number;
  /** In millimetres. */
  readonly spacingBetweenSlicesMm: number;
  /** Image Orientation (Patient): row then column direction cosines. */
  readonly imageOrientationPatient: readonly number[];
  /** Unit slice normal (row × column); Image Position (Patient) steps along it, instance by instance. */
  readonly normal: Vec3;
  /** Where the field of view should be centred (landmark plus positioning jitter), LPS, mm. */
  readonly nominalCentreMm: Vec3;
  /** Where it was centred (differs from nominal only with a `region-shift` defect), LPS, mm. */
  readonly centreMm: Vec3;
  /** Image Position (Patient) of instance 1, in millimetres. */
  readonly firstImagePositionMm: Vec3;
  /** Repetition Time as written into the header, in milliseconds. */
  readonly repetitionTimeMs: number;
  /** Echo Time as written into the header, in milliseconds. */
  readonly echoTimeMs: number;
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

import type { Vec3 } from '../../core/index.js';
import type { CarotidArteryModel, CarotidBranch, CarotidSide } from './carotid-model.js';
import type { BmodeSettings } from './kernels/bmode.js';
import type { FrameMotion } from './render-image.js';
import type { ColourMap } from './scanners.js';
import type { ViewKind, ViewMeasurements, ViewTarget } from './views.js';

/** Mask labels of the carotid ultrasound masks. */
export const CAROTID_US_LABELS = {
  background: 0,
  lumen: 1,
  /** Intima-media complex and plaque. */
  wall: 2,
} as const;

/** One patient of the synthetic carotid cohort. */
export interface CarotidUsPatientTruth {
  /** `P001`, `P002`, …; the folder name and the prefix of every file of the patient. */
  readonly patientId: string;
  readonly sex: 'F' | 'M';
  readonly ageYears: number;
  readonly heightCm: number;
  readonly weightKg: number;
  /** Key of the ultrasound system (see `ULTRASOUND_SCANNERS`). */
  readonly scanner: string;
  /** Image ids of the patient, in order. */
  readonly images: readonly string[];
  /** The 3D model of each side's carotid bifurcation every view of that side cuts. */
  readonly arteries: Readonly<Record<CarotidSide, CarotidArteryModel>>;
}

/** One stored image (one DICOM instance: a single frame or a cine loop) and its truth. */
export interface CarotidUsImageTruth {
  /** `<patientId>_<NN>`, e.g. `P001_03`. */
  readonly imageId: string;
  readonly patientId: string;
  /** DICOM file, relative to the output folder. */
  readonly file: string;
  /** Mask PNG per frame, relative to the output folder (frame 0 first). */
  readonly masks: readonly string[];
  readonly frames: number;
  readonly side: CarotidSide;
  readonly view: ViewKind;
  /** Longitudinal: `bifurcation`, `cca`, `ica` or `eca`; transversal: the branch cut. */
  readonly target: ViewTarget;
  /** Branches with lumen pixels in frame 0. */
  readonly branchesInView: readonly CarotidBranch[];
  /**
   * Transversal: axial position of the cut on the target branch, mm from the flow divider
   * (negative: proximal, in the CCA). Longitudinal: the same for the point of the plane's axis
   * at the region's centre column.
   */
  readonly positionMm: number;
  /** [column, row] spacing, mm (equal: square pixels); also in the DICOM's ultrasound region. */
  readonly pixelSpacingMm: readonly [number, number];
  /** Stored image size, pixels. */
  readonly columns: number;
  readonly rows: number;
  /** The imaging region inside the stored image, inclusive pixel bounds; the mask is 0 outside. */
  readonly region: {
    readonly x0: number;
    readonly y0: number;
    readonly x1: number;
    readonly y1: number;
  };
  readonly photometricInterpretation: 'MONOCHROME2' | 'RGB';
  readonly colourMap: ColourMap;
  readonly scanner: string;
  readonly frequencyMHz: number;
  /**
   * The imaging plane in the side's model coordinates (mm): the centre of region pixel
   * (0, 0) is `origin`; stored-image pixel (x, y) lies at
   * `origin + (x − region.x0)·spacing·u + (y − region.y0)·spacing·v` (frame 0, no motion).
   */
  readonly plane: { readonly origin: Vec3; readonly u: Vec3; readonly v: Vec3 };
  readonly rotationDeg: number;
  readonly tiltDeg: number;
  readonly obliquityDeg: number;
  readonly headLeft: boolean;
  /** Depth of the target axis below the skin line at the region's centre column, mm. */
  readonly vesselDepthMm: number;
  readonly measurements: ViewMeasurements;
  /** The side's ICA stenosis, NASCET %. */
  readonly nascetPercent: number;
  /** Frame timing and motion of a cine loop (one entry per frame). */
  readonly frameTimeMs: number;
  readonly motion: readonly FrameMotion[];
  readonly bmode: BmodeSettings;
}

/** `ground-truth.json` of `synthesizeCarotidUs`. */
export interface CarotidUsGroundTruth {
  readonly generator: { readonly name: string; readonly formatVersion: number };
  readonly seed: string;
  readonly size: 'small' | 'full';
  /** The file layout, see `CAROTID_US_LAYOUT`. */
  readonly layout: string;
  readonly labels: typeof CAROTID_US_LABELS;
  readonly patients: readonly CarotidUsPatientTruth[];
  readonly images: readonly CarotidUsImageTruth[];
  readonly totals: {
    readonly patients: number;
    readonly images: number;
    readonly frames: number;
    /** Bytes of DICOM and mask files. */
    readonly bytes: number;
  };
}

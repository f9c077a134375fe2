import { PlatformError } from '../../core/index.js';
import type { Vec3 } from '../../core/index.js';

/** The three vessels of the carotid bifurcation: common, internal and external carotid artery. */
export type CarotidBranchName = 'cca' | 'ica' | 'eca';

/** The three branch names, in the order geometries list them. */
export const CAROTID_BRANCHES: readonly CarotidBranchName[] = ['cca', 'ica', 'eca'];

/** Which carotid: decides on which side of the model frame the ICA lies (see {@link CarotidGeometry}). */
export type CarotidSide = 'left' | 'right';

/** Where a quantity or a part of the geometry comes from. */
export type CarotidSource = 'patient' | 'generic';

/**
 * Provenance of one output quantity or one part of a branch.
 *
 * @remarks
 * `patient` means measured on the views named in `views` (`longitudinal[0]`, `transversal[2]`: the
 * index into {@link CarotidViews}' arrays); `generic` means taken from the generic model
 * (Bharadvaj et al. 1982 proportions, see {@link CarotidGenericParameters}), possibly scaled by
 * patient measurements, which `note` then says.
 */
export interface CarotidProvenance {
  readonly source: CarotidSource;
  /** The views the value was measured on; empty for `generic`. */
  readonly views: readonly string[];
  /**
   * For branch parts: the axial ranges (mm from the flow divider, see
   * {@link CarotidSection.positionMm}) that were measured; the rest of the branch is generic.
   */
  readonly rangesMm?: readonly (readonly [from: number, to: number])[];
  /** Free text: how the value was obtained when that is not obvious. */
  readonly note?: string;
}

/**
 * One cross-section of a branch, perpendicular to its axis.
 *
 * @remarks
 * The vessel axis runs through the centre of the outer wall boundary, so that a plaque moves the
 * lumen off-centre while the axis stays (the outer boundary of a diseased wall is kept: positive
 * remodelling aside, plaque grows into the lumen). Lumen and outer boundary are ellipses whose
 * principal axes lie along `normalU` (in the bifurcation plane) and `normalV` (perpendicular to
 * it). Kamenskiy et al. (J Biomech Eng 2012, 16 diseased carotids) report elliptical sections with
 * an axis ratio of about 1.2.
 */
export interface CarotidSection {
  /**
   * Axial position in millimetres, measured from the flow divider (the apex between the ICA and ECA
   * lumens): on the CCA the coordinate along the CCA axis (negative, proximal); on the ICA and ECA
   * the arc length along the branch axis from the foot of the perpendicular dropped from the apex
   * onto that axis (positive, distal). Sections between the branch junction and the apex have
   * negative positions on the ICA and ECA too.
   */
  readonly positionMm: number;
  /** Point of the vessel axis (centre of the outer wall boundary), model frame, mm. */
  readonly center: Vec3;
  /** Unit vector along the axis, pointing distally (away from the heart). */
  readonly tangent: Vec3;
  /**
   * Unit normal in the bifurcation plane: on the CCA it points toward the ICA side; on the ICA and
   * ECA away from the other daughter branch (toward the branch's outer wall, the wall opposite the
   * flow divider).
   */
  readonly normalU: Vec3;
  /** Unit normal perpendicular to the bifurcation plane (model +y). */
  readonly normalV: Vec3;
  /** Lumen centre relative to `center`, along `normalU` and `normalV`, mm. */
  readonly lumenOffsetMm: readonly [u: number, v: number];
  /** Lumen semi-axes along `normalU` and `normalV`, mm. */
  readonly lumenSemiAxesMm: readonly [u: number, v: number];
  /** Outer wall (media–adventitia side of the wall mask) semi-axes along `normalU`, `normalV`, mm. */
  readonly outerSemiAxesMm: readonly [u: number, v: number];
  /** Whether the section's diameters were measured on the patient's views or are generic. */
  readonly source: CarotidSource;
}

/** Provenance of each part of a branch. */
export interface CarotidBranchProvenance {
  /** Position and direction of the axis. */
  readonly centerline: CarotidProvenance;
  /** Lumen and outer diameters in the bifurcation plane along the branch. */
  readonly diameters: CarotidProvenance;
  /** Cross-section shape (ellipse axis ratio) perpendicular to the bifurcation plane. */
  readonly crossSection: CarotidProvenance;
  /** Wall thickness and plaque. */
  readonly wall: CarotidProvenance;
}

/** One branch: sections ordered proximal to distal, every 0.25 mm along the axis. */
export interface CarotidBranchGeometry {
  readonly name: CarotidBranchName;
  /** `cca` for the ICA and ECA, absent for the CCA. */
  readonly parent?: 'cca';
  readonly sections: readonly CarotidSection[];
  readonly provenance: CarotidBranchProvenance;
}

/**
 * A carotid bifurcation: three branches of elliptical sections along (possibly curved) axes.
 *
 * @remarks
 * Model frame, in millimetres, oriented as DICOM LPS: the origin is the flow-divider apex; +z runs
 * along the CCA axis toward the head (superior); the bifurcation lies in the x–z plane with the ICA
 * toward the patient's lateral side (−x for a right carotid, +x for a left one); +y (posterior) is
 * perpendicular to the bifurcation plane. 2D ultrasound without probe tracking does not give the
 * scanner's patient coordinates: this frame is a convention that puts the model the right way up.
 * The CCA ends and the ICA and ECA begin at `junction`, where the branch axes meet.
 */
export interface CarotidGeometry {
  readonly side: CarotidSide;
  /** Point where the branch axes meet (proximal to the apex), model frame, mm. */
  readonly junction: Vec3;
  /** The branches, in the order cca, ica, eca. */
  readonly branches: readonly CarotidBranchGeometry[];
}

/** The branch of a geometry with the given name (every geometry has all three). */
export function carotidBranch(
  geometry: CarotidGeometry,
  name: CarotidBranchName,
): CarotidBranchGeometry {
  const branch = geometry.branches.find((b) => b.name === name);
  if (branch === undefined)
    throw new PlatformError('ERR_RECONSTRUCT_INPUT', `carotid geometry has no ${name} branch`);
  return branch;
}

/** Equivalent (same-area) lumen diameter of a section, mm: 2·sqrt(a_u·a_v). */
export function lumenDiameterMm(section: CarotidSection): number {
  return 2 * Math.sqrt(section.lumenSemiAxesMm[0] * section.lumenSemiAxesMm[1]);
}

/** Equivalent (same-area) outer diameter of a section, mm. */
export function outerDiameterMm(section: CarotidSection): number {
  return 2 * Math.sqrt(section.outerSemiAxesMm[0] * section.outerSemiAxesMm[1]);
}

/**
 * Largest wall thickness of a section, mm: the outer minus the lumen boundary along ±u and ±v (the
 * plaque side of an eccentric lumen is the thick one).
 */
export function sectionMaxWallThicknessMm(section: CarotidSection): number {
  const [cu, cv] = section.lumenOffsetMm;
  const [au, av] = section.lumenSemiAxesMm;
  const [ou, ov] = section.outerSemiAxesMm;
  return Math.max(ou - au + Math.abs(cu), ov - av + Math.abs(cv));
}

import { PlatformError } from '../../core/index.js';
import type { Image2D } from '../../core/index.js';
import type { CarotidBranchName, CarotidSide } from './carotid-geometry.js';

/**
 * Label values of a carotid ultrasound mask: 0 background, 1 lumen, 2 wall (intima–media complex
 * and plaque, up to the media–adventitia boundary).
 */
export const CAROTID_MASK_LABELS = { background: 0, lumen: 1, wall: 2 } as const;

/**
 * A longitudinal (long-axis) B-mode view: the image plane contains the axis of the vessel(s) it
 * shows, and image x (columns) runs along that axis.
 *
 * @remarks
 * Pixel geometry: the mask is `columns` × `rows` samples, row-major (`data[column + row · columns]`),
 * one sample per pixel; `pixelSpacing` = [column spacing, row spacing] in mm is required. Pixel
 * (column c, row r) has its centre at (c · spacing[0], r · spacing[1]) mm from the centre of pixel
 * (0, 0), as `Volume` has it for voxels.
 *
 * - `covers: 'bifurcation'`: the plane is the bifurcation plane (the "tuning-fork" view), showing
 *   the distal CCA, the flow divider and the proximal ICA and ECA. Columns run along the CCA axis; the
 *   CCA may be tilted a few degrees (the axis is fitted). The flow divider is found in the mask as
 *   the most proximal column from which two lumens run on separately, so no landmark is needed.
 *   Give `icaToward`: the side (top = row 0) toward which the ICA leaves.
 * - `covers: 'cca' | 'ica' | 'eca'`: one branch; columns run along its axis and `axialOriginMm`
 *   is the axial position of the vessel axis at column 0 (see
 *   {@link CarotidTransversalView.positionMm} for the axial coordinate; a tilt of the vessel against
 *   the columns is fitted and allowed for).
 *   `outerWallToward` (optional) says which image side shows the branch's outer wall (for the CCA:
 *   the side toward which the ICA will leave); without it, the lumen's in-plane offset is not used.
 *
 * In every case the reconstruction assumes the plane is the bifurcation plane (a single-branch view
 * in another plane still gives correct diameters, not the in-plane offsets). Only lumen (1) is
 * needed; wall (2) gives the wall thickness, the plaque and the outer surface (generic otherwise).
 */
export interface CarotidLongitudinalView {
  /** Labels 0/1/2, with `pixelSpacing` [column, row] in mm. */
  readonly mask: Image2D<Uint8Array>;
  /** What the image shows. */
  readonly covers: 'bifurcation' | CarotidBranchName;
  /**
   * Which image edge is distal (toward the head): column index grows distally for `right`.
   * @defaultValue `'right'`
   */
  readonly distalToward?: 'left' | 'right';
  /** Bifurcation views: the image side (top = row 0) toward which the ICA leaves. Required there. */
  readonly icaToward?: 'top' | 'bottom';
  /** Single-branch views: axial position of column 0's centre, mm. Required there. */
  readonly axialOriginMm?: number;
  /** Single-branch views: the image side showing the branch's outer wall (see above). */
  readonly outerWallToward?: 'top' | 'bottom';
}

/**
 * A transversal (short-axis) view: the image plane is perpendicular to one branch's axis at a known
 * axial position.
 *
 * @remarks
 * Same pixel geometry as {@link CarotidLongitudinalView}. The vessel of interest is the connected
 * lumen-plus-wall region closest to the image centre (other vessels may show). Columns are taken
 * as the in-plane direction u (see `CarotidSection.normalU`, column index growing along +u) and rows
 * as the out-of-plane direction v, so the ellipse axis ratio v/u is meaningful when the probe is held
 * that way; areas and equivalent diameters do not depend on it.
 */
export interface CarotidTransversalView {
  /** Labels 0/1/2, with `pixelSpacing` [column, row] in mm. */
  readonly mask: Image2D<Uint8Array>;
  readonly branch: CarotidBranchName;
  /**
   * Axial position of the cut, mm from the flow divider (the apex between the ICA and ECA lumens):
   * on the CCA measured along its axis, negative = proximal; on the ICA and ECA the distance along the
   * branch axis from the foot of the perpendicular dropped from the apex onto it (positive, distal).
   */
  readonly positionMm: number;
}

/**
 * The ultrasound masks of one carotid bifurcation: what `reconstructCarotid` takes.
 *
 * @example
 * ```ts
 * const views: CarotidViews = {
 *   side: 'right',
 *   longitudinal: [{ mask, covers: 'bifurcation', icaToward: 'top' }],
 *   transversal: [{ mask: cut, branch: 'cca', positionMm: -20 }],
 * };
 * ```
 */
export interface CarotidViews {
  /** Which carotid; sets the ICA's side in the model frame. */
  readonly side: CarotidSide;
  readonly longitudinal: readonly CarotidLongitudinalView[];
  readonly transversal: readonly CarotidTransversalView[];
}

function fail(message: string): never {
  throw new PlatformError('ERR_RECONSTRUCT_INPUT', message);
}

function checkMask(mask: Image2D<Uint8Array>, name: string): void {
  if (!(mask.data instanceof Uint8Array)) fail(`${name}: the mask must be a Uint8Array`);
  if (mask.samplesPerPixel !== 1) fail(`${name}: the mask must have one sample per pixel`);
  if (
    !Number.isInteger(mask.columns) ||
    !Number.isInteger(mask.rows) ||
    mask.columns < 8 ||
    mask.rows < 8
  )
    fail(`${name}: the mask must be at least 8 × 8 pixels, got ${mask.columns} × ${mask.rows}`);
  if (mask.data.length !== mask.columns * mask.rows)
    fail(
      `${name}: the mask holds ${mask.data.length} samples, ${mask.columns} × ${mask.rows} need ${mask.columns * mask.rows}`,
    );
  const sp = mask.pixelSpacing;
  if (sp === undefined || !(sp[0] > 0) || !(sp[1] > 0))
    fail(`${name}: give pixelSpacing [column, row] in mm (positive)`);
  for (const v of mask.data) {
    if (v > 2) fail(`${name}: labels must be 0 (background), 1 (lumen) or 2 (wall), found ${v}`);
  }
}

/**
 * Checks views before reconstruction and throws `ERR_RECONSTRUCT_INPUT` saying what to fix.
 */
export function checkCarotidViews(views: CarotidViews): void {
  // Views often come from JSON: check what the types cannot.
  const side: unknown = views.side;
  if (side !== 'left' && side !== 'right')
    fail(`side must be "left" or "right", got ${String(side)}`);
  views.longitudinal.forEach((view, i) => {
    const name = `longitudinal[${i}]`;
    checkMask(view.mask, name);
    const covers: unknown = view.covers;
    if (covers === 'bifurcation') {
      if (view.icaToward !== 'top' && view.icaToward !== 'bottom')
        fail(`${name}: a bifurcation view needs icaToward "top" or "bottom"`);
    } else if (covers === 'cca' || covers === 'ica' || covers === 'eca') {
      if (view.axialOriginMm === undefined || !Number.isFinite(view.axialOriginMm))
        fail(`${name}: a single-branch view needs axialOriginMm (axial position of column 0)`);
    } else {
      fail(`${name}: covers must be bifurcation, cca, ica or eca, got ${String(covers)}`);
    }
  });
  views.transversal.forEach((view, i) => {
    const name = `transversal[${i}]`;
    checkMask(view.mask, name);
    const branch: unknown = view.branch;
    if (branch !== 'cca' && branch !== 'ica' && branch !== 'eca')
      fail(`${name}: branch must be cca, ica or eca, got ${String(branch)}`);
    if (!Number.isFinite(view.positionMm)) fail(`${name}: positionMm must be a number`);
  });
  if (views.longitudinal.length === 0 && views.transversal.length === 0)
    fail('no views: give at least one longitudinal or transversal mask');
}

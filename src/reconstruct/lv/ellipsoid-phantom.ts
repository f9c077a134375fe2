import { PlatformError } from '../../core/index.js';
import type { Image2D } from '../../core/index.js';
import type { Point2 } from './lv-long-axis.js';
import type { TruncatedEllipsoid } from './truncated-ellipsoid.js';

/** One labelled truncated ellipsoid of an {@link ellipsoidSectionMask}. */
export interface PhantomLayer {
  readonly ellipsoid: TruncatedEllipsoid;
  /** Value of the pixels inside it (later layers paint over earlier ones), 1–255. */
  readonly label: number;
}

/** Where and how an {@link ellipsoidSectionMask} is drawn. */
export interface SectionOptions {
  /** Which long-axis plane: `a4c` cuts through `b₄` (x), `a2c` through `b₂` (y). */
  readonly view: 'a4c' | 'a2c';
  readonly columns: number;
  readonly rows: number;
  /** Pixel spacing [column, row], in mm. */
  readonly pixelSpacingMm: readonly [number, number];
  /** Image position of the ellipsoids' common centre, in mm (`x = column·Δx`, `y = row·Δy`). */
  readonly centreMm: Point2;
  /** Angle of the centre→base direction from the image's +y (downwards) axis, in degrees. @defaultValue 0 */
  readonly tiltDeg?: number;
}

/**
 * The exact apical-view mask of concentric truncated ellipsoids sharing one long axis: a pixel
 * gets the label of the last layer whose section (an ellipse cut at the base plane) contains its
 * centre. A phantom with analytic volumes for validating the disc methods (base down, apex up
 * when `tiltDeg` is 0, as in apical echo views).
 */
export function ellipsoidSectionMask(
  layers: readonly PhantomLayer[],
  options: SectionOptions,
): Image2D<Uint8Array> {
  const { columns, rows } = options;
  const [sx, sy] = options.pixelSpacingMm;
  if (
    !(sx > 0 && sy > 0) ||
    !Number.isInteger(columns) ||
    !Number.isInteger(rows) ||
    columns < 1 ||
    rows < 1
  )
    throw new PlatformError(
      'ERR_RECONSTRUCT_INPUT',
      'phantom needs a positive size and pixel spacing',
    );
  const theta = ((options.tiltDeg ?? 0) * Math.PI) / 180;
  const dx = Math.sin(theta);
  const dy = Math.cos(theta);
  const data = new Uint8Array(columns * rows);
  const [cx, cy] = options.centreMm;
  for (const { ellipsoid: e, label } of layers) {
    const a = e.longSemiAxisMm;
    const b = options.view === 'a4c' ? e.shortSemiAxesMm[0] : e.shortSemiAxesMm[1];
    const h = e.truncationMm;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const px = c * sx - cx;
        const py = r * sy - cy;
        const z = px * dx + py * dy;
        const x = px * dy - py * dx;
        if (z <= h && (x * x) / (b * b) + (z * z) / (a * a) <= 1) data[r * columns + c] = label;
      }
    }
  }
  return { columns, rows, samplesPerPixel: 1, pixelSpacing: [sx, sy], data };
}

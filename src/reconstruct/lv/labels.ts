import { PlatformError } from '../../core/index.js';
import type { Image2D } from '../../core/index.js';

/**
 * A 256-entry lookup table, 1 for the given labels and 0 elsewhere; no labels means every
 * non-zero value.
 */
export function labelTable(labels?: readonly number[]): Uint8Array {
  const table = new Uint8Array(256);
  if (labels === undefined || labels.length === 0) {
    table.fill(1, 1);
    return table;
  }
  for (const label of labels) {
    if (!Number.isInteger(label) || label < 0 || label > 255)
      throw new PlatformError(
        'ERR_RECONSTRUCT_INPUT',
        `labels must be integers in 0–255, got ${label}`,
      );
    table[label] = 1;
  }
  return table;
}

/**
 * The binary mask (1 inside, 0 outside) of the pixels of a label image whose value is one of
 * `labels`, keeping size and pixel spacing: e.g. the endocardial mask (cavity label) or the
 * epicardial one (cavity and myocardium labels) of a labelled apical view.
 */
export function labelMask(image: Image2D, labels: readonly number[]): Image2D<Uint8Array> {
  const table = labelTable(labels);
  const n = image.data.length;
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = image.data[i] ?? 0;
    data[i] = Number.isInteger(v) && v >= 0 && v <= 255 ? (table[v] ?? 0) : 0;
  }
  return {
    columns: image.columns,
    rows: image.rows,
    samplesPerPixel: 1,
    ...(image.pixelSpacing === undefined ? {} : { pixelSpacing: image.pixelSpacing }),
    data,
  };
}

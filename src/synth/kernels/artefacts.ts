/**
 * Axis of an image along which an artefact kernel works: `row` runs along a row (across columns,
 * DICOM phase-encoding direction `ROW`), `column` along a column (across rows, `COL`).
 */
export type ImageAxis = 'row' | 'column';

/**
 * Adds an N/2 (Nyquist) ghost to a noise-free image in place: `image += amplitude × shift(image)`,
 * where `shift` moves the image circularly by `floor(N / 2)` pixels along `axis` (N: the matrix
 * size along it), as a phase-encoding line alternation (EPI, odd/even echo mismatch) produces.
 *
 * @param image - row-major `rows × columns` signal, in stored pixel values; overwritten.
 * @param amplitude - ghost intensity relative to the object, dimensionless.
 * @returns the shift, in pixels.
 */
export function addNyquistGhost(
  image: Float64Array,
  rows: number,
  columns: number,
  axis: ImageAxis,
  amplitude: number,
): number {
  const source = image.slice(0, rows * columns);
  if (axis === 'row') {
    const shift = Math.floor(columns / 2);
    for (let r = 0; r < rows; r++) {
      const base = r * columns;
      for (let c = 0; c < columns; c++) {
        const to = base + ((c + shift) % columns);
        image[to] = image[to]! + amplitude * source[base + c]!;
      }
    }
    return shift;
  }
  const shift = Math.floor(rows / 2);
  for (let r = 0; r < rows; r++) {
    const from = r * columns;
    const to = ((r + shift) % rows) * columns;
    for (let c = 0; c < columns; c++)
      image[to + c] = image[to + c]! + amplitude * source[from + c]!;
  }
  return shift;
}

/**
 * Blurs a noise-free image in place with a box of `width` pixels (odd) along `axis`, pixels
 * beyond the edge replicating the edge pixel: the smear that motion during phase encoding leaves.
 *
 * @param image - row-major `rows × columns` signal, in stored pixel values; overwritten.
 * @param width - kernel width, in pixels, odd and ≥ 1.
 */
export function boxBlur(
  image: Float64Array,
  rows: number,
  columns: number,
  axis: ImageAxis,
  width: number,
): void {
  const half = (width - 1) >> 1;
  const source = image.slice(0, rows * columns);
  // Step between neighbours along the axis, number of lines and their length and stride.
  const [step, length, lines, lineStride] =
    axis === 'row' ? [1, columns, rows, columns] : [columns, rows, columns, 1];
  for (let line = 0; line < lines; line++) {
    const base = line * lineStride;
    for (let i = 0; i < length; i++) {
      let sum = 0;
      for (let d = -half; d <= half; d++) {
        const j = Math.min(length - 1, Math.max(0, i + d));
        sum += source[base + j * step]!;
      }
      image[base + i * step] = sum / width;
    }
  }
}

/**
 * Draws labels over a grey image as 8-bit RGB: the image windowed to its 1st–99th percentile,
 * each label blended with its colour at `alpha`, its contour (labelled pixels with a 4-neighbour
 * of another label) in full colour. `colours[v - 1]` is the RGB of label v.
 */
export function renderLabelOverlay(
  grey: ArrayLike<number>,
  labels: Uint8Array,
  width: number,
  height: number,
  colours: readonly (readonly [number, number, number])[],
  alpha = 0.35,
): Uint8Array {
  const n = width * height;
  const sorted = Float32Array.from({ length: n }, (_, i) => grey[i]!).sort();
  const lo = sorted[Math.floor(0.01 * (n - 1))] ?? 0;
  const hi = sorted[Math.ceil(0.99 * (n - 1))] ?? 1;
  const scale = hi > lo ? 255 / (hi - lo) : 1;
  const out = new Uint8Array(n * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const g = Math.min(255, Math.max(0, (grey[p]! - lo) * scale));
      const v = labels[p]!;
      const c = v === 0 ? undefined : colours[(v - 1) % colours.length];
      if (c === undefined) {
        out[p * 3] = out[p * 3 + 1] = out[p * 3 + 2] = g;
        continue;
      }
      const edge =
        (x > 0 && labels[p - 1] !== v) ||
        (x < width - 1 && labels[p + 1] !== v) ||
        (y > 0 && labels[p - width] !== v) ||
        (y < height - 1 && labels[p + width] !== v);
      const a = edge ? 1 : alpha;
      for (let k = 0; k < 3; k++) out[p * 3 + k] = Math.round(g * (1 - a) + c[k]! * a);
    }
  return out;
}

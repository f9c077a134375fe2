/**
 * Packs binary frames for a 1-bit Pixel Data (PS3.5 §8.1.1, PS3.3 C.8.20.2): frame after frame
 * with no padding between them, each pixel one bit, least significant bit first, the whole
 * padded to an even length. `frames` lists, per frame, the slice `k` of `labels` (`pixels`
 * values per slice) and the label `value` it shows.
 */
export function packFrames(
  labels: Uint8Array,
  pixels: number,
  frames: readonly { readonly k: number; readonly value: number }[],
): Uint8Array {
  const bits = frames.length * pixels;
  const bytes = Math.ceil(bits / 8);
  const out = new Uint8Array(bytes + (bytes % 2));
  let b = 0;
  for (const f of frames) {
    const base = f.k * pixels;
    for (let p = 0; p < pixels; p++, b++)
      if (labels[base + p] === f.value) out[b >> 3] = out[b >> 3]! | (1 << (b & 7));
  }
  return out;
}

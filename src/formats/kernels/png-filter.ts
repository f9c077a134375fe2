/** The Paeth predictor (PNG spec §9.4): whichever of left, up, up-left is nearest a + b - c. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Filters each scanline with the PNG filter type (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth;
 * PNG spec §9.2) whose output has the smallest sum of absolute values taken as signed bytes:
 * the heuristic of PNG spec §12.8 for truecolour and deep images.
 *
 * @param raw - Unfiltered scanlines, `height × stride` bytes, samples big endian.
 * @param stride - Bytes per scanline.
 * @param bpp - Bytes per complete pixel, at least 1 (the distance to the "left" byte).
 * @returns `height × (1 + stride)` bytes: each line's filter type byte, then its filtered bytes.
 */
export function filterScanlines(
  raw: Uint8Array,
  height: number,
  stride: number,
  bpp: number,
): Uint8Array {
  const out = new Uint8Array(height * (stride + 1));
  const candidates = [0, 1, 2, 3, 4].map(() => new Uint8Array(stride));
  const zero = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = raw.subarray(y * stride, (y + 1) * stride);
    const up = y === 0 ? zero : raw.subarray((y - 1) * stride, y * stride);
    let best = 0;
    let bestScore = Infinity;
    for (let type = 0; type < 5; type++) {
      const f = candidates[type]!;
      let score = 0;
      for (let x = 0; x < stride; x++) {
        const left = x >= bpp ? row[x - bpp]! : 0;
        const above = up[x]!;
        let predictor: number;
        switch (type) {
          case 0:
            predictor = 0;
            break;
          case 1:
            predictor = left;
            break;
          case 2:
            predictor = above;
            break;
          case 3:
            predictor = (left + above) >>> 1;
            break;
          default:
            predictor = paeth(left, above, x >= bpp ? up[x - bpp]! : 0);
        }
        const v = (row[x]! - predictor) & 0xff;
        f[x] = v;
        score += v < 128 ? v : 256 - v;
      }
      if (score < bestScore) {
        bestScore = score;
        best = type;
      }
    }
    out[y * (stride + 1)] = best;
    out.set(candidates[best]!, y * (stride + 1) + 1);
  }
  return out;
}

/** 16-bit samples as big-endian bytes (PNG spec §7.1: multi-byte samples are MSB first). */
export function bigEndian16(data: Uint16Array): Uint8Array {
  const out = new Uint8Array(data.length * 2);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    out[2 * i] = v >>> 8;
    out[2 * i + 1] = v & 0xff;
  }
  return out;
}

/**
 * Rotation-minimizing frames along a polyline by the double reflection method (Wang, Jüttler,
 * Zheng & Liu 2008, "Computation of rotation minimizing frames", ACM TOG 27(1):2, Algorithm 1).
 *
 * @param points - Stations, xyz interleaved (mm).
 * @param tangents - Unit tangents at the stations, xyz interleaved.
 * @param r0 - Unit reference vector at the first station, perpendicular to its tangent.
 * @returns Unit reference vectors `r` at every station, xyz interleaved; the third axis is
 *   `s = t × r`.
 */
export function doubleReflectionFrames(
  points: Float64Array,
  tangents: Float64Array,
  r0: readonly [number, number, number],
): Float64Array {
  const n = points.length / 3;
  const r = new Float64Array(3 * n);
  r[0] = r0[0];
  r[1] = r0[1];
  r[2] = r0[2];
  for (let i = 0; i + 1 < n; i++) {
    const o = 3 * i;
    const p = o + 3;
    // Reflection 1 in the plane bisecting x_i and x_{i+1}.
    const v1x = points[p]! - points[o]!;
    const v1y = points[p + 1]! - points[o + 1]!;
    const v1z = points[p + 2]! - points[o + 2]!;
    const c1 = v1x * v1x + v1y * v1y + v1z * v1z;
    let rLx = r[o]!;
    let rLy = r[o + 1]!;
    let rLz = r[o + 2]!;
    let tLx = tangents[o]!;
    let tLy = tangents[o + 1]!;
    let tLz = tangents[o + 2]!;
    if (c1 > 0) {
      const fr = (2 / c1) * (v1x * rLx + v1y * rLy + v1z * rLz);
      rLx -= fr * v1x;
      rLy -= fr * v1y;
      rLz -= fr * v1z;
      const ft = (2 / c1) * (v1x * tLx + v1y * tLy + v1z * tLz);
      tLx -= ft * v1x;
      tLy -= ft * v1y;
      tLz -= ft * v1z;
    }
    // Reflection 2 maps the reflected tangent onto t_{i+1}.
    const v2x = tangents[p]! - tLx;
    const v2y = tangents[p + 1]! - tLy;
    const v2z = tangents[p + 2]! - tLz;
    const c2 = v2x * v2x + v2y * v2y + v2z * v2z;
    if (c2 > 0) {
      const f = (2 / c2) * (v2x * rLx + v2y * rLy + v2z * rLz);
      rLx -= f * v2x;
      rLy -= f * v2y;
      rLz -= f * v2z;
    }
    // Re-orthonormalise against t_{i+1} so rounding does not accumulate along long lines.
    const tx = tangents[p]!;
    const ty = tangents[p + 1]!;
    const tz = tangents[p + 2]!;
    const along = rLx * tx + rLy * ty + rLz * tz;
    rLx -= along * tx;
    rLy -= along * ty;
    rLz -= along * tz;
    const len = Math.hypot(rLx, rLy, rLz);
    r[p] = rLx / len;
    r[p + 1] = rLy / len;
    r[p + 2] = rLz / len;
  }
  return r;
}

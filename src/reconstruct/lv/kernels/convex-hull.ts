// Andrew's monotone chain convex hull (Andrew 1979, Inf. Process. Lett. 9:216), on interleaved
// 2D points. Collinear points are dropped, so a straight run of boundary pixels is one edge.

/**
 * Convex hull of `xy` (`[x, y, x, y, …]`), counter-clockwise in a y-up frame (clockwise on a
 * y-down image), as indices of points into `xy`, without collinear points.
 */
export function convexHull(xy: Float64Array): Int32Array {
  const n = xy.length / 2;
  if (n < 3) return Int32Array.from({ length: n }, (_, i) => i);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => xy[2 * a]! - xy[2 * b]! || xy[2 * a + 1]! - xy[2 * b + 1]!,
  );
  const cross = (o: number, a: number, b: number): number =>
    (xy[2 * a]! - xy[2 * o]!) * (xy[2 * b + 1]! - xy[2 * o + 1]!) -
    (xy[2 * a + 1]! - xy[2 * o + 1]!) * (xy[2 * b]! - xy[2 * o]!);
  const hull: number[] = [];
  for (const p of order) {
    while (hull.length >= 2 && cross(hull[hull.length - 2]!, hull[hull.length - 1]!, p) <= 0)
      hull.pop();
    hull.push(p);
  }
  const lower = hull.length + 1;
  for (let i = order.length - 2; i >= 0; i--) {
    const p = order[i]!;
    while (hull.length >= lower && cross(hull[hull.length - 2]!, hull[hull.length - 1]!, p) <= 0)
      hull.pop();
    hull.push(p);
  }
  hull.pop();
  return Int32Array.from(hull);
}

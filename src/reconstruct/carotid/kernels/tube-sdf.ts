/**
 * Signed distance of a tube of elliptical sections, accumulated (minimum = union) onto a grid.
 *
 * The tube is a chain of straight segments between nodes; each segment is a swept ellipse whose
 * centre, frame, offset and semi-axes vary linearly along it. Segments meet at mitred joints: a
 * point belongs to the segment between the bisector planes of its two nodes, so consecutive
 * segments neither overlap (a tapering tube gets no bulges) nor leave gaps on the outside of bends.
 * An end marked flat is cut by the plane through its node (the inlet and outlets), with the exact
 * capped-cylinder distance there; the other ends are rounded (a sphere of the local radius), which
 * at the branch junction blends the daughters into the parent. For elliptical sections the
 * value is the radial distance to the ellipse, not the Euclidean one: its zero set is exact, which is
 * what the isosurface needs.
 */

/** Values per node in the `nodes` array. */
export const NODE_STRIDE = 18;
// Layout of one node: centre (3), tangent (3), normal u (3), normal v (3), lumen offset u, v,
// lumen semi-axes u, v, outer semi-axes u, v.

/** A regular grid: point (i, j, k) lies at origin + h · (i, j, k); i fastest. */
export interface SdfGrid {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly origin: readonly [number, number, number];
  readonly h: number;
}

/**
 * Lowers `lumen` and `wall` (grid-sized, initialised to a large positive value) to the tube's
 * signed distances where these are smaller.
 */
export function accumulateTubeSdf(
  grid: SdfGrid,
  lumen: Float32Array,
  wall: Float32Array,
  nodes: Float64Array,
  count: number,
  flatStart: boolean,
  flatEnd: boolean,
): void {
  const { nx, ny, nz, h } = grid;
  const [ox, oy, oz] = grid.origin;
  const n = NODE_STRIDE;
  // Unit directions of the segments, then the joint planes' normals (bisectors).
  const dir = new Float64Array(3 * Math.max(0, count - 1));
  for (let s = 0; s + 1 < count; s++) {
    const ex = nodes[(s + 1) * n]! - nodes[s * n]!;
    const ey = nodes[(s + 1) * n + 1]! - nodes[s * n + 1]!;
    const ez = nodes[(s + 1) * n + 2]! - nodes[s * n + 2]!;
    const l = Math.sqrt(ex * ex + ey * ey + ez * ez) || 1;
    dir[3 * s] = ex / l;
    dir[3 * s + 1] = ey / l;
    dir[3 * s + 2] = ez / l;
  }
  const joint = new Float64Array(3 * count);
  for (let q = 0; q < count; q++) {
    const before = Math.max(0, q - 1);
    const after = Math.min(count - 2, q);
    const jx = dir[3 * before]! + dir[3 * after]!;
    const jy = dir[3 * before + 1]! + dir[3 * after + 1]!;
    const jz = dir[3 * before + 2]! + dir[3 * after + 2]!;
    const l = Math.sqrt(jx * jx + jy * jy + jz * jz) || 1;
    joint[3 * q] = jx / l;
    joint[3 * q + 1] = jy / l;
    joint[3 * q + 2] = jz / l;
  }
  for (let s = 0; s + 1 < count; s++) {
    const a = s * n;
    const b = (s + 1) * n;
    const p0x = nodes[a]!;
    const p0y = nodes[a + 1]!;
    const p0z = nodes[a + 2]!;
    const p1x = nodes[b]!;
    const p1y = nodes[b + 1]!;
    const p1z = nodes[b + 2]!;
    const sx = p1x - p0x;
    const sy = p1y - p0y;
    const sz = p1z - p0z;
    const len = Math.sqrt(sx * sx + sy * sy + sz * sz);
    if (len < 1e-9) continue;
    const tx = dir[3 * s]!;
    const ty = dir[3 * s + 1]!;
    const tz = dir[3 * s + 2]!;
    const m0x = joint[3 * s]!;
    const m0y = joint[3 * s + 1]!;
    const m0z = joint[3 * s + 2]!;
    const m1x = joint[3 * s + 3]!;
    const m1y = joint[3 * s + 4]!;
    const m1z = joint[3 * s + 5]!;
    const first = s === 0;
    const last = s + 2 === count;
    const startFlat = flatStart && first;
    const endFlat = flatEnd && last;
    let reach = 0;
    for (const c of [a, b]) {
      reach = Math.max(
        reach,
        Math.max(nodes[c + 16]!, nodes[c + 17]!),
        Math.max(nodes[c + 14]!, nodes[c + 15]!) +
          Math.sqrt(nodes[c + 12]! ** 2 + nodes[c + 13]! ** 2),
      );
    }
    reach += 2 * h;
    // How far beyond each joint plane this segment evaluates: nothing at interior joints (the
    // neighbour owns that side), a few voxels beyond a flat end, the whole sphere at a round end.
    const beyondStart = !first ? 0 : startFlat ? 2 * h : reach;
    const beyondEnd = !last ? 0 : endFlat ? 2 * h : reach;
    const i0 = Math.max(0, Math.floor((Math.min(p0x, p1x) - reach - ox) / h));
    const i1 = Math.min(nx - 1, Math.ceil((Math.max(p0x, p1x) + reach - ox) / h));
    const j0 = Math.max(0, Math.floor((Math.min(p0y, p1y) - reach - oy) / h));
    const j1 = Math.min(ny - 1, Math.ceil((Math.max(p0y, p1y) + reach - oy) / h));
    const k0 = Math.max(0, Math.floor((Math.min(p0z, p1z) - reach - oz) / h));
    const k1 = Math.min(nz - 1, Math.ceil((Math.max(p0z, p1z) + reach - oz) / h));
    const u0x = nodes[a + 6]!;
    const u0y = nodes[a + 7]!;
    const u0z = nodes[a + 8]!;
    const u1x = nodes[b + 6]!;
    const u1y = nodes[b + 7]!;
    const u1z = nodes[b + 8]!;
    const v0x = nodes[a + 9]!;
    const v0y = nodes[a + 10]!;
    const v0z = nodes[a + 11]!;
    const v1x = nodes[b + 9]!;
    const v1y = nodes[b + 10]!;
    const v1z = nodes[b + 11]!;
    const c0u = nodes[a + 12]!;
    const c1u = nodes[b + 12]!;
    const c0v = nodes[a + 13]!;
    const c1v = nodes[b + 13]!;
    const l0u = nodes[a + 14]!;
    const l1u = nodes[b + 14]!;
    const l0v = nodes[a + 15]!;
    const l1v = nodes[b + 15]!;
    const o0u = nodes[a + 16]!;
    const o1u = nodes[b + 16]!;
    const o0v = nodes[a + 17]!;
    const o1v = nodes[b + 17]!;
    for (let k = k0; k <= k1; k++) {
      const pz = oz + k * h;
      for (let j = j0; j <= j1; j++) {
        const py = oy + j * h;
        let index = i0 + nx * (j + ny * k);
        for (let i = i0; i <= i1; i++, index++) {
          const px = ox + i * h;
          const dx = px - p0x;
          const dy = py - p0y;
          const dz = pz - p0z;
          const side0 = dx * m0x + dy * m0y + dz * m0z;
          if (side0 < -beyondStart) continue;
          const side1 = (px - p1x) * m1x + (py - p1y) * m1y + (pz - p1z) * m1z;
          if (side1 > beyondEnd) continue;
          const along = dx * tx + dy * ty + dz * tz;
          const perp2 = dx * dx + dy * dy + dz * dz - along * along;
          if (perp2 > reach * reach) continue;
          const f = along <= 0 ? 0 : along >= len ? 1 : along / len;
          const g = 1 - f;
          const qx = px - (p0x + f * sx);
          const qy = py - (p0y + f * sy);
          const qz = pz - (p0z + f * sz);
          let ux = g * u0x + f * u1x;
          let uy = g * u0y + f * u1y;
          let uz = g * u0z + f * u1z;
          const un = Math.sqrt(ux * ux + uy * uy + uz * uz) || 1;
          ux /= un;
          uy /= un;
          uz /= un;
          let vx = g * v0x + f * v1x;
          let vy = g * v0y + f * v1y;
          let vz = g * v0z + f * v1z;
          const vn = Math.sqrt(vx * vx + vy * vy + vz * vz) || 1;
          vx /= vn;
          vy /= vn;
          vz /= vn;
          const qu = qx * ux + qy * uy + qz * uz;
          const qv = qx * vx + qy * vy + qz * vz;
          // Beyond a round end: distance to its sphere; beyond or near a flat end: capped cylinder.
          const excess =
            (first && !startFlat && along < 0) || (last && !endFlat && along > len)
              ? along - f * len
              : 0;
          let cap = -Infinity;
          if (startFlat) cap = -along;
          if (endFlat) cap = Math.max(cap, along - len);
          const lumenD = ellipseDistance(
            qu - (g * c0u + f * c1u),
            qv - (g * c0v + f * c1v),
            g * l0u + f * l1u,
            g * l0v + f * l1v,
            excess,
            cap,
          );
          if (lumenD < lumen[index]!) lumen[index] = lumenD;
          const wallD = ellipseDistance(qu, qv, g * o0u + f * o1u, g * o0v + f * o1v, excess, cap);
          if (wallD < wall[index]!) wall[index] = wallD;
        }
      }
    }
  }
}

/**
 * Signed distance-like value of a point at (du, dv) from an ellipse centre with semi-axes (au, av):
 * radial distance to the ellipse; with `excess` ≠ 0 the distance to the sphere of the ellipse's
 * radius in that direction (a round end); with a finite `cap` the capped-cylinder distance to the
 * flat end whose plane lies at signed distance `cap` (negative inside).
 */
function ellipseDistance(
  du: number,
  dv: number,
  au: number,
  av: number,
  excess: number,
  cap: number,
): number {
  const rho = Math.sqrt(du * du + dv * dv);
  const den = Math.sqrt(av * du * (av * du) + au * dv * (au * dv));
  const re = rho > 1e-12 ? (au * av * rho) / den : Math.min(au, av);
  const radial = rho - re;
  if (cap > -Infinity) {
    if (cap > 0 || radial > 0) {
      const c = cap > 0 ? cap : 0;
      const r = radial > 0 ? radial : 0;
      return Math.sqrt(c * c + r * r);
    }
    return cap > radial ? cap : radial;
  }
  if (excess !== 0) return Math.sqrt(excess * excess + rho * rho) - re;
  return radial;
}

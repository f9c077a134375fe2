/**
 * Isosurface of a scalar grid by marching tetrahedra on the Kuhn (Freudenthal) subdivision: every
 * cube is cut into six tetrahedra around its main diagonal. The subdivision is the same in every
 * cube, so neighbouring cubes cut their shared face along the same diagonal, and vertices are shared
 * by edge (an edge is named by its lower corner and its direction): the surface is closed and
 * 2-manifold wherever the field is positive on the grid's border. Sixteen cases per tetrahedron and
 * no lookup tables (Doi & Koide, IEICE Trans 1991; Treece et al., Comput Graph 1999).
 */

/** Corner bit patterns (x = 1, y = 2, z = 4) of the six tetrahedra: monotone paths 0 → 7. */
const TETS = [
  [0, 1, 3, 7],
  [0, 1, 5, 7],
  [0, 2, 3, 7],
  [0, 2, 6, 7],
  [0, 4, 5, 7],
  [0, 4, 6, 7],
] as const;

/** Triangle soup indexed into shared vertices, xyz interleaved, in the grid's world units. */
export interface IsoSurface {
  readonly points: Float32Array;
  readonly triangles: Uint32Array;
}

/**
 * For tetrahedron t and inside-mask m of its four corners (bit q = corner q inside), the
 * triangles as corner-pair edges, six corner bit patterns per triangle, ordered counter-clockwise
 * seen from outside. Built once from the cube's geometry: moving a vertex along its edge never
 * flips a triangle, so the orientation found with edge midpoints holds for every field.
 */
const CASES: readonly (readonly number[])[] = (() => {
  const pos = (c: number): readonly [number, number, number] => [c & 1, (c >> 1) & 1, (c >> 2) & 1];
  const mid = (c1: number, c2: number): readonly [number, number, number] => {
    const [a, b] = [pos(c1), pos(c2)];
    return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
  };
  const table: number[][] = [];
  for (const tet of TETS) {
    for (let m = 0; m < 16; m++) {
      const ins = tet.filter((_, q) => ((m >> q) & 1) === 1);
      const outs = tet.filter((_, q) => ((m >> q) & 1) === 0);
      const tris: (readonly [number, number, number, number, number, number])[] = [];
      if (ins.length === 1 || outs.length === 1) {
        const lone = ins.length === 1 ? ins[0]! : outs[0]!;
        const others = ins.length === 1 ? outs : ins;
        tris.push([lone, others[0]!, lone, others[1]!, lone, others[2]!]);
      } else if (ins.length === 2) {
        const [i0, i1] = [ins[0]!, ins[1]!];
        const [o0, o1] = [outs[0]!, outs[1]!];
        tris.push([i0, o0, i0, o1, i1, o1], [i0, o0, i1, o1, i1, o0]);
      }
      const centroid = (cs: readonly number[]): [number, number, number] => {
        const c = [0, 0, 0];
        for (const x of cs) for (let a = 0; a < 3; a++) c[a]! += pos(x)[a]! / cs.length;
        return [c[0]!, c[1]!, c[2]!];
      };
      const entry: number[] = [];
      for (const tri of tris) {
        const A = mid(tri[0], tri[1]);
        const B = mid(tri[2], tri[3]);
        const C = mid(tri[4], tri[5]);
        const e1 = [B[0] - A[0], B[1] - A[1], B[2] - A[2]];
        const e2 = [C[0] - A[0], C[1] - A[1], C[2] - A[2]];
        const nrm = [
          e1[1]! * e2[2]! - e1[2]! * e2[1]!,
          e1[2]! * e2[0]! - e1[0]! * e2[2]!,
          e1[0]! * e2[1]! - e1[1]! * e2[0]!,
        ];
        const ci = centroid(ins);
        const co = centroid(outs);
        const out =
          nrm[0]! * (co[0] - ci[0]) + nrm[1]! * (co[1] - ci[1]) + nrm[2]! * (co[2] - ci[2]);
        entry.push(...(out >= 0 ? tri : [tri[0], tri[1], tri[4], tri[5], tri[2], tri[3]]));
      }
      table.push(entry);
    }
  }
  return table;
})();

/**
 * Extracts the surface `field = 0` (inside where `field < 0`) of a grid with point (i, j, k) at
 * origin + h·(i, j, k), i fastest; triangles are counter-clockwise seen from outside.
 */
export function marchingTetrahedra(
  field: Float32Array,
  nx: number,
  ny: number,
  nz: number,
  origin: readonly [number, number, number],
  h: number,
): IsoSurface {
  const [ox, oy, oz] = origin;
  const sxy = nx * ny;
  const cornerOffset = new Int32Array(8);
  for (let b = 0; b < 8; b++)
    cornerOffset[b] = (b & 1) + ((b >> 1) & 1) * nx + ((b >> 2) & 1) * sxy;
  // Vertex ids by edge (lower corner, direction) for two grid layers: a layer's edges are used by
  // the cubes below and above it only.
  const cache = new Int32Array(2 * sxy * 8).fill(-1);
  let points = new Float32Array(1 << 16);
  let nPoints = 0;
  let triangles = new Uint32Array(1 << 16);
  let nTriangles = 0;
  const value = new Float64Array(8);

  for (let k = 0; k + 1 < nz; k++) {
    // Layer k + 1's slots are reused from layer k − 1.
    cache.fill(-1, ((k + 1) & 1) * sxy * 8, (((k + 1) & 1) + 1) * sxy * 8);
    for (let j = 0; j + 1 < ny; j++) {
      for (let i = 0; i + 1 < nx; i++) {
        const g = i + nx * (j + ny * k);
        let mask = 0;
        for (let b = 0; b < 8; b++) {
          let v = field[g + cornerOffset[b]!]!;
          // Exact zeros count as outside, so no vertex sits on a grid point.
          if (v === 0) v = 1e-9;
          value[b] = v;
          if (v < 0) mask |= 1 << b;
        }
        if (mask === 0 || mask === 255) continue;
        for (let t = 0; t < 6; t++) {
          const tet = TETS[t]!;
          const m =
            ((mask >> tet[0]) & 1) |
            (((mask >> tet[1]) & 1) << 1) |
            (((mask >> tet[2]) & 1) << 2) |
            (((mask >> tet[3]) & 1) << 3);
          if (m === 0 || m === 15) continue;
          const entry = CASES[t * 16 + m]!;
          for (let e = 0; e < entry.length; e += 2) {
            const ca = entry[e]!;
            const cb = entry[e + 1]!;
            const lo = ca < cb ? ca : cb;
            const hi = ca < cb ? cb : ca;
            const li = i + (lo & 1);
            const lj = j + ((lo >> 1) & 1);
            const lk = k + ((lo >> 2) & 1);
            const slot = ((lk & 1) * sxy + li + nx * lj) * 8 + (lo ^ hi);
            let id = cache[slot]!;
            if (id < 0) {
              const va = value[lo]!;
              const vb = value[hi]!;
              const tt = va / (va - vb);
              if (3 * nPoints + 3 > points.length) {
                const grown = new Float32Array(points.length * 2);
                grown.set(points);
                points = grown;
              }
              const d = lo ^ hi;
              points[3 * nPoints] = ox + (li + tt * (d & 1)) * h;
              points[3 * nPoints + 1] = oy + (lj + tt * ((d >> 1) & 1)) * h;
              points[3 * nPoints + 2] = oz + (lk + tt * ((d >> 2) & 1)) * h;
              id = nPoints++;
              cache[slot] = id;
            }
            if (nTriangles + 1 > triangles.length) {
              const grown = new Uint32Array(triangles.length * 2);
              grown.set(triangles);
              triangles = grown;
            }
            triangles[nTriangles++] = id;
          }
        }
      }
    }
  }
  return { points: points.slice(0, 3 * nPoints), triangles: triangles.slice(0, nTriangles) };
}

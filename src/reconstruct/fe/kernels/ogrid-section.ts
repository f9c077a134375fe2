/**
 * The cross-section of a swept vessel mesh on the unit disc: node positions in (u, v) and cells
 * as quadrilaterals (or triangles around the axis), counter-clockwise. Sweeping turns each
 * quadrilateral into a hexahedron and each triangle into a wedge.
 */
export interface OGridSection {
  /** Nodes, (u, v) interleaved, on the unit disc (lumen) or beyond it (wall, radius \> 1). */
  readonly uv: Float64Array;
  /** 1 for lumen nodes; 0 for wall nodes. Wall nodes add the wall thickness to the radius. */
  readonly wallLayer: Float64Array;
  /** Cells: 4 node indices each, counter-clockwise; a triangle repeats its last node (d = c). */
  readonly quads: Uint32Array;
  /** 1 where the cell is a triangle. */
  readonly triangle: Uint8Array;
  /** 1 for lumen cells, 2 for wall cells. */
  readonly region: Uint8Array;
  /** 1 where the cell's edge b–c lies on the lumen boundary (r = 1). */
  readonly onLumenBoundary: Uint8Array;
  /** 1 where the cell's edge b–c lies on the outer boundary of the section. */
  readonly onOuterBoundary: Uint8Array;
}

/** Layout of an O-grid section. */
export interface OGridLayout {
  readonly sectors: number;
  readonly radialCells: number;
  readonly wallLayers: number;
  /** Half side of the core square, as a fraction of the radius (butterfly only). */
  readonly coreFraction: number;
  readonly core: 'butterfly' | 'polar';
}

/**
 * Builds the section. Butterfly: an `m × m` square core (`m = sectors / 4`) plus `radialCells`
 * layers of quadrilaterals from the square to the circle, the square's corners on the diagonals
 * (the classic O-grid of structured vessel meshing). Polar: triangles around the centre, then
 * rings. With `wallLayers > 0`, that many rings of wall cells outside the circle; their
 * `wallLayer` coordinate goes 1/wallLayers … 1 and the sweep turns it into the wall thickness.
 */
export function buildOGridSection(layout: OGridLayout): OGridSection {
  const { sectors: N, radialCells: nr, wallLayers: nw } = layout;
  const uv: number[] = [];
  const wall: number[] = [];
  const quads: number[] = [];
  const triangle: number[] = [];
  const region: number[] = [];
  const lumenEdge: number[] = [];
  const outerEdge: number[] = [];
  const add = (u: number, v: number, w: number): number => {
    uv.push(u, v);
    wall.push(w);
    return wall.length - 1;
  };
  const cell = (
    a: number,
    b: number,
    c: number,
    d: number,
    tri: boolean,
    reg: number,
    lumen: boolean,
    outer: boolean,
  ): void => {
    quads.push(a, b, c, d);
    triangle.push(tri ? 1 : 0);
    region.push(reg);
    lumenEdge.push(lumen ? 1 : 0);
    outerEdge.push(outer ? 1 : 0);
  };
  const angle = (p: number): number => -Math.PI / 4 + (2 * Math.PI * p) / N;
  // Innermost ring of the radial layers: N node ids, counter-clockwise from angle −45°.
  let ring: number[] = [];
  const ringUv: [number, number][] = [];
  if (layout.core === 'butterfly') {
    const m = N / 4;
    const c = layout.coreFraction;
    const grid: number[] = [];
    for (let j = 0; j <= m; j++) {
      for (let i = 0; i <= m; i++) grid.push(add(-c + (2 * c * i) / m, -c + (2 * c * j) / m, 0));
    }
    const at = (i: number, j: number): number => grid[i + j * (m + 1)] ?? 0;
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < m; i++) {
        cell(at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1), false, 1, false, false);
      }
    }
    for (let p = 0; p < N; p++) {
      const side = Math.floor(p / m);
      const q = p - side * m;
      const [i, j] =
        side === 0 ? [m, q] : side === 1 ? [m - q, m] : side === 2 ? [0, m - q] : [q, 0];
      ring.push(at(i, j));
      ringUv.push([uv[2 * at(i, j)] ?? 0, uv[2 * at(i, j) + 1] ?? 0]);
    }
  } else {
    const centre = add(0, 0, 0);
    const r1 = 1 / nr;
    for (let p = 0; p < N; p++) {
      ring.push(add(r1 * Math.cos(angle(p)), r1 * Math.sin(angle(p)), 0));
      ringUv.push([r1 * Math.cos(angle(p)), r1 * Math.sin(angle(p))]);
    }
    for (let p = 0; p < N; p++) {
      const q = (p + 1) % N;
      const b = ring[p] ?? 0;
      const cc = ring[q] ?? 0;
      cell(centre, b, cc, cc, true, 1, nr === 1, nr === 1 && nw === 0);
    }
  }
  // Radial layers: straight lines from the inner ring to the circle.
  const first = layout.core === 'butterfly' ? 1 : 2;
  const inner0 = ringUv;
  for (let l = first; l <= nr; l++) {
    // Butterfly: layer l of nr from the square (t = 0) to the circle (t = 1).
    // Polar: layer l at radius l / nr, on the circle.
    const next: number[] = [];
    for (let p = 0; p < N; p++) {
      const cu = Math.cos(angle(p));
      const cv = Math.sin(angle(p));
      let u: number, v: number;
      if (layout.core === 'butterfly') {
        const t = l / nr;
        const [su, sv] = inner0[p] ?? [0, 0];
        u = su + t * (cu - su);
        v = sv + t * (cv - sv);
      } else {
        u = (l / nr) * cu;
        v = (l / nr) * cv;
      }
      next.push(add(u, v, 0));
    }
    for (let p = 0; p < N; p++) {
      const q = (p + 1) % N;
      cell(
        ring[p] ?? 0,
        next[p] ?? 0,
        next[q] ?? 0,
        ring[q] ?? 0,
        false,
        1,
        l === nr,
        l === nr && nw === 0,
      );
    }
    ring = next;
  }
  for (let l = 1; l <= nw; l++) {
    const next: number[] = [];
    for (let p = 0; p < N; p++) next.push(add(Math.cos(angle(p)), Math.sin(angle(p)), l / nw));
    for (let p = 0; p < N; p++) {
      const q = (p + 1) % N;
      cell(ring[p] ?? 0, next[p] ?? 0, next[q] ?? 0, ring[q] ?? 0, false, 2, false, l === nw);
    }
    ring = next;
  }
  return {
    uv: Float64Array.from(uv),
    wallLayer: Float64Array.from(wall),
    quads: Uint32Array.from(quads),
    triangle: Uint8Array.from(triangle),
    region: Uint8Array.from(region),
    onLumenBoundary: Uint8Array.from(lumenEdge),
    onOuterBoundary: Uint8Array.from(outerEdge),
  };
}

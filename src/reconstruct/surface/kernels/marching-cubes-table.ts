/**
 * Marching-cubes case tables built at load time from the face rules, so that every ambiguous face
 * is decided by the asymptotic decider (Nielsen and Hamann 1991, "The asymptotic decider:
 * resolving the ambiguity in marching cubes", IEEE Visualization) instead of by a fixed 256-entry
 * table. Two cubes that share a face see the same four values and take the same decision, so the
 * surface has no cracks: every edge of the output is shared by exactly two triangles.
 *
 * Cube numbering: corner `c` sits at (`c & 1`, `(c >> 1) & 1`, `(c >> 2) & 1`). Edges 0–3 run
 * along x, 4–7 along y, 8–11 along z (see {@link EDGE_CORNERS}). Faces are −x, +x, −y, +y, −z, +z.
 */

/** The two corners of each of the 12 cube edges; the first is the lower one along the edge axis. */
export const EDGE_CORNERS: readonly (readonly [number, number])[] = [
  [0, 1],
  [2, 3],
  [4, 5],
  [6, 7],
  [0, 2],
  [1, 3],
  [4, 6],
  [5, 7],
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7],
];

/** Corners of each face in cyclic order, and the face's outward normal. */
export const FACES: readonly {
  readonly corners: readonly [number, number, number, number];
  readonly normal: readonly [number, number, number];
}[] = [
  { corners: [0, 2, 6, 4], normal: [-1, 0, 0] },
  { corners: [1, 3, 7, 5], normal: [1, 0, 0] },
  { corners: [0, 1, 5, 4], normal: [0, -1, 0] },
  { corners: [2, 3, 7, 6], normal: [0, 1, 0] },
  { corners: [0, 1, 3, 2], normal: [0, 0, -1] },
  { corners: [4, 5, 7, 6], normal: [0, 0, 1] },
];

function cornerPos(c: number): [number, number, number] {
  return [c & 1, (c >> 1) & 1, (c >> 2) & 1];
}

function edgeOf(a: number, b: number): number {
  for (let e = 0; e < 12; e++) {
    const [p, q] = EDGE_CORNERS[e]!;
    if ((p === a && q === b) || (p === b && q === a)) return e;
  }
  throw new Error(`corners ${a} and ${b} share no edge`);
}

function edgeMid(e: number): [number, number, number] {
  const [a, b] = EDGE_CORNERS[e]!;
  const p = cornerPos(a);
  const q = cornerPos(b);
  return [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2];
}

/**
 * Whether a face is ambiguous for a case: its diagonal corners are inside and the other two
 * outside. Returns the face's bit mask of ambiguous faces for each of the 256 cases.
 */
function ambiguousFaces(cubeCase: number): number {
  let mask = 0;
  for (let f = 0; f < 6; f++) {
    const [q0, q1, q2, q3] = FACES[f]!.corners;
    const a = (cubeCase >> q0) & 1;
    const b = (cubeCase >> q1) & 1;
    const c = (cubeCase >> q2) & 1;
    const d = (cubeCase >> q3) & 1;
    if (a === c && b === d && a !== b) mask |= 1 << f;
  }
  return mask;
}

/**
 * The oriented contour segments (pairs of edge indices, start then end) of one face. Orientation:
 * walking from start to end on the face, with the face's outward normal `n`, `d × n` points into
 * the inside region, which makes the loops traced from these segments counter-clockwise seen from
 * outside the object (outward triangle normals).
 */
function faceSegments(cubeCase: number, f: number, joinInside: boolean): [number, number][] {
  const { corners, normal } = FACES[f]!;
  const inside = corners.map((c) => (cubeCase >> c) & 1);
  const count = inside.reduce((s, v) => s + v, 0);
  if (count === 0 || count === 4) return [];
  // Each segment cuts off one "lonely" corner: its two edges are the face edges at that corner.
  const cutCorners: number[] = [];
  const ambiguous = count === 2 && inside[0] === inside[2];
  if (ambiguous) {
    // Join the inside corners = cut off the outside ones, and the reverse.
    for (let q = 0; q < 4; q++) if ((inside[q] === 1) !== joinInside) cutCorners.push(q);
  } else if (count === 1 || count === 3) {
    const lonely = count === 1 ? 1 : 0;
    cutCorners.push(inside.indexOf(lonely));
  }
  const segments: [number, number][] = [];
  const orient = (ea: number, eb: number, towardInside: [number, number, number]): void => {
    const pa = edgeMid(ea);
    const pb = edgeMid(eb);
    const d = [pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]];
    const dxn = [
      d[1]! * normal[2] - d[2]! * normal[1],
      d[2]! * normal[0] - d[0]! * normal[2],
      d[0]! * normal[1] - d[1]! * normal[0],
    ];
    const s = dxn[0]! * towardInside[0] + dxn[1]! * towardInside[1] + dxn[2]! * towardInside[2];
    segments.push(s > 0 ? [ea, eb] : [eb, ea]);
  };
  if (cutCorners.length > 0) {
    for (const q of cutCorners) {
      const c = corners[q]!;
      const ea = edgeOf(c, corners[(q + 3) % 4]!);
      const eb = edgeOf(c, corners[(q + 1) % 4]!);
      const ma = edgeMid(ea);
      const mb = edgeMid(eb);
      const mid = [(ma[0] + mb[0]) / 2, (ma[1] + mb[1]) / 2, (ma[2] + mb[2]) / 2];
      const p = cornerPos(c);
      const sign = inside[q] === 1 ? 1 : -1;
      orient(ea, eb, [sign * (p[0] - mid[0]!), sign * (p[1] - mid[1]!), sign * (p[2] - mid[2]!)]);
    }
    return segments;
  }
  // Two adjacent inside corners: the segment joins the two crossed face edges.
  const crossed: number[] = [];
  for (let q = 0; q < 4; q++) {
    if (inside[q] !== inside[(q + 1) % 4]) crossed.push(edgeOf(corners[q]!, corners[(q + 1) % 4]!));
  }
  const ma = edgeMid(crossed[0]!);
  const mb = edgeMid(crossed[1]!);
  const mid = [(ma[0] + mb[0]) / 2, (ma[1] + mb[1]) / 2, (ma[2] + mb[2]) / 2];
  const p = cornerPos(corners[inside.indexOf(1)]!);
  orient(crossed[0]!, crossed[1]!, [p[0] - mid[0]!, p[1] - mid[1]!, p[2] - mid[2]!]);
  return segments;
}

/** Bit mask of the two faces each edge lies on. */
const EDGE_FACES: readonly number[] = EDGE_CORNERS.map(([a, b]) => {
  let mask = 0;
  FACES.forEach((f, i) => {
    if (f.corners.includes(a) && f.corners.includes(b)) mask |= 1 << i;
  });
  return mask;
});

/**
 * Triangulates one contour loop (edge indices, counter-clockwise seen from outside). A fan is used
 * from the first vertex whose diagonals all cross the cube's interior: a diagonal between two
 * points on the same cube face could be made by the neighbouring cube as well, and the edge would
 * then be shared by four triangles. Loops with no such vertex (only in ambiguous configurations)
 * get a centre vertex, coded as edge index {@link CENTRE_EDGE}, fanned around.
 *
 * @returns Whether a centre vertex was used.
 */
function triangulateLoop(loop: readonly number[], out: number[]): boolean {
  const m = loop.length;
  for (let s = 0; s < m; s++) {
    let ok = true;
    for (let t = 2; t < m - 1 && ok; t++) {
      if ((EDGE_FACES[loop[s]!]! & EDGE_FACES[loop[(s + t) % m]!]!) !== 0) ok = false;
    }
    if (!ok) continue;
    for (let t = 1; t + 1 < m; t++) out.push(loop[s]!, loop[(s + t) % m]!, loop[(s + t + 1) % m]!);
    return false;
  }
  for (let t = 0; t < m; t++) out.push(CENTRE_EDGE, loop[t]!, loop[(t + 1) % m]!);
  return true;
}

/**
 * Pseudo edge index of a loop's centre vertex (the mean of the loop's edge points). At most one
 * loop per configuration needs one (checked when the table is built).
 */
export const CENTRE_EDGE = 12;

/** Triangles (edge-index triples) of one cube configuration. */
function buildTriangles(cubeCase: number, faceBits: number): number[] {
  const next = new Array<number>(12).fill(-1);
  for (let f = 0; f < 6; f++) {
    for (const [a, b] of faceSegments(cubeCase, f, ((faceBits >> f) & 1) === 1)) {
      if (next[a] !== -1) throw new Error(`edge ${a} starts two segments (case ${cubeCase})`);
      next[a] = b;
    }
  }
  const used = new Array<boolean>(12).fill(false);
  const out: number[] = [];
  let centres = 0;
  for (let start = 0; start < 12; start++) {
    if (next[start] === -1 || used[start]) continue;
    const loop: number[] = [];
    let e = start;
    while (!used[e]) {
      used[e] = true;
      loop.push(e);
      e = next[e]!;
      if (e === -1) throw new Error(`open contour in case ${cubeCase}`);
    }
    if (triangulateLoop(loop, out)) centres++;
  }
  if (centres > 1) throw new Error(`case ${cubeCase} needs ${centres} centre vertices`);
  return out;
}

/** Flat tables of the triangles of every (case, ambiguous-face decisions) configuration. */
export interface MarchingCubesTable {
  /** Bit mask of the faces that are ambiguous for each of the 256 cases. */
  readonly ambiguous: Uint8Array;
  /** `offsets[config]..offsets[config + 1]` indexes `edges`; `config = case * 64 + faceBits`. */
  readonly offsets: Uint32Array;
  /** Edge indices, three per triangle; {@link CENTRE_EDGE} stands for the loop's centre vertex. */
  readonly edges: Uint8Array;
  /** Per configuration: bit `e` set when edge `e` is on the loop fanned around the centre vertex. */
  readonly centreLoop: Uint16Array;
}

/**
 * Builds the table: 256 cases × 64 face decisions (bit `f` set = the inside corners of face `f`
 * are joined). Bits of faces that are not ambiguous for a case are ignored by the kernel (kept at
 * 0), and give the same triangles anyway.
 */
export function buildMarchingCubesTable(): MarchingCubesTable {
  const ambiguous = new Uint8Array(256);
  const offsets = new Uint32Array(256 * 64 + 1);
  const centreLoop = new Uint16Array(256 * 64);
  const all: number[] = [];
  for (let c = 0; c < 256; c++) {
    ambiguous[c] = ambiguousFaces(c);
    for (let bits = 0; bits < 64; bits++) {
      const config = c * 64 + bits;
      offsets[config] = all.length;
      const tris = (bits & ~ambiguous[c]!) === 0 ? buildTriangles(c, bits) : [];
      for (let t = 0; t < tris.length; t += 3) {
        if (tris[t] === CENTRE_EDGE)
          centreLoop[config]! |= (1 << tris[t + 1]!) | (1 << tris[t + 2]!);
      }
      for (const e of tris) all.push(e);
    }
  }
  offsets[256 * 64] = all.length;
  return { ambiguous, offsets, edges: Uint8Array.from(all), centreLoop };
}

import { PlatformError } from '../../../core/index.js';

/** Formats a float for text formats: shortest round-trip form of its float32 value. */
export function f32(x: number): string {
  return String(Math.fround(x));
}

/** Throws the mesh-input error of a reader. */
export function badMesh(format: string, message: string): PlatformError {
  return new PlatformError('ERR_MESH_INPUT', `not a readable ${format} mesh: ${message}`);
}

/** Splits text into non-empty whitespace-separated tokens, line by line. */
export function tokenLines(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => l.split(/\s+/));
}

/** Parses a finite number or throws. */
export function num(format: string, token: string | undefined): number {
  const v = Number(token);
  if (token === undefined || !Number.isFinite(v)) {
    throw badMesh(format, `expected a number, found "${token ?? 'end of data'}"`);
  }
  return v;
}

/** Merges bit-identical vertices (STL stores three per triangle) through a hash of their bits. */
export function weldVertices(soup: Float32Array): { points: Float32Array; triangles: Uint32Array } {
  const bits = new Uint32Array(soup.buffer, soup.byteOffset, soup.length);
  const map = new Map<string, number>();
  const pts: number[] = [];
  const tris = new Uint32Array(soup.length / 3);
  for (let v = 0; v < soup.length / 3; v++) {
    const key = `${bits[3 * v]!},${bits[3 * v + 1]!},${bits[3 * v + 2]!}`;
    let id = map.get(key);
    if (id === undefined) {
      id = pts.length / 3;
      map.set(key, id);
      pts.push(soup[3 * v]!, soup[3 * v + 1]!, soup[3 * v + 2]!);
    }
    tris[v] = id;
  }
  return { points: Float32Array.from(pts), triangles: tris };
}

/** Checks that every triangle index names an existing vertex. */
export function checkIndices(format: string, triangles: Uint32Array, vertexCount: number): void {
  for (let t = 0; t < triangles.length; t++) {
    if (triangles[t]! >= vertexCount) {
      throw badMesh(
        format,
        `triangle ${Math.floor(t / 3)} names vertex ${triangles[t]!}, there are ${vertexCount}`,
      );
    }
  }
}

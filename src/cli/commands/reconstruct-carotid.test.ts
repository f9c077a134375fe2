import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carotidMeshStats, writeStl } from '../../reconstruct/index.js';
import { runCliInProcess } from '../../../test/support/cli-in-process.js';

/** Runs `medscale reconstruct carotid ARGS` in this process; returns stdout, throws on a non-zero exit. */
async function cli(args: readonly string[]): Promise<string> {
  const result = await runCliInProcess(['reconstruct', 'carotid', ...args]);
  if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.err}${result.out}`);
  return result.out;
}

interface Result {
  measurements: { nascetPct: { value: number; provenance: { source: string } } };
  surfaces: { lumen: { watertight: boolean; triangles: number } };
  viewsFile?: string;
}

describe('writeStl as the CLI writes it', () => {
  it('writes the header, the count and 50 bytes per triangle with unit normals', () => {
    const mesh = {
      points: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]),
      triangles: new Uint32Array([0, 1, 2]),
    };
    const bytes = writeStl(mesh, 'test');
    expect(bytes.length).toBe(84 + 50);
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('test');
    expect(view.getUint32(80, true)).toBe(1);
    expect([0, 4, 8].map((o) => view.getFloat32(84 + o, true))).toEqual([0, 0, 1]);
    expect(view.getFloat32(84 + 12 + 12, true)).toBe(1);
  });
});

describe('medscale reconstruct carotid', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-carotid-cli-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('builds the generic model, emits its masks, and reconstructs them back', async () => {
    const generic = join(root, 'generic');
    const out = await cli([
      '--generic',
      '--stenosis',
      '50',
      '--emit-views',
      '--voxel',
      '0.5',
      '--out',
      generic,
      '--json',
    ]);
    const printed = JSON.parse(out) as Result;
    expect(printed.measurements.nascetPct.value).toBeCloseTo(50, 1);
    expect(printed.measurements.nascetPct.provenance.source).toBe('generic');
    const stl = readFileSync(join(generic, 'lumen.stl'));
    const count = stl.readUInt32LE(80);
    expect(stl.length).toBe(84 + 50 * count);
    expect(count).toBe(printed.surfaces.lumen.triangles);
    expect(printed.surfaces.lumen.watertight).toBe(true);
    const centerlines = JSON.parse(readFileSync(join(generic, 'centerlines.json'), 'utf8')) as {
      branches: { name: string; points: number[][]; radii: number[] }[];
    };
    expect(centerlines.branches.map((b) => b.name)).toEqual(['cca', 'ica', 'eca']);

    const fromViews = join(root, 'views');
    const text = await cli([
      '--views',
      printed.viewsFile ?? '',
      '--voxel',
      '0.5',
      '--out',
      fromViews,
    ]);
    expect(text).toMatch(/stenosis NASCET\s+\d+\.\d+ %\s+patient \(longitudinal\[0\]\)/);
    const result = JSON.parse(readFileSync(join(fromViews, 'result.json'), 'utf8')) as Result;
    expect(Math.abs(result.measurements.nascetPct.value - 50)).toBeLessThan(3);
    expect(result.measurements.nascetPct.provenance.source).toBe('patient');
    // The STL read back (vertices merged by coordinates) is still a closed surface.
    const back = readFileSync(join(fromViews, 'lumen.stl'));
    const ids = new Map<string, number>();
    const points: number[] = [];
    const triangles: number[] = [];
    for (let f = 0; f < back.readUInt32LE(80); f++) {
      for (let k = 0; k < 3; k++) {
        const o = 84 + 50 * f + 12 + 12 * k;
        const xyz = [0, 4, 8].map((d) => back.readFloatLE(o + d));
        const key = xyz.join(',');
        let id = ids.get(key);
        if (id === undefined) {
          id = points.length / 3;
          ids.set(key, id);
          points.push(...xyz);
        }
        triangles.push(id);
      }
    }
    const stats = carotidMeshStats({
      points: new Float32Array(points),
      triangles: new Uint32Array(triangles),
    });
    expect(stats.watertight).toBe(true);
    expect(stats.volumeMm3).toBeGreaterThan(1000);
  });

  it('asks for exactly one of --views and --generic', async () => {
    const run = (args: readonly string[]) => runCliInProcess(['reconstruct', 'carotid', ...args]);
    const neither = await run(['--out', join(root, 'x')]);
    expect(neither.code).toBe(2);
    expect(neither.err).toMatch(/^error ERR_USAGE: /);
    const both = await run(['--generic', '--views', 'v.json', '--out', join(root, 'x')]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/^error ERR_USAGE: /);
    const missing = await run(['--views', join(root, 'missing.json'), '--out', join(root, 'x')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^error ERR_IO: /);
  });
});

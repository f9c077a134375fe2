import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshVolume, writeStl } from '../../reconstruct/index.js';
import type { LvEchoGroundTruth } from '../../synth/index.js';
import { EXIT } from '../output.js';
import { runCliInProcess } from '../../../test/support/cli-in-process.js';
import type { CapturedRun } from '../../../test/support/cli-in-process.js';

/** Runs `medscale ARGS` in this process. */
function cli(args: readonly string[]): Promise<CapturedRun> {
  return runCliInProcess(args);
}

let root: string;
let data: string;
let truth: LvEchoGroundTruth;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'medscale-lv-cli-'));
  data = join(root, 'lv');
  // 16 frames per cycle: at 70–75 bpm a frame falls in isovolumic relaxation, so the sampled
  // ESV is the case's ESV.
  const result = await cli([
    'synth',
    'lv-echo',
    '--out',
    data,
    '--cases',
    '3',
    '--frames',
    '16',
    '--seed',
    '5',
    '--sax',
    '--json',
  ]);
  expect(result.code).toBe(0);
  truth = JSON.parse(readFileSync(join(data, 'ground-truth.json'), 'utf8')) as LvEchoGroundTruth;
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('medscale synth lv-echo', () => {
  it('writes the cases and prints a JSON summary', async () => {
    const result = await cli([
      'synth',
      'lv-echo',
      '--out',
      join(root, 'one'),
      '--cases',
      '1',
      '--frames',
      '4',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ cases: 1, frames: 8, files: 7 });
    expect(truth.cases[0]!.files.sax).toBe('lv-001/sax.labels.json');
    expect(truth.cases.map((c) => [c.caseId, c.edvMl, c.esvMl])).toEqual([
      ['lv-001', 120, 50],
      ['lv-002', 216, 142],
      ['lv-003', 165, 96],
    ]);
  });

  it('rejects bad options as usage errors and a non-empty folder as an error', async () => {
    expect(
      (await cli(['synth', 'lv-echo', '--out', join(root, 'x'), '--frames', 'many'])).code,
    ).toBe(EXIT.usage);
    expect(
      (await cli(['synth', 'lv-echo', '--out', join(root, 'x'), '--pixel-size', '3'])).code,
    ).toBe(EXIT.usage);
    const busy = await cli(['synth', 'lv-echo', '--out', data]);
    expect(busy.code).toBe(EXIT.error);
    expect(busy.err).toMatch(/ERR_SYNTH: .*not empty/);
  });
});

describe('medscale reconstruct lv', () => {
  // The must-show: biplane Simpson on the synthetic masks against the analytic ground truth.
  it('measures EDV and ESV within 3 %, EF within 2 points and mass within 3 % on every case', async () => {
    for (const c of truth.cases) {
      const result = await cli(['reconstruct', 'lv', '--from', data, '--case', c.caseId, '--json']);
      expect(result.code).toBe(0);
      const r = JSON.parse(result.out) as Record<string, number>;
      expect(Math.abs(r['edvMl']! / c.frameEdvMl - 1)).toBeLessThan(0.03);
      expect(Math.abs(r['esvMl']! / c.frameEsvMl - 1)).toBeLessThan(0.03);
      expect(Math.abs(r['ejectionFractionPct']! - c.frameEjectionFractionPct)).toBeLessThan(2);
      expect(Math.abs(r['massG']! / c.massG - 1)).toBeLessThan(0.03);
      expect(r['edFrame']).toBe(c.edFrame);
    }
  });

  it('measures the short-axis stack by Simpson summation: EDV within 1 %, ESV within 6 %, mass within 3 %', async () => {
    // Slices are fixed in space with the basal slab on the ED base, so the ESV error is the
    // basal-slice problem of cine stacks: the base moves through the slices.
    for (const c of truth.cases) {
      const result = await cli([
        'reconstruct',
        'lv',
        '--from',
        data,
        '--case',
        c.caseId,
        '--short-axis',
        '--json',
      ]);
      expect(result.code).toBe(0);
      const r = JSON.parse(result.out) as Record<string, number>;
      expect(r['method']).toMatch(/short-axis Simpson summation \(8 mm slices\)/);
      expect(Math.abs(r['edvMl']! / c.frameEdvMl - 1)).toBeLessThan(0.01);
      expect(Math.abs(r['esvMl']! / c.frameEsvMl - 1)).toBeLessThan(0.06);
      expect(Math.abs(r['massG']! / c.massG - 1)).toBeLessThan(0.03);
    }
  });

  it('takes the two label stacks directly, writes STL surfaces and lv.json, prints a table', async () => {
    const c = truth.cases[0]!;
    const out = join(root, 'surfaces');
    const result = await cli([
      'reconstruct',
      'lv',
      '--a4c',
      join(data, c.files.a4c.labels),
      '--a2c',
      join(data, c.files.a2c.labels),
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^EDV +1[12]\d\.\d +mL/m);
    expect(result.out).toMatch(/^mass +1\d\d\.\d +g/m);
    const saved = JSON.parse(readFileSync(join(out, 'lv.json'), 'utf8')) as {
      edvMl: number;
      ellipsoid: { ed: { volumeMl: number } };
    };
    const stl = new Uint8Array(readFileSync(join(out, 'lv-ed.stl')));
    const view = new DataView(stl.buffer, stl.byteOffset, stl.byteLength);
    const count = view.getUint32(80, true);
    expect(stl.length).toBe(84 + 50 * count);
    // Rebuild the mesh from the STL: its enclosed volume is the fitted ellipsoid's, close to EDV.
    const points = new Float32Array(9 * count);
    for (let i = 0; i < count; i++)
      for (let k = 0; k < 9; k++)
        points[9 * i + k] = view.getFloat32(84 + 50 * i + 12 + 4 * k, true);
    const mesh = { points, triangles: Uint32Array.from({ length: 3 * count }, (_, i) => i) };
    const volume = meshVolume(mesh) / 1000;
    expect(Math.abs(volume / saved.ellipsoid.ed.volumeMl - 1)).toBeLessThan(0.01);
    expect(Math.abs(volume / c.frameEdvMl - 1)).toBeLessThan(0.03);
  });

  it('reports missing inputs as usage errors and unreadable files as I/O errors', async () => {
    expect((await cli(['reconstruct', 'lv'])).code).toBe(EXIT.usage);
    expect((await cli(['reconstruct', 'lv', '--from', data])).err).toMatch(/--case/);
    const missing = await cli([
      'reconstruct',
      'lv',
      '--a4c',
      join(root, 'no.json'),
      '--a2c',
      join(root, 'no.json'),
      '--json',
    ]);
    expect(missing.code).toBe(EXIT.error);
    expect(JSON.parse(missing.out)).toMatchObject({ error: { code: 'ERR_IO' } });
  });
});

describe('writeStl as the CLI writes it', () => {
  it('writes the header, the count and outward unit normals', () => {
    const mesh = {
      points: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]),
      triangles: new Uint32Array([0, 1, 2]),
    };
    const stl = writeStl(mesh, 'tri');
    const view = new DataView(stl.buffer);
    expect(new TextDecoder().decode(stl.subarray(0, 3))).toBe('tri');
    expect(view.getUint32(80, true)).toBe(1);
    expect([0, 1, 2].map((k) => view.getFloat32(84 + 4 * k, true))).toEqual([0, 0, 1]);
    expect(view.getFloat32(84 + 12 + 12, true)).toBe(1); // second vertex x
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVolume } from '../../core/index.js';
import type { Labelmap } from '../../core/index.js';
import { readNifti1, writeNifti1, writeNifti1Gz } from '../../formats/index.js';
import type { MeshFeSummary } from './mesh-fe.js';
import { niftiToLabelmap, parseCenterlines, parseLabels, registerMeshFe } from './mesh-fe.js';

/** A vessel: a cylinder of radius 4 mm along k through a 16×16×10 grid of 1×1×2 mm voxels. */
function vessel(): Labelmap {
  const [ni, nj, nk] = [16, 16, 10];
  const data = new Uint8Array(ni * nj * nk);
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) {
        const x = i - 7.5;
        const y = j - 7.5;
        data[i + j * ni + k * ni * nj] = x * x + y * y <= 16 ? 1 : 0;
      }
    }
  }
  // A rotated direction (i → posterior, j → left) to exercise the NIfTI affine.
  return createVolume({
    dimensions: [ni, nj, nk],
    spacing: [1, 1, 2],
    origin: [10, -20, 30],
    direction: [0, 1, 0, -1, 0, 0, 0, 0, 1],
    data,
  });
}

/** Runs `medscale mesh fe …` in this process and captures stdout. */
async function cli(args: readonly string[]): Promise<string> {
  const program = new Command('medscale')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  registerMeshFe(program);
  let out = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['mesh', 'fe', ...args], { from: 'user' });
    return out;
  } finally {
    stdout.mockRestore();
  }
}

describe('medscale mesh fe', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-mesh-fe-'));
    await writeFile(join(root, 'vessel.nii.gz'), writeNifti1Gz(vessel()));
    await writeFile(
      join(root, 'carotid.json'),
      JSON.stringify({
        branches: [
          {
            name: 'cca',
            points: [
              [0, 0, -20],
              [0, 0, 0],
            ],
            radii: [3.5, 3.5],
          },
          {
            name: 'ica',
            points: [
              [0, 0, 0],
              [2, 0, 8],
              [3, 0, 20],
            ],
            radii: [3, 2.7, 2.5],
          },
          {
            name: 'eca',
            points: [
              [0, 0, 0],
              [-2, 0, 8],
              [-3, 0, 18],
            ],
            radii: [2.2, 2, 1.8],
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads NIfTI geometry back into LPS', () => {
    const volume = vessel();
    const back = niftiToLabelmap(readNifti1(writeNifti1(volume)));
    expect(back.dimensions).toEqual(volume.dimensions);
    for (let a = 0; a < 3; a++) {
      expect(back.spacing[a]).toBeCloseTo(volume.spacing[a] ?? 0, 5);
      expect(back.origin[a]).toBeCloseTo(volume.origin[a] ?? 0, 4);
    }
    for (let a = 0; a < 9; a++) expect(back.direction[a]).toBeCloseTo(volume.direction[a] ?? 0, 6);
    expect(back.data).toEqual(volume.data);
  });

  it('meshes a label map with openings and smoothing to .vtu and reports quality as JSON', async () => {
    const out = join(root, 'vessel.vtu');
    const summary = JSON.parse(
      await cli([
        join(root, 'vessel.nii.gz'),
        '--out',
        out,
        '--smooth',
        '4',
        '--openings',
        '--json',
      ]),
    ) as MeshFeSummary;
    expect(summary.format).toBe('vtu');
    expect(summary.elements).toBeGreaterThan(400);
    expect(summary.quality.inverted).toBe(0);
    expect(summary.quality.minScaledJacobian).toBeGreaterThan(0.3);
    expect(summary.openings?.map((o) => o.name).sort()).toEqual(['inlet', 'outlet_1']);
    expect(summary.surfaces['wall']).toBeGreaterThan(0);
    expect(summary.elementSets).toEqual({ label_1: summary.elements });
    const bytes = await readFile(out);
    expect(bytes.length).toBe(summary.bytes);
    expect(bytes.subarray(0, 200).toString()).toContain('<VTKFile type="UnstructuredGrid"');
  });

  it('resamples to an element size and writes Abaqus .inp with a text summary', async () => {
    const out = join(root, 'vessel.inp');
    const text = await cli([
      join(root, 'vessel.nii.gz'),
      '--out',
      out,
      '--element-size',
      '2',
      '--labels',
      '1',
    ]);
    expect(text).toMatch(/^wrote .*vessel\.inp \(inp, .* MB\): \d+ elements \(\d+ hex, 0 wedge\)/);
    expect(text).toMatch(/scaled Jacobian: min 1\.000/);
    expect(await readFile(out, 'utf8')).toContain('*ELEMENT, TYPE=C3D8, ELSET=label_1');
  });

  it('sweeps centerlines to FEBio .feb and reports the non-conforming junction', async () => {
    const out = join(root, 'carotid.feb');
    const text = await cli([
      '--centerlines',
      join(root, 'carotid.json'),
      '--out',
      out,
      '--sectors',
      '16',
      '--wall-thickness',
      '0.6',
    ]);
    expect(text).toMatch(/inverted 0/);
    expect(text).toMatch(/junction cca → ica, eca: non-conforming/);
    const feb = await readFile(out, 'utf8');
    expect(feb).toContain('<Surface name="outlet_ica">');
    expect(feb).toContain('<Elements type="hex8" name="wall">');
  });

  it('fails with ERR_MESH_QUALITY when the mesh misses --min-quality', async () => {
    await expect(
      cli([
        join(root, 'vessel.nii.gz'),
        '--out',
        join(root, 'never.vtu'),
        '--smooth',
        '5',
        '--min-quality',
        '0.99',
      ]),
    ).rejects.toMatchObject({ code: 'ERR_MESH_QUALITY' });
  });

  it('refuses bad usage', async () => {
    await expect(cli(['--out', join(root, 'x.vtu')])).rejects.toMatchObject({ code: 'ERR_USAGE' });
    await expect(
      cli([join(root, 'vessel.nii.gz'), '--out', join(root, 'x.stl')]),
    ).rejects.toMatchObject({ code: 'ERR_USAGE' });
    await expect(
      cli([join(root, 'vessel.nii.gz'), '--out', 'x.vtu', '--sectors', '0']),
    ).rejects.toThrow(/positive integer/);
    expect(() => parseLabels('1,300')).toThrow(/labels 1-255/);
    expect(parseLabels('2, 1,2')).toEqual([2, 1]);
    expect(() => parseCenterlines('{"x":1}', 'c.json')).toThrow(/expected an array/);
    expect(() => parseCenterlines('[{"name":"a"}]', 'c.json')).toThrow(/branch 0 needs/);
  });
});

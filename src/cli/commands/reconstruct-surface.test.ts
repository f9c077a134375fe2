import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Mat3 } from '../../core/index.js';
import { readNifti1, writeNifti1, writeNifti1Gz } from '../../formats/index.js';
import {
  meshVolume,
  phantomLabelmap,
  readStl,
  readVtp,
  sphereShape,
} from '../../reconstruct/index.js';
import { niftiToVolume, registerReconstructSurface } from './reconstruct-surface.js';

// A rotated, anisotropic grid with two labelled spheres.
const direction: Mat3 = [0, 1, 0, -1, 0, 0, 0, 0, 1];
const big = phantomLabelmap(sphereShape([0, 0, 0], 8), {
  spacing: [0.9, 1.1, 1.2],
  origin: [12, -14, -13],
  dimensions: [32, 28, 26],
  direction,
});
const labels = big.data;
// Second label: a small sphere near the far corner (voxels 24..28).
for (let k = 19; k < 24; k++)
  for (let j = 20; j < 25; j++)
    for (let i = 24; i < 29; i++)
      if ((i - 26) ** 2 + (j - 22) ** 2 + (k - 21) ** 2 <= 4) labels[i + 32 * (j + 28 * k)] = 7;

describe('medscale reconstruct surface', () => {
  let root: string;
  let oneLabel: string;
  let twoLabels: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-surface-cli-'));
    oneLabel = join(root, 'sphere.nii.gz');
    twoLabels = join(root, 'two.nii');
    const only = Uint8Array.from(labels, (v) => (v === 1 ? 1 : 0));
    await writeFile(oneLabel, writeNifti1Gz({ ...big, data: only }));
    await writeFile(twoLabels, writeNifti1(big));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function cli(args: readonly string[]): Promise<string> {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      const program = new Command().exitOverride();
      registerReconstructSurface(program.command('reconstruct'));
      await program.parseAsync(['reconstruct', 'surface', ...args], { from: 'user' });
      return out;
    } finally {
      spy.mockRestore();
    }
  }

  it('reads NIfTI geometry back into the LPS volume it was written from', () => {
    const v = niftiToVolume(readNifti1(writeNifti1(big)));
    expect(v.dimensions).toEqual(big.dimensions);
    v.spacing.forEach((s, i) => {
      expect(s).toBeCloseTo(big.spacing[i]!, 5);
    });
    v.origin.forEach((s, i) => {
      expect(s).toBeCloseTo(big.origin[i]!, 4);
    });
    v.direction.forEach((s, i) => {
      expect(s).toBeCloseTo(direction[i]!, 5);
    });
  });

  it('writes the only label as STL and prints volume, area, triangles and watertightness', async () => {
    const out = join(root, 'sphere.stl');
    const text = await cli([oneLabel, '--out', out]);
    expect(text).toMatch(
      /^label 1: volume 2\.\d\d mL, area \d+\.\d\d cm², \d+ triangles, watertight yes/,
    );
    const mesh = readStl(readFileSync(out));
    // A sphere of radius 8 mm: 2.145 mL.
    expect(meshVolume(mesh) / ((4 / 3) * Math.PI * 512)).toBeCloseTo(1, 1);
    // In patient space: centred on the phantom's centre, not on voxel indices.
    const xs = Array.from(mesh.points.filter((_, i) => i % 3 === 0));
    expect((Math.min(...xs) + Math.max(...xs)) / 2).toBeCloseTo(0, 0);
  });

  it('needs --label or --all when several labels are present, and writes one file per label', async () => {
    await expect(cli([twoLabels, '--out', join(root, 'x.vtp')])).rejects.toThrow(
      /labels 1, 7: choose one with --label N, or --all/,
    );
    const json = JSON.parse(
      await cli([
        twoLabels,
        '--out',
        join(root, 'all.vtp'),
        '--all',
        '--target-triangles',
        '300',
        '--json',
      ]),
    ) as { surfaces: { label: number; file: string; triangles: number; watertight: boolean }[] };
    expect(json.surfaces.map((s) => s.label)).toEqual([1, 7]);
    expect(json.surfaces[0]!.file).toBe(join(root, 'all-1.vtp'));
    expect(json.surfaces[0]!.triangles).toBeLessThanOrEqual(300);
    expect(json.surfaces.every((s) => s.watertight)).toBe(true);
    expect(readVtp(readFileSync(join(root, 'all-7.vtp'))).triangles.length).toBeGreaterThan(0);
    await expect(cli([twoLabels, '--out', join(root, 'x.stl'), '--label', '3'])).rejects.toThrow(
      /no voxel has label 3/,
    );
    await expect(cli([twoLabels, '--out', join(root, 'x.off'), '--label', '1'])).rejects.toThrow(
      /cannot tell the mesh format/,
    );
    await expect(cli([join(root, 'seg.dcm'), '--out', join(root, 'x.stl')])).rejects.toThrow(
      /DICOM SEG input is not supported yet/,
    );
  });
});

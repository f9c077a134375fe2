import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomDataset } from '../../src/dicom/index.js';
import { readPart10 } from '../../src/dicom/index.js';
import { makeMrFiles } from '../support/make-series.js';
import { HAVE_PYDICOM, PYDICOM_DIR } from '../support/pydicom-files.js';
import { runCli } from '../support/run-cli.js';

/** Every identifying value of a source file worth searching for. */
function identifiers(dataset: DicomDataset, out: Set<string>): void {
  for (const [tag, element] of Object.entries(dataset)) {
    if (element.vr === 'SQ') {
      for (const item of element.Value ?? []) identifiers(item as DicomDataset, out);
      continue;
    }
    const value = element.Value?.[0];
    if (element.vr === 'UI') {
      for (const uid of element.Value ?? []) {
        const text = String(uid).replace(/[\0 ]+$/, '');
        // Standard UIDs (SOP classes, transfer syntaxes) name no one and are kept on purpose.
        if (text.length >= 10 && !text.startsWith('1.2.840.10008.')) out.add(text);
      }
    } else if (tag === '00100010' && typeof value === 'object' && value !== null) {
      const name = (value as { Alphabetic?: string }).Alphabetic ?? '';
      if (name.length >= 6) out.add(name);
    } else if (
      (tag === '00100020' || tag === '00100030') &&
      typeof value === 'string' &&
      value.trim().length >= 6
    ) {
      out.add(value.trim());
    }
  }
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

describe.skipIf(!HAVE_PYDICOM)('privacy: no original identifier survives ingest', () => {
  let root: string;
  let input: string;
  let data: string;
  let logs = '';
  const needles = new Set<string>();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'medscale-privacy-'));
    input = join(root, 'input');
    data = join(root, 'data');
    const known = makeMrFiles(join(input, 'series'), 40, {
      patientName: 'Schneider^Katharina^Maria',
      patientId: 'HH-2024-000123',
      birthDate: '19571103',
    });
    mkdirSync(join(input, 'real'));
    for (const name of [
      'CT_small.dcm',
      'MR_small.dcm',
      'JPEG2000.dcm',
      'MR_small_RLE.dcm',
      'rtplan.dcm',
      'rtstruct.dcm',
      'test-SR.dcm',
    ]) {
      copyFileSync(join(PYDICOM_DIR, name), join(input, 'real', name));
    }
    for (const file of filesUnder(input))
      identifiers(readPart10(readFileSync(file)).dataset, needles);
    for (const value of [known.patientName, known.patientId, known.birthDate, ...known.uids])
      needles.add(value);
    const ingest = await runCli([
      '--data',
      data,
      'ingest',
      input,
      '--project',
      'privacy',
      '--report',
    ]);
    const ls = await runCli(['--data', data, 'ls', 'series', '--json']);
    const studies = await runCli(['--data', data, 'ls', 'studies']);
    logs = [
      ingest.stdout,
      ingest.stderr,
      ls.stdout,
      ls.stderr,
      studies.stdout,
      studies.stderr,
    ].join('\n');
    expect(
      ingest.code,
      ingest.stdout
        .split('\n')
        .filter((l) => l.startsWith('quarantined'))
        .join('\n'),
    ).toBe(0);
  }, 120_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('collected the identifiers it looks for (the test can fail)', () => {
    expect(needles.has('HH-2024-000123')).toBe(true);
    expect(needles.has('19571103')).toBe(true);
    expect(needles.size).toBeGreaterThan(60);
    // The originals do contain them, so a scan of an unprotected copy would find them.
    const raw = readFileSync(join(input, 'series', '00000.dcm'));
    expect(raw.includes('HH-2024-000123')).toBe(true);
  });

  it('finds no original name, ID, birth date or UID in the blob store or the catalog', () => {
    const scanned = filesUnder(data).filter((f) => !f.includes(join(data, 'secrets')));
    expect(scanned.some((f) => f.includes('catalog.sqlite'))).toBe(true);
    expect(scanned.filter((f) => f.includes('/blobs/')).length).toBeGreaterThan(40);
    const leaks: string[] = [];
    for (const file of scanned) {
      const bytes = readFileSync(file);
      for (const needle of needles) if (bytes.includes(needle)) leaks.push(`${needle} in ${file}`);
    }
    expect(leaks).toEqual([]);
  });

  it('finds none of them in what the commands printed', () => {
    expect(logs).toContain('stored');
    const leaks = [...needles].filter((needle) => logs.includes(needle));
    expect(leaks).toEqual([]);
  });
});

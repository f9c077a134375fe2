import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPart10, writePart10 } from '../../src/dicom/index.js';
import { PYDICOM_DIR } from './pydicom-files.js';

/** Identifying values a generated file carries, for privacy checks. */
export interface KnownPhi {
  readonly patientName: string;
  readonly patientId: string;
  readonly birthDate: string;
  readonly uids: readonly string[];
}

/**
 * Writes `count` copies of pydicom's real MR_small.dcm (64×64, explicit little endian) as one
 * series per `perSeries` instances, each with its own UIDs and with the given PHI, so tests get many
 * distinct real-format files with known identifying values.
 */
export function makeMrFiles(
  dir: string,
  count: number,
  options: {
    perSeries?: number;
    patientName?: string;
    patientId?: string;
    birthDate?: string;
    studyDate?: string;
  } = {},
): KnownPhi {
  const template = readFileSync(join(PYDICOM_DIR, 'MR_small.dcm'));
  const perSeries = options.perSeries ?? 50;
  const patientName = options.patientName ?? 'Mustermann^Erika';
  const patientId = options.patientId ?? 'PID-4711-TEST';
  const birthDate = options.birthDate ?? '19640812';
  const root = `1.2.826.0.1.3680043.8.498.${Date.now() % 1_000_000}${Math.floor(Math.random() * 1000)}`;
  const study = `${root}.1`;
  const uids = new Set<string>([study]);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const { meta, dataset } = readPart10(template);
    const series = `${root}.2.${Math.floor(i / perSeries)}`;
    const sop = `${root}.3.${i}`;
    uids.add(series).add(sop);
    dataset['00100010'] = { vr: 'PN', Value: [{ Alphabetic: patientName }] };
    dataset['00100020'] = { vr: 'LO', Value: [patientId] };
    dataset['00100030'] = { vr: 'DA', Value: [birthDate] };
    dataset['00080020'] = { vr: 'DA', Value: [options.studyDate ?? '20240315'] };
    dataset['0020000D'] = { vr: 'UI', Value: [study] };
    dataset['0020000E'] = { vr: 'UI', Value: [series] };
    dataset['00080018'] = { vr: 'UI', Value: [sop] };
    dataset['00200013'] = { vr: 'IS', Value: [(i % perSeries) + 1] };
    dataset['00200032'] = { vr: 'DS', Value: [0, 0, (i % perSeries) * 2] };
    meta['00020003'] = { vr: 'UI', Value: [sop] };
    writeFileSync(join(dir, `${i.toString().padStart(5, '0')}.dcm`), writePart10(meta, dataset));
  }
  return { patientName, patientId, birthDate, uids: [...uids] };
}

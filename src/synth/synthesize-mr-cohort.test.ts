import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstNumber, firstString, numbers } from '../core/index.js';
import type { Vec3 } from '../core/index.js';
import { readPart10 } from '../dicom/index.js';
import type { DicomDataset } from '../dicom/index.js';
import { buildBodyModel, packPrimitives, PRIMITIVE_STRIDE } from './body-model.js';
import { planParticipant } from './generate-participant.js';
import { LABEL } from './tissues.js';
import { rasterizeSlice } from './kernels/rasterize-slice.js';
import { makeSites } from './people.js';
import { createRandom } from './random.js';
import { isWithinTolerance, loadProtocol } from '../protocol/index.js';
import type { Protocol } from '../protocol/index.js';
import {
  DEFECT_KINDS,
  DEFECT_RATE_FIELDS,
  TISSUES,
  WRONG_PARAMETERS,
  synthesizeMrCohort,
} from './index.js';
import type {
  DefectManifest,
  DefectTruth,
  GroundTruth,
  SeriesTruth,
  SynthMrCohortOptions,
} from './index.js';

let root: string;

interface Cohort {
  readonly dir: string;
  readonly options: SynthMrCohortOptions;
  readonly truth: GroundTruth;
  readonly protocol: Protocol;
}

const A_OPTIONS = { participants: 3, sites: 3, seed: 7 } as const;
const B_CLEAN_OPTIONS = { participants: 6, sites: 3, seed: 11, followUpFraction: 0.5 } as const;
/** Every kind at 0.34: 3 of the 9 sessions each. */
const B_OPTIONS = {
  ...B_CLEAN_OPTIONS,
  defects: Object.fromEntries(Object.values(DEFECT_RATE_FIELDS).map((field) => [field, 0.34])),
} as const;
/** One series of each orientation. */
const W_SERIES = ['t1_mprage_sag', 'qdixon_tra_liver', 't2_haste_cor', 'cine_sax'];

let a: Cohort;
let aAgain: Cohort;
let b: Cohort;
/** The cohort of `b` without defects: the clean render of every series. */
let bClean: Cohort;
/** Four series, a wrong parameter and a wrong orientation in every session. */
let w: Cohort;

async function generate(
  name: string,
  options: Omit<SynthMrCohortOptions, 'outDir'>,
): Promise<Cohort> {
  const dir = join(root, name);
  const all = { ...options, outDir: dir };
  const summary = await synthesizeMrCohort(all);
  const truth = JSON.parse(readFileSync(summary.groundTruthFile, 'utf8')) as GroundTruth;
  const protocol = loadProtocol(JSON.parse(readFileSync(summary.protocolFile, 'utf8')));
  return { dir, options: all, truth, protocol };
}

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)],
    )
    .sort();
}

interface Instance {
  readonly meta: DicomDataset;
  readonly dataset: DicomDataset;
  readonly pixels: Uint16Array;
}

function readInstance(path: string): Instance {
  const part10 = readPart10(new Uint8Array(readFileSync(path)));
  expect(part10.warnings, path).toEqual([]);
  const buffer = part10.dataset['7FE00010']?.Value?.[0] as ArrayBuffer;
  return { meta: part10.meta, dataset: part10.dataset, pixels: new Uint16Array(buffer) };
}

/** Instance Numbers (and file names) of a series, gaps left out. */
function instanceNumbers(series: SeriesTruth): number[] {
  const missing = new Set(series.missingInstanceNumbers ?? []);
  return Array.from({ length: series.instances + missing.size }, (_, k) => k + 1).filter(
    (n) => !missing.has(n),
  );
}

const fileName = (instanceNumber: number): string =>
  `${String(instanceNumber).padStart(4, '0')}.dcm`;

function readSeries(cohort: Cohort, series: SeriesTruth): Instance[] {
  return instanceNumbers(series).map((n) =>
    readInstance(join(cohort.dir, series.directory, fileName(n))),
  );
}

function allSeries(cohort: Cohort): { participant: number; visit: string; series: SeriesTruth }[] {
  return cohort.truth.participants.flatMap((p, participant) =>
    p.sessions.flatMap((s) => s.series.map((series) => ({ participant, visit: s.visit, series }))),
  );
}

const dot = (u: Vec3, v: Vec3): number => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];

/** The phantom's labels of every slice of a series, rebuilt from the seed and the ground truth. */
function seriesLabels(cohort: Cohort, participant: number, series: SeriesTruth): Uint8Array[] {
  const seed = cohort.truth.seed;
  const siteCount = cohort.truth.sites.length;
  const sites = makeSites(siteCount, (id) => createRandom(seed, 'site', id));
  const plan = planParticipant(participant, seed, sites[participant % siteCount]!);
  const body = buildBodyModel({ heightM: plan.heightM, weightKg: plan.weightKg }, plan.random);
  const packed = packPrimitives(body.primitives);
  const scratch = new Float64Array((packed.length / PRIMITIVE_STRIDE) * 10);
  const [row, col] = [
    series.imageOrientationPatient.slice(0, 3),
    series.imageOrientationPatient.slice(3),
  ];
  return Array.from({ length: series.instances }, (_, k) => {
    const labels = new Uint8Array(series.rows * series.columns);
    rasterizeSlice(
      packed,
      {
        origin: Float64Array.from(
          series.firstImagePositionMm,
          (x, a) => x + k * series.spacingBetweenSlicesMm * series.normal[a]!,
        ),
        rowStep: Float64Array.from(row, (v) => v * series.pixelSpacingMm[1]),
        columnStep: Float64Array.from(col, (v) => v * series.pixelSpacingMm[0]),
        normal: Float64Array.from(series.normal),
        rows: series.rows,
        columns: series.columns,
      },
      labels,
      scratch,
    );
    return labels;
  });
}

/** σ estimated from the air (Rayleigh) pixels of a series: mean / √(π/2) (qa-metrics.md §4.4). */
function backgroundSigma(
  cohort: Cohort,
  participant: number,
  series: SeriesTruth,
): { sigma: number; n: number } {
  const labels = seriesLabels(cohort, participant, series);
  const instances = readSeries(cohort, series);
  let sum = 0;
  let n = 0;
  instances.forEach((instance, k) => {
    labels[k]!.forEach((label, i) => {
      if (label === 0) {
        sum += instance.pixels[i]!;
        n++;
      }
    });
  });
  return { sigma: sum / n / Math.sqrt(Math.PI / 2), n };
}

/** Mean of the 3 × 3 pixels nearest to an LPS point, using the header geometry only. */
function meanNear(
  instances: readonly Instance[],
  point: Vec3,
): { mean: number; distanceMm: number } {
  let best: { k: number; d: number } = { k: 0, d: Infinity };
  const iop = numbers(instances[0]!.dataset, '00200037')!;
  const row: Vec3 = [iop[0]!, iop[1]!, iop[2]!];
  const col: Vec3 = [iop[3]!, iop[4]!, iop[5]!];
  const normal: Vec3 = [
    row[1] * col[2] - row[2] * col[1],
    row[2] * col[0] - row[0] * col[2],
    row[0] * col[1] - row[1] * col[0],
  ];
  instances.forEach((instance, k) => {
    const ipp = numbers(instance.dataset, '00200032')! as unknown as Vec3;
    const d = Math.abs(dot(normal, point) - dot(normal, ipp));
    if (d < best.d) best = { k, d };
  });
  const instance = instances[best.k]!;
  const ipp = numbers(instance.dataset, '00200032')! as unknown as Vec3;
  const [dr, dc] = numbers(instance.dataset, '00280030')!;
  const columns = firstNumber(instance.dataset, '00280011')!;
  const offset: Vec3 = [point[0] - ipp[0], point[1] - ipp[1], point[2] - ipp[2]];
  const c = Math.round(dot(offset, row) / dc!);
  const r = Math.round(dot(offset, col) / dr!);
  let sum = 0;
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) sum += instance.pixels[(r + dy) * columns + c + dx]!;
  return { mean: sum / 9, distanceMm: best.d };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'medscale-synth-'));
  a = await generate('a', A_OPTIONS);
  aAgain = await generate('a-again', A_OPTIONS);
  b = await generate('b', B_OPTIONS);
  bClean = await generate('b-clean', B_CLEAN_OPTIONS);
  w = await generate('w', {
    participants: 12,
    sites: 1,
    seed: 5,
    protocol: { ...a.protocol, series: a.protocol.series.filter((s) => W_SERIES.includes(s.key)) },
    defects: { wrongParameter: 1, wrongOrientation: 1 },
  });
}, 90_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('synthesizeMrCohort: determinism', () => {
  it('writes byte-identical files for the same seed', () => {
    const files = listFiles(a.dir);
    expect(files).toEqual(listFiles(aAgain.dir));
    for (const file of files) {
      expect(
        readFileSync(join(a.dir, file)).equals(readFileSync(join(aAgain.dir, file))),
        file,
      ).toBe(true);
    }
  });

  it('writes different files for a different seed', async () => {
    const other = await generate('a-seed-8', { ...A_OPTIONS, seed: 8 });
    const first = a.truth.participants[0]!.sessions[0]!.series[0]!;
    const otherFirst = other.truth.participants[0]!.sessions[0]!.series[0]!;
    expect(otherFirst.seriesInstanceUid).not.toBe(first.seriesInstanceUid);
    const mine = readFileSync(join(a.dir, first.directory, '0001.dcm'));
    const theirs = readFileSync(join(other.dir, otherFirst.directory, '0001.dcm'));
    expect(mine.equals(theirs)).toBe(false);
    expect(other.truth.participants[0]!.patientName).not.toBe(a.truth.participants[0]!.patientName);
  });

  it('writes the same bytes from worker threads', async () => {
    const parallel = await generate('a-parallel', { ...A_OPTIONS, concurrency: 2 });
    const files = listFiles(a.dir);
    expect(listFiles(parallel.dir)).toEqual(files);
    for (const file of files) {
      expect(
        readFileSync(join(a.dir, file)).equals(readFileSync(join(parallel.dir, file))),
        file,
      ).toBe(true);
    }
  }, 30_000);
});

describe('synthesizeMrCohort: files and headers', () => {
  it('writes participants × visits × series × slices files, plus the two JSON files', () => {
    const perSession = a.protocol.series.reduce((n, s) => n + s.parameters.slices, 0);
    expect(perSession).toBe(12 * 8);
    const dicom = listFiles(a.dir).filter((f) => f.endsWith('.dcm'));
    expect(dicom).toHaveLength(3 * 1 * perSession);
    expect(a.truth.totals.instances).toBe(dicom.length);
    expect(listFiles(a.dir).filter((f) => !f.endsWith('.dcm'))).toEqual([
      'defects.json',
      'ground-truth.json',
      'protocol.json',
    ]);
    // With follow-ups and defects: every session, less what is recorded as missing.
    const sessions = b.truth.participants.flatMap((p) => p.sessions);
    expect(sessions).toHaveLength(6 + 3);
    const missing = sessions.reduce((n, s) => n + s.missingSeries.length, 0);
    const written = listFiles(b.dir).filter((f) => f.endsWith('.dcm'));
    expect(written).toHaveLength(b.truth.totals.instances);
    expect(written).toEqual(
      allSeries(b)
        .flatMap(({ series }) =>
          instanceNumbers(series).map((n) => join(series.directory, fileName(n))),
        )
        .sort(),
    );
    const short = b.truth.defects.reduce(
      (n, d) =>
        n +
        (d.kind === 'missing-slices'
          ? d.sliceIndices.length
          : d.kind === 'truncated-coverage'
            ? d.plannedSlices - d.slices
            : 0),
      0,
    );
    expect(short).toBeGreaterThan(0);
    expect(written).toHaveLength(sessions.length * perSession - missing * 8 - short);
  });

  it('reads back every file with the recorded UIDs, identity and geometry', () => {
    for (const { participant, series } of allSeries(a)) {
      const p = a.truth.participants[participant]!;
      const session = p.sessions[0]!;
      const instances = readSeries(a, series);
      const sops = new Set<string>();
      instances.forEach((instance, k) => {
        const ds = instance.dataset;
        expect(firstString(ds, '00080016')).toBe('1.2.840.10008.5.1.4.1.1.4');
        expect(firstString(instance.meta, '00020010')).toBe('1.2.840.10008.1.2.1');
        expect(firstString(ds, '00080018')).toBe(firstString(instance.meta, '00020003'));
        sops.add(firstString(ds, '00080018')!);
        expect(firstString(ds, '0020000D')).toBe(session.studyInstanceUid);
        expect(firstString(ds, '0020000E')).toBe(series.seriesInstanceUid);
        expect(firstString(ds, '00200052')).toBe(session.frameOfReferenceUid);
        expect(firstNumber(ds, '00200013')).toBe(k + 1);
        expect(firstString(ds, '00100010')).toBe(p.patientName);
        expect(firstString(ds, '00100020')).toBe(p.participantId);
        expect(p.participantId.startsWith(p.siteId)).toBe(true);
        expect(firstString(ds, '00100030')).toBe(p.birthDate);
        expect(firstString(ds, '00101010')).toBe(`${String(session.ageYears).padStart(3, '0')}Y`);
        expect(firstNumber(ds, '00280010')).toBe(series.rows);
        expect(firstNumber(ds, '00280011')).toBe(series.columns);
        expect(instance.pixels).toHaveLength(series.rows * series.columns);
        expect([
          firstNumber(ds, '00280100'),
          firstNumber(ds, '00280101'),
          firstNumber(ds, '00280102'),
        ]).toEqual([16, 12, 11]);
        expect(Math.max(...instance.pixels)).toBeLessThanOrEqual(4095);
      });
      expect(sops.size).toBe(series.instances);
    }
  });

  it('steps Image Position (Patient) along the slice normal by Spacing Between Slices', () => {
    for (const { series } of allSeries(a)) {
      const instances = readSeries(a, series);
      const iop = numbers(instances[0]!.dataset, '00200037')!;
      const row: Vec3 = [iop[0]!, iop[1]!, iop[2]!];
      const col: Vec3 = [iop[3]!, iop[4]!, iop[5]!];
      expect(dot(row, row)).toBeCloseTo(1, 5);
      expect(dot(col, col)).toBeCloseTo(1, 5);
      expect(dot(row, col)).toBeCloseTo(0, 5);
      const normal: Vec3 = [
        row[1] * col[2] - row[2] * col[1],
        row[2] * col[0] - row[0] * col[2],
        row[0] * col[1] - row[1] * col[0],
      ];
      const spacing = firstNumber(instances[0]!.dataset, '00180088')!;
      expect(spacing).toBeCloseTo(series.spacingBetweenSlicesMm, 6);
      expect(numbers(instances[0]!.dataset, '00200032')).toEqual(series.firstImagePositionMm);
      for (let k = 1; k < instances.length; k++) {
        const p0 = numbers(instances[k - 1]!.dataset, '00200032')!;
        const p1 = numbers(instances[k]!.dataset, '00200032')!;
        const step: Vec3 = [p1[0]! - p0[0]!, p1[1]! - p0[1]!, p1[2]! - p0[2]!];
        for (let axis = 0; axis < 3; axis++)
          expect(step[axis]).toBeCloseTo(spacing * normal[axis]!, 3);
        expect(firstNumber(instances[k]!.dataset, '00201041')).toBeCloseTo(
          dot(p1 as unknown as Vec3, normal),
          3,
        );
      }
    }
  });

  it('writes every sequence parameter as the protocol says', () => {
    for (const { series } of allSeries(a)) {
      const ds = readSeries(a, series)[0]!.dataset;
      const s = a.protocol.series.find((x) => x.key === series.key)!;
      const p = s.parameters;
      expect(firstNumber(ds, '00180080')).toBe(p.repetitionTimeMs);
      expect(firstNumber(ds, '00180081')).toBe(p.echoTimeMs);
      expect(firstNumber(ds, '00180082')).toBe(p.inversionTimeMs);
      expect(firstNumber(ds, '00181314')).toBe(p.flipAngleDeg);
      expect(firstNumber(ds, '00180050')).toBeCloseTo(p.sliceThicknessMm, 6);
      expect(numbers(ds, '00280030')).toEqual([...p.pixelSpacingMm]);
      expect(firstNumber(ds, '00180083')).toBe(p.numberOfAverages);
      expect(firstNumber(ds, '00180095')).toBe(p.pixelBandwidthHz);
      expect(ds['00180020']?.Value).toEqual(p.scanningSequence);
      expect(ds['00180021']?.Value).toEqual(p.sequenceVariant);
      expect(firstString(ds, '00180023')).toBe(p.mrAcquisitionType);
      expect(firstString(ds, '00181312')).toBe(p.phaseEncodingDirection);
      expect(firstString(ds, '0008103E')).toBe(s.seriesDescription);
      expect(firstString(ds, '00181030')).toBe(s.protocolName);
      expect(firstString(ds, '00180015')).toBe(s.bodyPartExamined);
      expect(firstNumber(ds, '00200011')).toBe(s.seriesNumber);
      expect(firstNumber(ds, '00180087')).toBe(3);
      expect(firstString(ds, '00080070')).toBe('SIEMENS');
      expect(firstString(ds, '00081090')).toBe('MAGNETOM Skyra');
      expect(firstString(ds, '00185100')).toBe('HFS');
    }
  });

  it('carries PHI in nested sequences and in a Siemens CSA private blob', () => {
    const p = a.truth.participants[0]!;
    const series = p.sessions[0]!.series[0]!;
    const ds = readSeries(a, series)[0]!.dataset;
    const request = ds['00400275']?.Value?.[0] as DicomDataset;
    expect(firstString(request, '00401001')).toMatch(/^RP\d{8}$/);
    expect(firstString(request, '0020000D')).toBe(p.sessions[0]!.studyInstanceUid);
    const referenced = ds['00081110']?.Value?.[0] as DicomDataset;
    expect(firstString(referenced, '00081155')).toBe(p.sessions[0]!.studyInstanceUid);
    expect(firstString(ds, '00290010')).toBe('SIEMENS CSA HEADER');
    const csa = Buffer.from(ds['00291020']?.Value?.[0] as ArrayBuffer);
    expect(csa.subarray(0, 4).toString('latin1')).toBe('SV10');
    expect(csa.includes(Buffer.from(p.patientName, 'utf8'))).toBe(true);
    expect(csa.includes(Buffer.from(p.participantId, 'utf8'))).toBe(true);
    expect(firstString(ds, '00080005')).toBe('ISO_IR 192');
  });

  it.skipIf(!existsSync('/usr/bin/dcmdump'))(
    'passes dcmtk dcmdump without warnings or errors',
    () => {
      const p =
        a.truth.participants.find((x) => /[äöüÄÖÜß]/.test(x.patientName)) ??
        a.truth.participants[0]!;
      for (const series of p.sessions[0]!.series.slice(0, 4)) {
        const file = join(a.dir, series.directory, '0001.dcm');
        const result = spawnSync('/usr/bin/dcmdump', [file], { encoding: 'utf8' });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
        expect(result.stdout).toContain('=MRImageStorage');
        expect(result.stdout).toContain(`(0010,0010) PN [${p.patientName}]`);
      }
    },
  );
});

describe('synthesizeMrCohort: phantom and noise', () => {
  it('recovers each series noise σ from its air background within 10 %', () => {
    for (const { participant, series } of allSeries(a)) {
      const { sigma, n } = backgroundSigma(a, participant, series);
      expect(n, series.key).toBeGreaterThan(500);
      expect(
        Math.abs(sigma / series.noiseSigma - 1),
        `${series.key}: ${sigma} vs ${series.noiseSigma}`,
      ).toBeLessThan(0.1);
      expect(series.snr).toBeCloseTo(series.referenceSignal / series.noiseSigma, 2);
    }
  });

  it('puts white matter at the brain landmark of head series', () => {
    for (const p of a.truth.participants) {
      for (const key of ['t1_mprage_sag', 't2_flair_sag', 'swi_tra', 'dwi_tra_b1000']) {
        const series = p.sessions[0]!.series.find((s) => s.key === key)!;
        // 25 mm above the brain centre: white matter above the lateral ventricles, whichever
        // slice (up to 15 mm off in small cohorts) is nearest.
        const [x, y, z] = p.landmarksMm.brain;
        const { mean } = meanNear(readSeries(a, series), [x, y, z + 25]);
        // The mean of 9 Rician pixels at high SNR: the tissue signal ± σ/3; allow 2σ.
        expect(Math.abs(mean - series.tissueSignal['white-matter']), key).toBeLessThan(
          2 * series.noiseSigma,
        );
      }
    }
  });

  it('puts the liver at the liver landmark of abdominal series', () => {
    for (const p of a.truth.participants) {
      for (const key of [
        't2_haste_tra_abdomen',
        'qdixon_tra_liver',
        'dixon_cor_trunk',
        't2_haste_cor',
      ]) {
        const series = p.sessions[0]!.series.find((s) => s.key === key)!;
        const { mean } = meanNear(readSeries(a, series), p.landmarksMm.liver);
        expect(Math.abs(mean - series.tissueSignal.liver), key).toBeLessThan(2 * series.noiseSigma);
      }
    }
  });

  it('agrees with the phantom labels: liver pixels average the liver signal', () => {
    const p = 0;
    const series = a.truth.participants[p]!.sessions[0]!.series.find(
      (s) => s.key === 't2_haste_tra_abdomen',
    )!;
    const labels = seriesLabels(a, p, series);
    const instances = readSeries(a, series);
    let sum = 0;
    let n = 0;
    instances.forEach((instance, k) => {
      labels[k]!.forEach((label, i) => {
        if (label === LABEL.liver) {
          sum += instance.pixels[i]!;
          n++;
        }
      });
    });
    expect(n).toBeGreaterThan(100);
    expect(Math.abs(sum / n - series.tissueSignal.liver)).toBeLessThan(0.1 * series.noiseSigma + 1);
  });
});

describe('synthesizeMrCohort: injected defects', () => {
  type Where = Pick<DefectTruth, 'participantId' | 'visit' | 'seriesKey'>;

  function findSeries(cohort: Cohort, d: Where): { participant: number; series: SeriesTruth } {
    const participant = cohort.truth.participants.findIndex(
      (p) => p.participantId === d.participantId,
    );
    const session = cohort.truth.participants[participant]!.sessions.find(
      (s) => s.visit === d.visit,
    )!;
    return { participant, series: session.series.find((s) => s.key === d.seriesKey)! };
  }
  const defectSeries = (d: Where): { participant: number; series: SeriesTruth } => findSeries(b, d);
  /** The same series in the defect-free cohort. */
  const cleanSeries = (d: Where): SeriesTruth => findSeries(bClean, d).series;
  const defectsOf = <K extends DefectTruth['kind']>(kind: K): Extract<DefectTruth, { kind: K }>[] =>
    b.truth.defects.filter((d): d is Extract<DefectTruth, { kind: K }> => d.kind === kind);

  /** Noise-free signal of every pixel of every slice, from the phantom labels. */
  function noiseFree(participant: number, series: SeriesTruth): Float64Array[] {
    const signal = TISSUES.map((t) => series.tissueSignal[t]);
    return seriesLabels(b, participant, series).map((labels) =>
      Float64Array.from(labels, (label) => signal[label]!),
    );
  }

  /** Index of the pixel `d` steps along the phase-encoding axis from `i`, circularly. */
  function alongPe(series: SeriesTruth, pe: string, i: number, d: number): number {
    const r = Math.floor(i / series.columns);
    const c = i % series.columns;
    return pe === 'ROW'
      ? r * series.columns + ((((c + d) % series.columns) + series.columns) % series.columns)
      : ((((r + d) % series.rows) + series.rows) % series.rows) * series.columns + c;
  }

  /** Mean squared difference of neighbouring pixels along the phase-encoding axis (sharpness). */
  function gradientEnergy(series: SeriesTruth, pe: string, images: readonly Instance[]): number {
    let sum = 0;
    let n = 0;
    for (const { pixels } of images) {
      for (let i = 0; i < pixels.length; i++) {
        const r = Math.floor(i / series.columns);
        const c = i % series.columns;
        if (pe === 'ROW' ? c === series.columns - 1 : r === series.rows - 1) continue;
        sum += (pixels[alongPe(series, pe, i, 1)]! - pixels[i]!) ** 2;
        n++;
      }
    }
    return sum / n;
  }

  it('injects round(rate × sessions) defects of each kind, at most one per series', () => {
    for (const kind of DEFECT_KINDS) expect(defectsOf(kind), kind).toHaveLength(3);
    const where = b.truth.defects.map((d) => `${d.participantId}/${d.visit}/${d.seriesKey}`);
    expect(new Set(where).size).toBe(where.length);
    for (const d of b.truth.defects) {
      if (d.kind === 'missing-series') continue;
      const { series } = defectSeries(d);
      expect(series.defects).toEqual([d.kind]);
      expect(series.seriesInstanceUid).toBe(d.seriesInstanceUid);
    }
    const hit = allSeries(b).filter(({ series }) => series.defects.length > 0);
    expect(hit).toHaveLength(b.truth.defects.length - 3);
  });

  it('writes defects.json: exactly the injected defects, with the UIDs of the files', () => {
    const manifest = JSON.parse(
      readFileSync(join(b.dir, 'defects.json'), 'utf8'),
    ) as DefectManifest;
    expect(manifest).toEqual({
      schemaVersion: 1,
      seed: '11',
      sessions: 9,
      rates: Object.fromEntries(DEFECT_KINDS.map((k) => [k, 0.34])),
      defects: b.truth.defects,
    });
    for (const d of manifest.defects) {
      const session = b.truth.participants
        .find((p) => p.participantId === d.participantId)!
        .sessions.find((s) => s.visit === d.visit)!;
      expect(d.studyInstanceUid).toBe(session.studyInstanceUid);
      if (d.kind === 'missing-series') {
        expect(d).not.toHaveProperty('seriesInstanceUid');
        continue;
      }
      const ds = readSeries(b, defectSeries(d).series)[0]!.dataset;
      expect(firstString(ds, '0020000D')).toBe(d.studyInstanceUid);
      expect(firstString(ds, '0020000E')).toBe(d.seriesInstanceUid);
    }
    const none = JSON.parse(readFileSync(join(a.dir, 'defects.json'), 'utf8')) as DefectManifest;
    expect(none).toMatchObject({ schemaVersion: 1, seed: '7', sessions: 3, defects: [] });
    expect(Object.keys(none.rates)).toEqual([...DEFECT_KINDS]);
  });

  it('leaves every series without a defect byte-identical to the defect-free cohort', () => {
    const clean = allSeries(b).filter(({ series }) => series.defects.length === 0);
    expect(clean.length).toBeGreaterThan(60);
    for (const { series } of clean) {
      expect(series).toEqual(cleanSeries({ ...series, ...whereOf(series) }));
      for (const n of instanceNumbers(series)) {
        const file = join(series.directory, fileName(n));
        expect(
          readFileSync(join(b.dir, file)).equals(readFileSync(join(bClean.dir, file))),
          file,
        ).toBe(true);
      }
    }
  });

  /** Participant, visit and key of a series, from its directory. */
  function whereOf(series: SeriesTruth): Where {
    const [participantId = '', visit = '', seriesKey = ''] = series.directory.split('/');
    return { participantId, visit, seriesKey };
  }

  it('leaves out exactly the recorded missing series', () => {
    for (const d of defectsOf('missing-series')) {
      const session = b.truth.participants
        .find((p) => p.participantId === d.participantId)!
        .sessions.find((s) => s.visit === d.visit)!;
      expect(session.missingSeries).toContain(d.seriesKey);
      expect(existsSync(join(b.dir, d.participantId, d.visit, d.seriesKey))).toBe(false);
      expect(session.series.map((s) => s.key)).not.toContain(d.seriesKey);
      expect(session.series).toHaveLength(12 - session.missingSeries.length);
    }
    const recorded = b.truth.participants.flatMap((p) =>
      p.sessions.flatMap((s) => s.missingSeries),
    );
    expect(recorded).toHaveLength(3);
  });

  it('writes the recorded wrong parameter, outside the protocol tolerance, pixels unchanged', () => {
    const tags = {
      repetitionTimeMs: '00180080',
      echoTimeMs: '00180081',
      flipAngleDeg: '00181314',
      sliceThicknessMm: '00180050',
    } as const;
    const checked = new Set<string>();
    for (const cohort of [b, w]) {
      for (const d of cohort.truth.defects) {
        if (d.kind !== 'wrong-parameter') continue;
        checked.add(d.parameter);
        const { series } = findSeries(cohort, d);
        const instances = readSeries(cohort, series);
        const ds = instances[0]!.dataset;
        expect(firstNumber(ds, tags[d.parameter])).toBe(d.actual);
        expect(series[d.parameter]).toBe(d.actual);
        const protocolSeries = cohort.protocol.series.find((s) => s.key === d.seriesKey)!;
        expect(protocolSeries.parameters[d.parameter]).toBe(d.expected);
        expect(
          isWithinTolerance(d.actual, d.expected, protocolSeries.tolerances[d.parameter]!),
        ).toBe(false);
        const ratio = d.actual / d.expected;
        const [min, max] =
          d.parameter === 'sliceThicknessMm'
            ? [1.5, 2]
            : d.parameter === 'flipAngleDeg'
              ? [0.3, 0.5]
              : [0.25, 0.5];
        const off = d.parameter === 'sliceThicknessMm' ? ratio : Math.abs(ratio - 1);
        expect(off).toBeGreaterThanOrEqual(min - 0.01);
        expect(off).toBeLessThanOrEqual(max + 0.01);
        // Every other parameter as the protocol says.
        for (const [parameter, tag] of Object.entries(tags)) {
          if (parameter === d.parameter) continue;
          expect(firstNumber(ds, tag)).toBeCloseTo(
            protocolSeries.parameters[parameter as keyof typeof tags],
            6,
          );
        }
        expect(series.defects).toEqual(['wrong-parameter']);
        if (cohort === b) {
          const clean = readSeries(bClean, cleanSeries(d));
          instances.forEach((instance, k) => {
            expect(instance.pixels).toEqual(clean[k]!.pixels);
          });
        }
      }
    }
    expect([...checked].sort()).toEqual([...WRONG_PARAMETERS].sort());
  });

  it('shifts the field of view by the recorded vector, in header and pixels', () => {
    for (const d of defectsOf('region-shift')) {
      const { participant, series } = defectSeries(d);
      for (let axis = 0; axis < 3; axis++) {
        expect(series.centreMm[axis]! - series.nominalCentreMm[axis]!).toBeCloseTo(
          d.shiftMm[axis]!,
          6,
        );
      }
      expect(Math.abs(d.shiftMm[2])).toBeGreaterThanOrEqual(100);
      const instances = readSeries(b, series);
      expect(numbers(instances[0]!.dataset, '00200032')).toEqual(series.firstImagePositionMm);
      // The pixels image the shifted anatomy: they agree with the phantom at the shifted position.
      expect(backgroundSigma(b, participant, series).sigma / series.noiseSigma).toBeCloseTo(1, 0);
      expect(phantomError(participant, series)).toBeLessThan(1.5 * series.noiseSigma);
    }
  });

  /** Mean absolute difference between the pixels and the noise-free phantom image. */
  function phantomError(participant: number, series: SeriesTruth): number {
    const expected = noiseFree(participant, series);
    const instances = readSeries(b, series);
    let error = 0;
    instances.forEach((instance, k) => {
      expected[k]!.forEach((s, i) => {
        error += Math.abs(instance.pixels[i]! - s);
      });
    });
    return error / (instances.length * expected[0]!.length);
  }

  it('raises the noise σ by the recorded factor', () => {
    for (const d of defectsOf('extra-noise')) {
      const { participant, series } = defectSeries(d);
      expect(d.noiseSigma).toBeCloseTo(d.nominalNoiseSigma * d.factor, 2);
      expect(series.noiseSigma).toBe(d.noiseSigma);
      expect(cleanSeries(d).noiseSigma).toBe(d.nominalNoiseSigma);
      expect(d.factor).toBeGreaterThanOrEqual(2.5);
      const { sigma } = backgroundSigma(b, participant, series);
      expect(Math.abs(sigma / d.noiseSigma - 1), d.seriesKey).toBeLessThan(0.1);
    }
  });

  it('leaves a gap of the recorded interior slices, the other files unchanged', () => {
    for (const d of defectsOf('missing-slices')) {
      const { series } = defectSeries(d);
      const clean = cleanSeries(d);
      const k = d.sliceIndices.length;
      expect(k).toBeGreaterThanOrEqual(1);
      expect(k).toBeLessThanOrEqual(3);
      expect(d.plannedSlices).toBe(clean.instances);
      expect(d.sliceIndices[0]).toBeGreaterThanOrEqual(1);
      expect(d.sliceIndices.at(-1)).toBeLessThanOrEqual(d.plannedSlices - 2);
      expect(d.sliceIndices).toEqual(Array.from({ length: k }, (_, i) => d.sliceIndices[0]! + i));
      expect(d.instanceNumbers).toEqual(d.sliceIndices.map((i) => i + 1));
      expect(series.missingInstanceNumbers).toEqual(d.instanceNumbers);
      expect(series.instances).toBe(d.plannedSlices - k);
      const expectedFiles = Array.from({ length: d.plannedSlices }, (_, i) => i + 1)
        .filter((n) => !d.instanceNumbers.includes(n))
        .map(fileName);
      expect(readdirSync(join(b.dir, series.directory)).sort()).toEqual(expectedFiles);
      for (const file of expectedFiles) {
        const path = join(series.directory, file);
        expect(readFileSync(join(b.dir, path)).equals(readFileSync(join(bClean.dir, path)))).toBe(
          true,
        );
      }
      // Instance Numbers and positions both jump over the gap.
      const instances = readSeries(b, series);
      const before = d.sliceIndices[0]! - 1;
      const p0 = numbers(instances[before]!.dataset, '00200032')! as unknown as Vec3;
      const p1 = numbers(instances[before + 1]!.dataset, '00200032')! as unknown as Vec3;
      expect(firstNumber(instances[before + 1]!.dataset, '00200013')).toBe(before + k + 2);
      expect(
        Math.hypot(p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]) / series.spacingBetweenSlicesMm,
      ).toBeCloseTo(k + 1, 4);
    }
  });

  it('acquires the recorded shorter stack at the planned slice positions', () => {
    for (const d of defectsOf('truncated-coverage')) {
      const { participant, series } = defectSeries(d);
      const clean = cleanSeries(d);
      const n = d.plannedSlices;
      expect(n).toBe(clean.instances);
      expect(series.instances).toBe(d.slices);
      expect(n - d.slices).toBeGreaterThanOrEqual(2);
      expect(d.slices / n).toBeGreaterThanOrEqual(0.6);
      expect(d.slices / n).toBeLessThanOrEqual(0.8);
      expect(d.firstSliceIndex).toBe(
        d.cut === 'both' ? (n - d.slices) / 2 : d.cut === 'start' ? n - d.slices : 0,
      );
      expect(d.spacingBetweenSlicesMm).toBe(clean.spacingBetweenSlicesMm);
      expect(d.coverageMm).toBeCloseTo(d.slices * d.spacingBetweenSlicesMm, 6);
      expect(d.plannedCoverageMm).toBeCloseTo(n * d.spacingBetweenSlicesMm, 6);
      expect(readdirSync(join(b.dir, series.directory)).sort()).toEqual(
        Array.from({ length: d.slices }, (_, i) => fileName(i + 1)),
      );
      const instances = readSeries(b, series);
      const planned = readSeries(bClean, clean);
      expect(numbers(instances[0]!.dataset, '00200037')).toEqual(
        numbers(planned[0]!.dataset, '00200037'),
      );
      instances.forEach((instance, k) => {
        expect(firstNumber(instance.dataset, '00200013')).toBe(k + 1);
        expect(numbers(instance.dataset, '00200032')).toEqual(
          numbers(planned[d.firstSliceIndex + k]!.dataset, '00200032'),
        );
      });
      for (let axis = 0; axis < 3; axis++) {
        expect(series.centreMm[axis]! - clean.centreMm[axis]!).toBeCloseTo(
          d.centreOffsetMm * series.normal[axis]!,
          2,
        );
      }
      if (d.cut === 'both') expect(d.centreOffsetMm).toBe(0);
      expect(phantomError(participant, series)).toBeLessThan(1.5 * series.noiseSigma);
    }
  });

  it('acquires the recorded other orientation, header and pixels consistent', () => {
    const iop = {
      ax: [1, 0, 0, 0, 1, 0],
      sag: [0, 1, 0, 0, 0, -1],
      cor: [1, 0, 0, 0, 0, -1],
    } as const;
    for (const cohort of [b, w]) {
      for (const d of cohort.truth.defects) {
        if (d.kind !== 'wrong-orientation') continue;
        const { participant, series } = findSeries(cohort, d);
        const protocolSeries = cohort.protocol.series.find((s) => s.key === d.seriesKey)!;
        expect(d.expected).toBe(protocolSeries.orientation);
        expect(d.actual).not.toBe(d.expected);
        expect(d.actual).not.toBe('sax');
        if (d.expected === 'sax') expect(d.actual).toBe('ax');
        expect(series.orientation).toBe(d.actual);
        const instances = readSeries(cohort, series);
        const written = numbers(instances[0]!.dataset, '00200037')!;
        expect(written).toEqual([...iop[d.actual as keyof typeof iop]]);
        expect(series.imageOrientationPatient).toEqual(written);
        expect(series.instances).toBe(protocolSeries.parameters.slices);
        if (cohort === b) {
          expect(series.centreMm).toEqual(cleanSeries(d).centreMm);
          expect(phantomError(participant, series)).toBeLessThan(1.5 * series.noiseSigma);
        }
      }
    }
    const expected = w.truth.defects.flatMap((d) =>
      d.kind === 'wrong-orientation' ? [d.expected] : [],
    );
    expect(expected).toHaveLength(12);
    expect(new Set(expected)).toEqual(new Set(['sag', 'ax', 'cor', 'sax']));
  });

  it('adds an N/2 ghost of the recorded amplitude along the phase-encoding axis', () => {
    for (const d of defectsOf('ghosting')) {
      const { participant, series } = defectSeries(d);
      expect(d.amplitude).toBeGreaterThanOrEqual(0.08);
      expect(d.amplitude).toBeLessThanOrEqual(0.15);
      const protocolSeries = b.protocol.series.find((s) => s.key === d.seriesKey)!;
      expect(d.phaseEncodingDirection).toBe(protocolSeries.parameters.phaseEncodingDirection);
      expect(d.shiftPixels).toBe(
        Math.floor((d.phaseEncodingDirection === 'ROW' ? series.columns : series.rows) / 2),
      );
      const ghosted = readSeries(b, series);
      const clean = readSeries(bClean, cleanSeries(d));
      const signal = noiseFree(participant, series);
      // Same noise: where the object is bright, ghosted − clean is the ghost alone.
      let sxy = 0;
      let sxx = 0;
      let outside = 0;
      signal.forEach((s, k) => {
        s.forEach((value, i) => {
          const ghost = s[alongPe(series, d.phaseEncodingDirection, i, -d.shiftPixels)]!;
          if (value > 5 * series.noiseSigma && ghost > 0) {
            sxy += (ghosted[k]!.pixels[i]! - clean[k]!.pixels[i]!) * ghost;
            sxx += ghost * ghost;
          }
          if (ghost === 0) outside += Math.abs(ghosted[k]!.pixels[i]! - clean[k]!.pixels[i]!);
        });
      });
      expect(Math.abs(sxy / sxx / d.amplitude - 1), d.seriesKey).toBeLessThan(0.05);
      expect(outside).toBe(0);
      expect(series.noiseSigma).toBe(cleanSeries(d).noiseSigma);
    }
  });

  it('blurs along the phase-encoding axis with the recorded box, sharpness dropping', () => {
    for (const d of defectsOf('motion-blur')) {
      const { participant, series } = defectSeries(d);
      expect([5, 7, 9]).toContain(d.widthPixels);
      expect(d.kernel).toBe('box');
      const pe = d.phaseEncodingDirection;
      const blurred = readSeries(b, series);
      const clean = readSeries(bClean, cleanSeries(d));
      const half = (d.widthPixels - 1) / 2;
      const length = pe === 'ROW' ? series.columns : series.rows;
      const signal = noiseFree(participant, series);
      // Same noise: where the image is bright, blurred − clean is blur(S) − S.
      let sxy = 0;
      let sxx = 0;
      signal.forEach((s, k) => {
        s.forEach((value, i) => {
          const position = pe === 'ROW' ? i % series.columns : Math.floor(i / series.columns);
          let sum = 0;
          for (let t = -half; t <= half; t++) {
            const j = Math.min(length - 1, Math.max(0, position + t)) - position;
            sum += s[alongPe(series, pe, i, j)]!;
          }
          const change = sum / d.widthPixels - value;
          if (value > 5 * series.noiseSigma && sum / d.widthPixels > 5 * series.noiseSigma) {
            sxy += (blurred[k]!.pixels[i]! - clean[k]!.pixels[i]!) * change;
            sxx += change * change;
          }
        });
      });
      expect(Math.abs(sxy / sxx - 1), d.seriesKey).toBeLessThan(0.05);
      // The noise, added after the blur, keeps its share of the gradient energy: the drop is
      // smallest at low SNR (about 0.6 for black-blood T1w, 0.1–0.3 elsewhere).
      expect(
        gradientEnergy(series, pe, blurred) / gradientEnergy(series, pe, clean),
        d.seriesKey,
      ).toBeLessThan(0.65);
    }
  });
});

describe('synthesizeMrCohort: options', () => {
  it('rejects bad options with ERR_SYNTH', async () => {
    const outDir = join(root, 'never');
    await expect(synthesizeMrCohort({ outDir, participants: 0 })).rejects.toMatchObject({
      code: 'ERR_SYNTH',
    });
    await expect(synthesizeMrCohort({ outDir, sites: 6 })).rejects.toMatchObject({
      code: 'ERR_SYNTH',
    });
    await expect(synthesizeMrCohort({ outDir, followUpFraction: 2 })).rejects.toMatchObject({
      code: 'ERR_SYNTH',
    });
    await expect(
      synthesizeMrCohort({ outDir, defects: { extraNoise: -0.1 } }),
    ).rejects.toMatchObject({ code: 'ERR_SYNTH' });
    await expect(synthesizeMrCohort({ outDir, size: 'huge' as 'full' })).rejects.toMatchObject({
      code: 'ERR_SYNTH',
    });
  });

  it('refuses a non-empty output folder unless told to overwrite', async () => {
    const outDir = join(root, 'occupied');
    await synthesizeMrCohort({ outDir, participants: 1, sites: 1 });
    await expect(synthesizeMrCohort({ outDir, participants: 1 })).rejects.toThrow(/not empty/);
    await expect(
      synthesizeMrCohort({ outDir, participants: 1, sites: 1, overwrite: true }),
    ).resolves.toMatchObject({ instances: 96 });
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    const run = synthesizeMrCohort({
      outDir: join(root, 'aborted'),
      participants: 4,
      signal: controller.signal,
      onProgress: () => {
        controller.abort(new Error('enough'));
      },
    });
    await expect(run).rejects.toThrow('enough');
  });

  it('takes a protocol file path and reports progress', async () => {
    const path = join(root, 'one-series.protocol.json');
    const json = JSON.parse(JSON.stringify(a.protocol)) as { series: unknown[] };
    json.series = json.series.slice(0, 1);
    await writeFile(path, JSON.stringify(json));
    const seen: number[] = [];
    const summary = await synthesizeMrCohort({
      outDir: join(root, 'one-series'),
      participants: 2,
      protocol: path,
      onProgress: (progress) => seen.push(progress.instancesWritten),
    });
    expect(summary.instances).toBe(16);
    expect(seen).toEqual([8, 16]);
  });
});

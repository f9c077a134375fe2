import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformError, errorMessage, runJobsInWorkers, workerEntry } from '../core/index.js';
import {
  createWriter,
  generateParticipant,
  planParticipant,
  round,
  writtenInstances,
} from './generate-participant.js';
import type { ParticipantJob, ParticipantResult, SessionJob } from './generate-participant.js';
import { DEFECT_KINDS, DEFECT_MANIFEST_SCHEMA_VERSION, WRONG_PARAMETERS } from './ground-truth.js';
import type { DefectKind, DefectManifest, DefectTruth, GroundTruth } from './ground-truth.js';
import { readProtocolFile } from '../protocol/index.js';
import { assertSynthesizable } from './synth-fields.js';
import { makeSites } from './people.js';
import type { Orientation, Protocol, ProtocolSeries } from '../protocol/index.js';
import { createRandom, deriveUid } from './random.js';
import type { Random } from './random.js';
import { scaleProtocol } from './scale-protocol.js';
import type { SynthJobs } from './synth-worker.js';
import type { CohortSize } from './scale-protocol.js';

/**
 * Fractions of sessions that get each kind of defect, each in [0, 1]. Exactly
 * `round(fraction × sessions)` sessions get a defect of a kind, chosen by the seed; a session may
 * get several kinds, each in a different series, and a series gets at most one defect. What each
 * kind does, and what is recorded of it, is described at {@link DefectTruth}.
 */
export interface DefectRates {
  /** A whole series is not written. @defaultValue 0 */
  readonly missingSeries?: number;
  /**
   * One header value is off: TR or TE by 25–50 %, the flip angle by 30–50 %, or the slice
   * thickness 1.5–2 times the protocol's (pixels unchanged). @defaultValue 0
   */
  readonly wrongParameter?: number;
  /** The field of view is moved 100–160 mm head- or footwards (wrong body region). @defaultValue 0 */
  readonly regionShift?: number;
  /** Noise σ is 2.5–4 times nominal. @defaultValue 0 */
  readonly extraNoise?: number;
  /** 1–3 adjacent interior slices of a series are not written (a gap in the stack). @defaultValue 0 */
  readonly missingSlices?: number;
  /** A series is acquired with 60–80 % of its slices (at least 2 fewer). @defaultValue 0 */
  readonly truncatedCoverage?: number;
  /** A series is acquired in another orientation (e.g. transverse instead of sagittal). @defaultValue 0 */
  readonly wrongOrientation?: number;
  /** An N/2 ghost of 8–15 % intensity along the phase-encoding axis. @defaultValue 0 */
  readonly ghosting?: number;
  /** A 5-, 7- or 9-pixel box blur along the phase-encoding axis. @defaultValue 0 */
  readonly motionBlur?: number;
}

/** The {@link DefectRates} field of each defect kind. */
export const DEFECT_RATE_FIELDS: Readonly<Record<DefectKind, keyof DefectRates>> = {
  'missing-series': 'missingSeries',
  'wrong-parameter': 'wrongParameter',
  'region-shift': 'regionShift',
  'extra-noise': 'extraNoise',
  'missing-slices': 'missingSlices',
  'truncated-coverage': 'truncatedCoverage',
  'wrong-orientation': 'wrongOrientation',
  ghosting: 'ghosting',
  'motion-blur': 'motionBlur',
};

/** Progress of {@link synthesizeMrCohort}, reported after each series. */
export interface SynthProgress {
  readonly instancesWritten: number;
  readonly instancesTotal: number;
}

/** Options of {@link synthesizeMrCohort}. */
export interface SynthMrCohortOptions {
  /** Output folder; created if missing, and must be empty unless `overwrite`. */
  readonly outDir: string;
  /** Number of participants, 1–900,000. @defaultValue 10 */
  readonly participants?: number;
  /** Number of sites, 1–5 (the NAKO MR centres, in a fixed order); participants rotate over them. @defaultValue 5 */
  readonly sites?: number;
  /** Seed: the same seed and options give byte-identical files. @defaultValue 1 */
  readonly seed?: number | string;
  /** `small` (≤ 64² pixels, ≤ 8 slices per series; for tests) or `full` (the protocol's own). @defaultValue 'small' */
  readonly size?: CohortSize;
  /** Fraction of participants, in [0, 1], who also get a `follow-up-1` session 4–5 years later. @defaultValue 0 */
  readonly followUpFraction?: number;
  /**
   * The protocol: an object from `loadProtocol`, or a path or `file:` URL of a protocol file.
   * @defaultValue the shipped `examples/protocols/nako-like.protocol.json`
   */
  readonly protocol?: Protocol | string | URL;
  /** Defects to inject for QA tests; none by default. */
  readonly defects?: DefectRates;
  /** Write into a non-empty folder (files with the same names are replaced; others stay). @defaultValue false */
  readonly overwrite?: boolean;
  /**
   * Worker threads generating participants in parallel; 1 generates in this thread. The files do
   * not depend on it. Worth it from a few participants up: a worker costs ~0.2 s to start.
   * @defaultValue 1
   */
  readonly concurrency?: number;
  /** Called as series are written. */
  readonly onProgress?: (progress: SynthProgress) => void;
  /** Stops generation; the promise then rejects with the signal's reason. Files written so far stay. */
  readonly signal?: AbortSignal;
}

/** What {@link synthesizeMrCohort} wrote. */
export interface SynthSummary {
  readonly outDir: string;
  /** Path of `ground-truth.json` (see {@link GroundTruth}). */
  readonly groundTruthFile: string;
  /** Path of `protocol.json`: the protocol the files follow (scaled for `small`). */
  readonly protocolFile: string;
  /** Path of `defects.json`: the injected defects (see {@link DefectManifest}). */
  readonly defectsFile: string;
  readonly participants: number;
  readonly sessions: number;
  readonly series: number;
  readonly instances: number;
  /** Sum of DICOM file sizes, in bytes. */
  readonly bytes: number;
  /** Number of injected defects. */
  readonly defects: number;
  /** Wall-clock time of the whole call, in milliseconds (not part of the ground truth). */
  readonly elapsedMs: number;
}

/** File layout under the output folder. */
export const MR_COHORT_LAYOUT =
  '<participantId>/<visit>/<seriesKey>/<instanceNumber, 4 digits>.dcm';

function fail(message: string): never {
  throw new PlatformError('ERR_SYNTH', message);
}

function fraction(value: number | undefined, name: string): number {
  const f = value ?? 0;
  if (!Number.isFinite(f) || f < 0 || f > 1)
    fail(`${name} must be a number in [0, 1], got ${String(value)}`);
  return f;
}

function integerIn(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer in ${min}–${max}, got ${String(value)}`);
  }
  return value;
}

async function resolveProtocol(protocol: SynthMrCohortOptions['protocol']): Promise<Protocol> {
  if (protocol === undefined) return readProtocolFile();
  if (typeof protocol === 'string' || protocol instanceof URL) return readProtocolFile(protocol);
  return protocol;
}

async function prepareOutDir(outDir: string, overwrite: boolean): Promise<void> {
  let entries: string[];
  try {
    await mkdir(outDir, { recursive: true });
    entries = await readdir(outDir);
  } catch (error) {
    throw new PlatformError(
      'ERR_IO',
      `cannot create output folder ${outDir}: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  if (!overwrite && entries.length > 0)
    fail(`output folder ${outDir} is not empty (pass overwrite to write into it)`);
}

interface SessionKey {
  readonly participantId: string;
  readonly visit: string;
  readonly studyInstanceUid: string;
}

/** Whether a defect of `kind` can be injected into `series`. */
function eligible(kind: DefectKind, series: ProtocolSeries): boolean {
  // A gap needs an interior slice; a truncated stack at least one slice after losing two.
  if (kind === 'missing-slices' || kind === 'truncated-coverage')
    return series.parameters.slices >= 3;
  return true;
}

/** The other orientation families a series of `orientation` can be acquired in by mistake. */
function otherOrientations(orientation: Orientation): readonly Orientation[] {
  if (orientation === 'sax') return ['ax'];
  return (['ax', 'sag', 'cor'] as const).filter((o) => o !== orientation);
}

/** Draws the details of a defect of `kind` in `series` from the kind's stream `r`. */
function drawDefect(
  kind: DefectKind,
  where: SessionKey & { readonly seriesKey: string },
  seriesInstanceUid: string,
  series: ProtocolSeries,
  r: Random,
): DefectTruth {
  const p = series.parameters;
  const written = { ...where, seriesInstanceUid };
  switch (kind) {
    case 'missing-series':
      return { kind, ...where };
    case 'wrong-parameter': {
      const parameter = r.pick(WRONG_PARAMETERS);
      const expected = p[parameter];
      // Far outside any sensible tolerance, yet plausible operator or console errors.
      const factor =
        parameter === 'sliceThicknessMm'
          ? r.uniform(1.5, 2)
          : parameter === 'flipAngleDeg'
            ? r.next() < 0.5
              ? r.uniform(0.5, 0.7)
              : r.uniform(1.3, 1.5)
            : r.next() < 0.5
              ? r.uniform(0.5, 0.75)
              : r.uniform(1.25, 1.5);
      return { kind, ...written, parameter, expected, actual: round(expected * factor, 2) };
    }
    case 'region-shift': {
      const dz = (r.next() < 0.5 ? -1 : 1) * round(r.uniform(100, 160), 1);
      return { kind, ...written, shiftMm: [0, 0, dz] };
    }
    case 'extra-noise':
      // The σ values are filled in when the series is rendered.
      return {
        kind,
        ...written,
        factor: round(r.uniform(2.5, 4), 2),
        nominalNoiseSigma: 0,
        noiseSigma: 0,
      };
    case 'missing-slices': {
      const n = p.slices;
      const k = 1 + r.int(Math.min(3, n - 2));
      const start = 1 + r.int(n - 1 - k); // the gap ends at n − 2 at the latest
      const sliceIndices = Array.from({ length: k }, (_, i) => start + i);
      return {
        kind,
        ...written,
        plannedSlices: n,
        sliceIndices,
        instanceNumbers: sliceIndices.map((i) => i + 1),
      };
    }
    case 'truncated-coverage': {
      const n = p.slices;
      let slices = Math.min(n - 2, Math.max(1, Math.round(n * r.uniform(0.6, 0.8))));
      const cut = r.pick(['both', 'start', 'end'] as const);
      // Centred as planned needs an even number of lost slices; n − slices ≥ 3 when odd.
      if (cut === 'both' && (n - slices) % 2 === 1) slices++;
      const firstSliceIndex = cut === 'both' ? (n - slices) / 2 : cut === 'start' ? n - slices : 0;
      const spacing = p.spacingBetweenSlicesMm;
      return {
        kind,
        ...written,
        plannedSlices: n,
        slices,
        cut,
        firstSliceIndex,
        spacingBetweenSlicesMm: spacing,
        plannedCoverageMm: round(n * spacing, 6),
        coverageMm: round(slices * spacing, 6),
        centreOffsetMm: round((firstSliceIndex - (n - slices) / 2) * spacing, 6),
      };
    }
    case 'wrong-orientation':
      return {
        kind,
        ...written,
        expected: series.orientation,
        actual: r.pick(otherOrientations(series.orientation)),
      };
    case 'ghosting':
      return {
        kind,
        ...written,
        amplitude: round(r.uniform(0.08, 0.15), 3),
        phaseEncodingDirection: p.phaseEncodingDirection,
        shiftPixels: Math.floor((p.phaseEncodingDirection === 'ROW' ? p.columns : p.rows) / 2),
      };
    case 'motion-blur':
      return {
        kind,
        ...written,
        kernel: 'box',
        widthPixels: r.pick([5, 7, 9]),
        phaseEncodingDirection: p.phaseEncodingDirection,
      };
  }
}

/** The rate of every kind, validated. */
function defectRates(rates: DefectRates): Record<DefectKind, number> {
  return Object.fromEntries(
    DEFECT_KINDS.map((kind) => [
      kind,
      fraction(rates[DEFECT_RATE_FIELDS[kind]], `defects.${DEFECT_RATE_FIELDS[kind]}`),
    ]),
  ) as Record<DefectKind, number>;
}

/**
 * Chooses the defects: for each kind in {@link DEFECT_KINDS} order, `round(rate × sessions)`
 * sessions drawn by the seed from the kind's own stream, and in each a random eligible series not
 * yet hit by another kind (a session where none is left goes without).
 */
function planDefects(
  sessions: readonly SessionKey[],
  protocol: Protocol,
  rates: Readonly<Record<DefectKind, number>>,
  seed: string,
): DefectTruth[][] {
  const perSession = sessions.map((): DefectTruth[] => []);
  for (const kind of DEFECT_KINDS) {
    const r = createRandom(seed, 'defects', kind);
    const chosen = r
      .shuffle(sessions.map((_, i) => i))
      .slice(0, Math.round(rates[kind] * sessions.length));
    for (const i of chosen.sort((a, b) => a - b)) {
      const session = sessions[i];
      const taken = perSession[i];
      if (session === undefined || taken === undefined) continue;
      const free = protocol.series.filter(
        (s) => eligible(kind, s) && !taken.some((d) => d.seriesKey === s.key),
      );
      if (free.length === 0) continue;
      const series = r.pick(free);
      const seriesInstanceUid = deriveUid(
        seed,
        'series',
        session.participantId,
        session.visit,
        series.key,
      );
      taken.push(
        drawDefect(kind, { ...session, seriesKey: series.key }, seriesInstanceUid, series, r),
      );
    }
  }
  return perSession;
}

/**
 * Writes a synthetic multi-site whole-body MR cohort as DICOM files (MR Image Storage, explicit
 * VR little endian), one folder per participant, visit and series (see {@link MR_COHORT_LAYOUT}),
 * with `ground-truth.json` (identities, anatomy, geometry, noise, injected defects; see
 * {@link GroundTruth}), `protocol.json` (the protocol the files follow) and `defects.json` (the
 * injected defects alone; see {@link DefectManifest}) beside them.
 *
 * @remarks
 * Each image samples a per-participant body phantom at every pixel centre of the series' slice
 * geometry, gives each tissue the signal of the series' weighting and adds Rician noise of known
 * σ. Deterministic: every participant, session and series draws from its own stream derived from
 * the seed and its name, so the same seed and options give byte-identical files (UIDs, dates and
 * names included) whatever the generation order or `concurrency`. Nothing reads the clock.
 * Defects are drawn from streams of their own, so a series without a defect is byte-identical
 * whatever defects other series get; one with a `ghosting`, `motion-blur` or `missing-slices`
 * defect draws the same noise as without it.
 *
 * Throws `ERR_SYNTH` for invalid options or a non-empty folder, `ERR_PROTOCOL_INVALID` for a bad
 * protocol file and `ERR_IO` when a folder or file cannot be written.
 *
 * @example
 * ```ts
 * const summary = await synthesizeMrCohort({ outDir: 'cohort', participants: 20, seed: 7, defects: { missingSeries: 0.1 } });
 * summary.instances; // 20 sessions × 12 series × 8 slices, less the 2 missing series
 * ```
 */
export async function synthesizeMrCohort(options: SynthMrCohortOptions): Promise<SynthSummary> {
  const started = performance.now();
  const participantCount = integerIn(options.participants ?? 10, 1, 900_000, 'participants');
  const siteCount = integerIn(options.sites ?? 5, 1, 5, 'sites');
  const concurrency = integerIn(options.concurrency ?? 1, 1, 256, 'concurrency');
  // Checked at run time too: the CLI passes user text through.
  const size: unknown = options.size ?? 'small';
  if (size !== 'small' && size !== 'full')
    fail(`size must be "small" or "full", got ${String(size)}`);
  const seed = String(options.seed ?? 1);
  const followUpFraction = fraction(options.followUpFraction, 'followUpFraction');
  const protocol = scaleProtocol(await resolveProtocol(options.protocol), size);
  assertSynthesizable(protocol);
  await prepareOutDir(options.outDir, options.overwrite ?? false);

  const sites = makeSites(siteCount, (id) => createRandom(seed, 'site', id));
  const followUps = new Set(
    createRandom(seed, 'follow-up')
      .shuffle(Array.from({ length: participantCount }, (_, i) => i))
      .slice(0, Math.round(followUpFraction * participantCount)),
  );
  // Sessions in participant order; studies are numbered per site in that order.
  const plans = Array.from({ length: participantCount }, (_, index) => {
    const site = sites[index % siteCount] ?? fail('site rotation out of range');
    const plan = planParticipant(index, seed, site);
    const visits = [{ visit: 'baseline', dayMs: plan.baselineMs }];
    if (followUps.has(index)) visits.push({ visit: 'follow-up-1', dayMs: plan.followUpMs });
    return { index, site, id: plan.id, visits };
  });
  const keys: SessionKey[] = plans.flatMap((p) =>
    p.visits.map((v) => ({
      participantId: p.id,
      visit: v.visit,
      studyInstanceUid: deriveUid(seed, 'study', p.id, v.visit),
    })),
  );
  const rates = defectRates(options.defects ?? {});
  const defectsBySession = planDefects(keys, protocol, rates, seed);
  const siteCounters = new Map<string, number>();
  let sessionIndex = 0;
  const jobs: ParticipantJob[] = plans.map((p) => ({
    outDir: options.outDir,
    seed,
    protocol,
    site: p.site,
    index: p.index,
    sessions: p.visits.map((v): SessionJob => {
      const n = (siteCounters.get(p.site.siteId) ?? 0) + 1;
      siteCounters.set(p.site.siteId, n);
      return { ...v, siteSequence: n, defects: defectsBySession[sessionIndex++] ?? [] };
    }),
  }));
  const instancesTotal = jobs.reduce(
    (sum, job) =>
      sum +
      job.sessions.reduce(
        (n, s) =>
          n +
          protocol.series.reduce(
            (m, series) =>
              m +
              writtenInstances(
                series,
                s.defects.find((d) => d.seriesKey === series.key),
              ),
            0,
          ),
        0,
      ),
    0,
  );
  let instancesWritten = 0;
  const progress = (instances: number): void => {
    instancesWritten += instances;
    options.onProgress?.({ instancesWritten, instancesTotal });
  };

  const results =
    concurrency === 1 || jobs.length === 1
      ? await runHere(jobs, progress, options.signal)
      : await runInWorkers(jobs, Math.min(concurrency, jobs.length), progress, options.signal);

  const defects = results.flatMap((r) => r.defects);
  const instances = results.reduce((n, r) => n + r.instances, 0);
  const bytes = results.reduce((n, r) => n + r.bytes, 0);
  const series = results.reduce(
    (n, r) => n + r.truth.sessions.reduce((m, s) => m + s.series.length, 0),
    0,
  );
  const groundTruth: GroundTruth = {
    generator: { name: 'medscale synth mr-cohort', formatVersion: 1 },
    seed,
    size,
    protocol: {
      name: protocol.name,
      protocolVersion: protocol.protocolVersion,
      file: 'protocol.json',
    },
    layout: MR_COHORT_LAYOUT,
    sites: sites.map((s) => ({
      siteId: s.siteId,
      institutionName: s.institutionName,
      institutionAddress: s.institutionAddress,
      stationName: s.stationName,
      aeTitle: s.aeTitle,
      deviceSerialNumber: s.deviceSerialNumber,
      imagingFrequencyMHz: s.imagingFrequencyMHz,
      noiseFactor: s.noiseFactor,
    })),
    participants: results.map((r) => r.truth),
    defects,
    totals: { participants: participantCount, sessions: keys.length, series, instances, bytes },
  };
  const manifest: DefectManifest = {
    schemaVersion: DEFECT_MANIFEST_SCHEMA_VERSION,
    seed,
    sessions: keys.length,
    rates,
    defects,
  };
  const groundTruthFile = join(options.outDir, 'ground-truth.json');
  const protocolFile = join(options.outDir, 'protocol.json');
  const defectsFile = join(options.outDir, 'defects.json');
  try {
    await writeFile(groundTruthFile, `${JSON.stringify(groundTruth, null, 2)}\n`);
    await writeFile(protocolFile, `${JSON.stringify(protocol, null, 2)}\n`);
    await writeFile(defectsFile, `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (error) {
    throw new PlatformError(
      'ERR_IO',
      `cannot write ground truth in ${options.outDir}: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  return {
    outDir: options.outDir,
    groundTruthFile,
    protocolFile,
    defectsFile,
    participants: participantCount,
    sessions: keys.length,
    series,
    instances,
    bytes,
    defects: defects.length,
    elapsedMs: performance.now() - started,
  };
}

async function runHere(
  jobs: readonly ParticipantJob[],
  progress: (instances: number) => void,
  signal: AbortSignal | undefined,
): Promise<ParticipantResult[]> {
  const writer = createWriter();
  const results: ParticipantResult[] = [];
  try {
    for (const job of jobs)
      results.push(await generateParticipant(job, { writer, onSeries: progress, signal }));
  } finally {
    // Never leave writes running behind a failure: the caller may delete the folder next.
    await writer.drain().catch(() => undefined);
  }
  await writer.drain();
  return results;
}

/**
 * Runs participant jobs on `size` worker threads, each taking the next job when done; results
 * come back in job order. The first failure (or an abort) stops every worker.
 */
function runInWorkers(
  jobs: readonly ParticipantJob[],
  size: number,
  progress: (instances: number) => void,
  signal: AbortSignal | undefined,
): Promise<ParticipantResult[]> {
  return runJobsInWorkers<SynthJobs>(jobs, {
    entry: workerEntry('./synth-worker', import.meta.url),
    size,
    onProgress: progress,
    signal,
    name: 'synth',
    code: 'ERR_SYNTH',
  });
}

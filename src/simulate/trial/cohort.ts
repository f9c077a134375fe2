import { PlatformError } from '../../core/index.js';
import { createTrialRandom } from './random.js';

/** One virtual or real trial subject: baseline echo and cuff measurements. */
export interface TrialSubject {
  /** Subject identifier. */
  readonly id: string;
  /** End-diastolic volume [mL]. */
  readonly edv: number;
  /** End-systolic volume [mL]. */
  readonly esv: number;
  /** Systolic cuff pressure [mmHg]. */
  readonly sbp: number;
  /** Diastolic cuff pressure [mmHg]. */
  readonly dbp: number;
  /** Heart rate [beats/min]. */
  readonly hr: number;
  /** LV end-diastolic pressure [mmHg], when measured. */
  readonly edp?: number;
  /** Mitral E/e′, when measured (EDP from Nagueh when `edp` is absent). */
  readonly eOverEPrime?: number;
  /** Body surface area [m²], for indexed volumes. */
  readonly bsa?: number;
}

const REQUIRED = ['edv', 'esv', 'sbp', 'dbp', 'hr'] as const;
const OPTIONAL = ['edp', 'eOverEPrime', 'bsa'] as const;
/** Accepted header spellings, lower case, for each field. */
const ALIASES: Readonly<Record<string, string>> = {
  edv: 'edv',
  esv: 'esv',
  sbp: 'sbp',
  dbp: 'dbp',
  hr: 'hr',
  edp: 'edp',
  e_over_eprime: 'eOverEPrime',
  eovereprime: 'eOverEPrime',
  'e/e′': 'eOverEPrime',
  "e/e'": 'eOverEPrime',
  bsa: 'bsa',
  id: 'id',
};

/**
 * Parses a cohort CSV: a header row with columns `edv, esv, sbp, dbp, hr` (mL, mmHg, bpm) and
 * optionally `id`, `edp` [mmHg], `e_over_eprime`, `bsa` [m²], in any order; comma or semicolon
 * separated; blank lines and lines starting with `#` are skipped; an empty optional cell means
 * not measured.
 *
 * @param origin - file name, for messages
 * @throws `PlatformError` `ERR_SIMULATE_INPUT` with the line number of a bad row or the missing
 * columns.
 */
export function parseCohortCsv(content: string, origin: string): TrialSubject[] {
  const lines = content.split(/\r?\n/);
  let header: string[] | undefined;
  let separator = ',';
  const subjects: TrialSubject[] = [];
  const ids = new Set<string>();
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const lineNo = index + 1;
    if (line === '' || line.startsWith('#')) return;
    if (header === undefined) {
      separator = line.includes(';') && !line.includes(',') ? ';' : ',';
      header = line.split(separator).map((h) => {
        const key = h.trim().replace(/^"|"$/g, '').toLowerCase();
        const field = ALIASES[key];
        if (field === undefined) {
          throw new PlatformError(
            'ERR_SIMULATE_INPUT',
            `${origin} line ${lineNo}: unknown column "${h.trim()}"; use id, edv, esv, sbp, dbp, hr, edp, e_over_eprime, bsa`,
          );
        }
        return field;
      });
      const missing = REQUIRED.filter((r) => !(header ?? []).includes(r));
      if (missing.length > 0) {
        throw new PlatformError(
          'ERR_SIMULATE_INPUT',
          `${origin} line ${lineNo}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
        );
      }
      return;
    }
    const cells = line.split(separator).map((c) => c.trim().replace(/^"|"$/g, ''));
    if (cells.length !== header.length) {
      throw new PlatformError(
        'ERR_SIMULATE_INPUT',
        `${origin} line ${lineNo}: ${cells.length} cells, the header has ${header.length}`,
      );
    }
    const row: Record<string, number | string> = {};
    header.forEach((field, i) => {
      const cell = cells[i] ?? '';
      if (field === 'id') {
        row['id'] = cell;
        return;
      }
      if (cell === '') {
        if ((REQUIRED as readonly string[]).includes(field)) {
          throw new PlatformError(
            'ERR_SIMULATE_INPUT',
            `${origin} line ${lineNo}: ${field} is empty; every subject needs edv, esv, sbp, dbp, hr`,
          );
        }
        return;
      }
      const value = Number(cell);
      if (!Number.isFinite(value)) {
        throw new PlatformError(
          'ERR_SIMULATE_INPUT',
          `${origin} line ${lineNo}: ${field} "${cell}" is not a number`,
        );
      }
      row[field] = value;
    });
    const id =
      typeof row['id'] === 'string' && row['id'] !== '' ? row['id'] : `S${subjects.length + 1}`;
    if (ids.has(id)) {
      throw new PlatformError('ERR_SIMULATE_INPUT', `${origin} line ${lineNo}: id "${id}" repeats`);
    }
    ids.add(id);
    const num = (k: string): number => {
      const v = row[k];
      return typeof v === 'number' ? v : NaN;
    };
    const subject: TrialSubject = {
      id,
      edv: num('edv'),
      esv: num('esv'),
      sbp: num('sbp'),
      dbp: num('dbp'),
      hr: num('hr'),
      ...Object.fromEntries(
        OPTIONAL.filter((k) => typeof row[k] === 'number').map((k) => [k, num(k)]),
      ),
    };
    subjects.push(subject);
  });
  if (header === undefined)
    throw new PlatformError('ERR_SIMULATE_INPUT', `${origin}: empty cohort file (no header row)`);
  if (subjects.length === 0)
    throw new PlatformError('ERR_SIMULATE_INPUT', `${origin}: the header has no subject rows`);
  return subjects;
}

/** A normal distribution truncated to `[min, max]`. */
export interface TruncatedNormal {
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

/** Distributions of a population's baseline measurements, for sampled cohorts. */
export interface CohortPopulation {
  /** Name and sources. */
  readonly name: string;
  readonly source: string;
  /** LV ejection fraction [%]. */
  readonly ef: TruncatedNormal;
  /** LV end-diastolic volume index [mL/m²]. */
  readonly edvi: TruncatedNormal;
  /** Body surface area [m²]. */
  readonly bsa: TruncatedNormal;
  /** Systolic BP [mmHg]. */
  readonly sbp: TruncatedNormal;
  /** Pulse pressure [mmHg]. */
  readonly pp: TruncatedNormal;
  /** Heart rate [bpm]. */
  readonly hr: TruncatedNormal;
  /** Mitral E/e′. */
  readonly eOverEPrime: TruncatedNormal;
}

/**
 * PROVE-HF-like HFrEF baseline (Januzzi et al., JAMA 2019;322:1085, PMC6724151): LVEF 28.2 %,
 * LVEDVI 86.9 mL/m² (hence LVESVI ≈ 62 mL/m²), E/e′ 11.7 [M].
 *
 * @remarks
 * The means are the reported baseline values; the SDs and the BP, HR and BSA distributions are
 * assumptions typical of HFrEF trial populations (PARADIGM-HF-like SBP ≈ 121 ± 15 mmHg, HR ≈ 72 ±
 * 12 bpm [M]), not PROVE-HF figures. EDVI and EF are sampled independently and ESVI follows as
 * EDVI·(1 − EF).
 */
export const PROVE_HF_POPULATION: CohortPopulation = {
  name: 'PROVE-HF-like HFrEF',
  source:
    'Januzzi et al., PROVE-HF, JAMA 2019;322:1085 (baseline LVEF 28.2 %, LVEDVI 86.9, LVESVI 61.7 mL/m², E/e′ 11.7); SDs, BP, HR, BSA assumed',
  ef: { mean: 28.2, sd: 6, min: 16.2, max: 40.2 },
  edvi: { mean: 86.9, sd: 20, min: 36.9, max: 136.9 },
  bsa: { mean: 2.0, sd: 0.2, min: 1.5, max: 2.6 },
  sbp: { mean: 121, sd: 14, min: 90, max: 170 },
  pp: { mean: 45, sd: 10, min: 22, max: 90 },
  hr: { mean: 72, sd: 11, min: 50, max: 110 },
  eOverEPrime: { mean: 11.7, sd: 3.5, min: 5, max: 25 },
};

function draw(d: TruncatedNormal, normal: () => number): number {
  for (let i = 0; i < 32; i++) {
    const x = d.mean + d.sd * normal();
    if (x >= d.min && x <= d.max) return x;
  }
  return Math.min(d.max, Math.max(d.min, d.mean));
}

/**
 * Samples a virtual cohort of `n` subjects from a population's distributions, seeded (the same
 * seed gives the same cohort). Subject `i` uses its own stream, so a prefix of a larger cohort is
 * the smaller cohort.
 */
export function sampleCohort(
  n: number,
  seed: number,
  population: CohortPopulation = PROVE_HF_POPULATION,
): TrialSubject[] {
  if (!Number.isInteger(n) || n < 1)
    throw new PlatformError('ERR_SIMULATE_INPUT', `cohort size ${n} must be a positive integer`);
  const subjects: TrialSubject[] = [];
  for (let i = 0; i < n; i++) {
    const { normal } = createTrialRandom(seed, 2 * i);
    const bsa = draw(population.bsa, normal);
    const edv = draw(population.edvi, normal) * bsa;
    const ef = draw(population.ef, normal);
    const sbp = draw(population.sbp, normal);
    const pp = draw(population.pp, normal);
    const round1 = (x: number): number => Math.round(x * 10) / 10;
    subjects.push({
      id: `V${String(i + 1).padStart(5, '0')}`,
      edv: round1(edv),
      esv: round1(edv * (1 - ef / 100)),
      sbp: Math.round(sbp),
      dbp: Math.round(sbp - pp),
      hr: Math.round(draw(population.hr, normal)),
      eOverEPrime: round1(draw(population.eOverEPrime, normal)),
      bsa: Math.round(bsa * 100) / 100,
    });
  }
  return subjects;
}

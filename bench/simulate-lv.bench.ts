/**
 * LV model, personalisation and in-silico trial throughput.
 *
 * Run: `npx tsx bench/simulate-lv.bench.ts` (set `MEDSCALE_BENCH_TRIAL_N` for another trial size,
 * default 10,000; `MEDSCALE_BENCH_WORKERS`, default 2; `MEDSCALE_BENCH_MODES` to a comma list of
 * `fit` and `sample-parameters`). Prints figures; asserts nothing.
 *
 * 1. Beats simulated per second on one core (fixed-step RK4, H75, dt 1e-4 s and 5e-4 s), counting
 *    every integrated beat (Newton-shooting probes included).
 * 2. Personalisation: mean wall time and model runs per fit, for H75, the §2.3 HFrEF medians with
 *    Ees and EDP, and 200 subjects of the sampled PROVE-HF-like cohort.
 * 3. The trial goal: 10,000 virtual patients (baseline + Entresto chronic, each to steady state)
 *    in under 60 s on 2 cores, with personalisation per patient (`fit`) and with the cheaper
 *    sampled-parameter baseline (`sample-parameters`).
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import {
  ENTRESTO,
  H75,
  personalizeLv,
  runTrial,
  sampleCohort,
  simulateLv,
} from '../src/simulate/index.js';
import type { BaselineMode, LvMeasurements } from '../src/simulate/index.js';

const TRIAL_N = Number(process.env['MEDSCALE_BENCH_TRIAL_N'] ?? 10_000);
const WORKERS = Number(process.env['MEDSCALE_BENCH_WORKERS'] ?? 2);
const MODES = (process.env['MEDSCALE_BENCH_MODES'] ?? 'sample-parameters,fit').split(
  ',',
) as BaselineMode[];

function beatsPerSecond(dt: number): {
  beatsPerS: number;
  beatsPerCpuS: number;
  msPerRun: number;
  beatsPerRun: number;
} {
  // Warm up the JIT, then time at least 1 s.
  for (let i = 0; i < 20; i++) simulateLv(H75, { dt, traceEvery: 0 });
  let beats = 0;
  let runs = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < 1000) {
    // A slightly different parameter set per run, so each run starts off the orbit.
    const r = simulateLv({ ...H75, rp: H75.rp * (1 + 0.01 * (runs % 7)) }, { dt, traceEvery: 0 });
    beats += r.beats;
    runs++;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    beatsPerS: beats / seconds,
    beatsPerCpuS: beats / ((cpu.user + cpu.system) / 1e6),
    msPerRun: (1000 * seconds) / runs,
    beatsPerRun: beats / runs,
  };
}

function fitTime(label: string, list: readonly LvMeasurements[], options = {}): void {
  personalizeLv(list[0] ?? { edv: 120, esv: 50, sbp: 120, dbp: 80, hr: 75 }, options);
  let evaluations = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (const m of list) {
    try {
      evaluations += personalizeLv(m, options).evaluations;
    } catch {
      failed++;
    }
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `  ${label.padEnd(44)} ${(ms / list.length).toFixed(2).padStart(7)} ms/fit wall, ${(cpuMs / list.length).toFixed(2).padStart(6)} ms CPU,  ${(evaluations / Math.max(1, list.length - failed)).toFixed(1).padStart(5)} runs/fit${failed > 0 ? `  (${failed} failed)` : ''}`,
  );
}

console.log(
  `simulate-lv bench: ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}, node ${process.version}`,
);

console.log('\n1. Beats per second, one core (H75, tolerance 0.01, Newton shooting on)');
for (const dt of [1e-4, 5e-4]) {
  const b = beatsPerSecond(dt);
  console.log(
    `  dt ${dt.toExponential(0)} s: ${Math.round(b.beatsPerS).toLocaleString('en')} beats/s wall (${Math.round(b.beatsPerCpuS).toLocaleString('en')} per CPU-s), ${b.msPerRun.toFixed(3)} ms per steady-state run (${b.beatsPerRun.toFixed(1)} beats)`,
  );
}

console.log('\n2. Personalisation (Levenberg–Marquardt, dt 5e-4 s)');
fitTime(
  'H75 measurements (×20)',
  Array.from({ length: 20 }, () => ({ edv: 120, esv: 50, sbp: 120, dbp: 80, hr: 75 })),
);
fitTime(
  '§2.3 HFrEF medians + EDP + Ees (×20)',
  Array.from({ length: 20 }, () => ({
    edv: 216,
    esv: 142,
    sbp: 115,
    dbp: 70,
    hr: 70,
    edp: 19.6,
    ees: 0.66,
  })),
  { fixed: { rc: 0.05 } },
);
fitTime('PROVE-HF-like sampled subjects (200, with E/e′)', sampleCohort(200, 42));

console.log(
  `\n3. In-silico trial, Entresto chronic, ${TRIAL_N.toLocaleString('en')} virtual patients, ${WORKERS} workers`,
);
const subjects = sampleCohort(TRIAL_N, 2026);
for (const baseline of MODES) {
  // CPU time of the whole process (all threads): on a shared, loaded machine wall time overstates
  // the cost, while CPU time / workers is the wall time on that many free cores.
  const cpu0 = process.cpuUsage();
  const result = await runTrial({ subjects, drug: ENTRESTO, baseline, workers: WORKERS });
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const runsPerPatient =
    result.outcomes.reduce((s, o) => s + (o.ok ? o.evaluations : 0), 0) /
    Math.max(1, result.succeeded);
  const ef = result.summary.delta['ef'];
  console.log(
    `  ${baseline.padEnd(18)} ${(result.elapsedMs / 1000).toFixed(1).padStart(6)} s wall (goal < 60 s), ${result.succeeded} ok, ${result.failures.length} failed, ${runsPerPatient.toFixed(1)} steady-state runs/patient, ΔEF ${ef?.mean.toFixed(2) ?? '-'} ± ${ef?.sd.toFixed(2) ?? '-'}`,
  );
  console.log(
    `  ${''.padEnd(18)} CPU ${cpuSeconds.toFixed(1)} s (${((1000 * cpuSeconds) / TRIAL_N).toFixed(2)} ms/patient) → ${(cpuSeconds / WORKERS).toFixed(1)} s wall on ${WORKERS} free cores`,
  );
}

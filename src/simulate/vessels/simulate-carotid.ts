import { PlatformError } from '../../core/index.js';
import type { BloodProperties } from './hemodynamics.js';
import {
  DEFAULT_BLOOD,
  M3_PER_ML,
  M_PER_MM,
  PA_PER_MMHG,
  reynoldsNumber,
  taperedPoiseuilleResistance,
  womersleyNumber,
} from './hemodynamics.js';
import type { InflowWaveform, InflowWaveformOptions } from './inflow-waveform.js';
import { createInflowWaveform } from './inflow-waveform.js';
import { womersleyFactors } from './kernels/bessel.js';
import { harmonicsToReal, isPowerOfTwo, realToHarmonics } from './kernels/fft.js';
import type { TreeNetwork, TreeSpectra } from './kernels/tree-network.js';
import { allocateSpectra, solveQuadraticSources, solveTree } from './kernels/tree-network.js';
import type { OutletSpec, WindkesselOutlet, WindkesselSi } from './outlets.js';
import {
  CCA_WINDKESSEL,
  checkWindkessel,
  defaultOutletShares,
  scaledCcaWindkessel,
  windkesselFromSi,
  windkesselToSi,
} from './outlets.js';
import type { StenosisSpec } from './stenosis.js';
import { detectStenoses, referenceRadiusMm } from './stenosis.js';
import type { VesselBranch, VesselPoint, VesselTree } from './vessel-tree.js';
import { arcLengthsMm, parseVesselTree } from './vessel-tree.js';
import type { YoungTsaiCoefficients } from './young-tsai.js';
import { youngTsaiCoefficients } from './young-tsai.js';

/** Options of {@link simulateCarotid}. */
export interface CarotidSimulationOptions {
  /** Inflow at the root branch (mean flow, pulsatility index, heart rate). */
  readonly inflow?: InflowWaveformOptions;
  /**
   * Blood properties.
   * @defaultValue {@link DEFAULT_BLOOD} (1060 kg/m³, 3.5 mPa·s)
   */
  readonly blood?: BloodProperties;
  /**
   * Outlet boundary conditions.
   * @defaultValue `{ kind: 'default' }`
   */
  readonly outlets?: OutletSpec;
  /** Stenoses placed explicitly (as {@link addStenosis} returns them). */
  readonly stenoses?: readonly StenosisSpec[];
  /**
   * Also find stenoses from the radii ({@link detectStenoses}); lesions that overlap an explicit one
   * are dropped.
   * @defaultValue true
   */
  readonly detectStenoses?: boolean;
  /**
   * Diameter reduction (%) a detected stenosis must reach.
   * @defaultValue 20
   */
  readonly stenosisThresholdPercent?: number;
  /**
   * Time samples per cycle N (power of two, 32–4096); harmonics 0..N/2 are solved. The
   * harmonic-balance Newton step is a dense (N·S)² solve for S stenotic branches.
   * @defaultValue 128
   */
  readonly samples?: number;
}

/** Results at one centreline point. */
export interface CenterlinePointResult {
  /** Arc length from the branch's first point, mm. */
  readonly arcLengthMm: number;
  /** Position, mm, LPS. */
  readonly position: VesselPoint;
  /** Lumen radius, mm. */
  readonly radiusMm: number;
  /** Cycle-mean pressure, mmHg. */
  readonly meanPressureMmhg: number;
  /** Time-averaged wall shear stress magnitude `(1/T)∫|τ|dt`, Pa. */
  readonly tawssPa: number;
  /** Oscillatory shear index `½(1 − |∫τ dt| / ∫|τ| dt)`, 0–0.5. */
  readonly osi: number;
  /** Cycle-mean (signed) wall shear stress, Pa. */
  readonly meanWssPa: number;
  /** Largest wall shear stress over the cycle, Pa. */
  readonly maxWssPa: number;
  /** Smallest (most negative) wall shear stress over the cycle, Pa. */
  readonly minWssPa: number;
  /** Wall shear stress at each time sample, Pa, positive along the branch. */
  readonly wssPa: readonly number[];
}

/** Results of one branch. */
export interface BranchResult {
  /** Branch name. */
  readonly name: string;
  /** Parent branch name; null for the root. */
  readonly parent: string | null;
  /** Centreline length, mm. */
  readonly lengthMm: number;
  /** Outlet Windkessel for a leaf; null for inner branches. */
  readonly outlet: WindkesselOutlet | null;
  /** Flow at each time sample, mL/s (the same all along a rigid branch). */
  readonly flowMlPerS: readonly number[];
  /** Pressure at the branch inlet at each time sample, mmHg. */
  readonly pressureInMmhg: readonly number[];
  /** Pressure at the branch outlet at each time sample, mmHg. */
  readonly pressureOutMmhg: readonly number[];
  /** Cycle-mean flow, mL/s. */
  readonly meanFlowMlPerS: number;
  /** Maximum flow, mL/s. */
  readonly maxFlowMlPerS: number;
  /** Minimum flow, mL/s. */
  readonly minFlowMlPerS: number;
  /** Mean flow over the mean inflow. */
  readonly shareOfInflow: number;
  /** Cycle-mean inlet pressure, mmHg. */
  readonly meanPressureInMmhg: number;
  /** Cycle-mean outlet pressure, mmHg. */
  readonly meanPressureOutMmhg: number;
  /** Per centreline point. */
  readonly points: readonly CenterlinePointResult[];
}

/** One segment (between consecutive centreline points). */
export interface SegmentResult {
  /** Branch name. */
  readonly branch: string;
  /** Index of the segment's first point in the branch. */
  readonly index: number;
  /** Start and end, mm of arc length. */
  readonly startMm: number;
  /** End, mm of arc length. */
  readonly endMm: number;
  /** Radius with the segment's Poiseuille resistance (taper-equivalent), mm. */
  readonly radiusMm: number;
  /** Womersley number at the heart rate. */
  readonly womersley: number;
  /** Reynolds number at the cycle-mean flow. */
  readonly reynoldsMean: number;
  /** Reynolds number at the largest |flow|. */
  readonly reynoldsPeak: number;
  /** Whether the segment lies (partly) in a stenosis, whose Young–Tsai element replaces it. */
  readonly stenotic: boolean;
}

/** One stenosis and its Young–Tsai pressure drop. */
export interface StenosisResult {
  /** Branch name. */
  readonly branch: string;
  /** Whether it was placed explicitly (`explicit`) or found from the radii (`detected`). */
  readonly source: 'explicit' | 'detected';
  /** Start, mm of arc length. */
  readonly startMm: number;
  /** End, mm of arc length. */
  readonly endMm: number;
  /** Lesion length Ls, mm. */
  readonly lengthMm: number;
  /** Reference diameter D0, mm. */
  readonly referenceDiameterMm: number;
  /** Minimum diameter D1, mm. */
  readonly throatDiameterMm: number;
  /** Diameter reduction `100·(1 − D1/D0)`, %. */
  readonly diameterReductionPercent: number;
  /** Area reduction `100·(1 − (D1/D0)²)`, %. */
  readonly areaReductionPercent: number;
  /** Young–Tsai coefficients `Kv`, `Kt`, `Ku` and the effective length `La`. */
  readonly kv: number;
  /** Turbulent coefficient. */
  readonly kt: number;
  /** Inertial coefficient. */
  readonly ku: number;
  /** Effective length La, mm. */
  readonly effectiveLengthMm: number;
  /** Cycle-mean pressure drop, mmHg. */
  readonly meanPressureDropMmhg: number;
  /** Largest pressure drop over the cycle, mmHg. */
  readonly peakPressureDropMmhg: number;
  /** Pressure drop at each time sample, mmHg. */
  readonly pressureDropMmhg: readonly number[];
  /** Reynolds number at the throat at the largest |flow|. */
  readonly throatReynoldsPeak: number;
}

/** Solver bookkeeping. */
export interface CarotidSolverInfo {
  /** Time samples N. */
  readonly samples: number;
  /** Harmonics solved, 0..N/2. */
  readonly harmonics: number;
  /** Outlet mode used. */
  readonly outletMode: OutletSpec['kind'];
  /** Harmonic-balance Newton iterations (last solve; 0 without stenoses). */
  readonly newtonIterations: number;
  /** Final Newton residual, mL/s. */
  readonly newtonResidualMlPerS: number;
  /** Outer iterations of the `split` outlet tuning (0 otherwise). */
  readonly splitIterations: number;
  /** Bessel-function (Womersley factor) evaluations. */
  readonly besselEvaluations: number;
}

/** Everything {@link simulateCarotid} computes. Plain JSON data. */
export interface CarotidSimulation {
  /** Time of each sample, s, over one cycle. */
  readonly timeS: readonly number[];
  /** The inflow waveform used. */
  readonly inflow: InflowWaveform;
  /** Blood properties used. */
  readonly blood: BloodProperties;
  /** Per branch, root first. */
  readonly branches: readonly BranchResult[];
  /** Per segment, with Reynolds and Womersley numbers. */
  readonly segments: readonly SegmentResult[];
  /** Per stenosis. */
  readonly stenoses: readonly StenosisResult[];
  /** Mean ICA flow over mean CCA flow when branches `ica` and `cca` exist; else null. */
  readonly icaFlowSplit: number | null;
  /** Mean flow of each outlet over the mean inflow. */
  readonly outletShares: Readonly<Record<string, number>>;
  /** Solver bookkeeping. */
  readonly solver: CarotidSolverInfo;
  /** Things the caller should know (a gap between branches, a lesion skipped). */
  readonly warnings: readonly string[];
}

interface Lesion {
  readonly spec: StenosisSpec;
  readonly source: 'explicit' | 'detected';
  readonly d0: number;
  readonly d1: number;
  readonly coefficients: YoungTsaiCoefficients;
}

interface Segment {
  readonly index: number;
  readonly startMm: number;
  readonly endMm: number;
  readonly radiusM: number;
  /** Poiseuille resistance of the part outside lesions, Pa·s/m³. */
  readonly resistance: number;
  readonly alpha1: number;
  readonly stenotic: boolean;
}

interface Model {
  readonly branch: VesselBranch;
  readonly parent: number;
  readonly arc: Float64Array;
  readonly segments: readonly Segment[];
  readonly lesions: readonly Lesion[];
}

function fail(message: string): never {
  throw new PlatformError('ERR_SIMULATE_INPUT', message);
}

/** Branches ordered root first, each after its parent. */
function orderBranches(tree: VesselTree): { branch: VesselBranch; parent: number }[] {
  const root = tree.branches.find((b) => b.parent === undefined);
  if (root === undefined) fail('the tree has no root branch');
  const out: { branch: VesselBranch; parent: number }[] = [{ branch: root, parent: -1 }];
  for (let i = 0; i < out.length; i++) {
    const cur = out[i];
    if (cur === undefined) break;
    for (const b of tree.branches)
      if (b.parent === cur.branch.name) out.push({ branch: b, parent: i });
  }
  return out;
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

function buildLesions(
  tree: VesselTree,
  options: CarotidSimulationOptions,
  blood: BloodProperties,
  warnings: string[],
): Map<string, Lesion[]> {
  const byBranch = new Map<string, Lesion[]>();
  const explicit = options.stenoses ?? [];
  const detected =
    options.detectStenoses === false
      ? []
      : detectStenoses(tree, options.stenosisThresholdPercent ?? 20).filter(
          (d) =>
            !explicit.some(
              (e) => e.branch === d.branch && overlap(e.startMm, e.endMm, d.startMm, d.endMm) > 0,
            ),
        );
  const all = [
    ...explicit.map((spec) => ({ spec, source: 'explicit' as const })),
    ...detected.map((spec) => ({ spec, source: 'detected' as const })),
  ];
  for (const { spec, source } of all) {
    const branch = tree.branches.find((b) => b.name === spec.branch);
    if (branch === undefined) fail(`stenosis on unknown branch "${spec.branch}"`);
    const arc = arcLengthsMm(branch);
    const length = arc[arc.length - 1] ?? 0;
    if (!(spec.startMm >= 0 && spec.endMm > spec.startMm && spec.endMm <= length + 1e-9))
      fail(
        `stenosis on "${spec.branch}" must satisfy 0 ≤ start < end ≤ ${length.toFixed(2)} mm, got ${spec.startMm}–${spec.endMm} mm`,
      );
    const list = byBranch.get(branch.name) ?? [];
    if (list.some((l) => overlap(l.spec.startMm, l.spec.endMm, spec.startMm, spec.endMm) > 0))
      fail(`stenoses on "${spec.branch}" overlap; give each lesion once`);
    // Minimum radius over the lesion, including the interpolated radii at its ends.
    let rMin = Infinity;
    for (let i = 0; i < arc.length; i++) {
      const s = arc[i] ?? 0;
      if (s >= spec.startMm && s <= spec.endMm) rMin = Math.min(rMin, branch.radii[i] ?? Infinity);
    }
    for (const at of [spec.startMm, spec.endMm]) {
      let i = 1;
      while (i < arc.length - 1 && (arc[i] ?? 0) < at) i++;
      const s0 = arc[i - 1] ?? 0;
      const s1 = arc[i] ?? s0;
      const t = s1 > s0 ? Math.min(Math.max((at - s0) / (s1 - s0), 0), 1) : 0;
      const r0 = branch.radii[i - 1] ?? 0;
      rMin = Math.min(rMin, r0 + t * ((branch.radii[i] ?? r0) - r0));
    }
    const d0 = spec.referenceDiameterMm ?? 2 * referenceRadiusMm(branch);
    const d1 = 2 * rMin;
    if (!(d0 > 0)) fail(`stenosis on "${spec.branch}": reference diameter must be > 0 mm`);
    if (!(d1 < d0)) {
      warnings.push(
        `stenosis on "${spec.branch}" at ${spec.startMm.toFixed(1)}–${spec.endMm.toFixed(1)} mm is not narrower than its reference diameter ${d0.toFixed(2)} mm; ignored`,
      );
      continue;
    }
    const coefficients = youngTsaiCoefficients(
      {
        referenceDiameterM: d0 * M_PER_MM,
        throatDiameterM: d1 * M_PER_MM,
        lengthM: (spec.endMm - spec.startMm) * M_PER_MM,
      },
      blood,
    );
    list.push({ spec, source, d0, d1, coefficients });
    byBranch.set(branch.name, list);
  }
  return byBranch;
}

function buildModels(
  tree: VesselTree,
  lesions: Map<string, Lesion[]>,
  omega: number,
  blood: BloodProperties,
  warnings: string[],
): Model[] {
  const ordered = orderBranches(tree);
  return ordered.map(({ branch, parent }) => {
    const arc = arcLengthsMm(branch);
    const own = lesions.get(branch.name) ?? [];
    const parentBranch = ordered[parent]?.branch;
    if (parentBranch !== undefined) {
      const end = parentBranch.points[parentBranch.points.length - 1];
      const start = branch.points[0];
      const gap =
        end && start ? Math.hypot(end[0] - start[0], end[1] - start[1], end[2] - start[2]) : 0;
      const rEnd = parentBranch.radii[parentBranch.radii.length - 1] ?? 0;
      if (gap > rEnd)
        warnings.push(
          `branch "${branch.name}" starts ${gap.toFixed(1)} mm from the end of "${parentBranch.name}" (more than its radius): the gap is not modelled`,
        );
    }
    const segments: Segment[] = [];
    for (let i = 0; i + 1 < branch.points.length; i++) {
      const s0 = arc[i] ?? 0;
      const s1 = arc[i + 1] ?? 0;
      const r1 = (branch.radii[i] ?? 0) * M_PER_MM;
      const r2 = (branch.radii[i + 1] ?? 0) * M_PER_MM;
      const length = (s1 - s0) * M_PER_MM;
      const inside = own.reduce((acc, l) => acc + overlap(s0, s1, l.spec.startMm, l.spec.endMm), 0);
      const fraction = Math.max(0, 1 - inside / (s1 - s0));
      const full = taperedPoiseuilleResistance(length, r1, r2, blood);
      // Radius of the uniform tube with the same Poiseuille resistance: the taper-equivalent radius.
      const radiusM = ((8 * blood.viscosityPaS * length) / (Math.PI * full)) ** 0.25;
      segments.push({
        index: i,
        startMm: s0,
        endMm: s1,
        radiusM,
        resistance: full * fraction,
        alpha1: womersleyNumber(radiusM, omega, blood),
        stenotic: inside > 0,
      });
    }
    return { branch, parent, arc, segments, lesions: own };
  });
}

interface SolveOutcome {
  readonly spectra: TreeSpectra;
  /** Quadratic sources per branch and harmonic (null without stenoses). */
  readonly eRe: Float64Array | null;
  readonly eIm: Float64Array | null;
  readonly iterations: number;
  readonly residual: number;
}

function outletImpedances(
  net: TreeNetwork,
  outlets: readonly (WindkesselSi | null)[],
  omega: number,
): void {
  const h = net.harmonics;
  outlets.forEach((w, b) => {
    if (w === null) return;
    for (let n = 0; n < h; n++) {
      // R1 + R2/(1 + iωR2C)
      const x = n * omega * w.r2 * w.c;
      const d = 1 + x * x;
      net.outletRe[b * h + n] = w.r1 + w.r2 / d;
      net.outletIm[b * h + n] = (-w.r2 * x) / d;
    }
  });
}

/**
 * Reduced-order pulsatile flow in a vessel tree (a carotid bifurcation, or any tree), one cardiac
 * cycle in the periodic steady state.
 *
 * Model, per branch: rigid segments between centreline points, each with Womersley's longitudinal
 * impedance per harmonic (Poiseuille for the mean; taper-equivalent radius); stenoses replace their
 * segments with the Young–Tsai element (`R_v·Q + K|Q|Q + L·dQ/dt`, cardiovascular.md §3.5); leaves
 * end in three-element Windkessels; the root is fed by the parametric inflow.
 *
 * Solution: the linear network is solved per harmonic exactly (Thevenin reduction of the tree).
 * The quadratic Young–Tsai term couples harmonics, so it is handled by harmonic balance: Newton's
 * method on the N time samples of each stenotic branch's flow, with the linear tree as a
 * circulant transfer (see {@link solveQuadraticSources}); the Womersley impedances stay exact
 * (no time-domain approximation). Wall shear stress at each centreline point comes from the
 * branch flow harmonics with Womersley's formula at the local radius (fully developed flow: a
 * lower bound of the real jet in and past a stenosis).
 *
 * Throws `ERR_SIMULATE_INPUT` for bad geometry or options, `ERR_SIMULATE_NOT_STEADY` when the
 * Newton iteration does not converge, `ERR_SIMULATE_FIT` when a `split` target cannot be met.
 */
export function simulateCarotid(
  input: VesselTree,
  options: CarotidSimulationOptions = {},
): CarotidSimulation {
  const tree = parseVesselTree(input);
  const blood = options.blood ?? DEFAULT_BLOOD;
  if (!(blood.densityKgPerM3 > 0 && blood.viscosityPaS > 0))
    fail('blood density and viscosity must be > 0');
  const inflow = createInflowWaveform(options.inflow);
  const samples = options.samples ?? 128;
  if (!isPowerOfTwo(samples) || samples < 32 || samples > 4096)
    fail(`samples must be a power of two from 32 to 4096, got ${samples}`);
  const harmonics = samples / 2 + 1;
  const maxN = inflow.harmonics.reduce((m, h) => Math.max(m, h.n), 0);
  if (maxN >= samples / 2)
    fail(`the inflow has harmonic ${maxN}: use at least ${4 * maxN} samples`);
  const warnings: string[] = [];
  const omega = (2 * Math.PI) / inflow.periodS;
  const lesions = buildLesions(tree, options, blood, warnings);
  const models = buildModels(tree, lesions, omega, blood, warnings);
  const nb = models.length;
  const h = harmonics;
  let besselEvaluations = 0;

  // Series impedance of every branch per harmonic.
  const zRe = new Float64Array(nb * h);
  const zIm = new Float64Array(nb * h);
  const factors = new Float64Array(6);
  models.forEach((m, b) => {
    for (let n = 0; n < h; n++) {
      let re = 0;
      let im = 0;
      for (const seg of m.segments) {
        if (seg.resistance === 0) continue;
        if (n === 0) {
          re += seg.resistance;
          continue;
        }
        womersleyFactors(seg.alpha1 * Math.sqrt(n), factors);
        besselEvaluations++;
        re += seg.resistance * (factors[0] ?? 0);
        im += seg.resistance * (factors[1] ?? 0);
      }
      for (const l of m.lesions) {
        re += l.coefficients.resistance;
        im += n * omega * l.coefficients.inertance;
      }
      zRe[b * h + n] = re;
      zIm[b * h + n] = im;
    }
  });
  const net: TreeNetwork = {
    branches: nb,
    parent: Int32Array.from(models.map((m) => m.parent)),
    harmonics: h,
    zRe,
    zIm,
    outletRe: new Float64Array(nb * h),
    outletIm: new Float64Array(nb * h),
  };
  const isLeaf = models.map((_, b) => !models.some((m) => m.parent === b));

  // Inflow harmonics, m³/s: A·cos(nωt − φ) = (A/2)e^(−iφ)e^(inωt) + c.c.
  const qInRe = new Float64Array(h);
  const qInIm = new Float64Array(h);
  qInRe[0] = inflow.meanFlowMlPerS * M3_PER_ML;
  for (const hm of inflow.harmonics) {
    qInRe[hm.n] = (qInRe[hm.n] ?? 0) + (hm.amplitude / 2) * Math.cos(hm.phaseRad) * M3_PER_ML;
    qInIm[hm.n] = (qInIm[hm.n] ?? 0) - (hm.amplitude / 2) * Math.sin(hm.phaseRad) * M3_PER_ML;
  }
  const qMean = inflow.meanFlowMlPerS * M3_PER_ML;

  const stenotic = models.flatMap((m, b) => (m.lesions.length > 0 ? [b] : []));
  const kStenotic = Float64Array.from(
    stenotic.map((b) =>
      (models[b]?.lesions ?? []).reduce((acc, l) => acc + l.coefficients.turbulence, 0),
    ),
  );

  const solve = (outlets: readonly (WindkesselSi | null)[]): SolveOutcome => {
    outletImpedances(net, outlets, omega);
    const spectra = allocateSpectra(net);
    if (stenotic.length === 0) {
      solveTree(net, qInRe, qInIm, null, null, spectra);
      return { spectra, eRe: null, eIm: null, iterations: 0, residual: 0 };
    }
    const solution = solveQuadraticSources(
      net,
      qInRe,
      qInIm,
      Int32Array.from(stenotic),
      kStenotic,
      samples,
    );
    if (solution === null)
      throw new PlatformError(
        'ERR_SIMULATE_NOT_STEADY',
        'the periodic flow through the stenoses did not converge (Newton on the Young–Tsai drop); check the stenosis severity and outlet resistances, or raise --samples',
      );
    const eRe = new Float64Array(nb * h);
    const eIm = new Float64Array(nb * h);
    const src = new Float64Array(samples);
    stenotic.forEach((b, a) => {
      const k = kStenotic[a] ?? 0;
      for (let j = 0; j < samples; j++) {
        const q = solution.q[a * samples + j] ?? 0;
        src[j] = k * Math.abs(q) * q;
      }
      const [re, im] = realToHarmonics(src);
      eRe.set(re, b * h);
      eIm.set(im, b * h);
    });
    solveTree(net, qInRe, qInIm, eRe, eIm, spectra);
    return { spectra, eRe, eIm, iterations: solution.iterations, residual: solution.residual };
  };

  // Outlets.
  const spec: OutletSpec = options.outlets ?? { kind: 'default' };
  const leafNames = models.filter((_, b) => isLeaf[b]).map((m) => m.branch.name);
  let outlets: (WindkesselSi | null)[];
  let outcome: SolveOutcome;
  let splitIterations = 0;
  switch (spec.kind) {
    case 'default': {
      const shares = defaultOutletShares(tree);
      const ref = windkesselToSi(CCA_WINDKESSEL);
      outlets = models.map((m, b) => {
        if (!isLeaf[b]) return null;
        const s = shares[m.branch.name] ?? 0;
        return { r1: ref.r1 / s, r2: ref.r2 / s, c: ref.c * s };
      });
      outcome = solve(outlets);
      break;
    }
    case 'windkessel': {
      const missing = leafNames.filter((n) => spec.byBranch[n] === undefined);
      if (missing.length > 0)
        fail(`windkessel outlets are missing for: ${missing.join(', ')} (give every leaf)`);
      outlets = models.map((m, b) => {
        if (!isLeaf[b]) return null;
        const w = spec.byBranch[m.branch.name] ?? CCA_WINDKESSEL;
        checkWindkessel(m.branch.name, w);
        return windkesselToSi(w);
      });
      outcome = solve(outlets);
      break;
    }
    case 'split': {
      const shares = spec.shares;
      const missing = leafNames.filter((n) => shares[n] === undefined);
      if (missing.length > 0) fail(`split shares are missing for: ${missing.join(', ')}`);
      const total = leafNames.reduce((acc, n) => acc + (shares[n] ?? 0), 0);
      if (leafNames.some((n) => !((shares[n] ?? 0) > 0)) || Math.abs(total - 1) > 1e-6)
        fail(`split shares must be > 0 and sum to 1, got a sum of ${total}`);
      const pTarget = (spec.meanPressureMmhg ?? 95) * PA_PER_MMHG;
      if (!(pTarget > 0)) fail('split: the mean inlet pressure must be > 0 mmHg');
      // Mean pressure drop from the inlet to each outlet and the mean outlet flow it came with,
      // refined with each solve; the drop's slope (secant over the last two solves) predicts it at
      // the target flow, so the stenoses' nonlinear drop does not slow the iteration down.
      const drop = new Float64Array(nb);
      const flow = new Float64Array(nb);
      const slope = new Float64Array(nb);
      outlets = [];
      outcome = { spectra: allocateSpectra(net), eRe: null, eIm: null, iterations: 0, residual: 0 };
      for (splitIterations = 1; splitIterations <= 50; splitIterations++) {
        outlets = models.map((m, b) => {
          if (!isLeaf[b]) return null;
          const q = (shares[m.branch.name] ?? 0) * qMean;
          const predicted = (drop[b] ?? 0) + (slope[b] ?? 0) * (q - (flow[b] ?? q));
          const rTotal = (pTarget - predicted) / q;
          if (!(rTotal > 0))
            throw new PlatformError(
              'ERR_SIMULATE_FIT',
              `split: the vessels alone drop more than the target mean pressure on the way to "${m.branch.name}"; raise meanPressureMmhg or lower the flow`,
            );
          return scaledCcaWindkessel(rTotal);
        });
        outcome = solve(outlets);
        let worst = 0;
        const pIn = outcome.spectra.pInRe[0] ?? 0;
        models.forEach((m, b) => {
          if (!isLeaf[b]) return;
          const q = outcome.spectra.qRe[b * h] ?? 0;
          worst = Math.max(worst, Math.abs(q / qMean - (shares[m.branch.name] ?? 0)));
          const d = pIn - (outcome.spectra.pOutRe[b * h] ?? 0);
          if (splitIterations > 1 && Math.abs(q - (flow[b] ?? 0)) > 1e-12 * qMean)
            slope[b] = Math.max(0, (d - (drop[b] ?? 0)) / (q - (flow[b] ?? 0)));
          drop[b] = d;
          flow[b] = q;
        });
        if (worst < 1e-9) break;
      }
      break;
    }
  }

  return assemble({
    models,
    inflow,
    blood,
    samples,
    omega,
    outcome,
    outlets,
    qMean,
    warnings,
    spec,
    splitIterations,
    besselEvaluations,
  });
}

interface AssembleInput {
  readonly models: readonly Model[];
  readonly inflow: InflowWaveform;
  readonly blood: BloodProperties;
  readonly samples: number;
  readonly omega: number;
  readonly outcome: SolveOutcome;
  readonly outlets: readonly (WindkesselSi | null)[];
  readonly qMean: number;
  readonly warnings: readonly string[];
  readonly spec: OutletSpec;
  readonly splitIterations: number;
  readonly besselEvaluations: number;
}

function toList(values: Float64Array, scale: number): number[] {
  return Array.from(values, (v) => v * scale);
}

function meanOf(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

function assemble(input: AssembleInput): CarotidSimulation {
  const { models, inflow, blood, samples, omega, outcome, outlets, qMean } = input;
  const h = samples / 2 + 1;
  const { spectra } = outcome;
  let besselEvaluations = input.besselEvaluations;
  const timeS = Array.from({ length: samples }, (_, j) => (j * inflow.periodS) / samples);
  const factors = new Float64Array(6);
  const branches: BranchResult[] = [];
  const segments: SegmentResult[] = [];
  const stenoses: StenosisResult[] = [];
  const tmpRe = new Float64Array(h);
  const tmpIm = new Float64Array(h);
  const series = (re: Float64Array, im: Float64Array, b: number): Float64Array =>
    harmonicsToReal(re.subarray(b * h, b * h + h), im.subarray(b * h, b * h + h), samples);

  models.forEach((m, b) => {
    const q = series(spectra.qRe, spectra.qIm, b);
    const pIn = series(spectra.pInRe, spectra.pInIm, b);
    const pOut = series(spectra.pOutRe, spectra.pOutIm, b);
    const qBar = spectra.qRe[b * h] ?? 0;
    let qAbsMax = 0;
    for (const v of q) qAbsMax = Math.max(qAbsMax, Math.abs(v));
    const qHarm = spectra.qRe.subarray(b * h, b * h + h);
    const qHarmIm = spectra.qIm.subarray(b * h, b * h + h);
    let qHarmMax = 0;
    for (let n = 0; n < h; n++)
      qHarmMax = Math.max(qHarmMax, Math.hypot(qHarm[n] ?? 0, qHarmIm[n] ?? 0));

    // Stenoses: Young–Tsai drop over time, dQ/dt from the harmonics.
    const dq = (() => {
      for (let n = 0; n < h; n++) {
        tmpRe[n] = -n * omega * (qHarmIm[n] ?? 0);
        tmpIm[n] = n * omega * (qHarm[n] ?? 0);
      }
      tmpRe[h - 1] = 0; // the Nyquist harmonic has no derivative representable in N samples
      return harmonicsToReal(tmpRe, tmpIm, samples);
    })();
    const lesionMeanDrop: number[] = [];
    for (const l of m.lesions) {
      const c = l.coefficients;
      const drop = new Float64Array(samples);
      for (let j = 0; j < samples; j++) {
        const v = q[j] ?? 0;
        drop[j] = c.resistance * v + c.turbulence * Math.abs(v) * v + c.inertance * (dq[j] ?? 0);
      }
      let peak = -Infinity;
      for (const v of drop) peak = Math.max(peak, v);
      const meanDrop = meanOf(drop);
      lesionMeanDrop.push(meanDrop);
      stenoses.push({
        branch: m.branch.name,
        source: l.source,
        startMm: l.spec.startMm,
        endMm: l.spec.endMm,
        lengthMm: l.spec.endMm - l.spec.startMm,
        referenceDiameterMm: l.d0,
        throatDiameterMm: l.d1,
        diameterReductionPercent: 100 * (1 - l.d1 / l.d0),
        areaReductionPercent: 100 * (1 - (l.d1 / l.d0) ** 2),
        kv: c.kv,
        kt: c.kt,
        ku: c.ku,
        effectiveLengthMm: c.effectiveLengthM / M_PER_MM,
        meanPressureDropMmhg: meanDrop / PA_PER_MMHG,
        peakPressureDropMmhg: peak / PA_PER_MMHG,
        pressureDropMmhg: toList(drop, 1 / PA_PER_MMHG),
        throatReynoldsPeak: reynoldsNumber(qAbsMax, (l.d1 / 2) * M_PER_MM, blood),
      });
    }

    for (const seg of m.segments)
      segments.push({
        branch: m.branch.name,
        index: seg.index,
        startMm: seg.startMm,
        endMm: seg.endMm,
        radiusMm: seg.radiusM / M_PER_MM,
        womersley: seg.alpha1,
        reynoldsMean: reynoldsNumber(qBar, seg.radiusM, blood),
        reynoldsPeak: reynoldsNumber(qAbsMax, seg.radiusM, blood),
        stenotic: seg.stenotic,
      });

    // Mean pressure along the centreline: Poiseuille drops of the segments, lesion drops spread
    // linearly over their length.
    const pInBar = spectra.pInRe[b * h] ?? 0;
    const meanPressure = new Float64Array(m.arc.length);
    let acc = 0;
    for (let i = 0; i < m.arc.length; i++) {
      if (i > 0) acc += (m.segments[i - 1]?.resistance ?? 0) * qBar;
      const s = m.arc[i] ?? 0;
      let lesionDrop = 0;
      m.lesions.forEach((l, k) => {
        const t = Math.min(Math.max((s - l.spec.startMm) / (l.spec.endMm - l.spec.startMm), 0), 1);
        lesionDrop += t * (lesionMeanDrop[k] ?? 0);
      });
      meanPressure[i] = pInBar - acc - lesionDrop;
    }

    // Wall shear stress at each point: Womersley per harmonic at the local radius.
    const points: CenterlinePointResult[] = m.branch.points.map((position, i) => {
      const rM = (m.branch.radii[i] ?? 0) * M_PER_MM;
      const alpha1 = womersleyNumber(rM, omega, blood);
      const c = (4 * blood.viscosityPaS) / (Math.PI * rM ** 3);
      for (let n = 0; n < h; n++) {
        const qr = qHarm[n] ?? 0;
        const qi = qHarmIm[n] ?? 0;
        if (n === 0) {
          tmpRe[0] = c * qr;
          tmpIm[0] = 0;
          continue;
        }
        if (Math.hypot(qr, qi) <= 1e-13 * qHarmMax) {
          tmpRe[n] = 0;
          tmpIm[n] = 0;
          continue;
        }
        womersleyFactors(alpha1 * Math.sqrt(n), factors);
        besselEvaluations++;
        const fr = factors[2] ?? 0;
        const fi = factors[3] ?? 0;
        tmpRe[n] = c * (qr * fr - qi * fi);
        tmpIm[n] = c * (qr * fi + qi * fr);
      }
      const tau = harmonicsToReal(tmpRe, tmpIm, samples);
      let sum = 0;
      let sumAbs = 0;
      let max = -Infinity;
      let min = Infinity;
      for (const v of tau) {
        sum += v;
        sumAbs += Math.abs(v);
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
      const tawss = sumAbs / samples;
      return {
        arcLengthMm: m.arc[i] ?? 0,
        position,
        radiusMm: m.branch.radii[i] ?? 0,
        meanPressureMmhg: (meanPressure[i] ?? 0) / PA_PER_MMHG,
        tawssPa: tawss,
        osi: sumAbs > 0 ? 0.5 * (1 - Math.abs(sum) / sumAbs) : 0,
        meanWssPa: sum / samples,
        maxWssPa: max,
        minWssPa: min,
        wssPa: Array.from(tau),
      };
    });

    let qMax = -Infinity;
    let qMin = Infinity;
    for (const v of q) {
      qMax = Math.max(qMax, v);
      qMin = Math.min(qMin, v);
    }
    const outlet = outlets[b] ?? null;
    branches.push({
      name: m.branch.name,
      parent: m.branch.parent ?? null,
      lengthMm: m.arc[m.arc.length - 1] ?? 0,
      outlet: outlet === null ? null : windkesselFromSi(outlet),
      flowMlPerS: toList(q, 1 / M3_PER_ML),
      pressureInMmhg: toList(pIn, 1 / PA_PER_MMHG),
      pressureOutMmhg: toList(pOut, 1 / PA_PER_MMHG),
      meanFlowMlPerS: qBar / M3_PER_ML,
      maxFlowMlPerS: qMax / M3_PER_ML,
      minFlowMlPerS: qMin / M3_PER_ML,
      shareOfInflow: qBar / qMean,
      meanPressureInMmhg: pInBar / PA_PER_MMHG,
      meanPressureOutMmhg: (spectra.pOutRe[b * h] ?? 0) / PA_PER_MMHG,
      points,
    });
  });

  const find = (name: string): BranchResult | undefined =>
    branches.find((br) => br.name.toLowerCase() === name);
  const ica = find('ica');
  const cca = find('cca');
  const outletShares = Object.fromEntries(
    branches.filter((br) => br.outlet !== null).map((br) => [br.name, br.shareOfInflow]),
  );
  return {
    timeS,
    inflow,
    blood,
    branches,
    segments,
    stenoses,
    icaFlowSplit:
      ica !== undefined && cca !== undefined ? ica.meanFlowMlPerS / cca.meanFlowMlPerS : null,
    outletShares,
    solver: {
      samples,
      harmonics: h,
      outletMode: input.spec.kind,
      newtonIterations: outcome.iterations,
      newtonResidualMlPerS: outcome.residual / M3_PER_ML,
      splitIterations: input.splitIterations,
      besselEvaluations,
    },
    warnings: input.warnings,
  };
}

import { describe, expect, it } from 'vitest';
import { genericCarotidBifurcation } from './generic-carotid.js';
import {
  DEFAULT_BLOOD,
  M3_PER_ML,
  PA_PER_MMHG,
  poiseuilleWallShearStress,
  taperedPoiseuilleResistance,
} from './hemodynamics.js';
import { createInflowWaveform, inflowAt } from './inflow-waveform.js';
import { addStenosis } from './stenosis.js';
import { simulateCarotid } from './simulate-carotid.js';
import type { BranchResult, CarotidSimulation } from './simulate-carotid.js';
import type { VesselBranch, VesselTree } from './vessel-tree.js';
import { arcLengthsMm } from './vessel-tree.js';
import { youngTsaiCoefficients } from './young-tsai.js';

const healthyTree = genericCarotidBifurcation();
const stenosed = addStenosis(healthyTree, { percent: 70, lengthMm: 12 });
const healthy = simulateCarotid(healthyTree);
const diseased = simulateCarotid(stenosed.tree, { stenoses: [stenosed.stenosis] });

function branch(result: CarotidSimulation, name: string): BranchResult {
  const b = result.branches.find((x) => x.name === name);
  if (b === undefined) throw new Error(`no branch ${name}`);
  return b;
}

describe('simulateCarotid: conservation and continuity', () => {
  it.each([
    ['healthy', healthy],
    ['70 % ICA stenosis', diseased],
  ])('%s: Q_CCA = Q_ICA + Q_ECA at every sample (to 1 %% and far below)', (_, r) => {
    const [cca, ica, eca] = ['cca', 'ica', 'eca'].map((n) => branch(r, n));
    const peak = Math.max(...(cca?.flowMlPerS ?? []));
    r.timeS.forEach((_t, j) => {
      const q = cca?.flowMlPerS[j] ?? NaN;
      const sum = (ica?.flowMlPerS[j] ?? NaN) + (eca?.flowMlPerS[j] ?? NaN);
      expect(Math.abs(q - sum)).toBeLessThan(0.01 * Math.abs(q));
      expect(Math.abs(q - sum)).toBeLessThan(1e-9 * peak);
    });
  });

  it('the CCA carries exactly the prescribed inflow, and pressure is continuous at the divider', () => {
    const w = createInflowWaveform();
    const cca = branch(diseased, 'cca');
    diseased.timeS.forEach((t, j) => {
      expect(cca.flowMlPerS[j]).toBeCloseTo(inflowAt(w, t), 9);
      const p = cca.pressureOutMmhg[j] ?? NaN;
      expect(branch(diseased, 'ica').pressureInMmhg[j]).toBeCloseTo(p, 9);
      expect(branch(diseased, 'eca').pressureInMmhg[j]).toBeCloseTo(p, 9);
    });
  });

  it('mean pressure falls along each branch and matches the outlet', () => {
    for (const b of diseased.branches) {
      const p = b.points.map((x) => x.meanPressureMmhg);
      for (let i = 1; i < p.length; i++) expect(p[i]).toBeLessThanOrEqual((p[i - 1] ?? NaN) + 1e-9);
      expect(p[0]).toBeCloseTo(b.meanPressureInMmhg, 9);
      expect(p.at(-1)).toBeCloseTo(b.meanPressureOutMmhg, 6);
    }
  });
});

describe('simulateCarotid: flow split and outlets', () => {
  it('sends 60–70 % of the CCA flow to the ICA with the default outlets, at a physiological pressure', () => {
    expect(healthy.icaFlowSplit).toBeGreaterThan(0.6);
    expect(healthy.icaFlowSplit).toBeLessThan(0.7);
    const cca = branch(healthy, 'cca');
    expect(cca.meanPressureInMmhg).toBeGreaterThan(85);
    expect(cca.meanPressureInMmhg).toBeLessThan(105);
    expect(healthy.outletShares['ica']).toBeCloseTo(healthy.icaFlowSplit ?? NaN, 12);
  });

  it('a 70 % ICA stenosis diverts flow to the ECA and raises the inlet pressure', () => {
    expect(diseased.icaFlowSplit).toBeLessThan((healthy.icaFlowSplit ?? 0) - 0.03);
    expect(branch(diseased, 'cca').meanPressureInMmhg).toBeGreaterThan(
      branch(healthy, 'cca').meanPressureInMmhg,
    );
    const s = diseased.stenoses[0];
    expect(diseased.stenoses).toHaveLength(1);
    expect(s?.source).toBe('explicit');
    expect(s?.diameterReductionPercent).toBeCloseTo(70, 9);
    expect(s?.peakPressureDropMmhg).toBeGreaterThan(s?.meanPressureDropMmhg ?? Infinity);
    expect(s?.meanPressureDropMmhg).toBeGreaterThan(5);
    expect(diseased.solver.newtonIterations).toBeGreaterThan(0);
  });

  it('meets a target split exactly with `split` outlets, with or without a stenosis', () => {
    for (const [tree, stenoses] of [
      [healthyTree, []],
      [stenosed.tree, [stenosed.stenosis]],
    ] as const) {
      const r = simulateCarotid(tree, {
        stenoses,
        outlets: { kind: 'split', shares: { ica: 0.7, eca: 0.3 }, meanPressureMmhg: 100 },
      });
      expect(r.icaFlowSplit).toBeCloseTo(0.7, 8);
      expect(branch(r, 'cca').meanPressureInMmhg).toBeCloseTo(100, 6);
    }
  });

  it('uses explicit Windkessels and refuses incomplete or invalid outlet sets', () => {
    const rc = { r1MmhgSPerMl: 1, r2MmhgSPerMl: 20, complianceMlPerMmhg: 0 };
    const r = simulateCarotid(healthyTree, {
      inflow: { pulsatilityIndex: 0 },
      outlets: { kind: 'windkessel', byBranch: { ica: rc, eca: rc } },
    });
    // equal outlets: the split follows the (small) vessel resistances, close to one half
    expect(r.icaFlowSplit).toBeGreaterThan(0.49);
    expect(r.icaFlowSplit).toBeLessThan(0.51);
    expect(() =>
      simulateCarotid(healthyTree, { outlets: { kind: 'windkessel', byBranch: { ica: rc } } }),
    ).toThrow(/missing for: eca/);
    expect(() =>
      simulateCarotid(healthyTree, {
        outlets: { kind: 'windkessel', byBranch: { ica: rc, eca: { ...rc, r2MmhgSPerMl: -1 } } },
      }),
    ).toThrow(/outlet "eca"/);
    expect(() => simulateCarotid(healthyTree, { samples: 100 })).toThrow(/power of two/);
  });
});

describe('simulateCarotid: wall shear stress, TAWSS and OSI', () => {
  const steady = simulateCarotid(healthyTree, { inflow: { pulsatilityIndex: 0 } });

  it('TAWSS of a steady flow equals Poiseuille at every point; OSI is 0', () => {
    for (const b of steady.branches) {
      const q = b.meanFlowMlPerS * M3_PER_ML;
      for (const p of b.points) {
        const expected = poiseuilleWallShearStress(q, p.radiusMm * 1e-3);
        expect(p.tawssPa / expected).toBeCloseTo(1, 10);
        expect(p.osi).toBe(0);
        expect(p.wssPa.every((v) => Math.abs(v / expected - 1) < 1e-10)).toBe(true);
      }
    }
    // 6 mL/s in the 8 mm CCA: 0.418 Pa (cardiovascular.md §3.4)
    expect(branch(steady, 'cca').points[10]?.tawssPa).toBeCloseTo(0.418, 3);
  });

  it('OSI is 0 for a purely forward, quasi-steady pulsatile flow', () => {
    // HR 6/min: α ≈ 1.7 in the CCA, the wall shear stays in phase with a positive flow
    const r = simulateCarotid(healthyTree, { inflow: { heartRateBpm: 6 } });
    for (const b of r.branches) {
      expect(b.minFlowMlPerS).toBeGreaterThan(0);
      for (const p of b.points) {
        expect(p.minWssPa).toBeGreaterThan(0);
        expect(p.osi).toBe(0);
      }
    }
  });

  it('OSI is positive where the flow reverses, and bounded by 0.5', () => {
    const r = simulateCarotid(healthyTree, { inflow: { pulsatilityIndex: 10 } });
    const cca = branch(r, 'cca');
    expect(cca.minFlowMlPerS).toBeLessThan(0);
    for (const p of cca.points) {
      expect(p.osi).toBeGreaterThan(0.01);
      expect(p.osi).toBeLessThanOrEqual(0.5);
      expect(p.minWssPa).toBeLessThan(0);
    }
  });

  it('WSS is higher in the stenosis throat and lower in the bulb than in the CCA', () => {
    const ica = branch(healthy, 'ica');
    const cca = branch(healthy, 'cca');
    const bulb = ica.points.reduce((a, p) => (p.radiusMm > a.radiusMm ? p : a));
    expect(bulb.tawssPa).toBeLessThan(cca.points[20]?.tawssPa ?? 0);
    const throat = branch(diseased, 'ica').points.reduce((a, p) =>
      p.radiusMm < a.radiusMm ? p : a,
    );
    expect(throat.tawssPa).toBeGreaterThan(10 * (cca.points[20]?.tawssPa ?? Infinity));
    for (const s of healthy.segments) {
      expect(s.womersley).toBeGreaterThan(2);
      expect(s.womersley).toBeLessThan(7);
      expect(s.reynoldsPeak).toBeGreaterThan(s.reynoldsMean);
    }
    // CCA, R = 4 mm at HR 72: α = 6.04 and mean Re = 289 (§3.4)
    const first = healthy.segments.find((s) => s.branch === 'cca');
    expect(first?.womersley).toBeCloseTo(6.04, 2);
    expect(first?.reynoldsMean).toBeCloseTo(289, 0);
  });
});

describe('simulateCarotid against an independent time-domain integration', () => {
  it('matches RK4 of the lumped ODE (Poiseuille tubes, Young–Tsai, RCR) at a low heart rate', () => {
    // At HR 6/min the Womersley and inertial terms are negligible next to the outlet resistances, so
    // the network reduces to: K|q|q + (A_I + A_E)q = A_E·Q + P_E − P_I, C·dP/dt = q − P/R2.
    const hr = 6;
    const r = simulateCarotid(stenosed.tree, {
      stenoses: [stenosed.stenosis],
      inflow: { heartRateBpm: hr },
      samples: 256,
    });
    const w = createInflowWaveform({ heartRateBpm: hr });
    const tubes = (b: VesselBranch, skip?: { startMm: number; endMm: number }): number => {
      const s = arcLengthsMm(b);
      let total = 0;
      for (let i = 0; i + 1 < b.points.length; i++) {
        const mid = ((s[i] ?? 0) + (s[i + 1] ?? 0)) / 2;
        if (skip !== undefined && mid > skip.startMm && mid < skip.endMm) continue;
        total += taperedPoiseuilleResistance(
          ((s[i + 1] ?? 0) - (s[i] ?? 0)) * 1e-3,
          (b.radii[i] ?? 0) * 1e-3,
          (b.radii[i + 1] ?? 0) * 1e-3,
        );
      }
      return total;
    };
    const tree: VesselTree = stenosed.tree;
    const [cca, ica, eca] = tree.branches;
    if (cca === undefined || ica === undefined || eca === undefined) throw new Error('tree');
    const yt = youngTsaiCoefficients({
      referenceDiameterM: (stenosed.stenosis.referenceDiameterMm ?? 0) * 1e-3,
      throatDiameterM: 0.3 * (stenosed.stenosis.referenceDiameterMm ?? 0) * 1e-3,
      lengthM: 12e-3,
    });
    const si = (o: BranchResult['outlet']): { r1: number; r2: number; c: number } => ({
      r1: (o?.r1MmhgSPerMl ?? 0) * PA_PER_MMHG * 1e6,
      r2: (o?.r2MmhgSPerMl ?? 0) * PA_PER_MMHG * 1e6,
      c: (o?.complianceMlPerMmhg ?? 0) / (PA_PER_MMHG * 1e6),
    });
    const oI = si(branch(r, 'ica').outlet);
    const oE = si(branch(r, 'eca').outlet);
    const aI = tubes(ica, stenosed.stenosis) + yt.resistance + oI.r1;
    const aE = tubes(eca) + oE.r1;
    const k = yt.turbulence;
    const split = (t: number, pI: number, pE: number): number => {
      const q = inflowAt(w, t) * 1e-6;
      const b = aE * q + pE - pI;
      const a = aI + aE;
      const u = (-a + Math.sqrt(a * a + 4 * k * Math.abs(b))) / (2 * k);
      return b >= 0 ? u : -u;
    };
    const rhs = (t: number, y: readonly number[]): number[] => {
      const [pI = 0, pE = 0] = y;
      const qI = split(t, pI, pE);
      const qE = inflowAt(w, t) * 1e-6 - qI;
      return [(qI - pI / oI.r2) / oI.c, (qE - pE / oE.r2) / oE.c];
    };
    const perCycle = r.timeS.length * 16;
    const steps = 3 * perCycle;
    const dt = w.periodS / perCycle;
    let y = [80 * PA_PER_MMHG, 80 * PA_PER_MMHG];
    const last: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t = i * dt;
      if (i >= 2 * perCycle && i % 16 === 0) last.push(split(t, y[0] ?? 0, y[1] ?? 0));
      const k1 = rhs(t, y);
      const k2 = rhs(
        t + dt / 2,
        y.map((v, j) => v + (dt / 2) * (k1[j] ?? 0)),
      );
      const k3 = rhs(
        t + dt / 2,
        y.map((v, j) => v + (dt / 2) * (k2[j] ?? 0)),
      );
      const k4 = rhs(
        t + dt,
        y.map((v, j) => v + dt * (k3[j] ?? 0)),
      );
      y = y.map(
        (v, j) =>
          v + (dt / 6) * ((k1[j] ?? 0) + 2 * (k2[j] ?? 0) + 2 * (k3[j] ?? 0) + (k4[j] ?? 0)),
      );
    }
    const ql = branch(r, 'ica').flowMlPerS;
    const peak = Math.max(...ql);
    expect(last).toHaveLength(ql.length);
    last.forEach((q, j) => {
      expect(Math.abs(q / M3_PER_ML - (ql[j] ?? NaN))).toBeLessThan(0.005 * peak);
    });
  });
});

describe('simulateCarotid on other trees', () => {
  it('a straight tube with a one-harmonic inflow has the Womersley WSS of the §3.4 table (α = 4.5)', () => {
    const r = 3; // mm
    const nu = DEFAULT_BLOOD.viscosityPaS / DEFAULT_BLOOD.densityKgPerM3;
    const omega = (4.5 / (r * 1e-3)) ** 2 * nu;
    const hr = (60 * omega) / (2 * Math.PI);
    const tube: VesselTree = {
      branches: [
        {
          name: 'tube',
          points: Array.from({ length: 11 }, (_, i) => [0, 0, 5 * i] as const),
          radii: Array.from({ length: 11 }, () => r),
        },
      ],
    };
    const result = simulateCarotid(tube, {
      inflow: {
        meanFlowMlPerS: 6,
        pulsatilityIndex: 1, // Q = 6 + 3·cos(ωt)
        heartRateBpm: hr,
        shape: [{ n: 1, amplitude: 1, phaseRad: 0 }],
      },
    });
    expect(result.icaFlowSplit).toBeNull();
    expect(result.outletShares).toEqual({ tube: 1 });
    const tauMean = poiseuilleWallShearStress(6e-6, r * 1e-3); // 0.990 Pa
    const tauAmp = poiseuilleWallShearStress(3e-6, r * 1e-3) * 1.4211;
    const phase = (29.0 * Math.PI) / 180;
    for (const p of branch(result, 'tube').points) {
      result.timeS.forEach((t, j) => {
        const expected = tauMean + tauAmp * Math.cos(omega * t + phase);
        expect(Math.abs((p.wssPa[j] ?? NaN) - expected)).toBeLessThan(0.003 * tauMean);
      });
      expect(p.tawssPa).toBeCloseTo(tauMean, 6); // WSS stays positive: TAWSS is its mean
    }
  });

  it('shares a generic tree by the cube of the outlet radii and has no ICA split', () => {
    const y: VesselTree = {
      branches: [
        {
          name: 'trunk',
          points: [
            [0, 0, 0],
            [0, 0, 20],
          ],
          radii: [3, 3],
        },
        {
          name: 'left',
          parent: 'trunk',
          points: [
            [0, 0, 20],
            [-5, 0, 40],
          ],
          radii: [2, 2],
        },
        {
          name: 'right',
          parent: 'trunk',
          points: [
            [0, 0, 20],
            [5, 0, 40],
          ],
          radii: [2.5, 2.5],
        },
      ],
    };
    const r = simulateCarotid(y, { inflow: { pulsatilityIndex: 0 } });
    expect(r.icaFlowSplit).toBeNull();
    const expectedLeft = 8 / (8 + 2.5 ** 3);
    expect(r.outletShares['left']).toBeCloseTo(expectedLeft, 2);
    expect((r.outletShares['left'] ?? 0) + (r.outletShares['right'] ?? 0)).toBeCloseTo(1, 12);
  });
});

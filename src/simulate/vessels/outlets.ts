import { PlatformError } from '../../core/index.js';
import { M3_PER_ML, PA_PER_MMHG } from './hemodynamics.js';
import type { VesselTree } from './vessel-tree.js';

/**
 * A three-element Windkessel outlet (RCR): a proximal resistance R1 in series with a distal
 * resistance R2 in parallel with a compliance C, to zero pressure. Impedance
 * `Z(ω) = R1 + R2/(1 + iωR2C)`. Clinical units.
 */
export interface WindkesselOutlet {
  /** Proximal (characteristic) resistance R1, mmHg·s/mL (≥ 0). */
  readonly r1MmhgSPerMl: number;
  /** Distal (peripheral) resistance R2, mmHg·s/mL (≥ 0; R1 + R2 positive). */
  readonly r2MmhgSPerMl: number;
  /** Compliance C, mL/mmHg (≥ 0; 0 makes the outlet a pure resistance R1 + R2). */
  readonly complianceMlPerMmhg: number;
}

/** Pa·s/m³ per mmHg·s/mL. */
const SI_RESISTANCE = PA_PER_MMHG / M3_PER_ML;
/** m³/Pa per mL/mmHg. */
const SI_COMPLIANCE = M3_PER_ML / PA_PER_MMHG;

/**
 * The common-carotid outlet Windkessel of the benchmark of Boileau et al. 2015 (Int J Numer Meth
 * Biomed Eng 31:e02732, common carotid test, Table III): R1 = 2.4875e8 Pa·s/m³,
 * R2 = 1.8697e9 Pa·s/m³, C = 1.7529e-10 m³/Pa, i.e. 1.866 and 14.02 mmHg·s/mL and 0.02337 mL/mmHg.
 * It gives a mean pressure of 95 mmHg at 6 mL/s and a time constant R2·C of 0.33 s. The default
 * outlets split it between the leaves: R/share, C·share.
 */
export const CCA_WINDKESSEL: WindkesselOutlet = {
  r1MmhgSPerMl: 2.4875e8 / SI_RESISTANCE,
  r2MmhgSPerMl: 1.8697e9 / SI_RESISTANCE,
  complianceMlPerMmhg: 1.7529e-10 / SI_COMPLIANCE,
};

/** Default ICA share of the CCA flow when the leaves are named `ica` and `eca` (60–70 %, §3.2). */
export const DEFAULT_ICA_SHARE = 0.65;

/**
 * How the outlets are set:
 * - `default`: {@link CCA_WINDKESSEL} split between the leaves by {@link defaultOutletShares};
 * - `windkessel`: explicit values for every leaf;
 * - `split`: tuned so that the cycle-mean flow divides as `shares` and the mean inlet pressure is
 *   `meanPressureMmhg` (R1/R2 and R2·C as in {@link CCA_WINDKESSEL}).
 */
export type OutletSpec =
  | { readonly kind: 'default' }
  | { readonly kind: 'windkessel'; readonly byBranch: Readonly<Record<string, WindkesselOutlet>> }
  | {
      readonly kind: 'split';
      /** Share of the mean inflow per leaf branch; they must sum to 1. */
      readonly shares: Readonly<Record<string, number>>;
      /**
       * Target mean pressure at the inlet, mmHg.
       * @defaultValue 95
       */
      readonly meanPressureMmhg?: number;
    };

/** Names of the leaf branches (outlets) of a tree, in tree order. */
export function outletNames(tree: VesselTree): string[] {
  const parents = new Set(tree.branches.map((b) => b.parent).filter((p) => p !== undefined));
  return tree.branches.filter((b) => !parents.has(b.name)).map((b) => b.name);
}

/**
 * Default flow shares of the outlets: ICA 0.65 and ECA 0.35 when the leaves are exactly `ica` and
 * `eca` (any case); otherwise proportional to the cube of each leaf's distal radius (the median of
 * its last 5 radii), the Murray-like rule a generic tree falls back on.
 */
export function defaultOutletShares(tree: VesselTree): Record<string, number> {
  const leaves = outletNames(tree);
  const lower = leaves.map((n) => n.toLowerCase()).sort();
  if (lower.length === 2 && lower[0] === 'eca' && lower[1] === 'ica') {
    return Object.fromEntries(
      leaves.map((n) => [n, n.toLowerCase() === 'ica' ? DEFAULT_ICA_SHARE : 1 - DEFAULT_ICA_SHARE]),
    );
  }
  const weights = leaves.map((name) => {
    const radii = tree.branches.find((b) => b.name === name)?.radii ?? [];
    const tail = [...radii.slice(-5)].sort((a, b) => a - b);
    const r = tail[tail.length >> 1] ?? 1;
    return r ** 3;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  return Object.fromEntries(leaves.map((n, i) => [n, (weights[i] ?? 0) / total]));
}

/** A Windkessel in SI units (Pa·s/m³, m³/Pa). */
export interface WindkesselSi {
  readonly r1: number;
  readonly r2: number;
  readonly c: number;
}

/** Converts a {@link WindkesselOutlet} to SI. */
export function windkesselToSi(w: WindkesselOutlet): WindkesselSi {
  return {
    r1: w.r1MmhgSPerMl * SI_RESISTANCE,
    r2: w.r2MmhgSPerMl * SI_RESISTANCE,
    c: w.complianceMlPerMmhg * SI_COMPLIANCE,
  };
}

/** Converts SI Windkessel values back to clinical units. */
export function windkesselFromSi(w: WindkesselSi): WindkesselOutlet {
  return {
    r1MmhgSPerMl: w.r1 / SI_RESISTANCE,
    r2MmhgSPerMl: w.r2 / SI_RESISTANCE,
    complianceMlPerMmhg: w.c / SI_COMPLIANCE,
  };
}

/**
 * A Windkessel of total resistance `total` (Pa·s/m³) with the R1/(R1 + R2) ratio and the R2·C
 * time constant of {@link CCA_WINDKESSEL}.
 */
export function scaledCcaWindkessel(total: number): WindkesselSi {
  const ref = windkesselToSi(CCA_WINDKESSEL);
  const f1 = ref.r1 / (ref.r1 + ref.r2);
  const tau = ref.r2 * ref.c;
  const r2 = (1 - f1) * total;
  return { r1: f1 * total, r2, c: r2 > 0 ? tau / r2 : 0 };
}

/** Checks one outlet's values. */
export function checkWindkessel(name: string, w: WindkesselOutlet): void {
  const { r1MmhgSPerMl: r1, r2MmhgSPerMl: r2, complianceMlPerMmhg: c } = w;
  if (!(r1 >= 0 && r2 >= 0 && c >= 0 && r1 + r2 > 0) || !Number.isFinite(r1 + r2 + c))
    throw new PlatformError(
      'ERR_SIMULATE_INPUT',
      `outlet "${name}": R1, R2 and C must be finite and ≥ 0 with R1 + R2 > 0, got R1 = ${r1}, R2 = ${r2}, C = ${c}`,
    );
}

import type { JsonObject } from '../../core/index.js';
import { addStenosis, genericCarotidBifurcation, simulateCarotid } from '../../simulate/index.js';
import type { Stage } from '../stage.js';

/**
 * `simulate.carotid`: reduced-order carotid hemodynamics (science/cardiovascular.md §3: Womersley
 * per harmonic, Young–Tsai stenoses, Windkessel outlets) on the generic bifurcation scaled to the
 * subject's `cca_diameter_mm` clinical variable when present, with an ICA stenosis of
 * `ica_stenosis_pct` (NASCET) when present. Output: flow split, per-branch flows and pressures,
 * TAWSS and OSI ranges, stenosis pressure drops.
 *
 * Parameters: `meanFlow` (mL/s), `heartRate` (bpm).
 */
export const simulateCarotidStage: Stage = {
  name: 'simulate.carotid',
  version: 1,
  description: 'carotid hemodynamics on the generic bifurcation adapted to the subject',
  level: 'subject',
  defaults: { meanFlow: 6, heartRate: 72 },
  run(input) {
    const clinical = input.target.clinical;
    const diameter = Number(clinical['cca_diameter_mm'] ?? 8);
    const stenosis = Number(clinical['ica_stenosis_pct'] ?? 0);
    const generic = genericCarotidBifurcation({ ccaDiameterMm: diameter > 0 ? diameter : 8 });
    const tree =
      stenosis > 0
        ? addStenosis(generic, { branch: 'ica', percent: stenosis, lengthMm: 12 }).tree
        : generic;
    const result = simulateCarotid(tree, {
      inflow: {
        meanFlowMlPerS: Number(input.params['meanFlow'] ?? 6),
        heartRateBpm: Number(input.params['heartRate'] ?? 72),
      },
    });
    const r = (v: number): number => Number(v.toPrecision(6));
    const output: JsonObject = {
      subject: input.target.subject,
      icaFlowSplit: result.icaFlowSplit === null ? null : r(result.icaFlowSplit),
      branches: result.branches.map((b) => ({
        name: b.name,
        meanFlowMlPerS: r(b.meanFlowMlPerS),
        tawssMinPa: r(Math.min(...b.points.map((p) => p.tawssPa))),
        tawssMaxPa: r(Math.max(...b.points.map((p) => p.tawssPa))),
        osiMax: r(Math.max(...b.points.map((p) => p.osi))),
      })),
      stenoses: result.stenoses.length,
    };
    return Promise.resolve(output);
  },
};

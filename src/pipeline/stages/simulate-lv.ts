import type { JsonObject } from '../../core/index.js';
import { PlatformError } from '../../core/index.js';
import {
  chartToSvg,
  findDrug,
  personalizeLv,
  pvLoopChart,
  simulateDrug,
} from '../../simulate/index.js';
import type { LvResult } from '../../simulate/index.js';
import type { Stage } from '../stage.js';

const MEASUREMENTS = ['edv', 'esv', 'sbp', 'dbp', 'hr'] as const;

function round(value: number): number {
  return Number(value.toPrecision(6));
}

function summary(r: LvResult): JsonObject {
  return {
    edv: round(r.edv),
    esv: round(r.esv),
    ef: round(r.ef),
    sbp: round(r.sbp),
    dbp: round(r.dbp),
    map: round(r.map),
    edp: round(r.edp),
    strokeWork: round(r.strokeWork),
    ea: round(r.ea),
    ees: round(r.ees),
    eaOverEes: round(r.eaOverEes),
  };
}

/**
 * `simulate.lv`: a subject's personalized left-ventricle model (science/cardiovascular.md §1,
 * least-squares fit to EDV, ESV, SBP, DBP at the heart rate, EDP when given) and, with the
 * `drug` parameter, its response to the drug (§2). Measurements come from the subject's clinical
 * variables `edv`, `esv`, `sbp`, `dbp`, `hr` (and `edp`), or from an upstream `reconstruct`
 * output's `edvMl`/`esvMl`. Output: the fitted parameters, baseline and treated figures, and a
 * PV-loop SVG artifact.
 *
 * Parameters: `drug` (a built-in drug id, e.g. `entresto`; none: baseline only), `scenario`
 * (`acute` or `chronic`).
 */
export const simulateLvStage: Stage = {
  name: 'simulate.lv',
  version: 1,
  description: 'personalized LV pressure–volume model, before and after a drug',
  level: 'subject',
  defaults: { drug: 'entresto', scenario: 'chronic' },
  async run(input, ctx) {
    const clinical = input.target.clinical;
    const value = (name: string): number | undefined => {
      const v = clinical[name];
      return v === undefined ? undefined : Number(v);
    };
    const measured: Record<string, number> = {};
    for (const name of MEASUREMENTS) {
      const v = value(name);
      if (v === undefined || !Number.isFinite(v))
        throw new PlatformError(
          'ERR_SIMULATE_INPUT',
          `subject ${input.target.subject} lacks the clinical variable "${name}" (needs ${MEASUREMENTS.join(', ')})`,
        );
      measured[name] = v;
    }
    const edp = value('edp');
    const fit = personalizeLv({
      edv: measured['edv'] ?? 0,
      esv: measured['esv'] ?? 0,
      sbp: measured['sbp'] ?? 0,
      dbp: measured['dbp'] ?? 0,
      hr: measured['hr'] ?? 0,
      ...(edp === undefined || !Number.isFinite(edp) ? {} : { edp }),
    });
    const output: Record<string, JsonObject | string | number> = {
      subject: input.target.subject,
      maxResidual: round(fit.maxResidual),
      baseline: summary(fit.result),
    };
    const drugName = input.params['drug'];
    if (typeof drugName === 'string' && drugName !== '') {
      const scenario = input.params['scenario'] === 'acute' ? 'acute' : 'chronic';
      const outcome = simulateDrug(fit.params, findDrug(drugName), {
        scenario,
        simulate: { traceEvery: 10 },
      });
      output['drug'] = drugName;
      output['scenario'] = scenario;
      output['treated'] = summary(outcome.treated);
      const base = outcome.baseline.trace;
      const treated = outcome.treated.trace;
      if (base !== undefined && treated !== undefined) {
        const svg = chartToSvg(
          pvLoopChart([
            { label: 'baseline', v: base.v, p: base.plv },
            { label: `${drugName} (${scenario})`, v: treated.v, p: treated.plv },
          ]),
        );
        output['pvLoop'] = await ctx.putArtifact(new TextEncoder().encode(svg), 'plot', 'svg');
      }
    }
    return output;
  },
};

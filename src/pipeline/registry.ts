import { PlatformError } from '../core/index.js';
import type { Stage } from './stage.js';
import { qaSeriesMetricsStage } from './stages/qa-series-metrics.js';
import { qaSessionStage } from './stages/qa-session.js';
import { seriesSummaryStage } from './stages/series-summary.js';
import { simulateCarotidStage } from './stages/simulate-carotid.js';
import { simulateLvStage } from './stages/simulate-lv.js';

/** Every stage a pipeline file can name, by name. */
export const STAGE_REGISTRY: ReadonlyMap<string, Stage> = new Map(
  [
    qaSessionStage,
    qaSeriesMetricsStage,
    seriesSummaryStage,
    simulateLvStage,
    simulateCarotidStage,
  ].map((s) => [s.name, s]),
);

/**
 * The stage of a name.
 *
 * @throws PlatformError `ERR_PIPELINE_INVALID` naming the known stages when there is none.
 */
export function stageByName(name: string): Stage {
  const stage = STAGE_REGISTRY.get(name);
  if (stage === undefined) {
    throw new PlatformError(
      'ERR_PIPELINE_INVALID',
      `unknown stage "${name}"; known stages: ${[...STAGE_REGISTRY.keys()].join(', ')}`,
    );
  }
  return stage;
}

import { PlatformError } from '../../core/index.js';
import type { Stage } from '../stage.js';

/**
 * `catalog.series-summary`: what a series holds (instance count, modality, description). The
 * cheapest real stage: it only reads its target, so it measures the engine's own overhead per job
 * (bench/pipeline.bench.ts).
 */
export const seriesSummaryStage: Stage = {
  name: 'catalog.series-summary',
  version: 1,
  description: 'instance count, modality and description of one series',
  level: 'series',
  defaults: {},
  run(input) {
    const series = input.target.series;
    if (series === undefined)
      throw new PlatformError('ERR_PIPELINE_INVALID', 'catalog.series-summary runs on series');
    return Promise.resolve({
      series: series.uid,
      modality: series.modality,
      description: series.description,
      instances: series.instances.length,
    });
  },
};

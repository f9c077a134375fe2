import { PlatformError } from '../../core/index.js';
import type { JsonObject } from '../../core/index.js';
import { computeSeriesMetrics } from '../../qa/index.js';
import { assembleSeries } from '../../qa-runner/index.js';
import type { Stage } from '../stage.js';

/**
 * `qa.series-metrics`: the image-quality metrics of one series (SNR, CNR, EFC, FBER, ghosting,
 * sharpness, local SNR, gradient ratio; definitions in science/qa-metrics.md) from its instance
 * blobs. Pure and CPU-bound: it reads blobs and nothing else, so it runs on any worker.
 */
export const qaSeriesMetricsStage: Stage = {
  name: 'qa.series-metrics',
  version: 1,
  description: 'image-quality metrics of one image series',
  level: 'series',
  defaults: { marginVoxels: 3, phaseAxis: 'j' },
  async run(input, ctx) {
    const series = input.target.series;
    if (series === undefined)
      throw new PlatformError('ERR_PIPELINE_INVALID', 'qa.series-metrics runs on series');
    const blobs: Uint8Array[] = [];
    for (const digest of series.instances) blobs.push(await ctx.getBlob(digest));
    const loaded = await assembleSeries(blobs);
    if (loaded.volume === undefined) {
      const output: JsonObject = {
        series: series.uid,
        metrics: null,
        reason: loaded.volumeError ?? 'no volume',
      };
      return output;
    }
    const phaseAxis = input.params['phaseAxis'] === 'i' ? 'i' : 'j';
    const margin = Number(input.params['marginVoxels'] ?? 3);
    const metrics = computeSeriesMetrics(loaded.volume, { phaseAxis, marginVoxels: margin });
    const rounded: Record<string, number> = {};
    // Rounded to 6 significant digits: enough for QA, and the JSON is the same on every machine.
    for (const [k, v] of Object.entries(metrics))
      if (typeof v === 'number') rounded[k] = Number(v.toPrecision(6));
    const result: JsonObject = {
      series: series.uid,
      dimensions: [...loaded.volume.dimensions],
      metrics: rounded,
    };
    const digest = await ctx.putArtifact(
      new TextEncoder().encode(JSON.stringify(result)),
      'qa_report',
      'json',
    );
    const output: JsonObject = { ...result, report: digest };
    return output;
  },
};

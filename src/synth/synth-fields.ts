import { PlatformError } from '../core/index.js';
import type { Landmark, Protocol, ProtocolSeries, Weighting } from '../protocol/index.js';

/** What the generator needs of a protocol series beyond what QA needs. */
export interface SynthSeriesFields {
  readonly landmark: Landmark;
  readonly weighting: Weighting;
  readonly bodyPartExamined: string;
}

/**
 * The generator-only fields of a series. A protocol for QA may leave them out (a learned one
 * cannot know the body model's landmarks), but the phantom cannot be rendered without them.
 *
 * @throws PlatformError `ERR_SYNTH` naming the series and the missing field.
 */
export function synthFields(series: ProtocolSeries): SynthSeriesFields {
  const { landmark, weighting, bodyPartExamined } = series;
  const missing = [
    landmark === undefined ? 'landmark' : undefined,
    weighting === undefined ? 'weighting' : undefined,
    bodyPartExamined === undefined ? 'bodyPartExamined' : undefined,
  ].filter((x) => x !== undefined);
  if (landmark === undefined || weighting === undefined || bodyPartExamined === undefined) {
    throw new PlatformError(
      'ERR_SYNTH',
      `protocol series ${series.key} has no ${missing.join(', ')}: the synthetic generator needs them to place and render it`,
    );
  }
  return { landmark, weighting, bodyPartExamined };
}

/** Checks every series of a protocol has the generator's fields (see {@link synthFields}). */
export function assertSynthesizable(protocol: Protocol): void {
  for (const series of protocol.series) synthFields(series);
}

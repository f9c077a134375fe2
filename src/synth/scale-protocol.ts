import type { Protocol, ProtocolSeries } from '../protocol/index.js';

/**
 * Size of a synthetic cohort: `small` for tests (matrix ≤ 64, ≤ 8 slices per series), `full` for
 * the protocol's own matrix and slice counts.
 */
export type CohortSize = 'small' | 'full';

/** Largest in-plane matrix of a `small` cohort, in pixels. */
export const SMALL_MATRIX = 64;
/** Most slices per series of a `small` cohort. */
export const SMALL_SLICES = 8;

/** Rounds to 6 significant decimals, the precision written into DS header values. */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function scaleSeries(series: ProtocolSeries): ProtocolSeries {
  const p = series.parameters;
  const factor = Math.max(1, Math.max(p.rows, p.columns) / SMALL_MATRIX);
  const rows = Math.max(1, Math.round(p.rows / factor));
  const columns = Math.max(1, Math.round(p.columns / factor));
  const slices = Math.min(p.slices, SMALL_SLICES);
  const sliceFactor = p.slices / slices;
  return {
    ...series,
    parameters: {
      ...p,
      rows,
      columns,
      slices,
      // The field of view and the slab keep their size: fewer, larger voxels over the same anatomy.
      pixelSpacingMm: [
        round6((p.pixelSpacingMm[0] * p.rows) / rows),
        round6((p.pixelSpacingMm[1] * p.columns) / columns),
      ],
      sliceThicknessMm: round6(p.sliceThicknessMm * sliceFactor),
      spacingBetweenSlicesMm: round6(p.spacingBetweenSlicesMm * sliceFactor),
    },
  };
}

/**
 * The protocol a cohort of `size` actually follows. `full` returns `protocol` itself; `small`
 * shrinks each series to at most 64 × 64 pixels and 8 slices while keeping its field of view and
 * slab coverage (so the same anatomy is imaged), and marks the version with the build-metadata
 * suffix `+small` (semver §10). Sequence timing (TR, TE, TI, flip angle) is unchanged.
 *
 * @example
 * ```ts
 * scaleProtocol(p, 'small').series[0].parameters.rows; // 64 for a 256-row MPRAGE
 * ```
 */
export function scaleProtocol(protocol: Protocol, size: CohortSize): Protocol {
  if (size === 'full') return protocol;
  return {
    ...protocol,
    protocolVersion: protocol.protocolVersion.endsWith('+small')
      ? protocol.protocolVersion
      : `${protocol.protocolVersion}+small`,
    series: protocol.series.map(scaleSeries),
  };
}

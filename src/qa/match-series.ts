import { matchesSeries } from '../protocol/index.js';
import type { Protocol, ProtocolSeries } from '../protocol/index.js';
import type { SeriesObservation } from './series-observation.js';

/** Which received series stands for which protocol series. */
export interface SeriesAssignment {
  /** Protocol series key → the received series checked against it (the first acquired). */
  readonly primary: ReadonlyMap<string, SeriesObservation>;
  /**
   * Protocol series key → later acquisitions of the same protocol series in the session (repeats,
   * e.g. after motion). The first repeat with the primary's geometry gives the NEMA difference SNR.
   */
  readonly repeats: ReadonlyMap<string, readonly SeriesObservation[]>;
  /** Received series that no protocol series matches. */
  readonly extra: readonly SeriesObservation[];
}

function order(a: SeriesObservation, b: SeriesObservation): number {
  const byTime = (a.acquired ?? '').localeCompare(b.acquired ?? '');
  if (byTime !== 0) return byTime;
  return (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0);
}

/**
 * Assigns received series to protocol series by the protocol's matching rules (Series
 * Description, Protocol Name, sequence). A series that matches several protocol series goes to the
 * one whose rules it matches that no other received series has taken yet, in protocol order, so
 * that two same-named series with different sequences still land on their own keys.
 */
export function assignSeries(
  protocol: Protocol,
  received: readonly SeriesObservation[],
): SeriesAssignment {
  const candidates = new Map<SeriesObservation, ProtocolSeries[]>();
  for (const observation of received) {
    const header = {
      seriesDescription: observation.seriesDescription,
      ...(observation.protocolName === undefined ? {} : { protocolName: observation.protocolName }),
      scanningSequence: observation.scanningSequence,
      ...(observation.mrAcquisitionType === undefined
        ? {}
        : { mrAcquisitionType: observation.mrAcquisitionType }),
    };
    candidates.set(
      observation,
      protocol.series.filter((s) => matchesSeries(s, header)),
    );
  }
  const byKey = new Map<string, SeriesObservation[]>();
  const extra: SeriesObservation[] = [];
  // Unambiguous series first, so an ambiguous one does not take a key that only another fits.
  const sorted = [...received].sort(
    (a, b) => (candidates.get(a)?.length ?? 0) - (candidates.get(b)?.length ?? 0) || order(a, b),
  );
  for (const observation of sorted) {
    const options = candidates.get(observation) ?? [];
    if (options.length === 0) {
      extra.push(observation);
      continue;
    }
    const free = options.find((s) => !byKey.has(s.key)) ?? options[0];
    if (free === undefined) continue;
    const list = byKey.get(free.key) ?? [];
    list.push(observation);
    byKey.set(free.key, list);
  }
  const primary = new Map<string, SeriesObservation>();
  const repeats = new Map<string, SeriesObservation[]>();
  for (const [key, list] of byKey) {
    list.sort(order);
    const [first, ...rest] = list;
    if (first !== undefined) primary.set(key, first);
    if (rest.length > 0) repeats.set(key, rest);
  }
  return { primary, repeats, extra: extra.sort(order) };
}

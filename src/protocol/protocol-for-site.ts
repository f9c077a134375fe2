import { NUMERIC_PARAMETERS } from './protocol.js';
import type {
  NumericParameter,
  Protocol,
  ProtocolSeries,
  SeriesParameters,
  SiteSeriesOverride,
  Tolerance,
} from './protocol.js';

/** Parameters with `override` applied; an override that drops `IR` also drops the inversion time. */
function mergeParameters(
  base: SeriesParameters,
  override: Partial<SeriesParameters> | undefined,
): SeriesParameters {
  if (override === undefined) return base;
  const merged: SeriesParameters = { ...base, ...override };
  if (
    override.scanningSequence !== undefined &&
    !override.scanningSequence.includes('IR') &&
    override.inversionTimeMs === undefined
  ) {
    const copy: { -readonly [K in keyof SeriesParameters]?: SeriesParameters[K] } = { ...merged };
    delete copy.inversionTimeMs;
    return copy as SeriesParameters;
  }
  return merged;
}

/**
 * The tolerances of `parameters`: `override` over `base` over `defaults`, for each numeric
 * parameter present; a parameter none of them covers is left out (the loader rejects that case).
 */
export function mergeTolerances(
  parameters: SeriesParameters,
  base: ProtocolSeries['tolerances'],
  override: ProtocolSeries['tolerances'] | undefined,
  defaults: ProtocolSeries['tolerances'],
): ProtocolSeries['tolerances'] {
  const out: Partial<Record<NumericParameter, Tolerance>> = {};
  for (const name of NUMERIC_PARAMETERS) {
    if (parameters[name] === undefined) continue;
    const tolerance = override?.[name] ?? base[name] ?? defaults[name];
    if (tolerance !== undefined) out[name] = tolerance;
  }
  return out;
}

function applySeries(
  series: ProtocolSeries,
  o: SiteSeriesOverride,
  protocol: Protocol,
): ProtocolSeries {
  const parameters = mergeParameters(series.parameters, o.parameters);
  return {
    ...series,
    ...(o.required === undefined ? {} : { required: o.required }),
    parameters,
    tolerances: mergeTolerances(
      parameters,
      series.tolerances,
      o.tolerances,
      protocol.defaultTolerances,
    ),
    quality: o.quality === undefined ? series.quality : { ...series.quality, ...o.quality },
    region: o.region === undefined ? series.region : { ...series.region, ...o.region },
  };
}

/**
 * The protocol as it applies at site `siteId`: that site's overrides of `protocol.sites` applied
 * (scanner fields, and per series parameters, tolerances, quality thresholds per metric, region
 * fields and `required`), with `sites` emptied. Returns `protocol` itself when `siteId` is
 * undefined or has no overrides.
 *
 * @remarks
 * Field by field, an override replaces the protocol's value; a parameter the override adds gets
 * the series' or the protocol's default tolerance. An override of `scanningSequence` without `IR`
 * also drops the inversion time. The loader applies every site once, so a protocol it returned
 * never fails here.
 *
 * @example
 * ```ts
 * protocolForSite(protocol, 'BER').scanner.manufacturerModelName; // 'MAGNETOM Prisma' if overridden
 * protocolForSite(protocol, undefined) === protocol; // true
 * ```
 */
export function protocolForSite(protocol: Protocol, siteId: string | undefined): Protocol {
  if (siteId === undefined || !Object.hasOwn(protocol.sites, siteId)) return protocol;
  const site = protocol.sites[siteId];
  if (site === undefined) return protocol;
  const overrides = site.series ?? {};
  return {
    ...protocol,
    scanner:
      site.scanner === undefined ? protocol.scanner : { ...protocol.scanner, ...site.scanner },
    series: protocol.series.map((s) => {
      const o = Object.hasOwn(overrides, s.key) ? overrides[s.key] : undefined;
      return o === undefined ? s : applySeries(s, o, protocol);
    }),
    sites: {},
  };
}

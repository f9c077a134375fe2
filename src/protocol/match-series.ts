import { PlatformError, errorMessage } from '../core/index.js';
import type { ProtocolSeries, SeriesMatchHeader, SeriesMatchRule } from './protocol.js';

/** A rule with its patterns compiled. */
interface CompiledRule {
  readonly seriesDescription?: RegExp;
  readonly protocolName?: RegExp;
}

// Compiled patterns per rule object. Kept beside the rules rather than in them, so that a loaded
// protocol stays plain JSON-serialisable data (the synthetic generator writes it to protocol.json).
const compiled = new WeakMap<SeriesMatchRule, CompiledRule>();

/**
 * Compiles a match pattern: anchored to the whole value, case-insensitive. Throws
 * `ERR_PROTOCOL_INVALID` naming `path` when the source is not a valid regular expression.
 *
 * @param source - ECMAScript regular-expression source, without delimiters or flags.
 * @param path - JSON path of the pattern, for the error message.
 */
export function compileMatchPattern(source: string, path: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`, 'i');
  } catch (error) {
    throw new PlatformError(
      'ERR_PROTOCOL_INVALID',
      `${path}: expected a regular expression, got ${JSON.stringify(source)} (${errorMessage(error)})`,
      { cause: error },
    );
  }
}

/**
 * Compiles the patterns of `rule` and remembers them for {@link matchesSeries}. Throws
 * `ERR_PROTOCOL_INVALID` naming `path.seriesDescription` or `path.protocolName` for a bad pattern.
 * The loader calls it for every rule, so that a bad pattern fails at load time.
 */
export function compileMatchRule(rule: SeriesMatchRule, path = 'match'): void {
  if (compiled.has(rule)) return;
  compiled.set(rule, {
    ...(rule.seriesDescription === undefined
      ? {}
      : {
          seriesDescription: compileMatchPattern(
            rule.seriesDescription,
            `${path}.seriesDescription`,
          ),
        }),
    ...(rule.protocolName === undefined
      ? {}
      : { protocolName: compileMatchPattern(rule.protocolName, `${path}.protocolName`) }),
  });
}

/**
 * Escapes `text` so that, as a pattern, it matches exactly `text`.
 *
 * @example
 * ```ts
 * escapeRegExp('t1_mprage (p2)'); // 't1_mprage \\(p2\\)'
 * ```
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The rules a series without `match` is recognised by: its exact Series Description, or its exact
 * Protocol Name (each case-insensitive, whole value).
 *
 * @example
 * ```ts
 * defaultMatchRules({ seriesDescription: 'swi_tra', protocolName: 'swi_tra' });
 * // [{ seriesDescription: 'swi_tra' }, { protocolName: 'swi_tra' }]
 * ```
 */
export function defaultMatchRules(
  series: Pick<ProtocolSeries, 'seriesDescription' | 'protocolName'>,
): readonly SeriesMatchRule[] {
  return [
    { seriesDescription: escapeRegExp(series.seriesDescription) },
    { protocolName: escapeRegExp(series.protocolName) },
  ];
}

function ruleMatches(rule: SeriesMatchRule, header: SeriesMatchHeader): boolean {
  compileMatchRule(rule);
  const patterns = compiled.get(rule) ?? {};
  if (patterns.seriesDescription !== undefined) {
    const value = header.seriesDescription?.trim();
    if (value === undefined || !patterns.seriesDescription.test(value)) return false;
  }
  if (patterns.protocolName !== undefined) {
    const value = header.protocolName?.trim();
    if (value === undefined || !patterns.protocolName.test(value)) return false;
  }
  if (rule.scanningSequence !== undefined) {
    const have = new Set((header.scanningSequence ?? []).map((v) => v.trim().toUpperCase()));
    if (!rule.scanningSequence.every((v) => have.has(v))) return false;
  }
  if (rule.mrAcquisitionType !== undefined) {
    if (header.mrAcquisitionType?.trim().toUpperCase() !== rule.mrAcquisitionType) return false;
  }
  return true;
}

/**
 * Whether a received series, described by `header`, is the protocol series `target`: true when
 * any of its rules matches. A rule matches when all of its given fields match: `seriesDescription`
 * and `protocolName` as anchored, case-insensitive patterns; `scanningSequence` when the header's
 * values contain all of the rule's; `mrAcquisitionType` exactly. A field the rule gives but the
 * header lacks does not match.
 *
 * @param target - a protocol series (its `match`, or {@link defaultMatchRules} when absent), or a
 *   rule list.
 * @param header - the series' header values; surrounding spaces are ignored.
 *
 * @example
 * ```ts
 * matchesSeries([{ seriesDescription: 't1_mprage.*' }], { seriesDescription: 'T1_MPRAGE_SAG' }); // true
 * matchesSeries([{ seriesDescription: 'mprage' }], { seriesDescription: 't1_mprage' }); // false: anchored
 * ```
 */
export function matchesSeries(
  target:
    | readonly SeriesMatchRule[]
    | Pick<ProtocolSeries, 'seriesDescription' | 'protocolName' | 'match'>,
  header: SeriesMatchHeader,
): boolean {
  const rules = isRuleList(target) ? target : (target.match ?? cachedDefaultRules(target));
  return rules.some((rule) => ruleMatches(rule, header));
}

// Default rules per series object, so that matching many received series against a protocol
// compiles each series' default patterns once.
const defaults = new WeakMap<object, readonly SeriesMatchRule[]>();

function cachedDefaultRules(
  series: Pick<ProtocolSeries, 'seriesDescription' | 'protocolName'>,
): readonly SeriesMatchRule[] {
  let rules = defaults.get(series);
  if (
    rules?.[0]?.seriesDescription !== escapeRegExp(series.seriesDescription) ||
    rules[1]?.protocolName !== escapeRegExp(series.protocolName)
  ) {
    rules = defaultMatchRules(series);
    defaults.set(series, rules);
  }
  return rules;
}

function isRuleList(
  target:
    | readonly SeriesMatchRule[]
    | Pick<ProtocolSeries, 'seriesDescription' | 'protocolName' | 'match'>,
): target is readonly SeriesMatchRule[] {
  return Array.isArray(target);
}

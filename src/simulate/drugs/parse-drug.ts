import { parse as parseYaml } from 'yaml';
import { PlatformError, errorMessage } from '../../core/index.js';
import { LV_PARAM_NAMES } from '../lv/lv-params.js';
import type { LvParamName } from '../lv/lv-params.js';
import { BUILTIN_DRUGS } from './builtin-drugs.js';
import { DRUG_SCENARIOS } from './drug-definition.js';
import type {
  DrugDefinition,
  DrugEffect,
  DrugScenario,
  EffectOperation,
  GeometryEffect,
  ReportedOutcome,
} from './drug-definition.js';

type Json = Readonly<Record<string, unknown>>;

function bad(origin: string, path: string, what: string): never {
  throw new PlatformError('ERR_SIMULATE_INPUT', `${origin}: ${path} ${what}`);
}

function object(value: unknown, origin: string, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    bad(origin, path, 'must be an object');
  return value as Json;
}

function array(value: unknown, origin: string, path: string): readonly unknown[] {
  if (!Array.isArray(value)) bad(origin, path, 'must be a list');
  return value;
}

function text(o: Json, key: string, origin: string, path: string): string {
  const value = o[key];
  if (typeof value !== 'string' || value.trim() === '')
    bad(origin, `${path}.${key}`, 'must be a non-empty string');
  return value;
}

function optionalText(o: Json, key: string, origin: string, path: string): string | undefined {
  return o[key] === undefined ? undefined : text(o, key, origin, path);
}

function num(o: Json, key: string, origin: string, path: string): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isFinite(value))
    bad(origin, `${path}.${key}`, `must be a finite number (got ${JSON.stringify(value)})`);
  return value;
}

function operation(o: Json, origin: string, path: string): EffectOperation {
  const value = o['operation'];
  if (value !== 'multiply' && value !== 'add')
    bad(origin, `${path}.operation`, `must be "multiply" or "add" (got ${JSON.stringify(value)})`);
  return value;
}

function scenarios(o: Json, origin: string, path: string): readonly DrugScenario[] {
  const list = array(o['scenarios'], origin, `${path}.scenarios`);
  if (list.length === 0) bad(origin, `${path}.scenarios`, 'must name at least one scenario');
  return list.map((s, i) => {
    const found = DRUG_SCENARIOS.find((d) => d === s);
    if (found === undefined)
      bad(origin, `${path}.scenarios[${i}]`, `must be one of ${DRUG_SCENARIOS.join(', ')}`);
    return found;
  });
}

function spread(o: Json, origin: string, path: string): { readonly sd?: number } {
  if (o['sd'] === undefined) return {};
  const sd = num(o, 'sd', origin, path);
  if (sd < 0) bad(origin, `${path}.sd`, 'must not be negative');
  return { sd };
}

function effect(value: unknown, origin: string, path: string): DrugEffect {
  const o = object(value, origin, path);
  const parameter = o['parameter'];
  const name = LV_PARAM_NAMES.find((p) => p === parameter);
  if (name === undefined || name === 'hr') {
    bad(
      origin,
      `${path}.parameter`,
      `must be one of ${LV_PARAM_NAMES.filter((p) => p !== 'hr').join(', ')} (got ${JSON.stringify(parameter)})`,
    );
  }
  const op = operation(o, origin, path);
  const v = num(o, 'value', origin, path);
  if (op === 'multiply' && v <= 0) bad(origin, `${path}.value`, 'must be positive for multiply');
  const note = optionalText(o, 'note', origin, path);
  return {
    parameter: name satisfies LvParamName,
    operation: op,
    value: v,
    ...spread(o, origin, path),
    scenarios: scenarios(o, origin, path),
    source: text(o, 'source', origin, path),
    ...(note === undefined ? {} : { note }),
  };
}

function geometry(value: unknown, origin: string, path: string): GeometryEffect {
  const o = object(value, origin, path);
  const op = operation(o, origin, path);
  const note = optionalText(o, 'note', origin, path);
  return {
    quantity: text(o, 'quantity', origin, path),
    unit: text(o, 'unit', origin, path),
    operation: op,
    value: num(o, 'value', origin, path),
    ...spread(o, origin, path),
    scenarios: scenarios(o, origin, path),
    source: text(o, 'source', origin, path),
    ...(note === undefined ? {} : { note }),
  };
}

function reported(value: unknown, origin: string, path: string): ReportedOutcome {
  const o = object(value, origin, path);
  const scenario = DRUG_SCENARIOS.find((s) => s === o['scenario']);
  if (scenario === undefined)
    bad(origin, `${path}.scenario`, `must be one of ${DRUG_SCENARIOS.join(', ')}`);
  return {
    study: text(o, 'study', origin, path),
    metric: text(o, 'metric', origin, path),
    delta: num(o, 'delta', origin, path),
    unit: text(o, 'unit', origin, path),
    scenario,
    source: text(o, 'source', origin, path),
  };
}

/**
 * Validates a parsed drug definition (the format of {@link DrugDefinition}, as in
 * `examples/drugs/*.json`).
 *
 * @param origin - where it came from (file name), for messages
 * @throws `PlatformError` `ERR_SIMULATE_INPUT` naming the field path, e.g.
 * `my-drug.json: effects[1].operation must be "multiply" or "add"`.
 */
export function parseDrugDefinition(value: unknown, origin: string): DrugDefinition {
  const o = object(value, origin, '(top level)');
  const id = text(o, 'id', origin, '');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id))
    bad(origin, '.id', `"${id}" must be lower-case letters, digits and dashes`);
  const effects = array(o['effects'], origin, '.effects').map((e, i) =>
    effect(e, origin, `effects[${i}]`),
  );
  const aliases =
    o['aliases'] === undefined
      ? undefined
      : array(o['aliases'], origin, '.aliases').map((a, i) => {
          if (typeof a !== 'string' || a === '') bad(origin, `aliases[${i}]`, 'must be a string');
          return a.toLowerCase();
        });
  const geo =
    o['geometry'] === undefined
      ? undefined
      : array(o['geometry'], origin, '.geometry').map((g, i) =>
          geometry(g, origin, `geometry[${i}]`),
        );
  const rep =
    o['reported'] === undefined
      ? undefined
      : array(o['reported'], origin, '.reported').map((r, i) =>
          reported(r, origin, `reported[${i}]`),
        );
  let typical: DrugDefinition['typicalSbpChange'];
  if (o['typicalSbpChange'] !== undefined) {
    const t = object(o['typicalSbpChange'], origin, 'typicalSbpChange');
    typical = {
      value: num(t, 'value', origin, 'typicalSbpChange'),
      source: text(t, 'source', origin, 'typicalSbpChange'),
    };
  }
  return {
    id,
    name: text(o, 'name', origin, ''),
    ...(aliases === undefined ? {} : { aliases }),
    description: text(o, 'description', origin, ''),
    effects,
    ...(geo === undefined ? {} : { geometry: geo }),
    ...(typical === undefined ? {} : { typicalSbpChange: typical }),
    ...(rep === undefined ? {} : { reported: rep }),
  };
}

/**
 * Parses the text of a drug file, JSON or YAML (YAML when `origin` ends in `.yaml`/`.yml`), and
 * validates it with {@link parseDrugDefinition}. A file may hold one definition or a list.
 *
 * @throws `PlatformError` `ERR_SIMULATE_INPUT` for syntax errors and invalid fields.
 */
export function parseDrugText(content: string, origin: string): readonly DrugDefinition[] {
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(origin) ? parseYaml(content) : JSON.parse(content);
  } catch (error) {
    throw new PlatformError(
      'ERR_SIMULATE_INPUT',
      `${origin}: not valid ${/\.ya?ml$/i.test(origin) ? 'YAML' : 'JSON'}: ${errorMessage(error)}`,
    );
  }
  if (Array.isArray(value)) return value.map((v, i) => parseDrugDefinition(v, `${origin} [${i}]`));
  return [parseDrugDefinition(value, origin)];
}

/**
 * Finds a drug by id or alias (case-insensitive) among `extra` definitions (user files, searched
 * first) and the built-in library.
 *
 * @throws `PlatformError` `ERR_DRUG_UNKNOWN` listing the available ids.
 */
export function findDrug(name: string, extra: readonly DrugDefinition[] = []): DrugDefinition {
  const key = name.trim().toLowerCase();
  const all = [...extra, ...BUILTIN_DRUGS];
  const found = all.find((d) => d.id === key || (d.aliases ?? []).includes(key));
  if (found === undefined) {
    throw new PlatformError(
      'ERR_DRUG_UNKNOWN',
      `unknown drug "${name}": available are ${[...new Set(all.map((d) => d.id))].join(', ')} (add others with a drug file)`,
    );
  }
  return found;
}

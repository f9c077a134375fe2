import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { PlatformError, errorMessage } from '../core/index.js';
import type { JsonObject, JsonValue } from '../core/index.js';
import { stageByName } from './registry.js';
import type { StageLevel } from './stage.js';

/** When a stage applies to a target; every given condition must hold. */
export interface StageCondition {
  /** Series modalities (`MR`, `US`); for study and subject levels, any series of that modality. */
  readonly modality?: readonly string[];
  /** Regular expression on the Series Description (case-insensitive). */
  readonly seriesDescription?: string;
  /** Protocol series keys, as QA assigned them. */
  readonly protocolSeries?: readonly string[];
  /** Clinical variables the subject must have (`edv`, `sbp`). */
  readonly clinical?: readonly string[];
  /**
   * Conditions on outputs of needed stages, checked when they have run: `"qa.status"` →
   * allowed values. A job whose condition fails is skipped, not failed.
   */
  readonly upstream?: Readonly<Record<string, readonly JsonValue[]>>;
}

/** One stage of a pipeline file. */
export interface PipelineStageSpec {
  /**
   * Name of this step within the pipeline, used by `needs` and in progress lines: letters, digits,
   * `_` and `-`. Defaults to the stage name with dots as dashes.
   */
  readonly id: string;
  /** Registered stage name (`qa.session`). */
  readonly stage: string;
  readonly level: StageLevel;
  /** Parameters, the stage's defaults filled in. */
  readonly params: JsonObject;
  readonly when: StageCondition;
  /** Ids of the steps whose outputs this one takes. */
  readonly needs: readonly string[];
  /** Extra attempts after a retryable failure. @defaultValue 2 */
  readonly retries: number;
}

/** A validated pipeline file. */
export interface PipelineSpec {
  readonly version: 1;
  readonly name: string;
  readonly description: string;
  readonly stages: readonly PipelineStageSpec[];
}

function invalid(path: string, message: string): PlatformError {
  return new PlatformError('ERR_PIPELINE_INVALID', `${path}: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(value: unknown, path: string): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string'))
    throw invalid(path, 'must be a string or a list of strings');
  return list;
}

const LEVELS: readonly StageLevel[] = ['subject', 'study', 'series'];
const CONDITION_KEYS = ['modality', 'seriesDescription', 'protocolSeries', 'clinical', 'upstream'];
const STAGE_KEYS = ['id', 'stage', 'on', 'params', 'when', 'needs', 'retries'];

function parseCondition(value: unknown, path: string): StageCondition {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalid(path, 'must be a mapping');
  for (const key of Object.keys(value))
    if (!CONDITION_KEYS.includes(key))
      throw invalid(`${path}.${key}`, `unknown condition; use one of ${CONDITION_KEYS.join(', ')}`);
  const when: {
    -readonly [K in keyof StageCondition]: StageCondition[K];
  } = {};
  if (value['modality'] !== undefined)
    when.modality = stringList(value['modality'], `${path}.modality`);
  if (value['protocolSeries'] !== undefined)
    when.protocolSeries = stringList(value['protocolSeries'], `${path}.protocolSeries`);
  if (value['clinical'] !== undefined)
    when.clinical = stringList(value['clinical'], `${path}.clinical`);
  if (value['seriesDescription'] !== undefined) {
    const re = value['seriesDescription'];
    if (typeof re !== 'string') throw invalid(`${path}.seriesDescription`, 'must be a string');
    try {
      new RegExp(re, 'i');
    } catch (error) {
      throw invalid(
        `${path}.seriesDescription`,
        `not a regular expression: ${errorMessage(error)}`,
      );
    }
    when.seriesDescription = re;
  }
  const upstream = value['upstream'];
  if (upstream !== undefined) {
    if (!isObject(upstream)) throw invalid(`${path}.upstream`, 'must be a mapping');
    const out: Record<string, readonly JsonValue[]> = {};
    for (const [key, allowed] of Object.entries(upstream)) {
      if (!/^[\w-]+\.[\w.-]+$/.test(key))
        throw invalid(`${path}.upstream.${key}`, 'key must be "<step id>.<output field>"');
      out[key] = (Array.isArray(allowed) ? allowed : [allowed]) as JsonValue[];
    }
    when.upstream = out;
  }
  return when;
}

/**
 * Validates a parsed pipeline document: known stages, unique ids, `needs` naming earlier steps
 * (so the steps are in an order that runs), known keys everywhere.
 *
 * @throws PlatformError `ERR_PIPELINE_INVALID` naming the path of the first bad field.
 */
export function parsePipeline(document: unknown): PipelineSpec {
  if (!isObject(document)) throw invalid('pipeline', 'must be a mapping');
  if (document['version'] !== 1) throw invalid('version', 'must be 1');
  const name = document['name'];
  if (typeof name !== 'string' || name === '') throw invalid('name', 'must be a non-empty string');
  const description = document['description'] ?? '';
  if (typeof description !== 'string') throw invalid('description', 'must be a string');
  const rawStages = document['stages'];
  if (!Array.isArray(rawStages) || rawStages.length === 0)
    throw invalid('stages', 'must be a non-empty list');
  const stages: PipelineStageSpec[] = [];
  for (const [i, raw] of rawStages.entries()) {
    const path = `stages[${i}]`;
    if (!isObject(raw)) throw invalid(path, 'must be a mapping');
    for (const key of Object.keys(raw))
      if (!STAGE_KEYS.includes(key))
        throw invalid(`${path}.${key}`, `unknown key; use one of ${STAGE_KEYS.join(', ')}`);
    const stageName = raw['stage'];
    if (typeof stageName !== 'string') throw invalid(`${path}.stage`, 'must be a stage name');
    let stage;
    try {
      stage = stageByName(stageName);
    } catch (error) {
      throw invalid(`${path}.stage`, errorMessage(error));
    }
    // Ids cannot hold dots (`when.upstream` keys are `<id>.<field>`): the default id is the
    // stage name with dots as dashes (`qa.session` → `qa-session`).
    const id = raw['id'] ?? stageName.replaceAll('.', '-');
    if (typeof id !== 'string' || !/^[\w-]+$/.test(id))
      throw invalid(`${path}.id`, 'must be letters, digits, _ or -');
    if (stages.some((s) => s.id === id)) throw invalid(`${path}.id`, `"${id}" is used twice`);
    const level = raw['on'] ?? stage.level;
    if (typeof level !== 'string' || !LEVELS.includes(level as StageLevel))
      throw invalid(`${path}.on`, `must be one of ${LEVELS.join(', ')}`);
    const params = raw['params'] ?? {};
    if (!isObject(params)) throw invalid(`${path}.params`, 'must be a mapping');
    const needs = raw['needs'] === undefined ? [] : stringList(raw['needs'], `${path}.needs`);
    for (const need of needs)
      if (!stages.some((s) => s.id === need))
        throw invalid(`${path}.needs`, `"${need}" is not an earlier step`);
    const retries = raw['retries'] ?? 2;
    if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0 || retries > 10)
      throw invalid(`${path}.retries`, 'must be an integer from 0 to 10');
    const when = parseCondition(raw['when'], `${path}.when`);
    for (const key of Object.keys(when.upstream ?? {})) {
      const step = key.split('.')[0] ?? '';
      if (!needs.includes(step))
        throw invalid(`${path}.when.upstream.${key}`, `"${step}" must be listed in needs`);
    }
    stages.push({
      id,
      stage: stageName,
      level: level as StageLevel,
      params: { ...stage.defaults, ...(params as JsonObject) },
      when,
      needs,
      retries,
    });
  }
  return { version: 1, name, description, stages };
}

/**
 * Reads a pipeline file (YAML or JSON) and validates it.
 *
 * @throws PlatformError `ERR_IO` when unreadable, `ERR_PIPELINE_INVALID` when invalid.
 */
export async function readPipelineFile(path: string): Promise<PipelineSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PlatformError('ERR_IO', `cannot read pipeline file ${path}: ${errorMessage(error)}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new PlatformError('ERR_PIPELINE_INVALID', `${path}: not YAML: ${errorMessage(error)}`);
  }
  try {
    return parsePipeline(document);
  } catch (error) {
    if (error instanceof PlatformError)
      throw new PlatformError(error.code, `${path}: ${error.message}`);
    throw error;
  }
}

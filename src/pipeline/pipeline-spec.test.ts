import { describe, expect, it } from 'vitest';
import { cacheKey, canonicalJson } from './cache-key.js';
import { parsePipeline } from './pipeline-spec.js';
import { upstreamAllows } from './plan-pipeline.js';

const base = { version: 1, name: 'p', stages: [{ id: 'qa', stage: 'qa.session' }] };

function codeAndMessage(document: unknown): string {
  try {
    parsePipeline(document);
  } catch (error) {
    return `${(error as { code: string }).code} ${(error as Error).message}`;
  }
  return 'valid';
}

describe('parsePipeline', () => {
  it('fills in stage defaults and levels', () => {
    const spec = parsePipeline({
      ...base,
      stages: [
        ...base.stages,
        { id: 'm', stage: 'qa.series-metrics', needs: 'qa', params: { marginVoxels: 2 } },
      ],
    });
    expect(spec.stages[0]?.level).toBe('study');
    expect(spec.stages[1]?.params).toEqual({ marginVoxels: 2, phaseAxis: 'j' });
    expect(spec.stages[1]?.needs).toEqual(['qa']);
    expect(spec.stages[1]?.retries).toBe(2);
  });

  it('names the path of the first bad field', () => {
    expect(codeAndMessage({ ...base, version: 2 })).toBe('ERR_PIPELINE_INVALID version: must be 1');
    expect(codeAndMessage({ ...base, stages: [{ stage: 'no.such' }] })).toMatch(
      /^ERR_PIPELINE_INVALID stages\[0\]\.stage: unknown stage "no\.such"; known stages: .*qa\.session/,
    );
    expect(codeAndMessage({ ...base, stages: [{ stage: 'qa.session', needs: ['later'] }] })).toBe(
      'ERR_PIPELINE_INVALID stages[0].needs: "later" is not an earlier step',
    );
    expect(
      codeAndMessage({ ...base, stages: [{ stage: 'qa.session', when: { modality: 3 } }] }),
    ).toBe('ERR_PIPELINE_INVALID stages[0].when.modality: must be a string or a list of strings');
    expect(
      codeAndMessage({ ...base, stages: [{ stage: 'qa.session', when: { bogus: 1 } }] }),
    ).toMatch(/stages\[0\]\.when\.bogus: unknown condition/);
    expect(
      codeAndMessage({
        ...base,
        stages: [
          { id: 'a', stage: 'qa.session' },
          { stage: 'qa.series-metrics', when: { upstream: { 'a.status': 'pass' } } },
        ],
      }),
    ).toBe('ERR_PIPELINE_INVALID stages[1].when.upstream.a.status: "a" must be listed in needs');
    expect(
      codeAndMessage({
        ...base,
        stages: [{ stage: 'qa.session', when: { seriesDescription: '(' } }],
      }),
    ).toMatch(/seriesDescription: not a regular expression/);
    expect(codeAndMessage({ ...base, stages: [base.stages[0], base.stages[0]] })).toBe(
      'ERR_PIPELINE_INVALID stages[1].id: "qa" is used twice',
    );
  });
});

describe('cache keys', () => {
  it('do not depend on key order, and change with any parameter or input', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}',
    );
    const k = cacheKey('s', 1, { a: 1, b: 2 }, { x: ['sha256:00'] });
    expect(k).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(cacheKey('s', 1, { b: 2, a: 1 }, { x: ['sha256:00'] })).toBe(k);
    expect(cacheKey('s', 2, { a: 1, b: 2 }, { x: ['sha256:00'] })).not.toBe(k);
    expect(cacheKey('s', 1, { a: 1, b: 3 }, { x: ['sha256:00'] })).not.toBe(k);
    expect(cacheKey('s', 1, { a: 1, b: 2 }, { x: ['sha256:01'] })).not.toBe(k);
    expect(cacheKey('t', 1, { a: 1, b: 2 }, { x: ['sha256:00'] })).not.toBe(k);
  });
});

describe('upstream conditions', () => {
  const when = { upstream: { 'qa.status': ['pass', 'warn'] } };
  it('hold when every output of the needed step has an allowed value', () => {
    expect(upstreamAllows(when, { qa: { status: 'pass' } })).toBe(true);
    expect(upstreamAllows(when, { qa: [{ status: 'pass' }, { status: 'warn' }] })).toBe(true);
    expect(upstreamAllows(when, { qa: { status: 'fail' } })).toBe(false);
    expect(upstreamAllows(when, { qa: [{ status: 'pass' }, { status: 'fail' }] })).toBe(false);
    expect(upstreamAllows(when, { qa: { other: 1 } })).toBe(false);
    expect(upstreamAllows({}, {})).toBe(true);
  });
});

describe('example pipelines', () => {
  it('all parse, with every stage registered', async () => {
    const { readdirSync } = await import('node:fs');
    const { readPipelineFile } = await import('./pipeline-spec.js');
    const dir = new URL('../../examples/pipelines/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files).toEqual(expect.arrayContaining(['cohort-qa.yaml', 'carotid.yaml', 'heart.yaml']));
    for (const file of files) {
      const spec = await readPipelineFile(new URL(file, dir).pathname);
      expect(spec.stages.length).toBeGreaterThan(0);
    }
  });
});

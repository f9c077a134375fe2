import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DRUGS, ENTRESTO } from './builtin-drugs.js';
import { findDrug, parseDrugDefinition, parseDrugText } from './parse-drug.js';

describe('drug definitions', () => {
  it('validates every built-in drug with its own parser (round trip through JSON)', () => {
    for (const drug of BUILTIN_DRUGS) {
      expect(parseDrugDefinition(JSON.parse(JSON.stringify(drug)), drug.id)).toEqual(drug);
    }
  });

  it('parses the example drug files in JSON and YAML', () => {
    const dir = join(import.meta.dirname, '../../../examples/drugs');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const drugs = parseDrugText(readFileSync(join(dir, file), 'utf8'), file);
      expect(drugs.length, file).toBeGreaterThan(0);
    }
  });

  it('finds drugs by id or alias and rejects unknown ones with ERR_DRUG_UNKNOWN', () => {
    expect(findDrug('Entresto')).toBe(ENTRESTO);
    expect(findDrug('sacubitril/valsartan')).toBe(ENTRESTO);
    expect(() => findDrug('aspirin')).toThrow(
      /unknown drug "aspirin": available are entresto, valsartan/,
    );
    expect(() => findDrug('aspirin')).toThrow(
      expect.objectContaining({ code: 'ERR_DRUG_UNKNOWN' }),
    );
    const custom = parseDrugText(
      'id: my-drug\nname: My drug\ndescription: test\neffects:\n  - { parameter: rp, operation: multiply, value: 0.9, scenarios: [acute], source: me }\n',
      'my.yaml',
    );
    expect(findDrug('my-drug', custom).effects[0]?.value).toBe(0.9);
  });

  it('names the field path of each error', () => {
    const base = JSON.parse(JSON.stringify(ENTRESTO)) as Record<string, unknown>;
    const effects = base['effects'] as Record<string, unknown>[];
    const cases: [unknown, RegExp][] = [
      [
        { ...base, effects: [{ ...effects[0], operation: 'scale' }] },
        /f.json: effects\[0\]\.operation must be "multiply" or "add"/,
      ],
      [
        { ...base, effects: [effects[0], { ...effects[1], parameter: 'contractility' }] },
        /effects\[1\]\.parameter must be one of emax/,
      ],
      [
        { ...base, effects: [{ ...effects[0], scenarios: ['forever'] }] },
        /effects\[0\]\.scenarios\[0\] must be one of acute, chronic/,
      ],
      [
        { ...base, effects: [{ ...effects[0], value: '1.2' }] },
        /effects\[0\]\.value must be a finite number/,
      ],
      [
        { ...base, effects: [{ ...effects[0], value: -1 }] },
        /effects\[0\]\.value must be positive for multiply/,
      ],
      [{ ...base, effects: [{ ...effects[0], sd: -1 }] }, /effects\[0\]\.sd must not be negative/],
      [{ ...base, id: 'Bad Id' }, /\.id "Bad Id" must be lower-case/],
      [{ ...base, effects: 'none' }, /\.effects must be a list/],
      [[], /f.json: \(top level\) must be an object/],
    ];
    for (const [value, message] of cases) {
      expect(() => parseDrugDefinition(value, 'f.json')).toThrow(message);
    }
    expect(() => parseDrugText('{ nope', 'x.json')).toThrow(/x.json: not valid JSON/);
    expect(() => parseDrugText('a: [1, 2', 'x.yaml')).toThrow(/x.yaml: not valid YAML/);
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import {
  DEFAULT_NORMATIVE,
  DEFAULT_PROTOCOL_URL,
  PROTOCOL_SCHEMA_VERSION,
  loadProtocol,
  readProtocolFile,
} from './index.js';

type Json = Record<string, unknown>;
type ProtocolJson = Json & { series: Json[] };

let shipped: ProtocolJson;
let dir: string;

beforeAll(async () => {
  shipped = JSON.parse(await readFile(DEFAULT_PROTOCOL_URL, 'utf8')) as ProtocolJson;
  dir = await mkdtemp(join(tmpdir(), 'medscale-protocol-v2-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A deep copy of the shipped protocol JSON with `edit` applied. */
function edited(edit: (json: ProtocolJson) => void): unknown {
  const json = structuredClone(shipped);
  edit(json);
  return json;
}

/** The shipped protocol as a version-1 file: without any field that version 2 added. */
function asVersion1(): ProtocolJson {
  const without = (object: Json, keys: readonly string[]): Json =>
    Object.fromEntries(Object.entries(object).filter(([k]) => !keys.includes(k)));
  const json = without(structuredClone(shipped), [
    'region',
    'defaultQuality',
    'normative',
    'sites',
  ]);
  return {
    ...json,
    schemaVersion: 1,
    series: shipped.series.map((s) => without(structuredClone(s), ['match', 'region', 'quality'])),
  };
}

function expectInvalid(json: unknown, message: RegExp): void {
  let caught: unknown;
  try {
    loadProtocol(json);
  } catch (error) {
    caught = error;
  }
  expect(caught, 'loadProtocol should throw').toBeInstanceOf(Error);
  expect((caught as Error).message).toMatch(message);
  expect((caught as { code?: string }).code).toBe('ERR_PROTOCOL_INVALID');
}

describe('the shipped protocol, schema version 2', () => {
  it('loads as version 2, with a centre and tolerance for every series', async () => {
    const protocol = await readProtocolFile();
    expect(protocol.schemaVersion).toBe(PROTOCOL_SCHEMA_VERSION);
    expect(PROTOCOL_SCHEMA_VERSION).toBe(2);
    expect(protocol.region).toEqual({ referenceStatureM: 1.75 });
    expect(protocol.normative).toEqual(DEFAULT_NORMATIVE);
    expect(protocol.sites).toEqual({});
    for (const s of protocol.series) {
      expect(s.region.orientation, s.key).toBe(s.orientation);
      expect(s.region.centreMm, s.key).toHaveLength(3);
      expect(s.region.centreToleranceMm, s.key).toEqual([40, 40, 50]);
    }
  });

  it('places the brain above the heart above the knee, in the body-model frame', async () => {
    const protocol = await readProtocolFile();
    const z = (key: string): number =>
      protocol.series.find((s) => s.key === key)?.region.centreMm?.[2] ?? Number.NaN;
    expect(z('t1_mprage_sag')).toBe(220);
    expect(z('t1_mprage_sag')).toBeGreaterThan(z('bb_t1_tra_carotid'));
    expect(z('bb_t1_tra_carotid')).toBeGreaterThan(z('cine_sax'));
    expect(z('cine_sax')).toBeGreaterThan(z('pd_fs_cor_knee'));
  });

  it('is plain data that loads back to an equal protocol (synth writes it to protocol.json)', async () => {
    const protocol = await readProtocolFile();
    const again = loadProtocol(JSON.parse(JSON.stringify(protocol)));
    expect(again).toEqual(protocol);
  });
});

describe('schema version 1', () => {
  it('still loads, with every new field at its default', () => {
    const protocol = loadProtocol(asVersion1());
    expect(protocol.schemaVersion).toBe(2);
    expect(protocol.region).toEqual({ referenceStatureM: 1.75 });
    expect(protocol.defaultQuality).toEqual({});
    expect(protocol.normative).toEqual({
      robustZ: 5,
      minHistory: 8,
      metrics: ['snrLocal', 'ghostingRatio', 'gradientRatio', 'efc'],
      severity: 'warn',
    });
    expect(protocol.sites).toEqual({});
    const cine = protocol.series.find((s) => s.key === 'cine_sax')!;
    expect(cine.match).toBeUndefined();
    expect(cine.quality).toEqual({});
    expect(cine.region).toEqual({
      orientation: 'sax',
      orientationToleranceDeg: 20,
      obliqueMinDeg: 15,
      centreToleranceMm: [40, 40, 50],
      scaleWithStature: true,
      fovToleranceRel: 0.02,
    });
  });

  it('keeps the series and parameters of the version-2 file', async () => {
    const v1 = loadProtocol(asVersion1());
    const v2 = await readProtocolFile();
    expect(v1.series.map((s) => s.parameters)).toEqual(v2.series.map((s) => s.parameters));
    expect(v1.series.map((s) => s.tolerances)).toEqual(v2.series.map((s) => s.tolerances));
  });

  it('rejects fields that version 2 added', () => {
    const json = asVersion1();
    json.series[2]!['region'] = { orientationToleranceDeg: 10 };
    expectInvalid(
      json,
      /^series\[2\]\.region: field of schemaVersion 2, but the file has "schemaVersion": 1$/,
    );
    const top = asVersion1();
    top['sites'] = {};
    expectInvalid(top, /^\(root\)\.sites: field of schemaVersion 2/);
  });
});

describe('defaults', () => {
  it('resolves a region from the series orientation and the defaults', () => {
    const protocol = loadProtocol(
      edited((j) => {
        j.series[0]!['region'] = { centreMm: [1, 2, 3] };
      }),
    );
    expect(protocol.series[0]!.region).toEqual({
      orientation: 'sag',
      orientationToleranceDeg: 20,
      obliqueMinDeg: 15,
      centreMm: [1, 2, 3],
      centreToleranceMm: [40, 40, 50],
      scaleWithStature: true,
      fovToleranceRel: 0.02,
    });
  });

  it('keeps every region field given', () => {
    const region = {
      orientation: 'ax',
      orientationToleranceDeg: 10,
      obliqueMinDeg: 20,
      centreMm: [0, 30, 40],
      centreToleranceMm: [5, 5, 10],
      relativeTo: 't1_mprage_sag',
      scaleWithStature: false,
      coverageMinMm: 100,
      fovToleranceRel: 0.05,
    };
    const protocol = loadProtocol(edited((j) => (j.series[1]!['region'] = region)));
    expect(protocol.series[1]!.region).toEqual(region);
  });

  it('merges defaultQuality under each series quality, per metric, with severity fail', () => {
    const protocol = loadProtocol(
      edited((j) => {
        j['defaultQuality'] = { snr: { min: 10 }, efc: { max: 0.6, severity: 'warn' } };
        j.series[4]!['quality'] = { snr: { min: 20, max: 500 }, cnr: { min: 3 } };
      }),
    );
    expect(protocol.defaultQuality).toEqual({
      snr: { min: 10, severity: 'fail' },
      efc: { max: 0.6, severity: 'warn' },
    });
    expect(protocol.series[4]!.quality).toEqual({
      snr: { min: 20, max: 500, severity: 'fail' },
      cnr: { min: 3, severity: 'fail' },
      efc: { max: 0.6, severity: 'warn' },
    });
    expect(protocol.series[0]!.quality).toEqual(protocol.defaultQuality);
    // Merged thresholds load back unchanged.
    expect(loadProtocol(JSON.parse(JSON.stringify(protocol)))).toEqual(protocol);
  });

  it('fills a partial normative policy and protocol region', () => {
    const protocol = loadProtocol(
      edited((j) => {
        j['normative'] = { robustZ: 3 };
        j['region'] = {};
      }),
    );
    expect(protocol.normative).toEqual({ ...DEFAULT_NORMATIVE, robustZ: 3 });
    expect(protocol.region.referenceStatureM).toBe(1.75);
  });
});

describe('validation of the new fields', () => {
  const cases: readonly [string, (j: ProtocolJson) => void, RegExp][] = [
    [
      'an invalid match pattern',
      (j) => (j.series[0]!['match'] = [{ seriesDescription: 't1_(mprage' }]),
      /^series\[0\]\.match\[0\]\.seriesDescription: expected a regular expression, got "t1_\(mprage"/,
    ],
    [
      'an invalid protocolName pattern in a later rule',
      (j) => (j.series[1]!['match'] = [{ protocolName: 'ok' }, { protocolName: '[z-a]' }]),
      /^series\[1\]\.match\[1\]\.protocolName: expected a regular expression/,
    ],
    [
      'an empty rule list',
      (j) => (j.series[0]!['match'] = []),
      /^series\[0\]\.match: expected at least one match rule$/,
    ],
    [
      'an empty rule',
      (j) => (j.series[0]!['match'] = [{}]),
      /^series\[0\]\.match\[0\]: expected at least one of seriesDescription, protocolName, scanningSequence, mrAcquisitionType/,
    ],
    [
      'an unknown rule field',
      (j) => (j.series[0]!['match'] = [{ seriesDescrption: 'x' }]),
      /^series\[0\]\.match\[0\]\.seriesDescrption: unknown field/,
    ],
    [
      'a bad scanningSequence in a rule',
      (j) => (j.series[0]!['match'] = [{ scanningSequence: ['gr'] }]),
      /^series\[0\]\.match\[0\]\.scanningSequence\[0\]: expected a DICOM code string/,
    ],
    [
      'a bad mrAcquisitionType in a rule',
      (j) => (j.series[0]!['match'] = [{ mrAcquisitionType: '4D' }]),
      /^series\[0\]\.match\[0\]\.mrAcquisitionType: expected one of "2D", "3D", got "4D"$/,
    ],
    [
      'match that is not an array',
      (j) => (j.series[0]!['match'] = { seriesDescription: 'x' }),
      /^series\[0\]\.match: expected an array of match rules, got an object$/,
    ],
    [
      'a bad region orientation',
      (j) => (j.series[3]!['region'] = { orientation: 'oblique' }),
      /^series\[3\]\.region\.orientation: expected one of "ax", "sag", "cor", "sax", got "oblique"$/,
    ],
    [
      'an orientation tolerance over 90°',
      (j) => (j.series[3]!['region'] = { orientationToleranceDeg: 120 }),
      /^series\[3\]\.region\.orientationToleranceDeg: expected an angle in \(0, 90\] degrees, got 120$/,
    ],
    [
      'an impossible oblique minimum',
      (j) => (j.series[4]!['region'] = { obliqueMinDeg: 60 }),
      /^series\[4\]\.region\.obliqueMinDeg: expected an angle in \(0, 54\] degrees, got 60$/,
    ],
    [
      'a centre of two numbers',
      (j) => (j.series[3]!['region'] = { centreMm: [0, 1] }),
      /^series\[3\]\.region\.centreMm: expected \[x, y, z\], three numbers, got an array$/,
    ],
    [
      'a negative centre tolerance',
      (j) => (j.series[3]!['region'] = { centreToleranceMm: [40, -1, 50] }),
      /^series\[3\]\.region\.centreToleranceMm: expected \[x, y, z\], three numbers ≥ 0/,
    ],
    [
      'relativeTo an unknown series',
      (j) => (j.series[3]!['region'] = { relativeTo: 'nope' }),
      /^series\[3\]\.region\.relativeTo: unknown series key "nope" \(known: t1_mprage_sag, /,
    ],
    [
      'relativeTo itself',
      (j) => (j.series[3]!['region'] = { relativeTo: 'dwi_tra_b1000' }),
      /^series\[3\]\.region\.relativeTo: a series cannot be relative to itself$/,
    ],
    [
      'scaleWithStature that is not a boolean',
      (j) => (j.series[3]!['region'] = { scaleWithStature: 'yes' }),
      /^series\[3\]\.region\.scaleWithStature: expected a boolean, got "yes"$/,
    ],
    [
      'a zero coverage',
      (j) => (j.series[3]!['region'] = { coverageMinMm: 0 }),
      /^series\[3\]\.region\.coverageMinMm: expected a number > 0, got 0$/,
    ],
    [
      'a negative FOV tolerance',
      (j) => (j.series[3]!['region'] = { fovToleranceRel: -0.1 }),
      /^series\[3\]\.region\.fovToleranceRel: expected a number ≥ 0, got -0\.1$/,
    ],
    [
      'an unknown region field',
      (j) => (j.series[3]!['region'] = { centerMm: [0, 0, 0] }),
      /^series\[3\]\.region\.centerMm: unknown field/,
    ],
    [
      'an unknown quality metric',
      (j) => (j.series[5]!['quality'] = { psnr: { min: 1 } }),
      /^series\[5\]\.quality\.psnr: unknown field \(known: snr, snrMean, snrDifference, cnr, efc, fber, ghostingRatio, sharpness, snrLocal, gradientRatio, uqi\)$/,
    ],
    [
      'a threshold without bounds',
      (j) => (j['defaultQuality'] = { snr: { severity: 'warn' } }),
      /^defaultQuality\.snr: expected "min" and\/or "max"$/,
    ],
    [
      'a threshold with min > max',
      (j) => (j.series[5]!['quality'] = { uqi: { min: 0.9, max: 0.5 } }),
      /^series\[5\]\.quality\.uqi\.max: expected a number ≥ min \(0\.9\), got 0\.5$/,
    ],
    [
      'a bad severity',
      (j) => (j.series[5]!['quality'] = { snr: { min: 5, severity: 'error' } }),
      /^series\[5\]\.quality\.snr\.severity: expected one of "warn", "fail", got "error"$/,
    ],
    [
      'an unknown normative metric',
      (j) => (j['normative'] = { metrics: ['snr', 'psnr'] }),
      /^normative\.metrics\[1\]: expected one of "snr", .*, got "psnr"$/,
    ],
    [
      'a fractional minHistory',
      (j) => (j['normative'] = { minHistory: 2.5 }),
      /^normative\.minHistory: expected an integer, got 2\.5$/,
    ],
    [
      'a non-positive robustZ',
      (j) => (j['normative'] = { robustZ: 0 }),
      /^normative\.robustZ: expected a number > 0, got 0$/,
    ],
    [
      'a reference stature in centimetres',
      (j) => (j['region'] = { referenceStatureM: 175 }),
      /^region\.referenceStatureM: expected a stature in metres \(0\.5–2\.5\), got 175$/,
    ],
    [
      'an unknown protocol region field',
      (j) => (j['region'] = { referenceHeightM: 1.7 }),
      /^region\.referenceHeightM: unknown field \(known: referenceStatureM\)$/,
    ],
    [
      'sites that are not an object',
      (j) => (j['sites'] = ['BER']),
      /^sites: expected an object, got an array$/,
    ],
    [
      'a site identifier with a dot',
      (j) => (j['sites'] = { 'B.ER': {} }),
      /^sites\.B\.ER: expected a site identifier matching/,
    ],
    [
      'an unknown site field',
      (j) => (j['sites'] = { BER: { scaner: {} } }),
      /^sites\.BER\.scaner: unknown field \(known: scanner, series\)$/,
    ],
    [
      'a bad site scanner field',
      (j) => (j['sites'] = { BER: { scanner: { magneticFieldStrengthT: -3 } } }),
      /^sites\.BER\.scanner\.magneticFieldStrengthT: expected a number > 0, got -3$/,
    ],
    [
      'an unknown series key in a site',
      (j) => (j['sites'] = { BER: { series: { t1_mprage: { required: false } } } }),
      /^sites\.BER\.series\.t1_mprage: unknown series key \(known: t1_mprage_sag, /,
    ],
    [
      'a bad site parameter',
      (j) => (j['sites'] = { BER: { series: { swi_tra: { parameters: { echoTimeMs: '20' } } } } }),
      /^sites\.BER\.series\.swi_tra\.parameters\.echoTimeMs: expected a number, got "20"$/,
    ],
    [
      'an unknown site parameter',
      (j) => (j['sites'] = { BER: { series: { swi_tra: { parameters: { echoTimeMS: 20 } } } } }),
      /^sites\.BER\.series\.swi_tra\.parameters\.echoTimeMS: unknown field/,
    ],
    [
      'a site adding IR without an inversion time',
      (j) =>
        (j['sites'] = {
          BER: { series: { swi_tra: { parameters: { scanningSequence: ['GR', 'IR'] } } } },
        }),
      /^sites\.BER\.series\.swi_tra\.parameters\.inversionTimeMs: required when scanningSequence contains "IR"$/,
    ],
    [
      'a bad site tolerance',
      (j) => (j['sites'] = { BER: { series: { swi_tra: { tolerances: { echoTimeMs: {} } } } } }),
      /^sites\.BER\.series\.swi_tra\.tolerances\.echoTimeMs: expected "abs" and\/or "rel"$/,
    ],
    [
      'a bad site quality threshold',
      (j) => (j['sites'] = { BER: { series: { swi_tra: { quality: { snr: { min: 'x' } } } } } }),
      /^sites\.BER\.series\.swi_tra\.quality\.snr\.min: expected a number, got "x"$/,
    ],
    [
      'a bad site region',
      (j) => (j['sites'] = { BER: { series: { swi_tra: { region: { relativeTo: 'x y' } } } } }),
      /^sites\.BER\.series\.swi_tra\.region\.relativeTo: expected a string matching/,
    ],
    [
      'a site region relative to an unknown series',
      (j) => (j['sites'] = { BER: { series: { swi_tra: { region: { relativeTo: 'nope' } } } } }),
      /^sites\.BER\.series\.swi_tra\.region\.relativeTo: unknown series key "nope"/,
    ],
    [
      'a site required that is not a boolean',
      (j) => (j['sites'] = { BER: { series: { swi_tra: { required: 0 } } } }),
      /^sites\.BER\.series\.swi_tra\.required: expected a boolean, got 0$/,
    ],
    [
      'a site parameter without any tolerance',
      (j) => {
        delete (j['defaultTolerances'] as Json)['echoTrainLength'];
        for (const s of j.series) delete (s['parameters'] as Json)['echoTrainLength'];
        j['sites'] = { BER: { series: { swi_tra: { parameters: { echoTrainLength: 1 } } } } };
      },
      /^sites\.BER\.series\.swi_tra\.tolerances\.echoTrainLength: missing, and neither the series nor defaultTolerances has one$/,
    ],
  ];

  it.each(cases)('rejects %s, naming its path', (_, edit, message) => {
    expectInvalid(edited(edit), message);
  });
});

describe('readProtocolFile with YAML', () => {
  it('reads a YAML rendering of the shipped protocol to the same protocol', async () => {
    for (const name of ['nako.protocol.yaml', 'nako.protocol.YML']) {
      const path = join(dir, name);
      await writeFile(path, toYaml(shipped));
      expect(await readProtocolFile(path)).toEqual(await readProtocolFile());
    }
  });

  it('reads hand-written YAML with comments', async () => {
    const path = join(dir, 'one-series.yaml');
    const json = structuredClone(shipped);
    json.series = [json.series[0]!];
    const text = `# one series only\n${toYaml(json)}`;
    await writeFile(path, text);
    const protocol = await readProtocolFile(path);
    expect(protocol.series.map((s) => s.key)).toEqual(['t1_mprage_sag']);
  });

  it('reports a YAML syntax error as ERR_PROTOCOL_INVALID with line and column', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'schemaVersion: 2\nname: [nako\nseries: []\n');
    const error = await readProtocolFile(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_PROTOCOL_INVALID' });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not YAML at line \\d+, column \\d+: `,
      ),
    );
  });

  it('prefixes the file path to validation errors of a YAML file', async () => {
    const path = join(dir, 'invalid.yml');
    const json = structuredClone(shipped);
    json['schemaVersion'] = 'two';
    await writeFile(path, toYaml(json));
    await expect(readProtocolFile(path)).rejects.toThrow(
      `${path}: schemaVersion: expected 1 or 2, got "two"`,
    );
  });

  it('still reads JSON whatever else the file is called', async () => {
    const path = join(dir, 'protocol.txt');
    await writeFile(path, JSON.stringify(shipped));
    expect((await readProtocolFile(path)).series).toHaveLength(12);
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PROTOCOL_URL,
  NUMERIC_PARAMETERS,
  PROTOCOL_MODULES,
  isWithinTolerance,
  loadProtocol,
  readProtocolFile,
} from './index.js';

let shipped: Record<string, unknown>;
let dir: string;

beforeAll(async () => {
  shipped = JSON.parse(await readFile(DEFAULT_PROTOCOL_URL, 'utf8')) as Record<string, unknown>;
  dir = await mkdtemp(join(tmpdir(), 'medscale-protocol-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
type ProtocolJson = Json & { series: Json[] };

/** A deep copy of the shipped protocol JSON with `edit` applied. */
function edited(edit: (json: ProtocolJson) => void): unknown {
  const json = structuredClone(shipped) as ProtocolJson;
  edit(json);
  return json;
}

/** The `parameters` object of series `i`. */
const params = (json: ProtocolJson, i: number): Json => json.series[i]!['parameters'] as Json;

function expectInvalid(json: unknown, message: RegExp): void {
  expect(() => loadProtocol(json)).toThrow(message);
  try {
    loadProtocol(json);
  } catch (error) {
    expect((error as { code?: string }).code).toBe('ERR_PROTOCOL_INVALID');
  }
}

describe('the shipped NAKO-like protocol', () => {
  it('loads, with 12 series over the four modules', async () => {
    const protocol = await readProtocolFile();
    expect(protocol.name).toBe('nako-like-3t');
    expect(protocol.protocolVersion).toBe('1.0.0');
    expect(protocol.series).toHaveLength(12);
    expect(new Set(protocol.series.map((s) => s.module))).toEqual(new Set(PROTOCOL_MODULES));
    expect(protocol.scanner.magneticFieldStrengthT).toBe(3);
  });

  it('gives every numeric parameter of every series a resolved tolerance', async () => {
    const protocol = await readProtocolFile();
    for (const series of protocol.series) {
      for (const name of NUMERIC_PARAMETERS) {
        if (series.parameters[name] === undefined) continue;
        expect(series.tolerances[name], `${series.key}.${name}`).toBeDefined();
      }
    }
  });

  it('has an inversion time exactly where the sequence has an inversion', async () => {
    const protocol = await readProtocolFile();
    for (const s of protocol.series) {
      expect(s.parameters.inversionTimeMs !== undefined, s.key).toBe(
        s.parameters.scanningSequence.includes('IR'),
      );
    }
  });
});

describe('loadProtocol', () => {
  it('names the path of a field of the wrong type', () => {
    expectInvalid(
      edited((j) => {
        params(j, 3)['echoTimeMs'] = '92';
      }),
      /^series\[3\]\.parameters\.echoTimeMs: expected a number, got "92"$/,
    );
  });

  it('names a missing field', () => {
    expectInvalid(
      edited((j) => {
        delete params(j, 0)['rows'];
      }),
      /^series\[0\]\.parameters\.rows: expected a number, got nothing$/,
    );
  });

  it('rejects unknown fields, so that a misspelt parameter cannot pass unchecked', () => {
    expectInvalid(
      edited((j) => {
        params(j, 1)['echoTimeMS'] = 3;
      }),
      /^series\[1\]\.parameters\.echoTimeMS: unknown field/,
    );
  });

  it('ignores $-annotations', () => {
    const json = edited((j) => {
      j['$comment'] = 'a note';
      j.series[0]!['$note'] = { any: 'thing' };
    });
    expect(loadProtocol(json).series).toHaveLength(12);
  });

  it('rejects values outside an enumeration, listing the allowed ones', () => {
    expectInvalid(
      edited((j) => {
        j.series[2]!['orientation'] = 'axial';
      }),
      /^series\[2\]\.orientation: expected one of "ax", "sag", "cor", "sax", got "axial"$/,
    );
  });

  it('rejects duplicate keys and series numbers', () => {
    expectInvalid(
      edited((j) => {
        j.series[4]!['key'] = j.series[0]!['key'];
      }),
      /^series\[4\]\.key: duplicate "t1_mprage_sag" \(also series\[0\]\)$/,
    );
    expectInvalid(
      edited((j) => {
        j.series[5]!['seriesNumber'] = 2;
      }),
      /^series\[5\]\.seriesNumber: duplicate 2 \(also series\[0\]\)$/,
    );
  });

  it('requires an inversion time for inversion-recovery sequences', () => {
    expectInvalid(
      edited((j) => {
        delete params(j, 0)['inversionTimeMs'];
      }),
      /^series\[0\]\.parameters\.inversionTimeMs: required when scanningSequence contains "IR"$/,
    );
  });

  it('rejects malformed pixel spacing, code strings and tolerances', () => {
    expectInvalid(
      edited((j) => {
        params(j, 0)['pixelSpacingMm'] = [1];
      }),
      /^series\[0\]\.parameters\.pixelSpacingMm: expected \[row, column\] spacing/,
    );
    expectInvalid(
      edited((j) => {
        params(j, 0)['sequenceVariant'] = ['SK', 'sp'];
      }),
      /^series\[0\]\.parameters\.sequenceVariant\[1\]: expected a DICOM code string/,
    );
    expectInvalid(
      edited((j) => {
        j.series[6]!['tolerances'] = { flipAngleDeg: { abs: -1 } };
      }),
      /^series\[6\]\.tolerances\.flipAngleDeg\.abs: expected a number ≥ 0, got -1$/,
    );
  });

  it('requires a tolerance for every numeric parameter', () => {
    expectInvalid(
      edited((j) => {
        delete (j['defaultTolerances'] as Record<string, unknown>)['flipAngleDeg'];
      }),
      /^series\[0\]\.tolerances\.flipAngleDeg: missing, and defaultTolerances has none$/,
    );
  });

  it('rejects an unknown schema version and a non-object root', () => {
    expectInvalid(
      edited((j) => {
        j['schemaVersion'] = 3;
      }),
      /^schemaVersion: expected 1 or 2, got 3$/,
    );
    expectInvalid([], /^\(root\): expected an object, got an array$/);
  });

  it('lets series tolerances override the defaults', () => {
    const protocol = loadProtocol(
      edited((j) => {
        j.series[0]!['tolerances'] = { echoTimeMs: { abs: 0.5 } };
      }),
    );
    expect(protocol.series[0]?.tolerances.echoTimeMs).toEqual({ abs: 0.5 });
    expect(protocol.series[1]?.tolerances.echoTimeMs).toEqual({ rel: 0.02 });
  });
});

describe('readProtocolFile', () => {
  it('prefixes the file path to validation errors', async () => {
    const path = join(dir, 'bad.protocol.json');
    await writeFile(path, JSON.stringify(edited((j) => (params(j, 3)['flipAngleDeg'] = null))));
    await expect(readProtocolFile(path)).rejects.toThrow(
      `${path}: series[3].parameters.flipAngleDeg: expected a number, got null`,
    );
  });

  it('reports a file that is not JSON as ERR_PROTOCOL_INVALID and a missing one as ERR_IO', async () => {
    const path = join(dir, 'not-json.json');
    await writeFile(path, '{ "schemaVersion": 1,');
    await expect(readProtocolFile(path)).rejects.toMatchObject({ code: 'ERR_PROTOCOL_INVALID' });
    await expect(readProtocolFile(join(dir, 'absent.json'))).rejects.toMatchObject({
      code: 'ERR_IO',
    });
  });
});

describe('isWithinTolerance', () => {
  it('applies |actual − expected| ≤ abs + rel·|expected|', () => {
    expect(isWithinTolerance(2322, 2300, { rel: 0.01 })).toBe(true);
    expect(isWithinTolerance(2324, 2300, { rel: 0.01 })).toBe(false);
    expect(isWithinTolerance(10, 9, { abs: 1 })).toBe(true);
    expect(isWithinTolerance(256, 256, { abs: 0 })).toBe(true);
    expect(isWithinTolerance(255, 256, {})).toBe(false);
    expect(isWithinTolerance(3.0, 2.98, { abs: 0.01, rel: 0.01 })).toBe(true);
  });
});

import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROTOCOL_URL, loadProtocol, protocolForSite } from './index.js';
import type { Protocol } from './index.js';

type Json = Record<string, unknown>;

let shipped: Json;

beforeAll(async () => {
  shipped = JSON.parse(await readFile(DEFAULT_PROTOCOL_URL, 'utf8')) as Json;
});

function withSites(sites: Json, extra: Json = {}): Protocol {
  return loadProtocol({ ...structuredClone(shipped), ...extra, sites });
}

const byKey = (p: Protocol, key: string) => p.series.find((s) => s.key === key)!;

describe('protocolForSite', () => {
  it('returns the same object without a site or without overrides for it', () => {
    const protocol = withSites({ BER: { scanner: { manufacturerModelName: 'MAGNETOM Prisma' } } });
    expect(protocolForSite(protocol, undefined)).toBe(protocol);
    expect(protocolForSite(protocol, 'AUG')).toBe(protocol);
    expect(protocolForSite(protocol, 'toString')).toBe(protocol);
  });

  it('merges scanner fields and empties sites', () => {
    const protocol = withSites({ BER: { scanner: { manufacturerModelName: 'MAGNETOM Prisma' } } });
    const ber = protocolForSite(protocol, 'BER');
    expect(ber.scanner).toEqual({
      manufacturer: 'SIEMENS',
      manufacturerModelName: 'MAGNETOM Prisma',
      magneticFieldStrengthT: 3,
    });
    expect(ber.sites).toEqual({});
    expect(ber.series).toEqual(protocol.series);
    expect(protocol.scanner.manufacturerModelName).toBe('MAGNETOM Skyra');
  });

  it('merges series parameters, tolerances, quality, region and required', () => {
    const protocol = withSites(
      {
        BER: {
          series: {
            swi_tra: {
              parameters: { echoTimeMs: 22.5, slices: 52 },
              tolerances: { echoTimeMs: { abs: 0.5 } },
              quality: { snr: { min: 12, severity: 'warn' } },
              region: { centreToleranceMm: [30, 30, 30], relativeTo: 't1_mprage_sag' },
              required: false,
            },
          },
        },
      },
      { defaultQuality: { snr: { min: 8 }, efc: { max: 0.7 } } },
    );
    const base = byKey(protocol, 'swi_tra');
    const swi = byKey(protocolForSite(protocol, 'BER'), 'swi_tra');
    expect(swi.parameters).toEqual({ ...base.parameters, echoTimeMs: 22.5, slices: 52 });
    expect(swi.tolerances).toEqual({ ...base.tolerances, echoTimeMs: { abs: 0.5 } });
    expect(swi.quality).toEqual({
      snr: { min: 12, severity: 'warn' },
      efc: { max: 0.7, severity: 'fail' },
    });
    expect(swi.region).toEqual({
      ...base.region,
      centreToleranceMm: [30, 30, 30],
      relativeTo: 't1_mprage_sag',
    });
    expect(swi.required).toBe(false);
    // Other series are untouched, by identity.
    expect(byKey(protocolForSite(protocol, 'BER'), 'dwi_tra_b1000')).toBe(
      byKey(protocol, 'dwi_tra_b1000'),
    );
  });

  it('gives a parameter a site adds the default tolerance', () => {
    const protocol = withSites({
      BER: { series: { dwi_tra_b1000: { parameters: { echoTrainLength: 64 } } } },
    });
    const base = byKey(protocol, 'dwi_tra_b1000');
    expect(base.parameters.echoTrainLength).not.toBe(64);
    const dwi = byKey(protocolForSite(protocol, 'BER'), 'dwi_tra_b1000');
    expect(dwi.parameters.echoTrainLength).toBe(64);
    expect(dwi.tolerances.echoTrainLength).toEqual({ abs: 0 });
  });

  it('drops the inversion time when a site replaces an IR sequence by one without IR', () => {
    const protocol = withSites({
      MAN: {
        series: {
          t1_mprage_sag: {
            parameters: { scanningSequence: ['GR'], sequenceVariant: ['SK', 'SP'] },
          },
        },
      },
    });
    const t1 = byKey(protocolForSite(protocol, 'MAN'), 't1_mprage_sag');
    expect(t1.parameters.scanningSequence).toEqual(['GR']);
    expect(t1.parameters.inversionTimeMs).toBeUndefined();
    expect(t1.tolerances.inversionTimeMs).toBeUndefined();
  });

  it('keeps site overrides through a JSON round trip', () => {
    const protocol = withSites({
      BER: {
        scanner: { magneticFieldStrengthT: 1.5 },
        series: { cine_sax: { quality: { cnr: { min: 4 } }, region: { obliqueMinDeg: 10 } } },
      },
    });
    const again = loadProtocol(JSON.parse(JSON.stringify(protocol)));
    expect(again).toEqual(protocol);
    expect(protocolForSite(again, 'BER')).toEqual(protocolForSite(protocol, 'BER'));
  });
});

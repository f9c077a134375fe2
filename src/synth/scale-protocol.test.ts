import { describe, expect, it } from 'vitest';
import { loadProtocol, readProtocolFile } from '../protocol/index.js';
import type { Protocol } from '../protocol/index.js';
import { scaleProtocol } from './index.js';

describe('scaleProtocol', () => {
  it('shrinks series to at most 64² pixels and 8 slices over the same field of view and slab', async () => {
    const full = await readProtocolFile();
    const small: Protocol = scaleProtocol(full, 'small');
    expect(small.protocolVersion).toBe('1.0.0+small');
    small.series.forEach((s, i) => {
      const f = full.series[i]!.parameters;
      const p = s.parameters;
      expect(Math.max(p.rows, p.columns)).toBeLessThanOrEqual(64);
      expect(p.slices).toBeLessThanOrEqual(8);
      expect(p.rows * p.pixelSpacingMm[0]).toBeCloseTo(f.rows * f.pixelSpacingMm[0], 3);
      expect(p.columns * p.pixelSpacingMm[1]).toBeCloseTo(f.columns * f.pixelSpacingMm[1], 3);
      expect(p.slices * p.spacingBetweenSlicesMm).toBeCloseTo(
        f.slices * f.spacingBetweenSlicesMm,
        3,
      );
      expect([p.repetitionTimeMs, p.echoTimeMs, p.flipAngleDeg]).toEqual([
        f.repetitionTimeMs,
        f.echoTimeMs,
        f.flipAngleDeg,
      ]);
    });
    expect(scaleProtocol(full, 'full')).toBe(full);
  });

  it('gives a protocol that loadProtocol accepts again (as written to protocol.json)', async () => {
    const small = scaleProtocol(await readProtocolFile(), 'small');
    expect(loadProtocol(JSON.parse(JSON.stringify(small)))).toEqual(small);
  });
});

import { describe, expect, it } from 'vitest';
import { binaryMetrics, hausdorff95, meanSd, percentile, structureMetrics } from './metrics.js';

function square(w: number, h: number, x0: number, y0: number, s: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = y0; y < y0 + s; y++) for (let x = x0; x < x0 + s; x++) m[y * w + x] = 1;
  return m;
}

function disc(w: number, h: number, cx: number, cy: number, r: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) m[y * w + x] = 1;
  return m;
}

describe('binaryMetrics on analytic shapes', () => {
  it('squares offset by d pixels: Dice (s − d)/s, IoU (s − d)/(s + d), HD95 d·spacing exactly', () => {
    const w = 96;
    for (const d of [1, 3, 8]) {
      const s = 40;
      const a = square(w, w, 20, 20, s);
      const b = square(w, w, 20 + d, 20, s);
      const m = binaryMetrics(a, b, w, w, [0.1, 0.1]);
      expect(m.dice).toBeCloseTo((s - d) / s, 12);
      expect(m.f1).toBeCloseTo(m.dice, 12);
      expect(m.iou).toBeCloseTo((s - d) / (s + d), 12);
      expect(m.precision).toBeCloseTo((s - d) / s, 12);
      expect(m.recall).toBeCloseTo((s - d) / s, 12);
      expect(m.hd95Mm).toBeCloseTo(d * 0.1, 12);
    }
  });

  it('anisotropic spacing scales a vertical offset by the row spacing', () => {
    const a = square(64, 64, 10, 10, 30);
    const b = square(64, 64, 10, 15, 30);
    expect(hausdorff95(a, b, 64, 64, [0.2, 0.05])).toBeCloseTo(1.0, 12);
    expect(hausdorff95(a, b, 64, 64, [0.05, 0.2])).toBeCloseTo(0.25, 12);
  });

  it('discs offset by d: Dice and IoU follow the lens area, HD95 the analytic boundary distances', () => {
    const w = 256;
    const r = 60;
    const d = 10;
    const a = disc(w, w, 128, 128, r);
    const b = disc(w, w, 128 + d, 128, r);
    const m = binaryMetrics(a, b, w, w, [1, 1]);
    const lens = 2 * r * r * Math.acos(d / (2 * r)) - (d / 2) * Math.sqrt(4 * r * r - d * d);
    expect(m.dice).toBeCloseTo(lens / (Math.PI * r * r), 2);
    expect(m.iou).toBeCloseTo(lens / (2 * Math.PI * r * r - lens), 2);
    // Distance of the point at angle θ on one circle to the other circle: |√(r² + d² − 2rd·cosθ) − r|.
    const n = 100_000;
    const dist = Array.from({ length: n }, (_, i) => {
      const t = (2 * Math.PI * (i + 0.5)) / n;
      return Math.abs(Math.sqrt(r * r + d * d - 2 * r * d * Math.cos(t)) - r);
    });
    const expected = percentile(dist, 95);
    expect(Math.abs((m.hd95Mm ?? Number.NaN) - expected)).toBeLessThan(1);
  });

  it('concentric discs: HD95 is the radius difference', () => {
    const a = disc(200, 200, 100, 100, 50);
    const b = disc(200, 200, 100, 100, 40);
    const m = binaryMetrics(a, b, 200, 200, [0.5, 0.5]);
    expect(m.hd95Mm).toBeGreaterThan(4.5);
    expect(m.hd95Mm).toBeLessThan(5.5);
    expect(m.dice).toBeCloseTo((2 * 40 * 40) / (50 * 50 + 40 * 40), 2);
  });

  it('identical masks score 1 and 0 mm; empty against non-empty has no HD95', () => {
    const a = disc(50, 50, 25, 25, 10);
    const same = binaryMetrics(a, a, 50, 50, [1, 1]);
    expect([same.dice, same.iou, same.precision, same.recall, same.hd95Mm]).toEqual([
      1, 1, 1, 1, 0,
    ]);
    const empty = binaryMetrics(new Uint8Array(2500), a, 50, 50, [1, 1]);
    expect(empty.dice).toBe(0);
    expect(empty.recall).toBe(0);
    expect(empty.hd95Mm).toBeNull();
    const none = binaryMetrics(new Uint8Array(2500), new Uint8Array(2500), 50, 50, [1, 1]);
    expect(none.dice).toBe(1);
    expect(none.hd95Mm).toBe(0);
    expect(() => binaryMetrics(a, new Uint8Array(3), 50, 50, [1, 1])).toThrow(/2500|50×50/);
  });
});

describe('structureMetrics and meanSd', () => {
  it('scores lumen (1) and wall (2) separately', () => {
    const truth = new Uint8Array([0, 1, 1, 2, 2, 0]);
    const pred = new Uint8Array([0, 1, 2, 2, 2, 0]);
    const m = structureMetrics(pred, truth, 6, 1, [1, 1]);
    expect(m.lumen.recall).toBeCloseTo(0.5, 12);
    expect(m.lumen.precision).toBe(1);
    expect(m.wall.precision).toBeCloseTo(2 / 3, 12);
    expect(m.wall.recall).toBe(1);
  });

  it('gives mean and sample SD, skipping nulls', () => {
    const s = meanSd([1, 2, 3, null, Number.NaN]);
    expect(s.mean).toBe(2);
    expect(s.sd).toBe(1);
    expect(s.n).toBe(3);
    expect(meanSd([]).n).toBe(0);
  });
});

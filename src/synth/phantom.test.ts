import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../core/index.js';
import { buildBodyModel, packPrimitives, PRIMITIVE_STRIDE } from './body-model.js';
import type { Primitive } from './body-model.js';
import { gaussianTable } from './kernels/gaussian-table.js';
import { rasterizeSlice } from './kernels/rasterize-slice.js';
import { renderRician } from './kernels/render-rician.js';
import { createRandom, seedWords } from './random.js';
import { LABEL, TISSUES } from './tissues.js';

/** Labels of an n × n axial (or given-direction) slice of unit-spaced pixels centred on `centre`. */
function slice(
  primitives: readonly Primitive[],
  centre: Vec3,
  n: number,
  row: Vec3 = [1, 0, 0],
  col: Vec3 = [0, 1, 0],
): Uint8Array {
  const packed = packPrimitives(primitives);
  const labels = new Uint8Array(n * n);
  const half = (n - 1) / 2;
  const normal: Vec3 = [
    row[1] * col[2] - row[2] * col[1],
    row[2] * col[0] - row[0] * col[2],
    row[0] * col[1] - row[1] * col[0],
  ];
  rasterizeSlice(
    packed,
    {
      origin: Float64Array.from([0, 1, 2], (a) => centre[a]! - half * row[a]! - half * col[a]!),
      rowStep: Float64Array.from(row),
      columnStep: Float64Array.from(col),
      normal: Float64Array.from(normal),
      rows: n,
      columns: n,
    },
    labels,
    new Float64Array((packed.length / PRIMITIVE_STRIDE) * 10),
  );
  return labels;
}

const count = (labels: Uint8Array, label: number): number =>
  labels.reduce((n, l) => n + (l === label ? 1 : 0), 0);

describe('rasterizeSlice', () => {
  it('fills a disc of area πr² where a plane cuts a sphere through its centre', () => {
    const labels = slice(
      [{ shape: 'ellipsoid', tissue: 'liver', centre: [0.3, -0.2, 5], radii: [40, 40, 40] }],
      [0, 0, 5],
      101,
    );
    expect(count(labels, LABEL.liver) / (Math.PI * 40 * 40)).toBeCloseTo(1, 2);
  });

  it('fills an ellipse of area π·a·b·(1 − d²/c²) off the centre', () => {
    const labels = slice(
      [{ shape: 'ellipsoid', tissue: 'fat', centre: [0, 0, 0], radii: [45, 30, 20] }],
      [0, 0, 10],
      121,
    );
    expect(count(labels, LABEL.fat) / (Math.PI * 45 * 30 * 0.75)).toBeCloseTo(1, 1);
  });

  it('cuts a cylinder across its axis as a disc and along it as a rectangle', () => {
    const rod: Primitive = {
      shape: 'cylinder',
      tissue: 'bone',
      centre: [0, 0, 0],
      radii: [10, 10, 30],
    };
    expect(count(slice([rod], [0, 0, 12], 61), LABEL.bone) / (Math.PI * 100)).toBeCloseTo(1, 1);
    // Coronal plane through the axis: 2r × 2·halfLength = 20 × 60 (±1 pixel per edge).
    const along = count(slice([rod], [0, 0, 0], 81, [1, 0, 0], [0, 0, -1]), LABEL.bone);
    expect(along).toBeGreaterThanOrEqual(19 * 59);
    expect(along).toBeLessThanOrEqual(21 * 61);
    expect(count(slice([rod], [0, 0, 31], 61), LABEL.bone)).toBe(0);
  });

  it('paints later solids over earlier ones', () => {
    const labels = slice(
      [
        { shape: 'ellipsoid', tissue: 'fat', centre: [0, 0, 0], radii: [20, 20, 20] },
        { shape: 'ellipsoid', tissue: 'muscle', centre: [0, 0, 0], radii: [10, 10, 10] },
      ],
      [0, 0, 0],
      41,
    );
    expect(labels[20 * 41 + 20]).toBe(LABEL.muscle);
    expect(labels[20 * 41 + 5]).toBe(LABEL.fat);
    expect(labels[0]).toBe(LABEL.air);
  });

  it('handles rotated solids: an oblique segment cut across its axis is a disc', () => {
    const w: Vec3 = [1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)];
    const u: Vec3 = [1 / Math.sqrt(2), -1 / Math.sqrt(2), 0];
    const v: Vec3 = [
      w[1] * u[2] - w[2] * u[1],
      w[2] * u[0] - w[0] * u[2],
      w[0] * u[1] - w[1] * u[0],
    ];
    const labels = slice(
      [
        {
          shape: 'cylinder',
          tissue: 'blood',
          centre: [5, 5, 5],
          radii: [12, 12, 50],
          axes: [u, v, w],
        },
      ],
      [5, 5, 5],
      61,
      u,
      v,
    );
    expect(count(labels, LABEL.blood) / (Math.PI * 144)).toBeCloseTo(1, 1);
  });
});

describe('renderRician', () => {
  const n = 200_000;
  const render = (signal: number, sigma: number): Float64Array => {
    const out = new Uint16Array(n);
    renderRician(
      new Uint8Array(n),
      n,
      Float64Array.of(signal),
      sigma,
      Uint32Array.from(seedWords('noise', signal)),
      gaussianTable(),
      out,
    );
    return Float64Array.from(out);
  };
  const mean = (x: Float64Array): number => x.reduce((s, v) => s + v, 0) / x.length;
  const sd = (x: Float64Array): number => {
    const m = mean(x);
    return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
  };

  it('gives Rayleigh noise in air: mean σ·√(π/2), SD σ·√(2 − π/2)', () => {
    const x = render(0, 40);
    expect(mean(x) / (40 * Math.sqrt(Math.PI / 2))).toBeCloseTo(1, 2);
    expect(sd(x) / (40 * Math.sqrt(2 - Math.PI / 2))).toBeCloseTo(1, 1);
  });

  it('is nearly Gaussian at high SNR: mean √(s² + σ²), SD σ', () => {
    const x = render(2000, 40);
    expect(mean(x)).toBeCloseTo(Math.sqrt(2000 ** 2 + 40 ** 2), -1);
    expect(sd(x) / 40).toBeCloseTo(1, 1);
  });

  it('clips to 12 bits', () => {
    expect(render(4090, 100).reduce((m, v) => Math.max(m, v), 0)).toBe(4095);
  });
});

describe('gaussianTable', () => {
  it('has mean 0 and variance 1', () => {
    const t = gaussianTable();
    expect(t.reduce((s, v) => s + v, 0) / t.length).toBeCloseTo(0, 10);
    expect(t.reduce((s, v) => s + v * v, 0) / t.length).toBeCloseTo(1, 10);
  });
});

describe('buildBodyModel', () => {
  /** The label the phantom gives to one point. */
  const labelAt = (primitives: readonly Primitive[], point: Vec3): string =>
    TISSUES[slice(primitives, point, 1)[0]!]!;

  it.each([
    [1.55, 50],
    [1.75, 75],
    [1.95, 130],
  ])('puts the right tissue at each landmark (height %s m, weight %s kg)', (heightM, weightKg) => {
    const body = buildBodyModel({ heightM, weightKg }, createRandom('body', heightM));
    const at = (name: keyof typeof body.landmarks): string =>
      labelAt(body.primitives, body.landmarks[name]);
    expect(at('brain')).toBe('white-matter');
    expect(at('liver')).toBe('liver');
    expect(at('heart')).toBe('blood');
    expect(['marrow', 'disc']).toContain(at('lumbar-spine'));
    expect(['marrow', 'cartilage', 'fluid']).toContain(at('knee-right'));
    expect(['muscle', 'fat']).toContain(at('carotid-bifurcation'));
    expect(at('abdomen')).not.toBe('air');
    // The body is surrounded by air.
    const [x, y, z] = body.landmarks.liver;
    expect(labelAt(body.primitives, [x, y - 300, z])).toBe('air');
  });

  it('keeps the left-ventricular axis a unit vector pointing left, anterior and down', () => {
    const { heartLongAxis: u } = buildBodyModel(
      { heightM: 1.7, weightKg: 70 },
      createRandom('heart'),
    );
    expect(Math.hypot(...u)).toBeCloseTo(1, 12);
    expect(u[0]).toBeGreaterThan(0);
    expect(u[1]).toBeLessThan(0);
    expect(u[2]).toBeLessThan(0);
  });
});

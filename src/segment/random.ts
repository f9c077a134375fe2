/**
 * A small seeded pseudo-random generator whose whole state is four 32-bit integers, so training
 * checkpoints can store it and a resumed run draws exactly the numbers an uninterrupted one
 * would. Algorithm: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand).
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** The generator's state, to restore with {@link createRng}. */
  state(): RngState;
}

/** Serializable state of an {@link Rng}. */
export type RngState = readonly [number, number, number, number];

/**
 * Creates a generator from a seed (any integer) or a saved {@link RngState}.
 *
 * @param seed - integer seed, or a state from {@link Rng.state}.
 */
export function createRng(seed: number | RngState): Rng {
  let a: number;
  let b: number;
  let c: number;
  let d: number;
  if (typeof seed === 'number') {
    a = 0x9e3779b9;
    b = 0x243f6a88;
    c = 0xb7e15162;
    d = seed >>> 0;
  } else {
    [a, b, c, d] = seed;
  }
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Warm up so nearby seeds give unrelated streams (as sfc32's reference seeding does).
  if (typeof seed === 'number') for (let i = 0; i < 15; i++) next();
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(next() * n),
    state: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0],
  };
}

/** Shuffles an array in place (Fisher–Yates) with `rng`; returns it. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

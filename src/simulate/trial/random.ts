/** A seeded pseudo-random stream. */
export interface TrialRandom {
  /** Uniform in [0, 1). */
  readonly uniform: () => number;
  /** Standard normal N(0, 1) (Box–Muller). */
  readonly normal: () => number;
}

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): small, fast, and the same sequence on every
 * platform, so a seeded virtual cohort reproduces exactly. `seed` and `stream` are mixed so that
 * each subject of a trial gets its own stream independent of how subjects are split over workers.
 */
export function createTrialRandom(seed: number, stream = 0): TrialRandom {
  let a = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream | 0, 0x85ebca6b) ^ 0x6d2b79f5) >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Warm up: the first outputs of nearby seeds are correlated.
  for (let i = 0; i < 4; i++) uniform();
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = 1 - uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}

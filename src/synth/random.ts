import { createHash } from 'node:crypto';

/**
 * A seeded pseudo-random stream (xoshiro128**, Blackman & Vigna 2018, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 47(4), 2021). Never `Math.random`: the same seed
 * must give byte-identical files.
 */
export interface Random {
  /** The next 32-bit unsigned integer. */
  readonly nextUint32: () => number;
  /** A float uniform in [0, 1), with 32 bits of resolution. */
  readonly next: () => number;
  /** A float uniform in [min, max). */
  readonly uniform: (min: number, max: number) => number;
  /** An integer uniform in [0, n). */
  readonly int: (n: number) => number;
  /** A standard normal deviate (Box–Muller), times `sd`, plus `mean`. */
  readonly normal: (mean?: number, sd?: number) => number;
  /** One element of a non-empty array. */
  readonly pick: <T>(items: readonly T[]) => T;
  /** A shuffled copy (Fisher–Yates). */
  readonly shuffle: <T>(items: readonly T[]) => T[];
}

/**
 * Four 32-bit words derived from `parts` by SHA-256: the state of an independent stream.
 *
 * @remarks
 * Deriving each stream from a name (`seed/participant/visit/series`) instead of drawing it from
 * one global stream makes every file independent of generation order, so generation can be
 * reordered or parallelized without changing a byte.
 */
export function seedWords(
  ...parts: readonly (string | number)[]
): [number, number, number, number] {
  const digest = createHash('sha256').update(parts.join('\u001f')).digest();
  const words: [number, number, number, number] = [
    digest.readUInt32LE(0),
    digest.readUInt32LE(4),
    digest.readUInt32LE(8),
    digest.readUInt32LE(12),
  ];
  // xoshiro's all-zero state is a fixed point; 2^-128 likely, but cheap to exclude.
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  return words;
}

/** A {@link Random} stream seeded from `parts` (see {@link seedWords}). */
export function createRandom(...parts: readonly (string | number)[]): Random {
  let [s0, s1, s2, s3] = seedWords(...parts);
  let spare: number | undefined;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const next = (): number => nextUint32() / 4294967296;
  const normal = (mean = 0, sd = 1): number => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return mean + sd * z;
    }
    // 1 − u keeps the logarithm finite: u is in [0, 1).
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    return mean + sd * r * Math.cos(theta);
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    nextUint32,
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int,
    normal,
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(items.length)];
      if (item === undefined) throw new RangeError('pick from an empty array');
      return item;
    },
    shuffle: <T>(items: readonly T[]): T[] => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const a = out[i] as T;
        out[i] = out[j] as T;
        out[j] = a;
      }
      return out;
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** 10³⁸: UIDs below it would have fewer than 39 decimal digits. */
const MIN_39_DIGITS = 10n ** 38n;

/**
 * A UUID-derived DICOM UID, `2.25.<decimal of 128 bits>` (PS3.5 §B.2), derived from `parts` by
 * SHA-256 with the RFC 9562 version-8 and variant bits set, so the 128-bit value is a valid UUID.
 *
 * @remarks
 * Always exactly 44 characters (39 digits; values below 10³⁸ are re-drawn with a counter, about
 * 3 in 10): within the 64 that VR UI allows, even (no padding byte), and equal for every instance,
 * which lets the instances of a series share one encoded header.
 */
export function deriveUid(...parts: readonly (string | number)[]): string {
  for (let attempt = 0; ; attempt++) {
    const key = attempt === 0 ? ['uid', ...parts] : ['uid', ...parts, `#${attempt}`];
    const bytes = createHash('sha256').update(key.join('\u001f')).digest().subarray(0, 16);
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80; // version 8: custom (RFC 9562 §5.8)
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // variant 10
    const value = BigInt(`0x${bytes.toString('hex')}`);
    if (value >= MIN_39_DIGITS) return `2.25.${value.toString(10)}`;
  }
}

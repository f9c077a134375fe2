import type { PixelFragment } from './scan-dataset.js';

/** The frames of encapsulated pixel data, one buffer per frame, and what was odd on the way. */
export interface EncapsulatedFrames {
  /**
   * One buffer per frame, the frame's fragments joined. When the fragments could not be told
   * apart into `numberOfFrames` frames, one buffer per fragment, with a warning saying so.
   */
  readonly frames: ArrayBuffer[];
  readonly warnings: string[];
}

/** Inputs of {@link groupFragmentsIntoFrames}. */
export interface FragmentGroupingInput {
  /** The bytes the fragment offsets refer to. */
  readonly bytes: Uint8Array;
  /** Offsets from the Basic Offset Table (PS3.5 §A.4 Table A.4-1); empty when it is empty. */
  readonly basicOffsetTable: readonly number[];
  readonly fragments: readonly PixelFragment[];
  /** Number of Frames (0028,0008), 1 when absent. */
  readonly numberOfFrames: number;
  /** Extended Offset Table (7FE0,0001) as numbers, when present (PS3.3 C.7.6.3.1.8). */
  readonly extendedOffsetTable?: readonly number[];
}

// Codestream signatures that open a frame: JPEG and JPEG-LS SOI (ISO/IEC 10918-1 B.1.1.3,
// 14495-1 C.1.1), JPEG 2000 SOC + SIZ (15444-1 A.4.1), and a JP2 signature box (15444-1 I.5.1)
// for the non-conformant writers that wrap the codestream.
const FRAME_STARTS: readonly (readonly number[])[] = [
  [0xff, 0xd8],
  [0xff, 0x4f, 0xff, 0x51],
  [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20],
];

function startsFrame(bytes: Uint8Array, fragment: PixelFragment): boolean {
  return FRAME_STARTS.some(
    (signature) =>
      fragment.length >= signature.length &&
      signature.every((b, i) => bytes[fragment.valueOffset + i] === b),
  );
}

/**
 * Groups fragment indices into frames from frame start offsets measured, as the Basic and
 * Extended Offset Tables measure them, from the first fragment's item tag. Returns `undefined`
 * unless every offset lands on a fragment boundary, in increasing order, starting at 0.
 */
function groupByOffsets(
  fragments: readonly PixelFragment[],
  offsets: readonly number[],
): number[][] | undefined {
  const base = fragments[0]?.itemOffset ?? 0;
  const indexByStart = new Map(fragments.map((f, i) => [f.itemOffset - base, i]));
  const firstIndices: number[] = [];
  for (const offset of offsets) {
    const index = indexByStart.get(offset);
    if (index === undefined) return undefined;
    if (firstIndices.length > 0 && index <= (firstIndices.at(-1) ?? -1)) return undefined;
    firstIndices.push(index);
  }
  if (firstIndices[0] !== 0) return undefined;
  return firstIndices.map((first, k) => {
    const next = firstIndices[k + 1] ?? fragments.length;
    return Array.from({ length: next - first }, (_, i) => first + i);
  });
}

function join(bytes: Uint8Array, parts: readonly PixelFragment[]): ArrayBuffer {
  const total = parts.reduce((sum, f) => sum + f.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const f of parts) {
    out.set(bytes.subarray(f.valueOffset, f.valueOffset + f.length), at);
    at += f.length;
  }
  return out.buffer;
}

/**
 * Splits the fragments of encapsulated pixel data into frames (PS3.5 §A.4): by the Extended
 * Offset Table when present, else by the Basic Offset Table, else one fragment per frame when
 * the counts match, else all fragments for a single frame, else at codestream start markers.
 * An offset table that does not fit the fragments is ignored, with a warning.
 */
export function groupFragmentsIntoFrames(input: FragmentGroupingInput): EncapsulatedFrames {
  const { bytes, fragments, numberOfFrames } = input;
  const warnings: string[] = [];
  if (fragments.length === 0) return { frames: [], warnings };
  let groups: number[][] | undefined;
  const tables: [string, readonly number[] | undefined][] = [
    ['Extended Offset Table (7FE0,0001)', input.extendedOffsetTable],
    ['Basic Offset Table', input.basicOffsetTable],
  ];
  for (const [name, offsets] of tables) {
    if (groups !== undefined || offsets === undefined || offsets.length === 0) continue;
    const grouped =
      offsets.length === numberOfFrames ? groupByOffsets(fragments, offsets) : undefined;
    if (grouped === undefined) {
      warnings.push(
        `${name} has ${offsets.length} offsets that do not match ${numberOfFrames} frame(s) in ` +
          `${fragments.length} fragment(s); ignored`,
      );
    }
    groups = grouped;
  }
  if (groups === undefined) {
    if (fragments.length === numberOfFrames) {
      groups = fragments.map((_, i) => [i]);
    } else if (numberOfFrames === 1) {
      groups = [fragments.map((_, i) => i)];
    } else {
      const byMarker: number[][] = [];
      fragments.forEach((fragment, i) => {
        const current = byMarker.at(-1);
        if (current === undefined || startsFrame(bytes, fragment)) byMarker.push([i]);
        else current.push(i);
      });
      if (byMarker.length === numberOfFrames) {
        groups = byMarker;
      } else {
        warnings.push(
          `cannot split ${fragments.length} fragments into ${numberOfFrames} frames ` +
            '(no usable offset table, codestream markers give ' +
            `${byMarker.length}); kept one entry per fragment`,
        );
        groups = fragments.map((_, i) => [i]);
      }
    }
  }
  const frames = groups.map((group) =>
    join(
      bytes,
      group.map((i) => fragments[i]).filter((f): f is PixelFragment => f !== undefined),
    ),
  );
  return { frames, warnings };
}

import { PlatformError, numbers } from '../../core/index.js';
import type { DicomDataset } from '../part10/dicom-dataset.js';
import type { PaletteLuts } from './kernels/color.js';
import { expandSegmentedLut } from './kernels/color.js';

/** The three palette colour lookup tables of an instance, expanded, with their entry depth. */
export type PaletteColorLut =
  | (PaletteLuts<Uint8Array> & { readonly bits: 8 })
  | (PaletteLuts<Uint16Array> & { readonly bits: 16 });

const CHANNELS = [
  { name: 'Red', descriptor: '00281101', data: '00281201', segmented: '00281221' },
  { name: 'Green', descriptor: '00281102', data: '00281202', segmented: '00281222' },
  { name: 'Blue', descriptor: '00281103', data: '00281203', segmented: '00281223' },
] as const;

function invalid(message: string): PlatformError {
  return new PlatformError('ERR_DICOM_PIXEL_DECODE', message);
}

/** 16-bit words of an OW value, in the byte order of the transfer syntax. */
function words(value: unknown, littleEndian: boolean): Uint16Array | undefined {
  if (value instanceof ArrayBuffer) {
    const view = new DataView(value);
    return Uint16Array.from({ length: value.byteLength >>> 1 }, (_, i) =>
      view.getUint16(i * 2, littleEndian),
    );
  }
  return undefined;
}

function channelTable(
  dataset: DicomDataset,
  channel: (typeof CHANNELS)[number],
  entries: number,
  bits: number,
  littleEndian: boolean,
): number[] | Uint8Array | Uint16Array {
  const data = dataset[channel.data]?.Value;
  const segmented = dataset[channel.segmented]?.Value;
  if (data !== undefined && data.length > 0) {
    const [first] = data;
    if (first instanceof ArrayBuffer) {
      // 8-bit entries are packed one per byte (C.7.6.3.1.6), possibly with a pad byte.
      if (bits === 8 && (first.byteLength === entries || first.byteLength === entries + 1)) {
        return new Uint8Array(first, 0, entries);
      }
      if (first.byteLength >= entries * 2) {
        return (words(first, littleEndian) ?? new Uint16Array(0)).subarray(0, entries);
      }
      throw invalid(
        `${channel.name} Palette Color Lookup Table Data holds ${first.byteLength} bytes for ${entries} entries of ${bits} bits`,
      );
    }
    // Written with VR US: dcmjs hands back numbers.
    return data.map(Number);
  }
  if (segmented !== undefined && segmented.length > 0) {
    const table = words(segmented[0], littleEndian);
    const expanded = table === undefined ? undefined : expandSegmentedLut(table);
    if (expanded === undefined) {
      throw invalid(`Segmented ${channel.name} Palette Color Lookup Table Data cannot be expanded`);
    }
    return expanded;
  }
  throw invalid(`PALETTE COLOR image without ${channel.name} Palette Color Lookup Table Data`);
}

/**
 * Reads the Palette Color Lookup Table Module (PS3.3 C.7.9): descriptors (number of entries,
 * 0 meaning 65536; first mapped pixel value; bits per entry) and plain or segmented data.
 * Entries declared 8-bit but written in 16-bit words, which PS3.3 C.7.6.3.1.6 notes some
 * writers do, are reduced to 8 bits from whichever byte holds them.
 */
export function readPaletteColorLut(dataset: DicomDataset, littleEndian: boolean): PaletteColorLut {
  const descriptor = numbers(dataset, CHANNELS[0].descriptor);
  if (descriptor?.length !== 3) {
    throw invalid('PALETTE COLOR image without a valid Red Palette Color Lookup Table Descriptor');
  }
  const [declared = 0, firstMapped = 0, bits = 0] = descriptor;
  const entries = declared === 0 ? 0x10000 : declared;
  if (bits !== 8 && bits !== 16) {
    throw invalid(`palette entries of ${bits} bits; 8 or 16 expected (PS3.3 C.7.6.3.1.5)`);
  }
  const tables = CHANNELS.map((channel) =>
    channelTable(dataset, channel, entries, bits, littleEndian),
  );
  const [red = [], green = [], blue = []] = tables;
  if (bits === 16) {
    return {
      bits: 16,
      firstMapped,
      red: Uint16Array.from(red),
      green: Uint16Array.from(green),
      blue: Uint16Array.from(blue),
    };
  }
  const all = [...red, ...green, ...blue];
  // 8-bit entries in 16-bit words: the value sits in the low byte unless some exceed 255.
  const shift = all.some((v) => v > 0xff) ? 8 : 0;
  const reduce = (table: ArrayLike<number>): Uint8Array =>
    Uint8Array.from(table, (v) => (v >>> shift) & 0xff);
  return { bits: 8, firstMapped, red: reduce(red), green: reduce(green), blue: reduce(blue) };
}

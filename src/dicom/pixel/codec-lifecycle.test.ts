import { readFileSync } from 'node:fs';
import dcmjsCodecs from 'dcmjs-codecs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlatformError, isPlatformError } from '../../core/index.js';
import { readPart10 } from '../part10/read-part10.js';
import type * as WasmCodecs from './codecs/wasm-codecs.js';
import * as wasm from './codecs/wasm-codecs.js';
import { decodePixelData } from './decode-pixel-data.js';

// libjpeg's refusals are simulated: no test file makes it fail on a stream another decoder
// reads. Everything else goes to the real module.
const refuse = { jpeg: false };
vi.mock('./codecs/wasm-codecs.js', async (importOriginal) => {
  const actual = await importOriginal<typeof WasmCodecs>();
  return {
    ...actual,
    decodeWithWasm: (...args: Parameters<typeof actual.decodeWithWasm>) => {
      if (refuse.jpeg && args[0] === 'decodeJpeg') {
        throw new PlatformError('ERR_DICOM_PIXEL_DECODE', 'decodeJpeg: Unsupported JPEG process');
      }
      return actual.decodeWithWasm(...args);
    },
  };
});

const { NativeCodecs } = dcmjsCodecs;
const read = (path: string) => readPart10(readFileSync(path));

afterEach(() => {
  refuse.jpeg = false;
  vi.restoreAllMocks();
});

describe('codec module lifecycle', () => {
  it('instantiates the WebAssembly module once for concurrent first callers', async () => {
    const instantiate = vi.spyOn(NativeCodecs, 'initializeAsync');
    const part10 = read(
      '/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_jp2klossless.dcm',
    );
    await Promise.all([decodePixelData(part10), decodePixelData(part10), wasm.ensureWasmCodecs()]);
    await decodePixelData(part10);
    expect(instantiate).toHaveBeenCalledTimes(1);
  });

  it('instantiates a fresh module after a decode failed inside it', async () => {
    const good = read(
      '/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_jpeg_ls_lossless.dcm',
    );
    await decodePixelData(good);
    const instantiate = vi.spyOn(NativeCodecs, 'initializeAsync');
    const frame = new Uint8Array((good.dataset['7FE00010']?.Value?.[0] as ArrayBuffer).slice(0));
    frame.fill(0xff, 200);
    const bad = {
      ...good,
      dataset: { ...good.dataset, '7FE00010': { vr: 'OB', Value: [frame.buffer] } },
    };
    await expect(decodePixelData(bad)).rejects.toThrow(/decodeJpegLs/);
    expect((await decodePixelData(good)).frames).toHaveLength(1);
    expect(instantiate).toHaveBeenCalledTimes(1);
  });
});

describe('JPEG lossless fallback', () => {
  it('decodes with jpeg-lossless-decoder-js when libjpeg refuses a lossless stream, and warns', async () => {
    const path = 'node_modules/jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel3.dcm';
    const expected = await decodePixelData(read(path));
    refuse.jpeg = true;
    const fallback = await decodePixelData(read(path));
    expect(fallback.warnings.map((w) => w.code)).toContain('DECODER_FALLBACK');
    expect(fallback.frames[0]).toBeInstanceOf(Int16Array);
    expect(
      Buffer.from(fallback.frames[0]!.buffer).equals(Buffer.from(expected.frames[0]!.buffer)),
    ).toBe(true);
  });

  it('does not fall back for lossy JPEG', async () => {
    refuse.jpeg = true;
    const error = await decodePixelData(
      read('/usr/lib/python3/dist-packages/pydicom/data/test_files/JPGExtended.dcm'),
    ).catch((e: unknown) => e);
    expect(isPlatformError(error) && error.code).toBe('ERR_DICOM_PIXEL_DECODE');
  });
});

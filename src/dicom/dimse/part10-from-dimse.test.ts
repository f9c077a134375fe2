import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPart10 } from '../part10/read-part10.js';
import { part10FromDimse } from './part10-from-dimse.js';
import { chooseStorageSyntax } from './transfer-syntaxes.js';

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const HAVE = (() => {
  try {
    readFileSync(join(PYDICOM, 'MR_small.dcm'));
    return true;
  } catch {
    return false;
  }
})();

/** Offset of the data set in a Part 10 file: after the preamble, DICM and the meta group. */
function datasetOffset(file: Uint8Array): number {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  return 132 + 12 + view.getUint32(140, true);
}

describe.skipIf(!HAVE)('part10FromDimse', () => {
  it('frames a received data set byte for byte, with a meta group readPart10 accepts', () => {
    const original = readFileSync(join(PYDICOM, 'MR_small.dcm'));
    const dataset = original.subarray(datasetOffset(original));
    const file = part10FromDimse(dataset, {
      sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
      sopInstanceUid: '1.2.3.4.5',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      sourceAeTitle: 'MODALITY1',
    });
    expect(Buffer.from(file.subarray(datasetOffset(file))).equals(dataset)).toBe(true);
    const parsed = readPart10(file);
    expect(parsed.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    expect(parsed.meta['00020003']?.Value?.[0]).toBe('1.2.3.4.5');
    expect(parsed.meta['00020016']?.Value?.[0]).toBe('MODALITY1');
    expect(parsed.dataset['7FE00010']).toBeDefined();
  });
});

describe('chooseStorageSyntax', () => {
  it('keeps a proposed compressed syntax, else prefers explicit little endian', () => {
    expect(chooseStorageSyntax(['1.2.840.10008.1.2', '1.2.840.10008.1.2.4.90'])).toBe(
      '1.2.840.10008.1.2.4.90',
    );
    expect(chooseStorageSyntax(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1'])).toBe(
      '1.2.840.10008.1.2.1',
    );
    expect(chooseStorageSyntax(['1.2.3.4'])).toBeUndefined();
  });
});

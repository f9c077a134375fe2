import { describe, expect, it } from 'vitest';
import {
  encodeMultipartRelated,
  parseMediaType,
  parseMultipartRelated,
} from './multipart-related.js';

const TYPE = 'multipart/related; type="application/dicom"; boundary=XyZ';

describe('parseMediaType', () => {
  it('reads quoted and bare parameters, case-insensitively by name', () => {
    expect(
      parseMediaType('Multipart/Related; TYPE="application/dicom"; boundary="a;b\\"c"'),
    ).toEqual({
      type: 'multipart/related',
      parameters: { type: 'application/dicom', boundary: 'a;b"c' },
    });
  });
});

describe('parseMultipartRelated', () => {
  it('round-trips what encodeMultipartRelated writes, binary bodies included', () => {
    const a = new Uint8Array([0, 13, 10, 45, 45, 255]);
    const b = new Uint8Array(1000).fill(7);
    const body = encodeMultipartRelated('XyZ', [
      { contentType: 'application/dicom', body: a },
      { contentType: 'application/dicom', body: b, headers: { 'Content-Location': '/x' } },
    ]);
    const parsed = parseMultipartRelated(body, TYPE);
    expect(parsed.type).toBe('application/dicom');
    expect(parsed.parts.map((p) => [...p.body])).toEqual([[...a], [...b]]);
    expect(parsed.parts[1]?.headers).toEqual({
      'content-type': 'application/dicom',
      'content-location': '/x',
    });
  });

  it('skips a preamble and an epilogue, and tolerates bare LF line ends', () => {
    const crlf =
      'preamble\r\n--XyZ\r\nContent-Type: application/dicom\r\n\r\nONE\r\n--XyZ--\r\nepilogue';
    expect(
      Buffer.from(parseMultipartRelated(Buffer.from(crlf), TYPE).parts[0]!.body).toString(),
    ).toBe('ONE');
    const lf = '--XyZ\nContent-Type: application/dicom\n\nTWO\n--XyZ--\n';
    expect(
      Buffer.from(parseMultipartRelated(Buffer.from(lf), TYPE).parts[0]!.body).toString(),
    ).toBe('TWO');
  });

  it('accepts a part without headers', () => {
    const body = Buffer.from('--XyZ\r\n\r\nBARE\r\n--XyZ--');
    const part = parseMultipartRelated(body, TYPE).parts[0]!;
    expect(part.headers).toEqual({});
    expect(Buffer.from(part.body).toString()).toBe('BARE');
  });

  it('fails with ERR_USAGE on a missing boundary, an unclosed body and too many parts', () => {
    const two = encodeMultipartRelated('XyZ', [
      { contentType: 'application/dicom', body: new Uint8Array(1) },
      { contentType: 'application/dicom', body: new Uint8Array(1) },
    ]);
    for (const [body, type, options] of [
      [two, 'multipart/related; type="application/dicom"', {}],
      [Buffer.from('--XyZ\r\n\r\nno end'), TYPE, {}],
      [Buffer.from('nothing'), TYPE, {}],
      [two, TYPE, { maxParts: 1 }],
      [two, 'application/dicom', {}],
    ] as const) {
      expect(() => parseMultipartRelated(body, type, options)).toThrow(
        expect.objectContaining({ code: 'ERR_USAGE' }) as Error,
      );
    }
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseWidths, parseWindow, registerSegment } from './segment.js';

/** Runs `medscale segment …` in this process, capturing stdout. */
async function cli(args: readonly string[]): Promise<string> {
  const program = new Command('medscale').exitOverride();
  registerSegment(program);
  let out = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['segment', ...args], { from: 'user' });
    return out;
  } finally {
    stdout.mockRestore();
  }
}

describe('medscale segment', () => {
  let root: string;
  const data = ['--synthetic', '10', '--images-per-patient', '2', '--image-size', '80x64'];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-segment-cli-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('trains, then evaluates the test patients as a table and as JSON', async () => {
    const out = join(root, 'run');
    const trained = await cli([
      'train',
      '--out',
      out,
      ...data,
      '--crop',
      '64',
      '--input-size',
      '32',
      '--widths',
      '4,8',
      '--epochs',
      '1',
      '--no-worker',
      '--json',
    ]);
    const result = JSON.parse(trained) as {
      epochs: number;
      modelDir: string;
      split: { test: string[] };
    };
    expect(result.epochs).toBe(1);
    expect(result.modelDir).toBe(join(out, 'model'));
    const table = await cli([
      'eval',
      '--model',
      result.modelDir,
      ...data,
      '--split',
      join(out, 'split.json'),
    ]);
    expect(table).toMatch(/^Structure\s+Precision/);
    expect(table).toMatch(/\nwall\s/);
    const report = join(root, 'eval.json');
    const json = JSON.parse(
      await cli([
        'eval',
        '--model',
        result.modelDir,
        ...data,
        '--split',
        join(out, 'split.json'),
        '--json',
        '--report',
        report,
      ]),
    ) as { images: { patientId: string }[]; aggregate: { lumen: { dice: { n: number } } } };
    expect(json.images.map((i) => i.patientId)).toEqual(result.split.test.flatMap((p) => [p, p]));
    expect(json.aggregate.lumen.dice.n).toBe(2);
    expect(JSON.parse(await readFile(report, 'utf8'))).toEqual(json);
  }, 30_000);

  it('says what to give when there is no data', async () => {
    await expect(cli(['train', '--out', join(root, 'x')])).rejects.toMatchObject({
      code: 'ERR_USAGE',
      message: expect.stringMatching(/--synthetic/) as unknown,
    });
  });

  it('parses widths and windows', () => {
    expect(parseWidths('8,16,32,64')).toEqual([8, 16, 32, 64]);
    expect(() => parseWidths('8')).toThrow(/at least two/);
    expect(parseWindow('512')).toEqual({ width: 512, height: 512 });
    expect(parseWindow('400x300+10+-5')).toEqual({ width: 400, height: 300, x: 10, y: -5 });
    expect(() => parseWindow('big')).toThrow(/WxH/);
  });
});

/**
 * `medscale qa run | report | learn-protocol` as a user runs them: a small synthetic cohort is
 * ingested with the CLI, checked, reported on, and a protocol is learned from it.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProtocol } from '../../src/protocol/index.js';
import type { SessionQa } from '../../src/qa/index.js';
import { synthesizeMrCohort } from '../../src/synth/index.js';
import { runCli } from '../support/run-cli.js';

describe('medscale qa (CLI)', () => {
  let root: string;
  let data: string;
  let cohort: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'medscale-qa-cli-'));
    data = join(root, 'data');
    cohort = join(root, 'cohort');
    await synthesizeMrCohort({
      outDir: cohort,
      participants: 3,
      sites: 1,
      seed: 'qa-cli',
      defects: { wrongParameter: 0.34 },
    });
    const ingest = await runCli([
      '--data',
      data,
      'ingest',
      cohort,
      '--project',
      'p',
      '--exclude',
      '*.json',
      '--json',
    ]);
    expect(ingest.code, ingest.stderr).toBe(0);
  }, 120_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('qa run checks every session, stores the results and writes the reports', async () => {
    const reports = join(root, 'reports');
    const run = await runCli([
      '--data',
      data,
      'qa',
      'run',
      '--all',
      '--protocol',
      join(cohort, 'protocol.json'),
      '--report',
      reports,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      counts: Record<string, number>;
      sessions: SessionQa[];
    };
    expect(out.sessions).toHaveLength(3);
    // One session carries the injected wrong TR or TE (or flip angle, or thickness).
    expect(out.counts['fail']).toBe(1);
    const failed = out.sessions.find((s) => s.status === 'fail')!;
    expect(failed.checks.filter((c) => c.status === 'fail').map((c) => c.check)).toEqual([
      expect.stringMatching(/^param\./) as unknown as string,
    ]);
    const files = readdirSync(reports);
    expect(files).toContain('index.html');
    expect(files).toContain('summary.json');
    expect(files.filter((f) => f.startsWith('session-'))).toHaveLength(3);
  }, 120_000);

  it('qa report rebuilds the pages from the stored results', async () => {
    const out = join(root, 'again');
    const report = await runCli(['--data', data, 'qa', 'report', '--out', out]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/wrote 3 session report/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as unknown;
    expect(JSON.stringify(summary)).toContain('"fail":1');
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  }, 120_000);

  it('qa learn-protocol writes a protocol the loader accepts', async () => {
    const file = join(root, 'learned.json');
    const learn = await runCli([
      '--data',
      data,
      'qa',
      'learn-protocol',
      '--all',
      '--out',
      file,
      '--name',
      'learned-cli',
    ]);
    expect(learn.code, learn.stderr).toBe(0);
    expect(learn.stdout).toMatch(/learned 12 series from 3 session/);
    const protocol = loadProtocol(JSON.parse(readFileSync(file, 'utf8')));
    expect(protocol.name).toBe('learned-cli');
  }, 120_000);

  it('refuses a run that names no studies, with a usage error', async () => {
    const run = await runCli(['--data', data, 'qa', 'run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ERR_USAGE.*--all/);
    const bad = await runCli(['--data', data, 'qa', 'run', '--study', '1.2.3']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/ERR_QA_INPUT.*1\.2\.3/);
  }, 60_000);
});

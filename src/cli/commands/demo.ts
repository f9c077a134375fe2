import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { exportSeries } from '../../export/index.js';
import { ingestPaths } from '../../ingest/index.js';
import { countAll, listSeries } from '../../store/index.js';
import { synthesizeMrCohort } from '../../synth/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides, parsePositiveInt } from '../global-options.js';
import { EXIT, printJson } from '../output.js';
import { createProgress } from '../progress.js';

interface DemoOptions {
  readonly out: string;
  readonly participants: number;
  readonly json?: boolean;
}

/**
 * `medscale demo`: the main job end to end on the embedded defaults. Today: synthetic cohort →
 * pseudonymized ingest → catalog → NIfTI and PNG export. Later stages (QA, segmentation,
 * reconstruction, simulation) join as they land.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'run the workflow end to end on synthetic data: generate a multi-site MR cohort, ingest it (pseudonymized), browse the catalog, export a series',
    )
    .option('--out <dir>', 'folder for the synthetic cohort and the exports', 'medscale-demo')
    .option('--participants <n>', 'participants of the synthetic cohort', parsePositiveInt, 6)
    .option('--json', 'print the report as JSON')
    .action(async (options: DemoOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const json = options.json === true;
      const say = (line: string): void => {
        if (!json) process.stdout.write(`${line}\n`);
      };
      const out = resolve(options.out);
      const cohortDir = join(out, 'cohort');

      say(
        `1/4 synthesizing a ${options.participants}-participant, 3-site whole-body MR cohort in ${cohortDir}`,
      );
      const synthProgress = createProgress('synth', json);
      const synth = await synthesizeMrCohort({
        outDir: cohortDir,
        participants: options.participants,
        sites: 3,
        seed: 2026,
        size: 'small',
        followUpFraction: 0.5,
        overwrite: true,
        onProgress: (p) => {
          synthProgress.update(p.instancesWritten, p.instancesTotal, '');
        },
      });
      synthProgress.stop();
      say(
        `    ${synth.instances} instances in ${synth.series} series, ${synth.sessions} sessions (ground truth: ${synth.groundTruthFile})`,
      );

      const workspace = await Workspace.open(globalOverrides(global));
      try {
        say(
          `2/4 ingesting into ${workspace.config.dataDir} (PS3.15 pseudonymization, durable store, catalog)`,
        );
        const ingestProgress = createProgress('ingest', json);
        const ingest = await ingestPaths(workspace, [cohortDir], {
          project: 'demo',
          exclude: ['*.json'],
          onProgress: (p) => {
            ingestProgress.update(p.done, p.walkFinished ? p.found : undefined, '');
          },
        });
        ingestProgress.stop();
        say(
          `    stored ${ingest.stored}, duplicate ${ingest.duplicate}, quarantined ${ingest.quarantined} in ${ingest.seconds.toFixed(2)} s (${ingest.filesPerSecond.toFixed(0)} instances/s)`,
        );

        say('3/4 catalog');
        const counts = await countAll(workspace.catalog);
        const series = await listSeries(workspace.catalog, { project: 'demo', limit: 10_000 });
        const bySite = new Map<string, number>();
        for (const s of series) bySite.set(s.site ?? '-', (bySite.get(s.site ?? '-') ?? 0) + 1);
        say(`    ${JSON.stringify(counts)}`);
        for (const [site, n] of bySite) say(`    ${site}: ${n} series`);

        say(`4/4 exporting a T1 series to NIfTI and PNG in ${join(out, 'export')}`);
        const t1 = series.find((s) => /mprage|t1/i.test(s.seriesDescription ?? '')) ?? series[0];
        if (t1 === undefined) throw new Error('no series was catalogued');
        const nifti = await exportSeries(workspace, t1.seriesInstanceUid, {
          format: 'nifti',
          out: join(out, 'export', 't1.nii.gz'),
          actor: 'demo',
        });
        const png = await exportSeries(workspace, t1.seriesInstanceUid, {
          format: 'png',
          out: join(out, 'export', 't1-png'),
          actor: 'demo',
        });
        say(
          `    ${nifti.files[0] ?? ''} (${t1.seriesDescription ?? ''}, ${nifti.instances} slices) and ${png.files.length} PNG files`,
        );
        if (json)
          printJson({
            synth,
            ingest: { ...ingest, failed: ingest.failed.slice(0, 20) },
            counts,
            export: { nifti, png: { files: png.files.length } },
          });
        else say('done: browse with `medscale ls series --project demo`');
        process.exitCode = ingest.quarantined > 0 ? EXIT.partial : EXIT.ok;
      } finally {
        await workspace.close();
      }
    });
}

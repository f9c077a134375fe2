import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { exportSeries } from '../../export/index.js';
import { ingestPaths } from '../../ingest/index.js';
import { LocalDispatcher, parsePipeline, planPipeline, runPipeline } from '../../pipeline/index.js';
import { writeQaReports } from '../../qa-runner/index.js';
import { countAll, listSeries } from '../../store/index.js';
import { synthesizeMrCohort } from '../../synth/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides, parsePositiveInt } from '../global-options.js';
import { EXIT, printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { renderDemoReport, runMedscale } from './demo-steps.js';
import type { DemoSection, DemoStep } from './demo-steps.js';

interface DemoOptions {
  readonly out: string;
  readonly participants: number;
  readonly trainMinutes: string;
  readonly json?: boolean;
}

type Json = Record<string, unknown>;

function field(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Json)[p] : undefined;
  return v;
}

/**
 * `medscale demo`: the main job end to end on the embedded defaults, on synthetic data with known
 * ground truth. Biobank: a multi-site MR cohort is synthesized, ingested (pseudonymized),
 * catalogued, checked by the cohort QA pipeline (pipeline engine, worker threads) and exported.
 * Heart: apical echo clips → LV volumes (biplane Simpson) → personalized LV model → Entresto.
 * Carotid: ultrasound masks → bifurcation reconstruction → FE mesh → hemodynamics. One HTML report
 * (`report.html`) gathers the figures; every step after the biobank is a `medscale` command run
 * as a user would, listed in the report with its wall time.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'run the workflow end to end on synthetic data: MR cohort → ingest → QA pipeline → export; echo → LV → personalized model → Entresto; carotid ultrasound → bifurcation → FE mesh → hemodynamics; one HTML report',
    )
    .option(
      '--out <dir>',
      'folder for the synthetic data, results and report.html',
      'medscale-demo',
    )
    .option('--participants <n>', 'participants of the synthetic MR cohort', parsePositiveInt, 6)
    .option(
      '--train-minutes <m>',
      'wall-clock budget of the demo U-Net training (a model trained before in --out is reused)',
      '1.5',
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: DemoOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const json = options.json === true;
      const say = (line: string): void => {
        if (!json) process.stdout.write(`${line}\n`);
      };
      const started = performance.now();
      const out = resolve(options.out);
      const cohortDir = join(out, 'cohort');
      const steps: DemoStep[] = [];
      const sections: DemoSection[] = [];
      const timed = async <T>(stage: string, what: string, f: () => Promise<T>): Promise<T> => {
        const t = performance.now();
        const value = await f();
        steps.push({ stage, command: what, seconds: (performance.now() - t) / 1000, result: null });
        return value;
      };
      const cli = async (stage: string, args: readonly string[]): Promise<unknown> => {
        const step = await runMedscale(stage, args);
        steps.push(step);
        return step.result;
      };

      say(`1/7 synthesizing a ${options.participants}-participant, 3-site whole-body MR cohort`);
      const synthProgress = createProgress('synth', json);
      const synth = await timed(
        'synth',
        `medscale synth mr-cohort --participants ${options.participants} --sites 3 --size small`,
        () =>
          synthesizeMrCohort({
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
          }),
      );
      synthProgress.stop();
      say(`    ${synth.instances} instances in ${synth.series} series, ${synth.sessions} sessions`);

      const workspace = await Workspace.open(globalOverrides(global));
      let ingestQuarantined: number;
      try {
        say(
          `2/7 ingesting into ${workspace.config.dataDir} (PS3.15 pseudonymization, durable store, catalog)`,
        );
        const ingestProgress = createProgress('ingest', json);
        const ingest = await timed('ingest', `medscale ingest ${cohortDir} --project demo`, () =>
          ingestPaths(workspace, [cohortDir], {
            project: 'demo',
            exclude: ['*.json'],
            onProgress: (p) => {
              ingestProgress.update(p.done, p.walkFinished ? p.found : undefined, '');
            },
          }),
        );
        ingestProgress.stop();
        ingestQuarantined = ingest.quarantined;
        say(
          `    stored ${ingest.stored}, duplicate ${ingest.duplicate}, quarantined ${ingest.quarantined} (${ingest.filesPerSecond.toFixed(0)} instances/s)`,
        );
        const counts = await countAll(workspace.catalog);

        say(
          '3/7 cohort QA pipeline (protocol, image quality, per-series metrics) on worker threads',
        );
        const pipeline = parsePipeline({
          version: 1,
          name: 'cohort-qa',
          stages: [
            {
              id: 'qa',
              stage: 'qa.session',
              params: { protocol: join(cohortDir, 'protocol.json') },
            },
            {
              id: 'metrics',
              stage: 'qa.series-metrics',
              needs: ['qa'],
              when: { modality: 'MR', upstream: { 'qa.status': ['pass', 'warn'] } },
            },
          ],
        });
        const dispatcher = new LocalDispatcher(workspace);
        const run = await timed(
          'qa',
          'medscale run examples/pipelines/cohort-qa.yaml --cohort project:demo',
          async () => {
            try {
              return await runPipeline(
                workspace,
                await planPipeline(workspace, pipeline, { project: 'demo' }),
                dispatcher,
              );
            } finally {
              await dispatcher.close();
            }
          },
        );
        const statuses = Object.values(run.outputs)
          .map((o) => o.output['status'])
          .filter((s): s is string => typeof s === 'string');
        const qaDir = join(out, 'qa');
        await writeQaReports(workspace, qaDir, { project: 'demo', all: true });
        say(
          `    ${run.jobs} jobs: ${run.computed} computed, ${run.cached} cached, ${run.skipped} skipped, ${run.failed} failed; sessions pass ${statuses.filter((s) => s === 'pass').length}, warn ${statuses.filter((s) => s === 'warn').length}, fail ${statuses.filter((s) => s === 'fail').length}`,
        );
        sections.push({
          title: 'Imaging biobank: multi-site MR cohort',
          figures: [
            { label: 'instances stored', value: ingest.stored },
            { label: 'ingest rate', value: Math.round(ingest.filesPerSecond), unit: 'instances/s' },
            {
              label: 'subjects / studies / series',
              value: `${counts.subject} / ${counts.study} / ${counts.series}`,
            },
            {
              label: 'QA sessions pass / warn / fail',
              value: `${statuses.filter((s) => s === 'pass').length} / ${statuses.filter((s) => s === 'warn').length} / ${statuses.filter((s) => s === 'fail').length}`,
            },
            {
              label: 'pipeline jobs computed / skipped / failed',
              value: `${run.computed} / ${run.skipped} / ${run.failed}`,
            },
          ],
          plots: [],
          links: [{ label: 'QA cohort report', href: 'qa/index.html' }],
        });

        say('4/7 exporting a T1 series to NIfTI');
        const series = await listSeries(workspace.catalog, { project: 'demo', limit: 10_000 });
        const t1 = series.find((s) => /mprage|t1/i.test(s.seriesDescription ?? '')) ?? series[0];
        if (t1 === undefined) throw new Error('no series was catalogued');
        await timed('export', `medscale export ${t1.seriesInstanceUid} --format nifti`, () =>
          exportSeries(workspace, t1.seriesInstanceUid, {
            format: 'nifti',
            out: join(out, 'export', 't1.nii.gz'),
            actor: 'demo',
          }),
        );
      } finally {
        await workspace.close();
      }

      say('5/7 heart: synthetic apical echo → LV volumes (biplane Simpson)');
      const echoDir = join(out, 'echo');
      await cli('synth', [
        'synth',
        'lv-echo',
        '--out',
        echoDir,
        '--cases',
        '2',
        '--frames',
        '20',
        '--overwrite',
      ]);
      const heartFigures: DemoSection['figures'][number][] = [];
      for (const caseId of ['lv-001', 'lv-002']) {
        const lv = await cli('reconstruct', [
          'reconstruct',
          'lv',
          '--from',
          echoDir,
          '--case',
          caseId,
          '--out',
          join(out, 'heart', caseId),
        ]);
        heartFigures.push(
          {
            label: `${caseId} EDV (truth)`,
            value: `${String(field(lv, 'edvMl'))} (${String(field(lv, 'truth', 'edvMl'))})`,
            unit: 'mL',
          },
          {
            label: `${caseId} ESV (truth)`,
            value: `${String(field(lv, 'esvMl'))} (${String(field(lv, 'truth', 'esvMl'))})`,
            unit: 'mL',
          },
          { label: `${caseId} EF`, value: field(lv, 'ejectionFractionPct'), unit: '%' },
          { label: `${caseId} LV mass`, value: field(lv, 'massG'), unit: 'g' },
        );
      }
      // The dilated case (lv-002, an HFrEF ventricle) gets a personalized model and Entresto.
      const hfref = await cli('reconstruct', [
        'reconstruct',
        'lv',
        '--from',
        echoDir,
        '--case',
        'lv-002',
      ]);
      const lvSimDir = join(out, 'heart', 'entresto');
      const sim = await cli('simulate', [
        'simulate',
        'lv',
        '--edv',
        String(field(hfref, 'edvMl')),
        '--esv',
        String(field(hfref, 'esvMl')),
        '--sbp',
        '115',
        '--dbp',
        '70',
        '--hr',
        '70',
        '--drug',
        'entresto',
        '--scenario',
        'chronic',
        '--out',
        lvSimDir,
      ]);
      heartFigures.push(
        {
          label: 'lv-002 model EF before → after Entresto',
          value: `${String(field(sim, 'baseline', 'ef'))} → ${String(field(sim, 'treated', 'ef'))}`,
        },
        {
          label: 'lv-002 ESV before → after',
          value: `${String(field(sim, 'baseline', 'esv'))} → ${String(field(sim, 'treated', 'esv'))}`,
          unit: 'mL',
        },
        {
          label: 'lv-002 Ea/Ees before → after',
          value: `${String(field(sim, 'baseline', 'eaOverEes'))} → ${String(field(sim, 'treated', 'eaOverEes'))}`,
        },
      );
      sections.push({
        title: 'Heart: echo → left ventricle → personalized model → Entresto',
        figures: heartFigures,
        plots: [
          {
            title: 'pressure–volume loops before and after Entresto (lv-002)',
            svgFile: join(lvSimDir, 'pv-loop.svg'),
          },
        ],
      });

      say('    carotid ultrasound → U-Net (trained here, or reused) → evaluation → prediction');
      const usDir = join(out, 'carotid-us');
      const unetDir = join(out, 'unet');
      await cli('synth', [
        'synth',
        'carotid-us',
        '--patients',
        '10',
        '--size',
        'small',
        '--out',
        usDir,
        '--overwrite',
      ]);
      if (!existsSync(join(unetDir, 'model', 'model.json')))
        await cli('segment', [
          'segment',
          'train',
          '--images',
          usDir,
          '--out',
          unetDir,
          '--minutes',
          '1.5',
        ]);
      const evaluation = await cli('segment', [
        'segment',
        'eval',
        '--model',
        join(unetDir, 'model'),
        '--images',
        usDir,
        '--split',
        join(unetDir, 'split.json'),
      ]);
      const predictDir = join(out, 'unet', 'predict');
      await cli('segment', [
        'segment',
        'predict',
        '--model',
        join(unetDir, 'model'),
        join(usDir, 'P001', 'P001_01_image.dcm'),
        '--out',
        predictDir,
        '--format',
        'seg,png',
        '--save-onnx',
        join(unetDir, 'model.onnx'),
      ]);
      sections.push({
        title: 'Carotid ultrasound: U-Net segmentation (lumen, wall)',
        figures: [
          {
            label: 'held-out Dice lumen',
            value: field(evaluation, 'aggregate', 'lumen', 'dice', 'mean'),
          },
          {
            label: 'held-out Dice wall',
            value: field(evaluation, 'aggregate', 'wall', 'dice', 'mean'),
          },
          {
            label: 'note',
            value:
              'a 1.5-minute demo training; `medscale segment train --minutes 30` trains the full default model',
          },
        ],
        plots: [{ title: 'training curves', svgFile: join(unetDir, 'curves.svg') }],
      });

      say('6/7 carotid: ultrasound masks → bifurcation → FE mesh → hemodynamics');
      const carotidDir = join(out, 'carotid');
      await cli('reconstruct', [
        'reconstruct',
        'carotid',
        '--generic',
        '--stenosis',
        '50',
        '--emit-views',
        '--out',
        join(carotidDir, 'generic'),
      ]);
      const carotid = await cli('reconstruct', [
        'reconstruct',
        'carotid',
        '--views',
        join(carotidDir, 'generic', 'views', 'views.json'),
        '--out',
        join(carotidDir, 'patient'),
      ]);
      const centerlines = join(carotidDir, 'patient', 'centerlines.json');
      const mesh = await cli('mesh', [
        'mesh',
        'fe',
        '--centerlines',
        centerlines,
        '--out',
        join(carotidDir, 'patient', 'vessel.vtu'),
        '--wall-thickness',
        '0.7',
      ]);
      const hemo = await cli('simulate', [
        'simulate',
        'carotid',
        '--geometry',
        centerlines,
        '--out',
        join(carotidDir, 'hemodynamics'),
      ]);
      sections.push({
        title: 'Carotid: bifurcation, mesh and hemodynamics',
        figures: [
          {
            label: 'stenosis NASCET (drawn: 50 %)',
            value: field(carotid, 'measurements', 'nascetPct', 'value'),
            unit: '%',
          },
          {
            label: 'stenosis ECST',
            value: field(carotid, 'measurements', 'ecstPct', 'value'),
            unit: '%',
          },
          {
            label: 'plaque length',
            value: field(carotid, 'measurements', 'plaqueLengthMm', 'value'),
            unit: 'mm',
          },
          {
            label: 'FE mesh elements (min scaled Jacobian)',
            value: `${String(field(mesh, 'elements'))} (${String(field(mesh, 'quality', 'minScaledJacobian'))})`,
          },
          { label: 'ICA flow split', value: field(hemo, 'icaFlowSplit') },
        ],
        plots: [
          { title: 'flow per branch', svgFile: join(carotidDir, 'hemodynamics', 'flow.svg') },
          {
            title: 'wall shear stress along the centerlines',
            svgFile: join(carotidDir, 'hemodynamics', 'wss.svg'),
          },
          { title: 'TAWSS and OSI', svgFile: join(carotidDir, 'hemodynamics', 'tawss-osi.svg') },
        ],
      });

      say('7/7 report');
      const totalSeconds = (performance.now() - started) / 1000;
      await mkdir(out, { recursive: true });
      const reportFile = join(out, 'report.html');
      await writeFile(reportFile, renderDemoReport(sections, steps, totalSeconds));
      if (json)
        printJson({
          report: reportFile,
          seconds: totalSeconds,
          steps: steps.map((s) => ({ stage: s.stage, command: s.command, seconds: s.seconds })),
          sections,
        });
      else {
        for (const step of steps)
          say(
            `    ${step.seconds.toFixed(1).padStart(6)} s  ${step.stage.padEnd(11)} ${step.command}`,
          );
        say(`done in ${totalSeconds.toFixed(0)} s: open ${reportFile}`);
      }
      process.exitCode = ingestQuarantined > 0 ? EXIT.partial : EXIT.ok;
    });
}

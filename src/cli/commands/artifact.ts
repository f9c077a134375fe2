import type { Command } from 'commander';
import { explainArtifact } from '../../pipeline/index.js';
import type { ArtifactExplanation } from '../../pipeline/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides } from '../global-options.js';
import { EXIT, printJson } from '../output.js';

function printTree(e: ArtifactExplanation, indent: string): void {
  const run = e.run;
  const line =
    run === undefined
      ? `${e.digest} (input from outside the pipeline, e.g. an ingested instance)`
      : `${e.digest} ← ${run.stage} v${run.stageVersion} params ${JSON.stringify(run.params)} by ${run.worker} at ${run.createdAt} (${run.seconds.toFixed(2)} s)`;
  process.stdout.write(`${indent}${line}\n`);
  for (const input of e.inputs) printTree(input, `${indent}  `);
}

/** `medscale artifact why DIGEST`: how an artifact was made, back to its sources. */
export function registerArtifact(program: Command): void {
  const artifact = program
    .command('artifact')
    .description('derived artifacts and their provenance');
  artifact
    .command('why')
    .description(
      'show how an artifact was made: stage, version, parameters, and its inputs in turn',
    )
    .argument('<digest>', 'sha256:… digest of the artifact')
    .option('--json', 'print the provenance tree as JSON')
    .action(async (digest: string, flags: { json?: boolean }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const workspace = await Workspace.open(globalOverrides(global));
      try {
        const tree = await explainArtifact(workspace.catalog, digest);
        if (flags.json === true) printJson(tree);
        else printTree(tree, '');
        process.exitCode = tree.run === undefined ? EXIT.error : EXIT.ok;
        if (tree.run === undefined && flags.json !== true)
          process.stderr.write(`no pipeline stage run produced ${digest}\n`);
      } finally {
        await workspace.close();
      }
    });
}

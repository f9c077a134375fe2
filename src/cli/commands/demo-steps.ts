import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { escapeHtml, formatNumber, htmlPage } from '../../report/index.js';
import { PlatformError } from '../../core/index.js';

/** One step of the demo as it ran: the command a user would type, its wall time and its JSON. */
export interface DemoStep {
  readonly stage: string;
  readonly command: string;
  readonly seconds: number;
  readonly result: unknown;
}

/**
 * Runs one `medscale` command as a child process, exactly as a user would, with `--json`, and
 * returns its parsed output. The demo is then a script of real commands, each shown in the report.
 *
 * @throws PlatformError with the child's error code and message when it fails.
 */
export async function runMedscale(stage: string, args: readonly string[]): Promise<DemoStep> {
  const script = process.argv[1];
  if (script === undefined) throw new PlatformError('ERR_INTERNAL', 'cannot find the CLI entry');
  const started = performance.now();
  const child = spawn(process.execPath, [...process.execArgv, script, ...args, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const seconds = (performance.now() - started) / 1000;
  let result: unknown;
  try {
    result = JSON.parse(stdout) as unknown;
  } catch {
    result = stdout;
  }
  if (code !== 0) {
    const error = (result as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new PlatformError(
      'ERR_PIPELINE_STAGE',
      `demo step "${stage}" (medscale ${args.join(' ')}) failed with exit code ${String(code)}: ${error?.code ?? ''} ${error?.message ?? stderr.trim().slice(-400)}`,
    );
  }
  return { stage, command: `medscale ${args.join(' ')}`, seconds, result };
}

/** A figure of the demo report: an SVG file written by a step. */
export interface DemoFigure {
  readonly title: string;
  readonly svgFile: string;
}

/** A section of the demo report. */
export interface DemoSection {
  readonly title: string;
  /** Key figures: label → value (numbers formatted for a person) and unit. */
  readonly figures: readonly {
    readonly label: string;
    readonly value: unknown;
    readonly unit?: string;
  }[];
  readonly plots: readonly DemoFigure[];
  readonly links?: readonly { readonly label: string; readonly href: string }[];
}

function show(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (value === null || value === undefined) return '–';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The demo's one-page report: per section its key figures and its SVG plots (inlined: the page
 * is self-contained), then every command with its wall time.
 */
export function renderDemoReport(
  sections: readonly DemoSection[],
  steps: readonly DemoStep[],
  totalSeconds: number,
): string {
  const parts: string[] = [
    '<h1>medscale demo: from the scanner to the personalized model</h1>',
    `<p class="muted">Synthetic data with known ground truth, end to end on this machine in ${totalSeconds.toFixed(0)} s. Every step below is a command you can run yourself.</p>`,
  ];
  for (const section of sections) {
    parts.push(`<h2>${escapeHtml(section.title)}</h2>`);
    if (section.figures.length > 0) {
      parts.push('<table><tbody>');
      for (const f of section.figures)
        parts.push(
          `<tr><th>${escapeHtml(f.label)}</th><td class="num">${escapeHtml(show(f.value))}</td><td>${escapeHtml(f.unit ?? '')}</td></tr>`,
        );
      parts.push('</tbody></table>');
    }
    for (const link of section.links ?? [])
      parts.push(`<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`);
    if (section.plots.length > 0) {
      parts.push('<div class="plots">');
      for (const plot of section.plots) {
        if (!existsSync(plot.svgFile)) continue;
        const svg = readFileSync(plot.svgFile, 'utf8').replace(/<\?xml[^>]*>/, '');
        // The SVGs are medscale's own (no user text unescaped), so they are inlined as they are.
        parts.push(`<figure><figcaption>${escapeHtml(plot.title)}</figcaption>${svg}</figure>`);
      }
      parts.push('</div>');
    }
  }
  parts.push(
    '<h2>Steps</h2><table><thead><tr><th>stage</th><th>command</th><th class="num">seconds</th></tr></thead><tbody>',
  );
  for (const step of steps)
    parts.push(
      `<tr><td>${escapeHtml(step.stage)}</td><td><code>${escapeHtml(step.command)}</code></td><td class="num">${step.seconds.toFixed(1)}</td></tr>`,
    );
  parts.push('</tbody></table>');
  return htmlPage({ title: 'medscale demo', body: parts.join('\n') });
}

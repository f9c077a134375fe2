import type { MetricSummary, TrialResult } from './run-trial.js';

/** Display name and unit of each metric. */
const LABELS: Readonly<Record<string, readonly [string, string]>> = {
  edv: ['EDV', 'mL'],
  esv: ['ESV', 'mL'],
  sv: ['SV', 'mL'],
  ef: ['EF', '%'],
  sbp: ['SBP', 'mmHg'],
  dbp: ['DBP', 'mmHg'],
  map: ['MAP', 'mmHg'],
  pp: ['Pulse pressure', 'mmHg'],
  edp: ['EDP', 'mmHg'],
  ea: ['Ea', 'mmHg/mL'],
  ees: ['Ees', 'mmHg/mL'],
  eaOverEes: ['Ea/Ees', ''],
  co: ['CO', 'L/min'],
  strokeWork: ['Stroke work', 'mmHg·mL'],
  edvi: ['EDVI', 'mL/m²'],
  esvi: ['ESVI', 'mL/m²'],
};

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function f(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/**
 * An inline SVG histogram of `values` (20 bins) with the mean marked, and a reported value as a
 * dashed line when given.
 */
export function trialHistogramSvg(
  values: readonly number[],
  title: string,
  reported?: number,
): string {
  const width = 360;
  const height = 200;
  const left = 40;
  const right = width - 10;
  const top = 24;
  const bottom = height - 30;
  if (values.length === 0) return '';
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (reported !== undefined) {
    lo = Math.min(lo, reported);
    hi = Math.max(hi, reported);
  }
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  const bins = 20;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const k = Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins));
    counts[k] = (counts[k] ?? 0) + 1;
  }
  const peak = Math.max(...counts);
  const sx = (v: number): number => left + ((v - lo) / (hi - lo)) * (right - left);
  const bw = (right - left) / bins;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<text x="${width / 2}" y="14" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
  ];
  counts.forEach((c, k) => {
    const h = peak > 0 ? (c / peak) * (bottom - top) : 0;
    parts.push(
      `<rect x="${(left + k * bw).toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#6b9bd1"/>`,
    );
  });
  parts.push(
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#000"/>`,
    `<text x="${left}" y="${bottom + 14}" text-anchor="start">${f(lo)}</text>`,
    `<text x="${right}" y="${bottom + 14}" text-anchor="end">${f(hi)}</text>`,
    `<text x="${left - 4}" y="${top + 4}" text-anchor="end">${peak}</text>`,
  );
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  parts.push(
    `<line x1="${sx(mean).toFixed(1)}" y1="${top}" x2="${sx(mean).toFixed(1)}" y2="${bottom}" stroke="#d62728" stroke-width="2"/>`,
    `<text x="${sx(mean).toFixed(1)}" y="${bottom + 26}" text-anchor="middle" fill="#d62728">mean ${f(mean)}</text>`,
  );
  if (reported !== undefined) {
    parts.push(
      `<line x1="${sx(reported).toFixed(1)}" y1="${top}" x2="${sx(reported).toFixed(1)}" y2="${bottom}" stroke="#2ca02c" stroke-width="2" stroke-dasharray="5 4"/>`,
      `<text x="${sx(reported).toFixed(1)}" y="${top - 2}" text-anchor="middle" fill="#2ca02c">reported ${f(reported)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

function summaryRow(name: string, b?: MetricSummary, t?: MetricSummary, d?: MetricSummary): string {
  const [label, unit] = LABELS[name] ?? [name, ''];
  const cell = (s?: MetricSummary): string =>
    s === undefined ? '<td>–</td>' : `<td>${f(s.mean)} ± ${f(s.sd)}</td>`;
  const delta =
    d === undefined
      ? '<td>–</td><td>–</td><td>–</td>'
      : `<td>${f(d.mean)} ± ${f(d.sd)}</td><td>${f(d.median)} [${f(d.q1)}, ${f(d.q3)}]</td><td>${f(d.ci95[0])} to ${f(d.ci95[1])}</td>`;
  return `<tr><td>${esc(label)}</td><td>${esc(unit)}</td>${cell(b)}${cell(t)}${delta}</tr>`;
}

/**
 * Renders a trial result as a self-contained HTML page: setup, outcome table (baseline, treated,
 * change with SD, median, IQR and 95 % CI), comparison with published outcomes, histograms of the
 * changes as inline SVG, and the failures.
 */
export function trialReportHtml(result: TrialResult): string {
  const { summary } = result;
  const rows = Object.keys(LABELS)
    .filter((m) => summary.delta[m] !== undefined)
    .map((m) => summaryRow(m, summary.baseline[m], summary.treated[m], summary.delta[m]))
    .join('\n');
  const comparison = result.comparison
    .map(
      (c) =>
        `<tr><td>${esc(c.study)}</td><td>Δ${esc(LABELS[c.metric]?.[0] ?? c.metric)}</td><td>${esc(c.unit)}</td><td>${f(c.reported)}</td><td>${f(c.simulated)}</td><td>${f(c.simulatedCi95[0])} to ${f(c.simulatedCi95[1])}</td><td>${f(c.simulated - c.reported)}</td><td class="src">${esc(c.source)}</td></tr>`,
    )
    .join('\n');
  const deltas = (metric: string): number[] =>
    result.outcomes.flatMap((o) => {
      const v = o.ok ? o.delta[metric] : undefined;
      return v === undefined || !Number.isFinite(v) ? [] : [v];
    });
  const histMetrics = ['ef', 'edv', 'esv', 'sbp', 'map', 'edp', 'eaOverEes', 'edvi', 'esvi'];
  const histograms = histMetrics
    .filter((m) => summary.delta[m] !== undefined)
    .map((m) => {
      const [label, unit] = LABELS[m] ?? [m, ''];
      const reported = result.comparison.find((c) => c.metric === m)?.reported;
      return trialHistogramSvg(deltas(m), `Δ${label}${unit === '' ? '' : ` (${unit})`}`, reported);
    })
    .join('\n');
  const geometry = Object.entries(result.geometry)
    .map(
      ([q, s]) =>
        `<li>${esc(q)}: sampled factor ${f(s.mean, 3)} ± ${f(s.sd, 3)} (not simulated in 0D; apply to the 3D LV geometry)</li>`,
    )
    .join('');
  const failures = result.failures
    .slice(0, 50)
    .map((x) => `<li>${esc(x.id)}: ${esc(x.code)} ${esc(x.reason)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>In-silico trial: ${esc(result.drug.name)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}td.src{text-align:left;font-size:0.8em;max-width:420px}
.h svg{margin:4px;border:1px solid #eee}
</style></head><body>
<h1>In-silico trial: ${esc(result.drug.name)} (${esc(result.scenario)})</h1>
<p>${result.subjects} subjects, ${result.succeeded} simulated, ${result.failures.length} failed;
baseline: ${esc(result.baselineMode === 'fit' ? 'personalised to each subject (least squares on EDV, ESV, SBP, DBP, EDP)' : 'parameters sampled around the fit of the median subject')};
effect sizes sampled per subject from their uncertainty; seed ${result.seed};
${result.sbpChange === undefined ? 'no BP calibration' : `R_p calibrated to ΔSBP ${result.sbpChange} mmHg`};
${result.workers} worker thread(s), ${(result.elapsedMs / 1000).toFixed(1)} s.
Model: time-varying elastance LV + WK3 (science/cardiovascular.md §1).</p>
<h2>Outcomes (mean ± SD)</h2>
<table><tr><th>Metric</th><th>Unit</th><th>Baseline</th><th>Treated</th><th>Change</th><th>Change median [IQR]</th><th>Change 95 % CI of mean</th></tr>
${rows}
</table>
<h2>Simulated vs reported mean changes</h2>
<table><tr><th>Study</th><th>Metric</th><th>Unit</th><th>Reported</th><th>Simulated</th><th>95 % CI</th><th>Difference</th><th>Source</th></tr>
${comparison}
</table>
${geometry === '' ? '' : `<h2>Geometry effects</h2><ul>${geometry}</ul>`}
<h2>Distributions of the changes</h2>
<p>Red: simulated mean; green dashed: reported.</p>
<div class="h">
${histograms}
</div>
${failures === '' ? '' : `<h2>Failures</h2><ul>${failures}</ul>`}
</body></html>
`;
}

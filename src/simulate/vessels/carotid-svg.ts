import type { CarotidSimulation } from './simulate-carotid.js';

/** A line of a chart. */
interface Series {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly color: string;
  readonly dashed?: boolean;
}

/** One panel: axes, ticks, lines. */
interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2'];
const WIDTH = 720;
const PANEL_HEIGHT = 300;
const MARGIN = { left: 70, right: 150, top: 36, bottom: 48 };

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** "Nice" tick values covering [lo, hi] (1, 2, 5 × 10^k steps). */
function ticks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return Number(v.toPrecision(4)).toString();
}

function panelSvg(panel: Panel, offsetY: number): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const xs = panel.series.flatMap((s) => s.x.filter(Number.isFinite));
  const ys = panel.series.flatMap((s) => s.y.filter(Number.isFinite));
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  let y0 = Math.min(0, ...ys);
  let y1 = Math.max(...ys);
  if (!Number.isFinite(x0) || !Number.isFinite(x1)) [x0, x1] = [0, 1];
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) y1 = y0 + 1;
  const pad = (y1 - y0) * 0.05;
  y1 += pad;
  if (y0 < 0) y0 -= pad;
  const px = (x: number): number => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number): number => offsetY + MARGIN.top + (1 - (y - y0) / (y1 - y0)) * plotH;
  const parts: string[] = [];
  parts.push(
    `<text x="${WIDTH / 2}" y="${offsetY + 20}" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`,
  );
  parts.push(
    `<rect x="${MARGIN.left}" y="${offsetY + MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`,
  );
  for (const t of ticks(x0, x1)) {
    const x = px(t).toFixed(1);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${offsetY + MARGIN.top}" y2="${offsetY + MARGIN.top + plotH}" stroke="#ddd"/>`,
      `<text x="${x}" y="${offsetY + MARGIN.top + plotH + 16}" text-anchor="middle" font-size="11">${formatTick(t)}</text>`,
    );
  }
  for (const t of ticks(y0, y1)) {
    const y = py(t).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="${t === 0 ? '#888' : '#ddd'}"/>`,
      `<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11">${formatTick(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${offsetY + PANEL_HEIGHT - 10}" text-anchor="middle" font-size="12">${escapeXml(panel.xLabel)}</text>`,
    `<text transform="translate(16 ${offsetY + MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(panel.yLabel)}</text>`,
  );
  panel.series.forEach((s, i) => {
    const pts: string[] = [];
    for (let k = 0; k < s.x.length; k++) {
      const x = s.x[k];
      const y = s.y[k];
      if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y))
        continue;
      pts.push(`${px(x).toFixed(2)},${py(y).toFixed(2)}`);
    }
    parts.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed === true ? ' stroke-dasharray="5 3"' : ''} points="${pts.join(' ')}"><title>${escapeXml(s.name)}</title></polyline>`,
    );
    const ly = offsetY + MARGIN.top + 12 + i * 18;
    const lx = MARGIN.left + plotW + 12;
    parts.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed === true ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<text x="${lx + 28}" y="${ly}" dominant-baseline="middle" font-size="11">${escapeXml(s.name)}</text>`,
    );
  });
  return parts.join('\n');
}

function document(panels: readonly Panel[]): string {
  const height = PANEL_HEIGHT * panels.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    ...panels.map((p, i) => panelSvg(p, i * PANEL_HEIGHT)),
    '</svg>',
    '',
  ].join('\n');
}

/** Distance of each branch's first point from the root inlet along the tree, mm. */
function branchOffsets(result: CarotidSimulation): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const b of result.branches) {
    const parent = b.parent === null ? undefined : result.branches.find((p) => p.name === b.parent);
    offsets.set(
      b.name,
      parent === undefined ? 0 : (offsets.get(parent.name) ?? 0) + parent.lengthMm,
    );
  }
  return offsets;
}

function color(i: number): string {
  return COLORS[i % COLORS.length] ?? '#000';
}

/**
 * SVG of the flow (mL/s) and inlet pressure (mmHg) of every branch over the cardiac cycle.
 */
export function carotidFlowSvg(result: CarotidSimulation): string {
  return document([
    {
      title: 'Flow per branch',
      xLabel: 'time (s)',
      yLabel: 'flow (mL/s)',
      series: result.branches.map((b, i) => ({
        name: b.name,
        x: result.timeS,
        y: b.flowMlPerS,
        color: color(i),
      })),
    },
    {
      title: 'Pressure at each branch inlet',
      xLabel: 'time (s)',
      yLabel: 'pressure (mmHg)',
      series: result.branches.map((b, i) => ({
        name: b.name,
        x: result.timeS,
        y: b.pressureInMmhg,
        color: color(i),
      })),
    },
  ]);
}

/**
 * SVG of the wall shear stress (Pa) along the centrelines, against the distance from the inlet
 * (mm): at peak inflow (solid) and at the end of diastole (dashed) for each branch.
 */
export function carotidWssSvg(result: CarotidSimulation): string {
  const offsets = branchOffsets(result);
  const root = result.branches[0];
  let peak = 0;
  root?.flowMlPerS.forEach((q, j) => {
    if (q > (root.flowMlPerS[peak] ?? -Infinity)) peak = j;
  });
  const last = result.timeS.length - 1;
  return document([
    {
      title: `Wall shear stress along the centrelines (peak inflow t = ${(result.timeS[peak] ?? 0).toFixed(3)} s; end diastole dashed)`,
      xLabel: 'distance from the inlet (mm)',
      yLabel: 'WSS (Pa)',
      series: result.branches.flatMap((b, i) => {
        const x = b.points.map((p) => p.arcLengthMm + (offsets.get(b.name) ?? 0));
        return [
          {
            name: `${b.name} peak`,
            x,
            y: b.points.map((p) => p.wssPa[peak] ?? NaN),
            color: color(i),
          },
          {
            name: `${b.name} diastole`,
            x,
            y: b.points.map((p) => p.wssPa[last] ?? NaN),
            color: color(i),
            dashed: true,
          },
        ];
      }),
    },
  ]);
}

/** SVG of TAWSS (Pa) and OSI along the centrelines, against the distance from the inlet (mm). */
export function carotidTawssOsiSvg(result: CarotidSimulation): string {
  const offsets = branchOffsets(result);
  const along = (b: CarotidSimulation['branches'][number]): number[] =>
    b.points.map((p) => p.arcLengthMm + (offsets.get(b.name) ?? 0));
  return document([
    {
      title: 'Time-averaged wall shear stress',
      xLabel: 'distance from the inlet (mm)',
      yLabel: 'TAWSS (Pa)',
      series: result.branches.map((b, i) => ({
        name: b.name,
        x: along(b),
        y: b.points.map((p) => p.tawssPa),
        color: color(i),
      })),
    },
    {
      title: 'Oscillatory shear index',
      xLabel: 'distance from the inlet (mm)',
      yLabel: 'OSI',
      series: result.branches.map((b, i) => ({
        name: b.name,
        x: along(b),
        y: b.points.map((p) => p.osi),
        color: color(i),
      })),
    },
  ]);
}

/** Pixel-level scores of one phase of one epoch (threshold 0.5). */
export interface PhaseScores {
  /** Mean loss (BCE + soft Dice). */
  readonly loss: number;
  /** Precision, macro-averaged over lumen and wall. */
  readonly precision: number;
  /** Recall, macro-averaged over lumen and wall. */
  readonly recall: number;
  /** F1 (pixel Dice), macro-averaged over lumen and wall. */
  readonly f1: number;
  /** F1 of each structure. */
  readonly f1ByStructure: { readonly lumen: number; readonly wall: number };
}

/** One epoch of training history. */
export interface EpochRecord {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Scores on the (augmented) training batches, in training mode. */
  readonly train: PhaseScores;
  /** Scores on the validation patients, in inference mode; `null` without validation data. */
  readonly validation: PhaseScores | null;
  /** Optimizer steps in this epoch. */
  readonly steps: number;
  /** Wall-clock seconds of this epoch. */
  readonly seconds: number;
}

/** Scores from accumulated `[tp, fp, fn]` counts per structure (lumen, wall). */
export function scoresFromCounts(
  loss: number,
  counts: readonly (readonly [number, number, number])[],
): PhaseScores {
  const per = counts.map(([tp, fp, fn]) => {
    const precision = tp + fp === 0 ? (fn === 0 ? 1 : 0) : tp / (tp + fp);
    const recall = tp + fn === 0 ? (fp === 0 ? 1 : 0) : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1 };
  });
  const avg = (k: 'precision' | 'recall' | 'f1'): number =>
    per.reduce((a, s) => a + s[k], 0) / Math.max(1, per.length);
  return {
    loss,
    precision: avg('precision'),
    recall: avg('recall'),
    f1: avg('f1'),
    f1ByStructure: { lumen: per[0]?.f1 ?? Number.NaN, wall: per[1]?.f1 ?? Number.NaN },
  };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/**
 * An SVG plot of training curves: loss (left) and precision, recall, F1 (right) on training
 * (solid) and validation (dashed) data per epoch. Self-contained, no scripts.
 */
export function trainingCurvesSvg(
  history: readonly EpochRecord[],
  title = 'U-Net training',
): string {
  const W = 960;
  const H = 380;
  const panels = [
    { x: 60, key: 'loss' as const, label: 'loss (BCE + soft Dice)' },
    { x: 540, key: 'scores' as const, label: 'precision / recall / F1' },
  ];
  const pw = 380;
  const ph = 270;
  const top = 50;
  const n = Math.max(1, history.length);
  const xOf = (x0: number, e: number): number => x0 + (n === 1 ? pw / 2 : ((e - 1) / (n - 1)) * pw);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`,
  ];
  const losses = history
    .flatMap((h) => [h.train.loss, h.validation?.loss ?? Number.NaN])
    .filter(Number.isFinite);
  const maxLoss = Math.max(1e-6, ...losses);
  for (const p of panels) {
    const yMax = p.key === 'loss' ? maxLoss : 1;
    const yOf = (v: number): number => top + ph - (v / yMax) * ph;
    parts.push(
      `<rect x="${p.x}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
      `<text x="${p.x + pw / 2}" y="${top + ph + 34}" text-anchor="middle">epoch (1–${history.length}) — ${esc(p.label)}</text>`,
    );
    for (let t = 0; t <= 4; t++) {
      const v = (yMax * t) / 4;
      parts.push(
        `<text x="${p.x - 6}" y="${yOf(v) + 4}" text-anchor="end">${v.toPrecision(2)}</text>`,
        `<line x1="${p.x}" x2="${p.x + pw}" y1="${yOf(v)}" y2="${yOf(v)}" stroke="#eee"/>`,
      );
    }
    const series: { name: 'loss' | 'precision' | 'recall' | 'f1'; color: string }[] =
      p.key === 'loss'
        ? [{ name: 'loss', color: '#d62728' }]
        : [
            { name: 'precision', color: '#1f77b4' },
            { name: 'recall', color: '#2ca02c' },
            { name: 'f1', color: '#9467bd' },
          ];
    let legendY = top + 14;
    for (const s of series) {
      const key = s.name;
      for (const phase of ['train', 'validation'] as const) {
        const pts = history
          .map((h) => {
            const sc = phase === 'train' ? h.train : h.validation;
            return sc === null
              ? null
              : `${xOf(p.x, h.epoch).toFixed(1)},${yOf(sc[key]).toFixed(1)}`;
          })
          .filter((v): v is string => v !== null);
        if (pts.length === 0) continue;
        const dash = phase === 'validation' ? ' stroke-dasharray="5,4"' : '';
        parts.push(
          `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts.join(' ')}"/>`,
          `<line x1="${p.x + pw - 150}" x2="${p.x + pw - 120}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${s.color}" stroke-width="2"${dash}/>`,
          `<text x="${p.x + pw - 115}" y="${legendY}">${s.name} (${phase})</text>`,
        );
        legendY += 15;
      }
    }
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

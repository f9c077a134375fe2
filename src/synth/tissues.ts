import type { Weighting } from '../protocol/index.js';

/**
 * Tissue classes of the body phantom, in label order: a voxel's label is its index here
 * (0 is air, i.e. background).
 */
export const TISSUES = [
  'air',
  'fat',
  'muscle',
  'bone',
  'marrow',
  'csf',
  'grey-matter',
  'white-matter',
  'blood',
  'myocardium',
  'lung',
  'liver',
  'spleen',
  'kidney',
  'fluid',
  'cartilage',
  'disc',
  'bowel',
  'spinal-cord',
] as const;
/** A tissue class; see {@link TISSUES}. */
export type Tissue = (typeof TISSUES)[number];

/** The label (index into {@link TISSUES}) of each tissue. */
export const LABEL = Object.fromEntries(TISSUES.map((t, i) => [t, i])) as Readonly<
  Record<Tissue, number>
>;

/**
 * Relative signal of each tissue (0–1000) for each weighting, in {@link TISSUES} order.
 *
 * @remarks
 * Rough but plausible 3 T contrasts, ordered as radiology texts describe them (e.g. Westbrook,
 * "MRI in Practice", 5th ed., ch. 2–3): on T1w fat and white matter are bright and fluid dark; on
 * T2w fluid is brightest and flowing blood a flow void; FLAIR nulls CSF; fat saturation darkens fat
 * and fatty marrow; bSSFP makes blood bright (T2/T1 contrast); black-blood preparation nulls blood;
 * DWI b = 1000 s/mm² darkens free water and, with fat saturation, fat. The exact numbers are
 * made up: the phantom is for pipeline and QA tests, not for relaxometry.
 */
// prettier-ignore
const RELATIVE_SIGNAL: Readonly<Record<Weighting, readonly number[]>> = {
  //          air  fat  musc bone marr csf  gm   wm  blood myo lung liver spl  kid  fluid cart disc bowel cord
  'T1w':     [  0, 950, 380,  20, 800,  90, 480, 720, 200, 400,  25, 560, 420, 430,  90, 350, 320, 350, 600],
  'T2w':     [  0, 620, 160,  15, 480, 980, 520, 380,  40, 180,  20, 200, 480, 520, 1000, 300, 700, 450, 420],
  'PDw':     [  0, 850, 550,  30, 750, 900, 780, 680, 350, 560,  40, 640, 720, 700, 900, 600, 700, 600, 680],
  'PDw-FS':  [  0,  70, 300,  15, 110, 900, 500, 420, 200, 320,  20, 300, 450, 450, 950, 560, 650, 400, 450],
  'FLAIR':   [  0, 380, 220,  15, 300,  40, 620, 470,  60, 250,  20, 250, 300, 300,  50, 300, 350, 300, 480],
  'T2starw': [  0, 500, 300,  10, 250, 820, 600, 480, 120, 300,  10, 150, 250, 350, 850, 350, 400, 300, 450],
  'DWI':     [  0,  40, 120,   5,  60,  90, 560, 500,  20, 150,   5, 220, 500, 420,  70, 200, 250, 300, 450],
  'bSSFP':   [  0, 800, 250,  20, 600, 900, 450, 380, 950, 260,  35, 330, 450, 480, 900, 350, 600, 450, 400],
  'BB-T1w':  [  0, 120, 420,  15, 150, 150, 450, 600,  15, 430,  20, 500, 400, 420, 120, 350, 300, 350, 550],
};

/**
 * Nominal signal-to-noise ratio of each weighting: the reference signal (relative 1000) over the
 * noise σ of one channel. Lower for DWI and black-blood, as those images are noisier in practice.
 */
export const NOMINAL_SNR: Readonly<Record<Weighting, number>> = {
  T1w: 35,
  T2w: 28,
  PDw: 32,
  'PDw-FS': 22,
  FLAIR: 24,
  T2starw: 20,
  DWI: 12,
  bSSFP: 30,
  'BB-T1w': 18,
};

/**
 * Stored pixel value of relative signal 1000: 12-bit data (0–4095) keep headroom above the
 * brightest tissue for the noise and for fluid that exceeds the reference.
 */
export const REFERENCE_SIGNAL = 2400;

/** Signal of every tissue for `weighting`, in stored pixel values, indexed by label. */
export function tissueSignals(weighting: Weighting): Float64Array {
  return Float64Array.from(RELATIVE_SIGNAL[weighting], (r) => (r * REFERENCE_SIGNAL) / 1000);
}

import type { DrugDefinition } from './drug-definition.js';

const STEGMANN =
  'Stegmann, Lavall et al., Clin Res Cardiol 2023 (abstract; NCT04498780): 117 HFrEF, 6 mo, non-invasive PV analysis, medians';
const FRONT_CVM = 'Front Cardiovasc Med 2022;9:883769: 50 HFrEF, 6 mo';
const PROVE_HF = 'Januzzi et al., PROVE-HF, JAMA 2019;322:1085 (PMC6724151): 794 HFrEF, 12 mo';
const EVALUATE_HF =
  'Desai et al., EVALUATE-HF, JAMA 2019;322:1077; secondary analysis Circ Heart Fail 2021;14:e007891: vs enalapril, 12 wk';
const THURMANN =
  'Thürmann et al., Circulation 1998;98:2037: valsartan vs atenolol, hypertensive LVH, 8 mo';

/**
 * Sacubitril/valsartan (Entresto) in HFrEF, mapped onto the LV model as in
 * science/cardiovascular.md §2.2–2.3.
 *
 * @remarks
 * - acute: Emax × 1.18 (Ees 0.66 → 0.78, Stegmann) and R_p × 0.92 (Ea −8 %, Stegmann).
 * - chronic: acute plus P_la −1.8 mmHg (LVEDP 19.6 → 17.8) and an EDPVR shift V0ed −28.5 mL,
 *   the shift that takes the Stegmann-median baseline (single-V0 fit, Emin 0.0804) to the
 *   reported LVEDV 165 mL at LVEDP 17.8.
 * - P_la belongs to `chronic` only: the LVEDP change was measured at 6 months, and lowering
 *   P_la acutely would shrink EDV by ≈ 22 mL, against the §2.3 acute oracle (EDV unchanged).
 * - SDs are modelling assumptions spanning the published range (Emax × 1.18 Stegmann to × 1.34
 *   Front CVM 2022; Ea −8 % to −18 %), not reported between-patient SDs.
 * - R_c unchanged (EVALUATE-HF: ΔZc ≈ 0.002 mmHg·s/mL).
 */
export const ENTRESTO: DrugDefinition = {
  id: 'entresto',
  name: 'sacubitril/valsartan (Entresto)',
  aliases: ['sacubitril-valsartan', 'sacubitril/valsartan', 'lcz696', 'arni'],
  description:
    'Angiotensin receptor–neprilysin inhibitor. Acute: higher contractility (Emax) and lower afterload (R_p); chronic: plus lower filling pressure (P_la) and reverse remodelling (EDPVR shifted left, V0ed). Sizes from the Stegmann 2023 PV-analysis cohort; see science/cardiovascular.md §2.',
  effects: [
    {
      parameter: 'emax',
      operation: 'multiply',
      value: 1.18,
      sd: 0.08,
      scenarios: ['acute', 'chronic'],
      source: `${STEGMANN}: Ees 0.66 → 0.78 mmHg/mL; range to × 1.34 (${FRONT_CVM}: Ees 1.01 → 1.35)`,
      note: 'contractility ↑',
    },
    {
      parameter: 'rp',
      operation: 'multiply',
      value: 0.92,
      sd: 0.05,
      scenarios: ['acute', 'chronic'],
      source: `${STEGMANN}: Ea 1.76 → 1.62 (−8 %); ${FRONT_CVM}: Ea −18 %`,
      note: 'afterload ↓. Scaling R_p by ΔEa overstates the BP fall (§2.3): calibrate SBP to the trial-average change where BP matters.',
    },
    {
      parameter: 'pla',
      operation: 'add',
      value: -1.8,
      sd: 1.0,
      scenarios: ['chronic'],
      source: `${STEGMANN}: LVEDP 19.6 → 17.8 mmHg`,
      note: 'preload / filling pressure ↓ (ΔPCWP ≈ 1.24·Δ(E/e′), Nagueh)',
    },
    {
      parameter: 'v0ed',
      operation: 'add',
      value: -28.5,
      sd: 10,
      scenarios: ['chronic'],
      source: `${STEGMANN}: LVEDV 216 → 165 mL; ${PROVE_HF}: LVEDVI −15 %`,
      note: 'reverse remodelling: EDPVR shifted left so that the Stegmann-median ventricle reaches EDV 165 mL at EDP 17.8 mmHg (science/cardiovascular.md §2.3)',
    },
  ],
  geometry: [
    {
      quantity: 'lvMassIndex',
      unit: 'g/m²',
      operation: 'multiply',
      value: 0.83,
      sd: 0.1,
      scenarios: ['chronic'],
      source: `${THURMANN}: LVMI 127 ± 23 → 106 ± 25 g/m² (−21 g/m²)`,
      note: 'valsartan component, measured as monotherapy in hypertensive LVH, not in HFrEF; not a 0D parameter: reduce wall thickness in the 3D LV geometry',
    },
  ],
  typicalSbpChange: {
    value: -4,
    source:
      'PARADIGM-HF SBP −3.2 ± 0.4 mmHg vs enalapril at 8 mo; PARAGON-HF −5.2 mmHg vs valsartan at 4 wk (PMC8109279); EVALUATE-HF MAP −3.0 mmHg',
  },
  reported: [
    {
      study: 'PROVE-HF',
      metric: 'ef',
      delta: 9.4,
      unit: '%',
      scenario: 'chronic',
      source: `${PROVE_HF}: LVEF 28.2 → 37.8 %`,
    },
    {
      study: 'PROVE-HF',
      metric: 'edvi',
      delta: -12.8,
      unit: 'mL/m²',
      scenario: 'chronic',
      source: `${PROVE_HF}: LVEDVI 86.93 → 74.15`,
    },
    {
      study: 'PROVE-HF',
      metric: 'esvi',
      delta: -16.2,
      unit: 'mL/m²',
      scenario: 'chronic',
      source: `${PROVE_HF}: LVESVI 61.68 → 45.46`,
    },
    {
      study: 'Stegmann 2023',
      metric: 'ef',
      delta: 10,
      unit: '%',
      scenario: 'chronic',
      source: `${STEGMANN}: LVEF 33 → 43 %`,
    },
    {
      study: 'Stegmann 2023',
      metric: 'edv',
      delta: -51,
      unit: 'mL',
      scenario: 'chronic',
      source: `${STEGMANN}: LVEDV 216 → 165`,
    },
    {
      study: 'Stegmann 2023',
      metric: 'esv',
      delta: -46,
      unit: 'mL',
      scenario: 'chronic',
      source: `${STEGMANN}: LVESV 142 → 96`,
    },
    {
      study: 'Stegmann 2023',
      metric: 'edp',
      delta: -1.8,
      unit: 'mmHg',
      scenario: 'chronic',
      source: `${STEGMANN}: LVEDP 19.6 → 17.8`,
    },
    {
      study: 'Stegmann 2023',
      metric: 'ea',
      delta: -0.14,
      unit: 'mmHg/mL',
      scenario: 'chronic',
      source: `${STEGMANN}: Ea 1.76 → 1.62`,
    },
    {
      study: 'Stegmann 2023',
      metric: 'ees',
      delta: 0.12,
      unit: 'mmHg/mL',
      scenario: 'chronic',
      source: `${STEGMANN}: Ees 0.66 → 0.78`,
    },
    {
      study: 'EVALUATE-HF',
      metric: 'map',
      delta: -3.0,
      unit: 'mmHg',
      scenario: 'chronic',
      source: `${EVALUATE_HF}: MAP −3.0 ± 0.8 mmHg, between-group difference vs enalapril`,
    },
  ],
};

/**
 * Valsartan monotherapy (angiotensin receptor blocker): afterload and LV mass. R_p × 0.89 is the
 * MAP fall of Thürmann 1998 (163/101 → 146/90 mmHg, MAP 121.7 → 108.7) under the assumption of
 * unchanged cardiac output; the LV mass index ratio 0.83 is reported.
 */
export const VALSARTAN: DrugDefinition = {
  id: 'valsartan',
  name: 'valsartan',
  aliases: ['diovan'],
  description:
    'Angiotensin II receptor blocker: lower peripheral resistance (R_p) and, over months, regression of LV hypertrophy (a geometry effect, reported for the 3D model).',
  effects: [
    {
      parameter: 'rp',
      operation: 'multiply',
      value: 0.89,
      sd: 0.05,
      scenarios: ['acute', 'chronic'],
      source: `${THURMANN}: BP 163/101 → 146/90 mmHg`,
      note: 'MAP ratio 108.7/121.7, assuming unchanged cardiac output',
    },
  ],
  geometry: [
    {
      quantity: 'lvMassIndex',
      unit: 'g/m²',
      operation: 'multiply',
      value: 0.83,
      sd: 0.1,
      scenarios: ['chronic'],
      source: `${THURMANN}: LVMI 127 ± 23 → 106 ± 25 g/m² (−21 g/m², ratio 0.83)`,
      note: 'not a 0D parameter: reduce wall thickness in the 3D LV geometry',
    },
  ],
  typicalSbpChange: { value: -17, source: `${THURMANN}: SBP 163 → 146 mmHg` },
  reported: [
    {
      study: 'Thürmann 1998',
      metric: 'sbp',
      delta: -17,
      unit: 'mmHg',
      scenario: 'chronic',
      source: `${THURMANN}: SBP 163 → 146`,
    },
  ],
};

/** The built-in drug-effect library. */
export const BUILTIN_DRUGS: readonly DrugDefinition[] = [ENTRESTO, VALSARTAN];

import { PlatformError } from '../../core/index.js';
import type { Random } from '../random.js';
import type { LvEchoCaseSpec } from './lv-cycle.js';

/** Mosteller body surface area, `√(height·weight/3600)`, in m² (height in cm, weight in kg). */
export function bsaMosteller(heightCm: number, weightKg: number): number {
  return Math.sqrt((heightCm * weightKg) / 3600);
}

/**
 * The fixed cases, in order: a normal ventricle (the H75 reference of the LV model: EDV 120,
 * ESV 50 mL, 75 bpm, LV mass 140 g), the dilated HFrEF ventricle of the sacubitril/valsartan
 * example (Stegmann medians: EDV 216, ESV 142 mL, 70 bpm, mass 210 g) and the same patient after
 * treatment (EDV 165, ESV 96 mL; reverse remodelling, mass 190 g).
 */
export const LV_ECHO_FIXED_CASES: readonly Omit<LvEchoCaseSpec, 'caseId'>[] = [
  {
    description: 'normal LV (H75)',
    edvMl: 120,
    esvMl: 50,
    heartRateBpm: 75,
    longAxisEdMm: 85,
    truncation: 0.5,
    sectionRatio: 1.05,
    longAxisShare: 0.2,
    wallVolumeMl: 140 / 1.05,
    apexWallRatio: 0.8,
    tiltDeg: { a4c: 6, a2c: -4 },
    apexDepthMm: 22,
    patient: { sex: 'M', ageYears: 58, heightCm: 175, weightKg: 75 },
  },
  {
    description: 'dilated LV, HFrEF (EF 34 %)',
    edvMl: 216,
    esvMl: 142,
    heartRateBpm: 70,
    longAxisEdMm: 98,
    truncation: 0.4,
    sectionRatio: 1.03,
    longAxisShare: 0.25,
    wallVolumeMl: 210 / 1.05,
    apexWallRatio: 0.7,
    tiltDeg: { a4c: 10, a2c: -8 },
    apexDepthMm: 20,
    patient: { sex: 'M', ageYears: 66, heightCm: 178, weightKg: 84 },
  },
  {
    description: 'HFrEF after sacubitril/valsartan (reverse remodelling, EF 42 %)',
    edvMl: 165,
    esvMl: 96,
    heartRateBpm: 70,
    longAxisEdMm: 92,
    truncation: 0.42,
    sectionRatio: 1.03,
    longAxisShare: 0.22,
    wallVolumeMl: 190 / 1.05,
    apexWallRatio: 0.75,
    tiltDeg: { a4c: 9, a2c: -7 },
    apexDepthMm: 20,
    patient: { sex: 'M', ageYears: 67, heightCm: 178, weightKg: 83 },
  },
];

/** Case id of the case at `index` (0-based): `lv-001`, `lv-002`, … */
export function lvEchoCaseId(index: number): string {
  return `lv-${String(index + 1).padStart(3, '0')}`;
}

/**
 * The case at `index`: one of {@link LV_ECHO_FIXED_CASES}, then random ventricles drawn from
 * `random` within normal adult ranges (EDV 80–160 mL, EF 45–70 %, 55–95 bpm, LV mass index
 * 60–105 g/m²; Lang et al. 2015, JASE 28:1–39).
 */
export function lvEchoCase(index: number, random: Random): LvEchoCaseSpec {
  if (!Number.isInteger(index) || index < 0)
    throw new PlatformError('ERR_SYNTH', `case index must be ≥ 0, got ${index}`);
  const caseId = lvEchoCaseId(index);
  const fixed = LV_ECHO_FIXED_CASES[index];
  if (fixed !== undefined) return { caseId, ...fixed };
  const r = (lo: number, hi: number, digits = 1): number =>
    Number(random.uniform(lo, hi).toFixed(digits));
  const sex = random.next() < 0.5 ? 'F' : 'M';
  const heightCm = sex === 'F' ? r(155, 178, 0) : r(165, 192, 0);
  const weightKg = sex === 'F' ? r(50, 90, 0) : r(62, 105, 0);
  const edvMl = r(80, 160);
  const ef = r(0.45, 0.7, 3);
  const bsa = bsaMosteller(heightCm, weightKg);
  return {
    caseId,
    description: 'random adult LV',
    edvMl,
    esvMl: Number((edvMl * (1 - ef)).toFixed(1)),
    heartRateBpm: r(55, 95, 0),
    // Length grows with the cube root of the volume around 85 mm at 120 mL.
    longAxisEdMm: Number((85 * (edvMl / 120) ** (1 / 3) * random.uniform(0.94, 1.06)).toFixed(1)),
    truncation: r(0.35, 0.6, 2),
    sectionRatio: r(0.95, 1.12, 2),
    longAxisShare: r(0.15, 0.3, 2),
    wallVolumeMl: Number(((r(60, 105) * bsa) / 1.05).toFixed(1)),
    apexWallRatio: r(0.65, 0.9, 2),
    tiltDeg: { a4c: r(-14, 14), a2c: r(-14, 14) },
    apexDepthMm: r(16, 28),
    patient: { sex, ageYears: Math.round(random.uniform(30, 82)), heightCm, weightKg },
  };
}

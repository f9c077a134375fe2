import { PlatformError } from '../core/index.js';
import { createRng, shuffleInPlace } from './random.js';

/** Patient ids of each split. */
export interface PatientSplit {
  readonly train: readonly string[];
  readonly validation: readonly string[];
  readonly test: readonly string[];
}

/**
 * Splits patients (never images) into training, validation and test sets in the given ratio
 * (8:1:1 by default, as the study), after a seeded shuffle; with at least 3 patients every set
 * gets one. The same ids and seed always give the same split.
 *
 * @param patientIds - ids of the samples (duplicates allowed: one per image).
 * @param ratio - relative sizes of train, validation and test.
 * @param seed - shuffle seed.
 */
export function splitByPatient(
  patientIds: readonly string[],
  ratio: readonly [number, number, number] = [8, 1, 1],
  seed = 1,
): PatientSplit {
  const unique = [...new Set(patientIds)].sort();
  const n = unique.length;
  if (n < 3)
    throw new PlatformError(
      'ERR_SEGMENT_TRAIN',
      `need images of at least 3 patients to split into training, validation and test, got ${n}`,
    );
  const total = ratio[0] + ratio[1] + ratio[2];
  if (!(ratio.every((r) => r >= 0) && total > 0))
    throw new PlatformError('ERR_SEGMENT_TRAIN', `bad split ratio ${ratio.join(':')}`);
  shuffleInPlace(unique, createRng(seed));
  let nVal = Math.max(1, Math.round((n * ratio[1]) / total));
  let nTest = Math.max(1, Math.round((n * ratio[2]) / total));
  if (ratio[1] === 0) nVal = 0;
  if (ratio[2] === 0) nTest = 0;
  const nTrain = n - nVal - nTest;
  if (nTrain < 1) {
    throw new PlatformError(
      'ERR_SEGMENT_TRAIN',
      `too few patients (${n}) for ratio ${ratio.join(':')}`,
    );
  }
  return {
    train: unique.slice(0, nTrain),
    validation: unique.slice(nTrain, nTrain + nVal),
    test: unique.slice(nTrain + nVal),
  };
}

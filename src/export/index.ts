/**
 * Export of catalogued series: de-identified DICOM, NIfTI-1 volumes, PNG frames.
 * @packageDocumentation
 */
export { exportSeries, EXPORT_FORMATS } from './export-series.js';
export type { ExportFormat, ExportResult, ExportSeriesOptions } from './export-series.js';

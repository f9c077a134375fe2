// Dependency rules of docs/architecture.md: core is a leaf, stages are independent libraries,
// everything enters a stage through its index.ts.
const STAGES = 'dicom|store|qa|segment|reconstruct|simulate|synth|formats';
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-is-a-leaf',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'stages-are-independent',
      severity: 'error',
      comment:
        'A stage imports core/ and itself; pipeline/, ingest/ and cli/ wire stages together.',
      from: { path: `^src/(${STAGES})/`, pathNot: '^src/synth/' },
      to: { path: `^src/(${STAGES}|ingest|pipeline|server|cli|web)/`, pathNot: '^src/$1/' },
    },
    {
      name: 'protocol-is-shared',
      severity: 'error',
      comment: 'The protocol spec is read by synth/ and qa/ alike, so it depends on core/ only.',
      from: { path: '^src/protocol/' },
      to: { path: '^src/(?!core/|protocol/)' },
    },
    {
      name: 'synth-writes-dicom-only',
      severity: 'error',
      comment:
        'Synthetic data are DICOM files following a protocol: synth/ may use the indexes of dicom/ and protocol/ besides core/.',
      from: { path: '^src/synth/' },
      to: {
        path: `^src/(${STAGES}|ingest|pipeline|server|cli|web|export|workspace)/`,
        pathNot: ['^src/synth/', '^src/dicom/index[.]ts$', '^src/protocol/index[.]ts$'],
      },
    },
    {
      name: 'enter-stages-by-their-index',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: `^src/(${STAGES}|core|ingest|protocol)/(?!index[.]ts$)`, pathNot: '^src/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

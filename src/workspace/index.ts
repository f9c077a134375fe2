/**
 * The data directory: configuration, catalog, blob store, quarantine and project secrets, opened
 * together. Shell code (CLI, server, pipeline) enters the store through here.
 * @packageDocumentation
 */
export { Workspace, writeDefaultConfig } from './workspace.js';
export { loadConfig, CONFIG_FILE, DEFAULT_PROJECT } from './config.js';
export type { BlobCompression, ConfigOverrides, MedscaleConfig, ProjectConfig } from './config.js';
export { projectSecret, checkProjectName } from './project-secret.js';

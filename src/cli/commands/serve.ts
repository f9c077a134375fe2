import { PlatformError, errorMessage } from '../../core/index.js';
import { readProtocolFile } from '../../protocol/index.js';
import { startQaWatcher } from '../../qa-runner/index.js';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { Ingestor } from '../../ingest/index.js';
import { startDimseService } from '../../node/index.js';
import { buildApp } from '../../server/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides, parsePositiveInt } from '../global-options.js';

interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly project?: string;
  readonly workers?: number;
  readonly maxBodyMb?: number;
  readonly dicomPort: number;
  /** False with `--no-dicom`. */
  readonly dicom: boolean;
  readonly aet: string;
  /** `--allow AE=SITE`: calling AE titles allowed over DIMSE, each with its site. */
  readonly allow?: readonly string[];
  /** `--move-dest AE=HOST:PORT`: C-MOVE destinations. */
  readonly moveDest?: readonly string[];
  /** `--qa-protocol FILE`: check sessions against this protocol as their series settle. */
  readonly qaProtocol?: string;
  /** `--qa-stable-seconds N`: a series is complete after N seconds without a new instance. */
  readonly qaStableSeconds: number;
}

/**
 * Parses `AE=SITE` pairs (PS3.8 §9.3.2: AE titles are at most 16 characters, no backslash); an
 * AE alone maps to no site. Throws `ERR_USAGE` naming the bad pair.
 */
export function parseAllowedCallers(pairs: readonly string[]): Record<string, string> {
  const callers: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const ae = (at < 0 ? pair : pair.slice(0, at)).trim();
    const site = at < 0 ? '' : pair.slice(at + 1).trim();
    if (ae === '' || ae.length > 16 || ae.includes('\\')) {
      throw new PlatformError(
        'ERR_USAGE',
        `--allow "${pair}": expected AE=SITE with an AE title of 1-16 characters`,
      );
    }
    callers[ae] = site;
  }
  return callers;
}

/**
 * Parses `AE=HOST:PORT` C-MOVE destinations (an IPv6 host in brackets: `AE=[::1]:104`). Throws
 * `ERR_USAGE` naming the bad one.
 */
export function parseMoveDestinations(
  pairs: readonly string[],
): Record<string, { host: string; port: number }> {
  const destinations: Record<string, { host: string; port: number }> = {};
  for (const pair of pairs) {
    const match = /^([^=]+)=(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(pair.trim());
    const ae = match?.[1]?.trim() ?? '';
    const host = (match?.[2] ?? match?.[3] ?? '').trim();
    const port = Number(match?.[4]);
    if (
      ae === '' ||
      ae.length > 16 ||
      ae.includes('\\') ||
      host === '' ||
      !Number.isInteger(port) ||
      port < 1 ||
      port > 65535
    ) {
      throw new PlatformError(
        'ERR_USAGE',
        `--move-dest "${pair}": expected AE=HOST:PORT with an AE title of 1-16 characters`,
      );
    }
    destinations[ae] = { host, port };
  }
  return destinations;
}

/** A service started beside the HTTP server (the DIMSE listener), stopped with it. */
export interface ExtraService {
  readonly name: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts an extra service on the open workspace, or returns undefined when it is not wanted. */
export type ExtraServiceStarter = (
  workspace: Workspace,
  ingestor: Ingestor,
  options: ServeOptions & { readonly project: string },
) => Promise<ExtraService | undefined>;

/**
 * The DIMSE listener (C-ECHO, C-STORE, C-FIND, C-GET, C-MOVE; src/node), started beside HTTP unless
 * `--no-dicom`. It runs its own ingestor (tuned for one-instance-at-a-time C-STORE), so the two
 * protocols commit independently into the same catalog.
 */
const startDimse: ExtraServiceStarter = async (workspace, _ingestor, options) => {
  if (!options.dicom) return undefined;
  const service = await startDimseService(workspace, {
    project: options.project,
    host: options.host,
    port: options.dicomPort,
    aeTitle: options.aet,
    ...(options.allow === undefined || options.allow.length === 0
      ? {}
      : { allowedCallers: parseAllowedCallers(options.allow) }),
    ...(options.moveDest === undefined || options.moveDest.length === 0
      ? {}
      : { moveDestinations: parseMoveDestinations(options.moveDest) }),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
  if (options.allow === undefined || options.allow.length === 0) {
    process.stderr.write(
      'medscale serve: DIMSE accepts any calling AE title; restrict it with --allow AE=SITE\n',
    );
  } else {
    const allowed = parseAllowedCallers(options.allow);
    for (const ae of Object.keys(parseMoveDestinations(options.moveDest ?? []))) {
      if (!(ae in allowed)) {
        process.stderr.write(
          `medscale serve: C-MOVE to ${ae} will be refused (0xA801): add --allow ${ae}=SITE\n`,
        );
      }
    }
  }
  return {
    name: `DIMSE ${service.server.aeTitle}`,
    port: service.server.port,
    close: () => service.close(),
  };
};

/**
 * Real-time QA (src/qa-runner): with `--qa-protocol`, each study is checked against the protocol
 * once its series have been stable for `--qa-stable-seconds`; results go to the catalog.
 */
const startQa: ExtraServiceStarter = async (workspace, _ingestor, options) => {
  if (options.qaProtocol === undefined) return undefined;
  const protocol = await readProtocolFile(options.qaProtocol);
  const watcher = startQaWatcher(workspace, {
    protocol,
    stableAfterMs: options.qaStableSeconds * 1000,
    onChecked: (session) => {
      process.stdout.write(
        `medscale serve: QA ${session.status} ${session.subject} ${session.studyInstanceUid}\n`,
      );
    },
    onError: (error, study) => {
      process.stderr.write(
        `medscale serve: QA of ${study ?? 'the catalog'} failed: ${errorMessage(error)}\n`,
      );
    },
  });
  return {
    name: `QA against ${protocol.name} ${protocol.protocolVersion} (series stable after ${options.qaStableSeconds} s)`,
    port: 0,
    close: () => watcher.close(),
  };
};

/**
 * Services started alongside HTTP, after it listens, and closed before the HTTP ingestor. The
 * extension point for further listeners.
 */
export const EXTRA_SERVICES: ExtraServiceStarter[] = [startDimse, startQa];

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError(`expected a port 0..65535, got "${value}"`);
  }
  return n;
}

/** `medscale serve`: DICOMweb and the JSON API over HTTP, until SIGINT or SIGTERM. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'serve DICOMweb (STOW-RS, QIDO-RS, WADO-RS) and the JSON API over HTTP, and DIMSE over the DICOM port',
    )
    .option('--port <n>', 'HTTP port', parsePort, 8042)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('-p, --project <name>', 'project STOW-RS stores into (default from the config)')
    .option('--workers <n>', 'ingest worker threads (default: one per core)', parsePositiveInt)
    .option('--max-body-mb <n>', 'largest STOW-RS request, in MB (default 1024)', parsePositiveInt)
    .option(
      '--dicom-port <n>',
      'DIMSE port (C-ECHO, C-STORE, C-FIND, C-GET, C-MOVE)',
      parsePort,
      11112,
    )
    .option('--no-dicom', 'do not start the DIMSE listener')
    .option('--aet <title>', 'DIMSE AE title', 'MEDSCALE')
    .option(
      '--allow <ae=site...>',
      'calling AE titles allowed over DIMSE, each mapped to its site (others are rejected at association)',
    )
    .option(
      '--move-dest <ae=host:port...>',
      'C-MOVE destinations: AE title, host and port of each; with --allow, each must be allowed too (others get 0xA801)',
    )
    .option('--qa-protocol <file>', 'check each session against this protocol as it arrives')
    .option(
      '--qa-stable-seconds <n>',
      'seconds without a new instance after which a series is complete and QA runs',
      parsePositiveInt,
      10,
    )
    .action(async (options: ServeOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const workspace = await Workspace.open(globalOverrides(global));
      const project = options.project ?? workspace.config.defaultProject;
      const ingestor = await Ingestor.start(workspace, {
        project,
        ...(options.workers === undefined ? {} : { workers: options.workers }),
      });
      const app = await buildApp({
        workspace,
        ingestor,
        logger: true,
        ...(options.maxBodyMb === undefined ? {} : { maxBodyBytes: options.maxBodyMb * 1e6 }),
      });
      const extras: ExtraService[] = [];
      const stop = async (): Promise<void> => {
        // HTTP first (no new requests; in-flight STOW-RS finish), then the extras, then the
        // ingestor commits what is pending, then the catalog closes.
        await app.close();
        for (const extra of extras) await extra.close();
        await ingestor.close();
        await workspace.close();
      };
      try {
        const address = await app.listen({ port: options.port, host: options.host });
        for (const start of EXTRA_SERVICES) {
          const extra = await start(workspace, ingestor, { ...options, project });
          if (extra !== undefined) extras.push(extra);
        }
        process.stdout.write(
          `medscale serve: project "${project}", DICOMweb ${address}/dicom-web, API ${address}/api\n`,
        );
        for (const extra of extras) {
          process.stdout.write(
            extra.port === 0
              ? `medscale serve: ${extra.name}\n`
              : `medscale serve: ${extra.name} on port ${extra.port}\n`,
          );
        }
      } catch (error) {
        await stop();
        throw error;
      }
      await new Promise<void>((resolve) => {
        const onSignal = (signal: string): void => {
          process.stdout.write(`medscale serve: ${signal}, shutting down\n`);
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      await stop();
    });
}

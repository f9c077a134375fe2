// Debian's Orthanc (orthanc + orthanc-dicomweb, scripts/install-system-deps.sh) as a real DICOM and
// DICOMweb peer. Orthanc has no bind-address setting and servers we start may listen on 127.0.0.1
// only, so Orthanc runs only inside a private network namespace (`unshare -n`, loopback only),
// together with the medscale side it talks to: {@link runInNetns} starts a Node child there, which
// starts Orthanc with {@link startOrthanc} and reports JSON on stdout.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ORTHANC_BIN = '/usr/sbin/Orthanc';
export const ORTHANC_DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';
const REPO_ROOT = join(import.meta.dirname, '../..');

/** Starts the one stdout line {@link runInNetns} reads as the child's JSON result. */
export const RESULT_PREFIX = 'ORTHANC-NETNS-RESULT ';

/**
 * A new network namespace (loopback only) and PID namespace: when the child's first process (Node)
 * ends, however it ends, the kernel kills whatever it left there (Orthanc); `--kill-child` ends
 * that process when `unshare` is killed.
 */
const UNSHARE = ['--net', '--pid', '--fork', '--kill-child'] as const;

/** Why the Orthanc peer cannot run here, or null when it can. */
export function orthancUnavailable(): string | null {
  if (!existsSync(ORTHANC_BIN)) return `${ORTHANC_BIN} not installed (apt-get install orthanc)`;
  if (!existsSync(ORTHANC_DICOMWEB_PLUGIN)) {
    return `${ORTHANC_DICOMWEB_PLUGIN} not installed (apt-get install orthanc-dicomweb)`;
  }
  try {
    execFileSync('unshare', [...UNSHARE, 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
  } catch {
    return `\`unshare ${UNSHARE.join(' ')}\` with \`ip link set lo up\` is not permitted here (needs root)`;
  }
  return null;
}

export interface OrthancOptions {
  /** Folder for the configuration, storage and index (created). */
  readonly dir: string;
  readonly aeTitle?: string;
  readonly dicomPort?: number;
  readonly httpPort?: number;
  /** DicomModalities: name → [AE title, host, port]. */
  readonly modalities?: Readonly<Record<string, readonly [string, string, number]>>;
  /** Enables the DICOMweb plugin at /dicom-web/. @defaultValue true */
  readonly dicomWeb?: boolean;
}

export interface Orthanc {
  readonly pid: number;
  readonly aeTitle: string;
  readonly dicomPort: number;
  readonly httpPort: number;
  /** Orthanc's REST API: JSON answer of a request (body: bytes sent as is, or JSON). */
  rest<T = unknown>(method: string, path: string, body?: Uint8Array | object): Promise<T>;
  /** Stops Orthanc (SIGTERM to its PID, SIGKILL after 10 s) and waits for its exit. */
  close(): Promise<void>;
}

/** Starts Orthanc with its own configuration in `dir` and waits until its REST API answers. */
export async function startOrthanc(options: OrthancOptions): Promise<Orthanc> {
  const aeTitle = options.aeTitle ?? 'ORTHANC';
  const dicomPort = options.dicomPort ?? 4242;
  const httpPort = options.httpPort ?? 8042;
  mkdirSync(join(options.dir, 'storage'), { recursive: true });
  const config = {
    Name: 'medscale-interop',
    StorageDirectory: join(options.dir, 'storage'),
    IndexDirectory: join(options.dir, 'storage'),
    DicomAet: aeTitle,
    DicomPort: dicomPort,
    HttpPort: httpPort,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomModalities: options.modalities ?? {},
    Plugins: options.dicomWeb === false ? [] : [ORTHANC_DICOMWEB_PLUGIN],
    DicomWeb: { Enable: options.dicomWeb !== false, Root: '/dicom-web/' },
  };
  const configPath = join(options.dir, 'orthanc.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const child = spawn(ORTHANC_BIN, [configPath], {
    env: { ...process.env, TCP_NODELAY: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    log = (log + chunk).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  if (child.pid === undefined) throw new Error('Orthanc did not start');
  killOnExit(child);
  const base = `http://127.0.0.1:${httpPort}`;

  async function rest<T>(method: string, path: string, body?: Uint8Array | object): Promise<T> {
    const init: RequestInit = { method };
    if (body instanceof Uint8Array) {
      init.body = body;
      init.headers = { 'content-type': 'application/dicom' };
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`Orthanc ${method} ${path}: ${res.status} ${text}`);
    return (text === '' ? null : JSON.parse(text)) as T;
  }

  async function close(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const kill = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), 10_000);
    process.kill(child.pid!, 'SIGTERM');
    await exited;
    clearTimeout(kill);
  }

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited early:\n${log}`);
    try {
      await rest('GET', '/system');
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await close();
        throw new Error(`Orthanc did not answer in 20 s:\n${log}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { pid: child.pid, aeTitle, dicomPort, httpPort, rest, close };
}

/** Registers the child so that it is killed (by PID) when this process exits. */
function killOnExit(child: ChildProcess): void {
  const kill = (): void => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  };
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

/**
 * Runs `node --import tsx script ...args` in a new network namespace with only loopback up, and
 * resolves with the JSON of its stdout line that starts with {@link RESULT_PREFIX} (other output is
 * ignored). Rejects with its stderr when it fails.
 */
export function runInNetns<T>(
  script: string,
  args: readonly string[] = [],
  timeoutMs = 120_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'unshare',
      [
        ...UNSHARE,
        'sh',
        '-c',
        'ip link set lo up && exec "$@"',
        'sh',
        process.execPath,
        '--import',
        'tsx',
        script,
        ...args,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, TCP_NODELAY: '1' }, stdio: 'pipe' },
    );
    killOnExit(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${script} failed (${code ?? signal}):\n${stderr}\n${stdout}`));
        return;
      }
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      try {
        if (line === undefined) throw new Error('no result line');
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
      } catch {
        reject(new Error(`${script} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}

import { execFile } from 'node:child_process';

/** dcmtk needs TCP_NODELAY too, or loopback stalls 40–75 ms per message (DESIGN.md §5). */
export const DCMTK_ENV = { ...process.env, TCP_NODELAY: '1' };

/** Exit code and output of a finished dcmtk tool. */
export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a dcmtk tool without blocking the event loop (the SCP under test lives in this process). */
export function tool(command: string, args: readonly string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(command, args, { env: DCMTK_ENV, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

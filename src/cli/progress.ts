import cliProgress from 'cli-progress';

/** A progress display: a bar on a terminal, occasional plain lines otherwise, nothing with `--json`. */
export interface Progress {
  update(done: number, total: number | undefined, detail: string): void;
  stop(): void;
}

/**
 * Creates the progress display for long work (DESIGN.md §4): a bar when stdout is a terminal (drawn on stderr, so piped output stays clean),
 * a plain line every few seconds otherwise (logs, CI), and nothing when `quiet` (`--json`).
 */
export function createProgress(label: string, quiet: boolean): Progress {
  if (quiet) return { update: () => undefined, stop: () => undefined };
  if (process.stdout.isTTY && process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} {detail}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 200,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, detail) {
        if (!started) {
          bar.start(total ?? done, done, { detail });
          started = true;
        }
        bar.setTotal(Math.max(total ?? done, done));
        bar.update(done, { detail });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  return {
    update(done, total, detail) {
      const now = Date.now();
      if (now - last < 5000) return;
      last = now;
      process.stderr.write(
        `${label}: ${done}${total === undefined ? '' : `/${total}`} ${detail}\n`,
      );
    },
    stop() {
      return undefined;
    },
  };
}

import { isPlatformError, errorMessage } from '../core/index.js';

/** Exit codes of every command (documented in the README). */
export const EXIT = {
  ok: 0,
  /** An error stopped the command; nothing after it ran. */
  error: 1,
  /** Bad usage: unknown option, missing argument, invalid value. */
  usage: 2,
  /** The command completed, but some inputs were quarantined or failed. */
  partial: 3,
} as const;

/** Prints a value as indented JSON on stdout (the `--json` form of every reporting command). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Prints rows as an aligned table: a header line, then one line per row. Values are shown as
 * text; `null` and `undefined` as `-`.
 */
export function printTable(
  rows: readonly Readonly<Record<string, unknown>>[],
  columns: readonly string[],
): void {
  const cells = rows.map((row) => columns.map((c) => show(row[c])));
  const widths = columns.map((c, i) =>
    Math.min(60, Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length))),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) =>
        v.length > (widths[i] ?? 0)
          ? `${v.slice(0, (widths[i] ?? 1) - 1)}…`
          : v.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns)}\n`);
  for (const r of cells) process.stdout.write(`${line(r)}\n`);
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString();
  return JSON.stringify(value);
}

/** Prints an error as `error ERR_CODE: reason` (or JSON with `--json`) and returns the exit code. */
export function reportError(error: unknown, json: boolean): number {
  const code = isPlatformError(error) ? error.code : 'ERR_INTERNAL';
  const message = errorMessage(error);
  if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  else process.stderr.write(`error ${code}: ${message}\n`);
  if (
    !isPlatformError(error) &&
    process.env['MEDSCALE_DEBUG'] !== undefined &&
    error instanceof Error
  ) {
    process.stderr.write(`${error.stack ?? ''}\n`);
  }
  return code === 'ERR_USAGE' ? EXIT.usage : EXIT.error;
}

/**
 * Exit codes of `hotspot-kit`, for scripts:
 * - `OK` (0): done (an SMS was sent, a preview was made, vouchers were written, ...);
 * - `FAILED` (1): the command was valid but the operation failed (every gateway refused the
 *   SMS, the balance could not be read, the database could not be reached);
 * - `USAGE` (2): bad command line, or a bad or unreadable config file; nothing was attempted.
 */
export const EXIT_CODES = {
  /** Done. */
  OK: 0,
  /** The operation was tried and failed. */
  FAILED: 1,
  /** Bad command line or configuration; nothing was tried. */
  USAGE: 2,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * A command-line or config-file problem (exit code 2). `issues` name each bad field, e.g.
 * `gateways.json [0].url: must be an http:// or https:// URL`.
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  /** Each bad field of a config file, `{ path, message }`; empty for a command-line mistake. */
  readonly issues: { path: string; message: string }[];
  /** Which command's `--help` to point at. */
  readonly command: string | undefined;

  /** `options.command` is the command whose `--help` the message points at, e.g. `sms send`. */
  constructor(message: string, options: { issues?: { path: string; message: string }[]; command?: string } = {}) {
    super(message);
    this.issues = options.issues ?? [];
    this.command = options.command;
  }
}

/** An operation that was tried and failed (exit code 1). */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

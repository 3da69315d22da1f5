/**
 * Where the CLI reads and writes. {@link runCli} takes one so tests (and scripts embedding the
 * CLI) can capture output; the `hotspot-kit` binary passes the process's streams.
 */
export interface CliIo {
  /** Writes text to standard output as is (the CLI adds the newlines). */
  stdout(text: string): void;
  /** Writes text to standard error as is. */
  stderr(text: string): void;
  /** Environment variables (default `process.env`). */
  env: Record<string, string | undefined>;
  /** Relative paths are resolved from here (default `process.cwd()`). */
  cwd: string;
}

/** The process's own streams, environment and working directory. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}

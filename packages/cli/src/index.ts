// @hotspot-kit/cli: the `hotspot-kit` operator command line, also callable from code and tests.

export { CliFailure, CliUsageError, EXIT_CODES, type ExitCode } from './cli-errors.js';
export type { CliIo } from './cli-io.js';
export { runCli } from './run-cli.js';

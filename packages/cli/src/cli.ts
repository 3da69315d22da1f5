#!/usr/bin/env node
// The `hotspot-kit` binary: runs the CLI on the process's arguments and exits with its code.
import { runCli } from './run-cli.js';

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // A provider's keep-alive socket must not hold a finished command open.
  setTimeout(() => process.exit(code), 2_000).unref();
});

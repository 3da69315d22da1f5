#!/usr/bin/env node
// The `hotspot-kit` command. This file is committed (unlike dist/), so npm links the command in
// a fresh clone of the repository too; it runs the built CLI and says what to do before a build.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(
    "hotspot-kit: the CLI is not built yet: run 'npm run build' first (or, from the sources: npx tsx packages/cli/src/cli.ts)",
  );
  process.exit(2);
}
await import(cli.href);

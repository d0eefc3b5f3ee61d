#!/usr/bin/env node
// @ts-check
/**
 * The `eggapi` command. A committed file rather than dist/cli.js itself, so that npm links the
 * command at install time in this repository too, before anything is built; it runs the built
 * CLI, or says how to build it.
 */
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'eggapi: the CLI is not built (dist/cli.js is missing). ' +
      'Run `npm run build` first (in the repository root).\n',
  );
  process.exit(1);
}
await import(cli.href);

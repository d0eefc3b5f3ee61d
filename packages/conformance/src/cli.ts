#!/usr/bin/env node
// The command itself: runs main() with the process's arguments and exits with its code.
import { main } from './cli-main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `eggapi-conformance: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);

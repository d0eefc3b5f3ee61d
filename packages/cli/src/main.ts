import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { EXIT } from './errors.js';
import { outputOf, type Io } from './output/terminal.js';
import { buildProgram } from './program.js';

/**
 * `eggapi`: runs one command and exits 0 (success), 1 (an API, task, download or verification
 * failure, explained on stderr) or 2 (bad usage, with the usage line).
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const { version } = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  const program = buildProgram(io, version);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    // Help and --version end through exitOverride with code 0; commander's own usage errors
    // (already printed, with the usage hint) with 1, which this interface calls 2.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // Loaded on failure only: it needs the client's and the webhook package's error classes.
    const { describeError, exitCodeFor } = await import('./describe-error.js');
    const err = outputOf(io.stderr, io.env);
    const code = exitCodeFor(error);
    err.line(`${err.c.red('eggapi:')} ${describeError(error)}`);
    if (code === EXIT.usage) err.line('(add --help for usage)');
    return code;
  }
}

import type { Command } from 'commander';

/**
 * Fills the options declared with `.env(NAME)` from `env` (the run's `Io`), for `command` and
 * the commands above it, with commander's precedence: a flag on the command line wins, then the
 * environment, then the default. Commander itself reads `process.env`; this makes `env` the one
 * source, whether it is `process.env` (the bin) or another environment (a run in-process).
 */
export function applyEnvironment(command: Command, env: NodeJS.ProcessEnv): void {
  for (let at: Command | null = command; at; at = at.parent) {
    for (const option of at.options) {
      if (!option.envVar) continue;
      const key = option.attributeName();
      if (at.getOptionValueSource(key) === 'cli') continue;
      const value = env[option.envVar];
      if (value !== undefined) {
        const parsed: unknown = option.parseArg ? option.parseArg(value, undefined) : value;
        at.setOptionValueWithSource(key, parsed, 'env');
      } else if (at.getOptionValueSource(key) === 'env') {
        at.setOptionValueWithSource(key, option.defaultValue, 'default');
      }
    }
  }
}

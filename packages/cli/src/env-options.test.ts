import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { applyEnvironment } from './env-options.js';

/** A program with `--key` (env KEY) and `--url` (env URL, default `d`), and a subcommand. */
function program() {
  const root = new Command('p')
    .exitOverride()
    .addOption(new Option('--key <k>').env('KEY'))
    .addOption(new Option('--url <u>').env('URL').default('d'));
  const sub = root.command('sub').action(() => {});
  return { root, sub };
}

describe('applyEnvironment', () => {
  it('fills from the given environment, not process.env, for the command and its parents', () => {
    const { root, sub } = program();
    root.parse(['sub'], { from: 'user' });
    applyEnvironment(sub, { KEY: 'k_env', URL: 'u_env' });
    expect(root.opts()).toEqual({ key: 'k_env', url: 'u_env' });
    expect(root.getOptionValueSource('key')).toBe('env');
  });

  it('a flag on the command line wins', () => {
    const { root, sub } = program();
    root.parse(['sub', '--key', 'k_flag'], { from: 'user' });
    applyEnvironment(sub, { KEY: 'k_env' });
    expect(root.opts()).toEqual({ key: 'k_flag', url: 'd' });
  });

  it('a value commander took from process.env goes back to the default when the run’s env lacks it', () => {
    const { root, sub } = program();
    root.parse(['sub'], { from: 'user' });
    root.setOptionValueWithSource('key', 'from_process', 'env');
    root.setOptionValueWithSource('url', 'from_process', 'env');
    applyEnvironment(sub, {});
    expect(root.opts()).toEqual({ key: undefined, url: 'd' });
  });
});

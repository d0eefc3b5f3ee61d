import { describe, expect, it } from 'vitest';
import { colorAllowed, formatElapsed, outputOf } from './terminal.js';

const tty = { isTTY: true, write: () => true };
const pipe = { isTTY: false, write: () => true };

describe('colorAllowed', () => {
  it.each([
    ['a terminal', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['a pipe under CI (picocolors would colour it)', pipe, { CI: 'true' }, false],
    ['a terminal with NO_COLOR=1', tty, { NO_COLOR: '1' }, false],
    ['a terminal with NO_COLOR=0 (any non-empty value)', tty, { NO_COLOR: '0' }, false],
    ['a terminal with an empty NO_COLOR', tty, { NO_COLOR: '' }, true],
    ['a dumb terminal', tty, { TERM: 'dumb' }, false],
  ])('%s → %s', (_, stream, env, expected) => {
    expect(colorAllowed(stream, env)).toBe(expected);
  });

  it('outputOf colours only when allowed', () => {
    expect(outputOf(tty, {}).c.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(outputOf(tty, { NO_COLOR: '1' }).c.red('x')).toBe('x');
    expect(outputOf(pipe, {}).tty).toBe(false);
  });
});

describe('formatElapsed', () => {
  it.each([
    [-5, '0.0s'],
    [0, '0.0s'],
    [99, '0.0s'],
    [1_250, '1.2s'],
    [59_999, '59.9s'],
    [60_000, '1m 00s'],
    [125_400, '2m 05s'],
    [3_600_000, '60m 00s'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});

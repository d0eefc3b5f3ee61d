import { serviceAvailable } from '../../../test-support/services.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type MockProcess } from './support/mock-process.js';
import { ANSI, eggapi, eggapiInPty, stripAnsi } from './support/run-cli.js';

/**
 * What a person sees on a terminal, under a pseudo-terminal from util-linux `script` (Debian's
 * bsdutils, installed everywhere): stdout and stderr are the terminal, merged.
 */
const hasScript = serviceAvailable('script', 'bsdutils', 'the CLI terminal tests');

let mock: MockProcess;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock?.close());

/** A prompt whose task stays pending 250 ms, then processes 2 s. */
const SLOW = 'A slow kite [[mock: queue=250; delay=2000]]';
/* eslint-disable no-control-regex -- escape sequences are what these match */
const COLOR = /\u001b\[(?:3\d|1|2|22|39)m/;
const REDRAW = /\u001b\[2K\u001b\[1A\u001b\[2K\u001b\[G/;
/* eslint-enable no-control-regex */

// Concurrent: each test waits on its own slow task (2.25 s) and shares nothing but the mock.
describe.runIf(hasScript)('generate --wait on a terminal', { concurrent: true }, () => {
  it('redraws one progress line in place (status and elapsed time), in colour, then prints the task', async () => {
    const result = await eggapiInPty(['generate', SLOW, '--wait'], { mock });
    expect(result.code).toBe(0);
    const raw = result.stdout;
    // log-update erases the previous line and writes the next one, many times a second.
    expect(raw.split(REDRAW).length).toBeGreaterThan(5);
    const frames = raw.split(REDRAW).map((frame) => stripAnsi(frame).trim());
    const id = /gen_\w+/.exec(frames[0]!)![0];
    expect(frames.some((f) => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] gen_\w+ {2}pending {2}\d+\.\ds$/.test(f))).toBe(true);
    expect(frames.some((f) => new RegExp(`${id} {2}processing {2}\\d+\\.\\ds$`).test(f))).toBe(
      true,
    );
    // The elapsed time moves while the status stays.
    const elapsed = frames.flatMap((f) => /processing {2}(\d+\.\d)s$/.exec(f)?.[1] ?? []);
    expect(new Set(elapsed).size).toBeGreaterThan(3);
    // The last frame stays: a check mark and the final status; then the task itself.
    const screen = stripAnsi(raw);
    expect(screen).toMatch(new RegExp(`✓ ${id} {2}completed {2}\\d+\\.\\ds\\r\\n`));
    expect(screen).toMatch(/status +completed\r\n/);
    expect(raw).toMatch(COLOR);
  });

  it('without colour under NO_COLOR, still redrawn in place', async () => {
    const result = await eggapiInPty(['generate', SLOW, '--wait'], {
      mock,
      env: { NO_COLOR: '1' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(REDRAW);
    expect(result.stdout).not.toMatch(COLOR);
    expect(stripAnsi(result.stdout)).toMatch(/✓ gen_\w+ {2}completed/);
  });

  it('an empty NO_COLOR does not turn colour off (no-color.org)', async () => {
    const result = await eggapiInPty(['tasks', 'list'], { mock, env: { NO_COLOR: '' } });
    expect(result.stdout).toMatch(COLOR);
  });

  it('piped instead: plain lines, no escape codes at all, even with CI set', async () => {
    const result = await eggapi(['generate', SLOW, '--wait'], { mock, env: { CI: 'true' } });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(ANSI);
    expect(result.stderr).toMatch(
      /^gen_\w+ {2}pending {2}\d+\.\ds\ngen_\w+ {2}processing {2}\d+\.\ds\ngen_\w+ {2}completed {2}\d+\.\ds\n$/,
    );
  });

  it('webhooks verify with stdin on the terminal: bad usage (exit 2), it does not wait for typing', async () => {
    const result = await eggapiInPty([
      'webhooks',
      'verify',
      '--secret',
      'whsec_x',
      '--timestamp',
      '1',
      '--signature',
      'sha256=00',
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/webhooks verify reads the raw body on standard input/);
  });
});

import { createHmac } from 'node:crypto';
import { taskCompletedEventFixture, taskFailedEventFixture } from '@eggapi/contracts/testing';
import { describe, expect, it } from 'vitest';
import { eggapi } from './support/run-cli.js';

const SECRET = 'whsec_cli_test';
const EVENT = taskCompletedEventFixture({ task_id: 'gen_cli123' });
/** The raw body as a sender would send it (not re-serialised by anyone later). */
const BODY = JSON.stringify(EVENT);
const now = () => Math.floor(Date.now() / 1000);

/** The signature computed independently of the code under test (node:crypto). */
function expectedSignature(body: string, secret: string, timestamp: number): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** `eggapi webhooks sign` → the two headers as a record. */
async function sign(body: string, ...flags: string[]) {
  const result = await eggapi(['webhooks', 'sign', '--secret', SECRET, ...flags], { input: body });
  expect(result).toMatchObject({ code: 0, stderr: '' });
  const headers = Object.fromEntries(
    result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(': ') as [string, string]),
  );
  return { timestamp: headers['X-EggAPI-Timestamp']!, signature: headers['X-EggAPI-Signature']! };
}

function verify(body: string, timestamp: string, signature: string, ...flags: string[]) {
  return eggapi(
    [
      'webhooks',
      'verify',
      '--secret',
      SECRET,
      '--timestamp',
      timestamp,
      '--signature',
      signature,
      ...flags,
    ],
    { input: body },
  );
}

describe('eggapi webhooks sign', () => {
  it('prints the two headers, the signature a known answer (HMAC-SHA256 of "{t}.{body}")', async () => {
    const result = await eggapi(
      ['webhooks', 'sign', '--secret', SECRET, '--timestamp', '1778217000'],
      {
        input: BODY,
      },
    );
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'X-EggAPI-Timestamp: 1778217000\n' +
        `X-EggAPI-Signature: ${expectedSignature(BODY, SECRET, 1778217000)}\n`,
    });
  });

  it('signs at the current time without --timestamp', async () => {
    const before = now();
    const { timestamp, signature } = await sign(BODY);
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(timestamp)).toBeLessThanOrEqual(now());
    expect(signature).toBe(expectedSignature(BODY, SECRET, Number(timestamp)));
  });

  it('signs the bytes exactly: a body with no trailing newline, UTF-8 and spacing kept', async () => {
    const body = '{ "event":"task.failed" , "note":"café ☕" }';
    const { signature } = await sign(body, '--timestamp', '42');
    expect(signature).toBe(expectedSignature(body, SECRET, 42));
  });
});

describe('eggapi webhooks verify', () => {
  it('round trip: what sign prints verifies, exit 0 and the event as JSON', async () => {
    const { timestamp, signature } = await sign(BODY);
    const result = await verify(BODY, timestamp, signature);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual(EVENT);
  });

  it('verifies a task.failed event too', async () => {
    const body = JSON.stringify(taskFailedEventFixture());
    const { timestamp, signature } = await sign(body);
    const result = await verify(body, timestamp, signature);
    expect(JSON.parse(result.stdout)).toMatchObject({ event: 'task.failed', status: 'failed' });
  });

  /** A body signed at now + `offset` seconds, one clock reading for both headers. */
  const signedAt = (body: string, offset = 0, secret = SECRET) => {
    const timestamp = now() + offset;
    return [body, String(timestamp), expectedSignature(body, secret, timestamp)] as const;
  };

  it.each([
    ['missing_signature', () => [BODY, String(now()), '']],
    ['missing_timestamp', () => [BODY, '', signedAt(BODY)[2]]],
    ['missing_timestamp', () => [BODY, 'yesterday', signedAt(BODY)[2]]],
    ['malformed_signature', () => [BODY, String(now()), 'sha256=not-hex']],
    ['signature_mismatch', () => [`${BODY} `, ...signedAt(BODY).slice(1)]],
    ['signature_mismatch', () => signedAt(BODY, 0, 'whsec_other')],
    ['timestamp_too_old', () => signedAt(BODY, -400)],
    ['timestamp_in_future', () => signedAt(BODY, 400)],
    ['invalid_payload', () => signedAt('{"hello":"world"}')],
    ['invalid_payload', () => signedAt('not json')],
  ] as const)(
    'refuses with %s: exit 1, the reason on stderr, nothing on stdout',
    async (reason, input) => {
      const result = await verify(...(input() as [string, string, string]));
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        new RegExp(`^eggapi: webhook verification failed: ${reason}: .+\\n$`),
      );
    },
  );

  it('--tolerance widens the window; 0 still checks the timestamp (never "off")', async () => {
    const old = signedAt(BODY, -600);
    expect((await verify(...old)).code).toBe(1);
    expect((await verify(...old, '--tolerance', '900')).code).toBe(0);
    const stale = await verify(...signedAt(BODY, -5), '--tolerance', '0');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/timestamp_too_old/);
  });

  it.each([
    [['--secret', ' padded'], 'leading or trailing whitespace'],
    [
      ['--secret', SECRET, '--tolerance', '-1'],
      "option '--tolerance <s>' argument '-1' is invalid",
    ],
    [['--secret', SECRET, '--tolerance', 'soon'], 'must be a number of seconds'],
  ])('bad usage %j: exit 2', async (flags, message) => {
    const result = await eggapi(
      ['webhooks', 'verify', '--timestamp', '1', '--signature', 'sha256=00', ...flags],
      { input: BODY },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

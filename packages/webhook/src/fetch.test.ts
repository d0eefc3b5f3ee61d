import { describe, expect, it } from 'vitest';
import { verifyRequest } from './fetch.js';
import { createReplayGuard, MemoryReplayStore, WebhookVerificationError } from './web.js';
import { signWebhook } from './index.js';
import { SECRET, SPEC_COMPLETED_BODY, SPEC_FAILED_BODY } from '../test/support/deliveries.js';

/** The spec's completed delivery as the verifier must return it. */
const COMPLETED_EVENT: unknown = JSON.parse(SPEC_COMPLETED_BODY);

function request(body: string, headers: Record<string, string> = signWebhook(body, SECRET)) {
  return new Request('https://receiver.example/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

async function reasonOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return (error as WebhookVerificationError).reason;
}

describe('verifyRequest with real Request objects', () => {
  it.each([
    ['task.completed', SPEC_COMPLETED_BODY],
    ['task.failed', SPEC_FAILED_BODY],
  ])('resolves to the typed %s event', async (event, body) => {
    await expect(verifyRequest(request(body), { secret: SECRET })).resolves.toMatchObject({
      event,
    });
  });

  it('rejects a request whose body was already read, naming the fix', async () => {
    const req = request(SPEC_COMPLETED_BODY);
    await req.json();
    const error = verifyRequest(req, { secret: SECRET });
    expect(await reasonOf(error)).toBe('body_was_parsed');
    await expect(verifyRequest(request(SPEC_COMPLETED_BODY), { secret: SECRET })).resolves.toEqual(
      COMPLETED_EVENT,
    );
  });

  it('verifies a clone while the original stays readable', async () => {
    const req = request(SPEC_COMPLETED_BODY);
    await verifyRequest(req.clone(), { secret: SECRET });
    expect(await req.text()).toBe(SPEC_COMPLETED_BODY);
  });

  it.each([
    ['a wrong secret', { secret: 'other' }, 'signature_mismatch'],
    [
      'a clock 301 s ahead',
      { secret: SECRET, now: () => Date.now() + 301_000 },
      'timestamp_too_old',
    ],
  ])('rejects %s', async (_name, options, reason) => {
    expect(await reasonOf(verifyRequest(request(SPEC_COMPLETED_BODY), options))).toBe(reason);
  });

  it('rejects a missing signature unless allowUnsigned', async () => {
    const headers = { 'X-EggAPI-Timestamp': String(Math.floor(Date.now() / 1000)) };
    const unsigned = () => request(SPEC_COMPLETED_BODY, headers);
    expect(await reasonOf(verifyRequest(unsigned(), { secret: SECRET }))).toBe('missing_signature');
    await expect(
      verifyRequest(unsigned(), { secret: SECRET, allowUnsigned: true }),
    ).resolves.toEqual(COMPLETED_EVENT);
  });

  it('rejects a replay when given a replay guard', async () => {
    const replayGuard = createReplayGuard({ store: new MemoryReplayStore() });
    const headers = signWebhook(SPEC_COMPLETED_BODY, SECRET);
    await verifyRequest(request(SPEC_COMPLETED_BODY, headers), { secret: SECRET, replayGuard });
    const again = verifyRequest(request(SPEC_COMPLETED_BODY, headers), {
      secret: SECRET,
      replayGuard,
    });
    expect(await reasonOf(again)).toBe('replayed');
  });
});

import { excerptOfBytes, type WebhookSender } from '../engine/deliveries.js';

/**
 * Sends webhooks with the global `fetch`, read at each attempt (so MSW's interception, a test's
 * own handler for `webhook_url` or a real receiver answers it): the sender of the MSW handlers,
 * in a test process or a browser page. Redirects are not followed (upstream's deliveries do not
 * either); of the answer body, the first 2 KB are kept (as text) for the attempts log. The timeout is a plain timer, so fake timers
 * drive it too.
 */
export function createFetchSender(): WebhookSender {
  return async ({ url, headers, body, timeoutMs, signal }) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new Error(`unsupported protocol ${target.protocol}`);
    }
    const attempt = new AbortController();
    const abort = () => attempt.abort(signal.reason);
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    const timer = setTimeout(
      () => attempt.abort(new Error(`timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: attempt.signal,
      });
      const answer = excerptOfBytes(new Uint8Array(await response.arrayBuffer()));
      return { status: response.status, body: answer.text, truncated: answer.truncated };
    } catch (error) {
      // The attempts log names why: the timeout or shutdown (the abort reason), else fetch's cause.
      throw attempt.signal.aborted ? (attempt.signal.reason as Error) : error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
    }
  };
}

// @ts-check
// The one webhook receiver of every package's tests: a real node:http server on a free loopback
// port that records each request (in arrival order) and answers as the test scripts it — a
// status, a status with a body and headers (optionally after a delay), or not at all until the
// test answers it ('hold'). Requests still held when it closes are dropped.
import { createServer } from 'node:http';

/**
 * @param {import('./receiver.d.mts').ReceiverOptions} [options]
 * @returns {Promise<import('./receiver.d.mts').Receiver>}
 */
export async function startReceiver(options = {}) {
  const { reply = () => 200, path = '/hooks/eggapi' } = options;
  /** @type {import('./receiver.d.mts').ReceivedRequest[]} */
  const received = [];
  /** @type {import('./receiver.d.mts').HeldRequest[]} */
  const held = [];
  /** @type {Set<() => void>} */
  const arrivals = new Set();
  /** @type {Set<import('node:http').ServerResponse>} */
  const unanswered = new Set();
  const server = createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      /** @type {import('./receiver.d.mts').ReceivedRequest} */
      const request = {
        at: performance.now(),
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        bytes,
        body: bytes.toString('utf8'),
      };
      received.push(request);
      const answer = reply(request, received.length - 1);
      if (answer === 'hold') {
        unanswered.add(res);
        held.push({
          body: request.body,
          request,
          answer: (status = 200, body = 'ok') => {
            unanswered.delete(res);
            request.status = status;
            res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
          },
        });
      } else {
        const {
          status,
          body = 'ok',
          headers = {},
          delayMs = 0,
        } = typeof answer === 'number' ? { status: answer } : answer;
        request.status = status;
        const send = () =>
          res
            .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers })
            .end(body);
        if (delayMs > 0) setTimeout(send, delayMs);
        else send();
      }
      for (const notify of arrivals) notify();
    });
  });
  // Like a receiver behind a load balancer (60 s and more): Node's default (5 s) closes a sender's
  // idle pooled connection just as it may reuse it, and that request dies with ECONNRESET before
  // it arrives — a race of the test machine, not what a test here is about.
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    received,
    held,
    arrived: (count) =>
      new Promise((resolve) => {
        const check = () => {
          if (received.length < count) return;
          arrivals.delete(check);
          resolve();
        };
        arrivals.add(check);
        check();
      }),
    close: async () => {
      for (const res of unanswered) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

import { setMaxListeners } from 'node:events';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import { RESPONSE_EXCERPT_BYTES, type WebhookSender } from '@eggapi/mock-engine/host';

/**
 * Sends webhooks with node:http on keep-alive agents: a fraction of `fetch`'s CPU per request,
 * and connections to one receiver are reused. Redirects are not followed (upstream's deliveries
 * do not either); of the answer body, the first `RESPONSE_EXCERPT_BYTES` are kept (as text) and
 * the rest is read and dropped.
 */
export function createNodeSender(): WebhookSender & { close(): void } {
  const http = new HttpAgent({ keepAlive: true, maxSockets: Infinity });
  const https = new HttpsAgent({ keepAlive: true, maxSockets: Infinity });
  const send: WebhookSender = ({ url, headers, body, timeoutMs, signal }) =>
    new Promise((resolve, reject) => {
      // One shutdown signal serves every attempt in flight (up to `webhooks.concurrency`).
      setMaxListeners(0, signal);
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') {
        reject(new Error(`unsupported protocol ${target.protocol}`));
        return;
      }
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          agent: secure ? https : http,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          signal,
        },
        (res) => {
          // A decoder keeps a character cut at the limit out, instead of a replacement mark.
          const decoder = new StringDecoder('utf8');
          let text = '';
          let kept = 0;
          let truncated = false;
          res.on('data', (chunk: Buffer) => {
            const room = RESPONSE_EXCERPT_BYTES - kept;
            if (chunk.length > room) truncated = true;
            if (room <= 0) return;
            const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
            kept += part.length;
            text += decoder.write(part);
          });
          res.on('end', () => {
            clearTimeout(timer);
            if (!truncated) text += decoder.end();
            resolve({ status: res.statusCode ?? 0, body: text, truncated });
          });
          res.on('error', fail);
        },
      );
      // The whole attempt, not only an idle socket, has `timeoutMs`.
      const timer = setTimeout(
        () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      function fail(error: Error) {
        clearTimeout(timer);
        reject(error);
      }
      req.on('error', fail);
      req.end(body);
    });
  return Object.assign(send, {
    close: () => {
      http.destroy();
      https.destroy();
    },
  });
}

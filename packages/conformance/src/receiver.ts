import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEvent } from '@eggapi/contracts';
import { eggapiWebhook } from '@eggapi/webhook/express';
import express from 'express';

/** A local webhook receiver that verifies every delivery with @eggapi/webhook. */
export interface WebhookReceiver {
  /** The URL to pass as `webhook_url`. */
  url: string;
  /** Verified events, in arrival order. */
  events: WebhookEvent[];
  /** Deliveries refused by verification, with the reason. */
  rejected: string[];
  /** Resolves with the first verified event of a task. */
  waitFor(taskId: string, timeoutMs: number): Promise<WebhookEvent>;
  close(): Promise<void>;
}

/** Starts a receiver on `host`, port 0, verifying with `secret`. */
export async function startReceiver(secret: string, host = '127.0.0.1'): Promise<WebhookReceiver> {
  const events: WebhookEvent[] = [];
  const rejected: string[] = [];
  const app = express();
  app.post(
    '/eggapi/webhook',
    (_req, res, next) => {
      res.on('finish', () => {
        if (res.statusCode >= 400) rejected.push(`answered ${res.statusCode}`);
      });
      next();
    },
    eggapiWebhook({ secret }),
    (req, res) => {
      events.push(req.eggapiEvent!);
      res.status(204).end();
    },
  );
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, host, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostInUrl}:${port}/eggapi/webhook`,
    events,
    rejected,
    async waitFor(taskId, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const event = events.find((e) => e.task_id === taskId);
        if (event) return event;
        if (Date.now() > deadline) {
          throw new Error(
            `no verified webhook for ${taskId} within ${timeoutMs} ms` +
              (rejected.length ? ` (rejected: ${rejected.join('; ')})` : ''),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

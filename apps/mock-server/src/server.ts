import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createMockApp } from './app.js';
import type { MockServerOptions, TimingConfig } from './config.js';
import type { TimingPreset } from './config.js';
import { timingOf } from './config.js';
import type { QueuedFault } from './middleware/faults.js';
import type { MockState } from './state.js';
import type { Delivery } from './webhooks/dispatcher.js';

/** A running mock server. */
export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  /** The first configured API key (default `sk_test_eggapi`). */
  apiKey: string;
  apiKeys: string[];
  port: number;
  server: Server;
  app: Express;
  state: MockState;
  /** Webhook deliveries (optionally of one task), with every attempt. */
  deliveries(taskId?: string): Delivery[];
  /** Waits until `predicate` holds for the deliveries of a task, polling every 10 ms. */
  waitForDeliveries(
    taskId: string,
    predicate: (deliveries: Delivery[]) => boolean,
    timeoutMs?: number,
  ): Promise<Delivery[]>;
  /** Ends a task now as completed. */
  completeTask(id: string): void;
  /** Ends a task now as failed with `message`. */
  failTask(id: string, message?: string): void;
  /** Changes lifecycle timing for tasks created from now on. */
  setTiming(timing: TimingPreset | TimingConfig): void;
  /** Queues a one-off HTTP fault for the next matching request(s). */
  injectFault(fault: Omit<QueuedFault, 'times'> & { times?: number }): void;
  /** Forgets all tasks, usage, deliveries, faults and idempotent answers. */
  reset(): void;
  /** Stops accepting, lets webhook attempts in flight finish (up to `shutdownGraceMs`), closes. */
  close(): Promise<void>;
}

/** A host to put in a URL: wildcard addresses become loopback, IPv6 gets brackets. */
function hostForUrl(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Starts the mock server (port 0 by default: any free port) and resolves once it listens.
 * Defaults suit tests: `instant` timing, silent logs. See `MockServerOptions`.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { app, state, logger } = createMockApp(options);
  const { host, port } = state.options;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  server.keepAliveTimeout = 5_000;
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://${hostForUrl(host)}:${actualPort}`;
  state.listenUrl = url;

  const requireTask = (id: string) => {
    state.worker.settle();
    const record = state.tasks.get(id);
    if (!record) throw new Error(`no task ${id}`);
    return record;
  };

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await state.webhooks.close(state.options.shutdownGraceMs);
      state.worker.stop();
      server.closeAllConnections();
      await stopped;
      logger.flush?.();
    })());

  return {
    url,
    apiKey: state.options.apiKeys[0]!,
    apiKeys: [...state.options.apiKeys],
    port: actualPort,
    server,
    app,
    state,
    deliveries: (taskId) => state.webhooks.list({ task_id: taskId }),
    waitForDeliveries: async (taskId, predicate, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        state.worker.settle();
        const deliveries = state.webhooks.list({ task_id: taskId });
        if (predicate(deliveries)) return deliveries;
        if (Date.now() > deadline) {
          throw new Error(
            `deliveries of ${taskId} did not match in ${timeoutMs} ms: ${JSON.stringify(deliveries)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    completeTask: (id) => void state.worker.endNow(requireTask(id), undefined),
    failTask: (id, message = 'generation failed: failed by the test') =>
      void state.worker.endNow(requireTask(id), message),
    setTiming: (timing) => {
      state.runtime.timing = timingOf(timing);
    },
    injectFault: (fault) => state.faults.enqueue({ times: 1, ...fault }),
    reset: () => state.reset(),
    close,
  };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { signWebhook } from '@eggapi/webhook';
import { resolveOptions, type MockServerOptions, type ResolvedOptions } from '../config.js';
import type { Signer } from '@eggapi/mock-engine/host';
import { createEngine, type MockEngine } from '@eggapi/mock-engine/host';
import { createNodeSender } from '../webhooks/node-sender.js';
import { createPngWorkers } from '../images/node-png.js';
import type { ShutdownReport } from '@eggapi/mock-engine/host';
import { mockControls, type MockControls } from '@eggapi/mock-engine/host';
import { createExpressApp } from './app.js';
import { answerClientError } from './client-error.js';
import { errorEnvelope } from '@eggapi/mock-engine/host';
import { createLogger } from './logger.js';
import type { Logger } from 'pino';
import { Recorder } from '../proxy/recorder.js';
import type { RedisBackend } from '../store/redis/backend.js';
import { loadRedisBackend } from '../store/redis/peers.js';
import { storeInitOf } from '@eggapi/mock-engine/host';
import { createReplayer, followClock } from '../replay/attach.js';

/**
 * With Redis, an attempt without an outcome counts as lost after twice its timeout plus this
 * many job locks (`--redis-lock`): the time its instance has to record the answer through a stall.
 */
const IN_FLIGHT_LOCKS = 6;

/** Signs deliveries with @eggapi/webhook, exactly as upstream: `sha256=` HMAC of `{ts}.{body}`. */
const sign: Signer = (body, secret, timestamp) => ({ ...signWebhook(body, secret, timestamp) });

/** The mock as a request listener, without a port: mount it in your own `node:http` server. */
export interface MockApp {
  /** The engine: every rule and test control (see `MockEngine`). */
  engine: MockEngine;
  /** Answers one request (a `node:http` request listener). */
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** Stops the engine (see `MockServer.close`); the listener then answers 503. */
  close: (options?: CloseOptions) => Promise<ShutdownReport>;
}

export interface CloseOptions {
  /** Finish nothing: abort attempts in flight and report what is left (tests). Default false. */
  abandon?: boolean;
  /** Overrides `shutdownGraceMs` for this close. */
  graceMs?: number;
}

/** A running mock server: where it is, its test controls (see `MockControls`), and `close()`. */
export interface MockServer extends MockControls {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  port: number;
  /** The first configured API key (default `sk_test_eggapi`). */
  apiKey: string;
  apiKeys: string[];
  /**
   * Stops accepting; answers requests in flight; answers new requests on open connections with
   * 503 and `Connection: close`; for up to `shutdownGraceMs`, lets webhook attempts in flight
   * finish and sends the retries and task ends that fall due; then closes and reports what was
   * abandoned.
   */
  close(options?: CloseOptions): Promise<ShutdownReport>;
}

interface Running {
  options: ResolvedOptions;
  engine: MockEngine;
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** Stops the engine, reports what it abandoned, flushes logs. */
  stop: (options: CloseOptions | undefined) => Promise<ShutdownReport>;
}

/** The mock over a resolved configuration: on Redis when `redis` is given, else in memory. */
function build(resolved: ResolvedOptions, redis?: RedisBackend): Running {
  // First: a recording that cannot be replayed fails the start before anything runs.
  const replay = resolved.replay === undefined ? undefined : createReplayer(resolved);
  const log = createLogger(resolved.logLevel, resolved.prettyLogs, resolved.logDestination);
  const logger = log.logger;
  const sender = createNodeSender();
  const png = createPngWorkers();
  const engine = createEngine(resolved, {
    sign,
    sender,
    renderPng: png.renderPng,
    onError: (error) => logger.error({ err: error }, 'engine work failed'),
    ...(redis && {
      store: redis.store,
      scheduler: redis.scheduler,
      inFlightGraceMs: IN_FLIGHT_LOCKS * resolved.redis!.lockMs,
    }),
  });
  engine.on((event) => {
    if (event.type === 'delivery.attempted') {
      const { delivery, attempt } = event;
      logger.info(
        {
          task: delivery.task_id,
          delivery: delivery.id,
          url: attempt.url,
          attempt: `${attempt.attempt}/${event.maxAttempts}`,
          ...(attempt.status === undefined ? { error: attempt.error } : { status: attempt.status }),
          ms: attempt.durationMs,
        },
        'webhook attempt',
      );
    } else if (event.type === 'task.ended') {
      logger.debug({ task: event.task_id, status: event.status }, 'task ended');
    }
  });
  if (replay) followClock(engine, replay);
  replay?.onWebhookSent((outcome) => logger.info(outcome, 'replayed webhook'));
  let closing: Promise<ShutdownReport> | undefined;
  const recorder =
    resolved.record === undefined ? undefined : openRecorder(resolved.record, logger);
  const app = createExpressApp(engine, resolved, logger, () => closing !== undefined, {
    replay,
    recorder,
  });
  const stop = (close: CloseOptions = {}) =>
    (closing ??= (async () => {
      const [report, unsentReplayed = 0] = await Promise.all([
        engine.shutdown(graceOf(close, resolved)),
        replay?.close(graceOf(close, resolved)),
      ]);
      if (unsentReplayed > 0) {
        logger.warn({ unsent: unsentReplayed }, 'shut down before replayed webhooks fell due');
      }
      // Exchanges answered but not yet written: written within the grace, else left.
      if (recorder) await withinGrace(recorder.settled(), graceOf(close, resolved));
      sender.close();
      await png.close();
      await redis?.close();
      const abandoned = report.unendedTasks.length + report.undeliveredWebhooks.length;
      const counts = {
        unended_tasks: report.unendedTasks.length,
        undelivered_webhooks: report.undeliveredWebhooks.length,
        ...(resolved.proxyTo !== undefined && { contract_violations: engine.violationCount }),
      };
      if (redis) {
        logger.info(
          counts,
          abandoned > 0
            ? 'shut down, nothing abandoned: unended tasks and pending webhooks stay queued in Redis for the other instances or the next start'
            : 'shut down, nothing abandoned',
        );
      } else if (abandoned > 0) logger.warn(counts, 'shut down, abandoning work');
      else logger.info(counts, 'shut down, nothing abandoned');
      logger.debug(
        { unended_tasks: report.unendedTasks, undelivered_webhooks: report.undeliveredWebhooks },
        'abandoned',
      );
      log.close();
      return report;
    })());
  return { options: resolved, engine, handle: app, stop };
}

/**
 * Builds the mock without listening: a `node:http` request listener over a new engine. Options
 * are validated; a bad one throws a TypeError naming it.
 */
export function createMockApp(options: MockServerOptions = {}): MockApp {
  const resolved = resolveOptions(options);
  if (resolved.redis) {
    throw new TypeError(
      'invalid mock server options: redis: connecting to Redis is asynchronous; use startMockServer({ redis })',
    );
  }
  const { engine, handle, stop } = build(resolved);
  return { engine, handle, close: (close) => stop(close) };
}

/** The recording's writer; a directory that cannot be created is a bad option. */
function openRecorder(dir: string, logger: Logger): Recorder {
  try {
    return new Recorder(dir, logger);
  } catch (error) {
    throw new TypeError(
      `invalid mock server options: record: cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      { cause: error },
    );
  }
}

/** Waits for `work`, but no longer than `ms`. */
async function withinGrace(work: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** How long a close may finish work: none when abandoning, else its own or the configured grace. */
function graceOf(close: CloseOptions = {}, options: ResolvedOptions): number {
  return close.abandon ? 0 : (close.graceMs ?? options.shutdownGraceMs);
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
 *
 * @throws TypeError naming a bad option; with `redis`, an error with `code`
 *   `'ERR_MISSING_PEER_DEPENDENCY'` whose message gives the `npm i` line when `ioredis` or
 *   `bullmq` (optional peer dependencies) is not installed, or one saying Redis is unreachable
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const resolved = resolveOptions(options);
  // Loaded only with a Redis URL: the memory default never loads ioredis and BullMQ (optional
  // peer dependencies: when missing, the error says what to install).
  const redis = resolved.redis
    ? await (
        await loadRedisBackend()
      ).connectRedis(resolved.redis, (salt) => storeInitOf(resolved, salt), {
        now: resolved.now,
        onError: () => {},
      })
    : undefined;
  const { engine, handle, stop } = build(resolved, redis);
  // No Host header needed (image links then use localhost), and every refusal is an envelope.
  const server: Server = createServer({ requireHostHeader: false }, handle);
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerClientError);
  server.on('checkExpectation', refuseExpectation);
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // Nothing listens: stop the engine and close its connections, so the process can exit.
    await stop({ abandon: true });
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${hostForUrl(resolved.host)}:${port}`;
  return {
    url,
    port,
    apiKey: resolved.apiKeys[0]!,
    apiKeys: [...resolved.apiKeys],
    ...mockControls(engine, url),
    close: (close) => {
      // Stop accepting, but keep open connections (http.Server#close would drop the idle
      // kept-alive ones at once): a request on them is answered 503 with Connection: close
      // until the engine has finished, then every connection is closed.
      const stopped = new Promise<void>((resolve) =>
        NetServer.prototype.close.call(server, () => resolve()),
      );
      const deadline = Date.now() + graceOf(close, resolved);
      return stop(close).then(async (report) => {
        // Requests in flight are answered (within the grace period) before sockets close.
        while (inFlight.size > 0 && Date.now() < deadline) {
          await Promise.race([
            ...[...inFlight].map((res) => new Promise((resolve) => res.once('close', resolve))),
            new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()))),
          ]);
        }
        server.closeAllConnections();
        await stopped;
        return report;
      });
    },
  };
}

/** `Expect: 100-continue` is answered by Node; any other expectation is refused as an envelope. */
function refuseExpectation(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(
    JSON.stringify(
      errorEnvelope('VALIDATION_ERROR', `Expect: unsupported expectation "${req.headers.expect}"`, [
        { path: 'headers.expect', message: 'only 100-continue is supported' },
      ]),
    ),
  );
}

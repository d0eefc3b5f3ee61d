import type { GenerateRequest, Task } from '@eggapi/contracts';
import type { ImageCache } from '../images/cache.js';
import type { PngRenderer } from '../images/picture.js';
import type { Scheduler } from './ports/scheduler.js';
import type { MockStore, RedisHealth } from './ports/store.js';
import type { Delivery, DeliveryAttempt, Signer, WebhookSender } from './deliveries.js';
import type { RuntimeConfig } from './runtime-config.js';
import type { FaultKind } from './scenarios.js';

/** What the engine tells its listeners (logs, the console). */
export type EngineEvent =
  | { type: 'task.created'; task: Task; owner: string }
  | { type: 'task.ended'; task_id: string; status: 'completed' | 'failed'; owner: string }
  | {
      type: 'delivery.attempted';
      delivery: Delivery;
      attempt: DeliveryAttempt;
      maxAttempts: number;
    }
  /** A queued fault answered a request; `remaining` uses are left. */
  | { type: 'fault.used'; kind: FaultKind; remaining: number }
  | { type: 'reset' }
  /** The request journal stored an entry (only what a list needs: no header, query nor body). */
  | { type: 'request.recorded'; id: string; method: string; path: string; status: number }
  /** Shutdown has begun: listeners that hold something open (the console's streams) let go. */
  | { type: 'shutdown' };

/** A `POST /v1/generate`, whatever transport carried it. */
export interface CreateTaskInput {
  /** The authenticated owner (what `authenticate` resolves), or an accepted API key. */
  apiKey: string;
  request: GenerateRequest;
  /** The `X-EggAPI-Mock-Scenario` header, if sent. */
  scenario?: string;
  idempotencyKey?: string;
  /** Where the request arrived, e.g. `http://127.0.0.1:4010`: the base of image links. */
  baseUrl: string;
}

/** The runtime settings and balances, as the admin API shows them. */
export type ConfigView = RuntimeConfig & { balances: Record<string, number> };

/** What shutdown could not finish in its grace period. */
export interface ShutdownReport {
  /** Tasks that had not ended. */
  unendedTasks: string[];
  /** Deliveries that were neither delivered nor given up after their last attempt. */
  undeliveredWebhooks: string[];
  /**
   * Set when the shared store could not be read in time (Redis away): the lists above are then
   * what could be read, and the grace period bounded the shutdown.
   */
  incomplete?: true;
}

/** `GET /__admin/health`: the store in use and whether it answers (`MockStore.health`). */
export interface EngineHealth {
  /** `unavailable` when the shared store cannot be reached (the API answers 503 meanwhile). */
  status: 'ok' | 'unavailable';
  store: 'memory' | 'redis';
  redis?: RedisHealth;
  /** Stored tasks (of every instance, with Redis); `null` while the store is unreachable. */
  tasks: number | null;
  /** This instance's webhook attempts in flight and waiting for a free slot. */
  webhooks_in_flight: number;
  webhooks_queued: number;
}

/** What the engine is built from: its ports (see `createEngine` for the defaults). */
export interface EngineDeps {
  sign: Signer;
  sender: WebhookSender;
  store: MockStore;
  scheduler: Scheduler;
  /** Renders output PNGs (every renderer draws the same pixels). */
  renderPng: PngRenderer;
  /**
   * The cache of rendered images (by image key and size, bounded in bytes, at most two renders
   * at once). Default: a new `ImageCache` of 64 MB; tests inject one to count its renders.
   */
  imageCache?: ImageCache;
  /**
   * An attempt without an outcome counts as lost after twice its timeout plus this: the time an
   * instance of a shared store has to record the answer through a stall. Default 30 s.
   */
  inFlightGraceMs?: number;
  /**
   * Where failures of work nobody waits for go (a scheduled job, an event listener that throws);
   * they never become unhandled rejections. Default: `console.error`.
   */
  onError?: (error: unknown) => void;
}

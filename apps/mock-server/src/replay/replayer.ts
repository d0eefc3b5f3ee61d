import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { TASK_ID_PREFIX } from '@eggapi/contracts';
import { EngineError, type TimingPreset } from '@eggapi/mock-engine';
import { imageRequest, recordedImage, type ImageAnswer } from './images.js';
import { bearerKey, recordedKeysOf, type ReplayKeyOption } from './keys.js';
import { loadRecording } from './loader.js';
import { findExchange, nearestExchange, type AskedRequest } from './matcher.js';
import { buildRecording, isCreation, type Recording, type RecordedTask } from './recording.js';
import { rewriteAnswer, rewriteImageLinks, type Rewrite } from './rewrite.js';
import { gapScale, TaskWalk } from './walk.js';
import { WebhookSchedule } from './webhook-schedule.js';

export interface ReplayOptions {
  dir: string;
  apiKeys: readonly string[];
  replayKey: ReplayKeyOption | undefined;
  fallback: 'none' | 'mock';
  timing: TimingPreset | object;
  /** The mock's clock (ms). */
  now: () => number;
  realClock: boolean;
  webhookSecret: string | undefined;
  publicBaseUrl: string | undefined;
  /** How many tasks started by matching `POST`s are kept, oldest forgotten first. */
  maxTasks: number;
}

/** How a replayed webhook went: the receiver's status or what failed. */
export interface WebhookOutcome {
  url: string;
  status?: number;
  error?: string;
}

/** A request to `/v1` after the guards: what the replay reads of it. */
export interface ReplayRequest {
  method: string;
  path: string;
  query: string;
  body: unknown;
  authorization: string | undefined;
  /** The engine's owner id of the request's key (a new task belongs to it). */
  owner: string;
  idempotencyKey: string | undefined;
  /** Where the request arrived: the base of image links without `publicBaseUrl`. */
  base: string;
}

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** A task served from the recording: a recorded one (its own id), or one a `POST` started. */
interface ServedTask {
  task: RecordedTask;
  id: string;
  /** Recorded tasks belong to a key fingerprint, new ones to the owner that created them. */
  owner: { fingerprint: string | null } | { id: string };
  walk: TaskWalk;
  retime?: Rewrite['retime'];
}

const TASK_PATH = /^\/v1\/tasks\/([^/]+)$/;
const GENERATE_PATH = '/v1/generate';
const MAX_IDEMPOTENT_ANSWERS = 10_000;
const MAX_DETAILS = 10;

/**
 * The mock answering from a recording: recorded tasks walk their recorded answers, a `POST` that
 * matches a recorded one starts a new task that replays that life (and its webhook), any other
 * request gets the latest recorded answer to the same request, and what matches nothing is
 * NOT_RECORDED (or, with `fallback: 'mock'`, left to the ordinary mock).
 */
export class Replayer {
  readonly recording: Recording;
  readonly #options: ReplayOptions;
  readonly #keys: Map<string, Set<string>>;
  readonly #served = new Map<string, ServedTask>();
  readonly #started: string[] = [];
  readonly #idempotent = new Map<string, { body: unknown; answer: JsonAnswer }>();
  readonly #webhooks: WebhookSchedule;
  #onWebhookSent: (outcome: WebhookOutcome) => void = () => {};

  /** @throws TypeError naming the file or option that cannot be replayed */
  constructor(options: ReplayOptions) {
    this.#options = options;
    this.recording = buildRecording(loadRecording(options.dir));
    this.#keys = recordedKeysOf(options.apiKeys, options.replayKey, this.recording.fingerprints);
    const scale = gapScale(options.timing);
    const now = options.now();
    for (const task of this.recording.tasks.values()) {
      if (task.steps.length === 0) continue;
      this.#served.set(task.id, {
        task,
        id: task.id,
        owner: { fingerprint: task.key },
        walk: new TaskWalk(task.steps, scale, now),
      });
    }
    this.#webhooks = new WebhookSchedule(options.now, options.realClock, (outcome) =>
      this.#onWebhookSent(outcome),
    );
  }

  /** Hears how each replayed webhook went (the server logs it). */
  onWebhookSent(listener: (outcome: WebhookOutcome) => void): void {
    this.#onWebhookSent = listener;
  }

  /** The answer to a `/v1` request, or `undefined` to leave it to the ordinary mock. */
  answer(request: ReplayRequest): JsonAnswer | undefined {
    const keys = this.#keys.get(bearerKey(request.authorization) ?? '') ?? new Set<string>();
    const base = (this.#options.publicBaseUrl ?? request.base).replace(/\/+$/, '');
    const taskPath = request.method === 'GET' ? TASK_PATH.exec(request.path) : null;
    if (taskPath) {
      const served = this.#served.get(safeDecode(taskPath[1]!));
      if (served) return this.#poll(served, keys, request.owner, base);
    }
    const asked: AskedRequest = { ...request, keys };
    if (request.method === 'POST' && request.path === GENERATE_PATH) {
      const again = this.#idempotentAnswer(request);
      if (again) return again;
    }
    const match = findExchange(this.recording.exchanges, asked);
    if (!match) return this.#notRecorded(asked);
    const task = match.entry.task_id ? this.recording.tasks.get(match.entry.task_id) : undefined;
    if (isCreation(match.entry) && task && task.steps.length > 0) {
      return this.#remember(request, this.#start(task, request, base));
    }
    return {
      status: match.entry.response.status,
      body: rewriteImageLinks(match.entry.response.body ?? null, this.recording.imageLinks, base),
    };
  }

  /** `/images/<task>/<n>.png` of a served task from the recording; `undefined` for other ids. */
  async image(path: string, head: boolean): Promise<ImageAnswer | 'missing' | undefined> {
    const asked = imageRequest(path);
    const served = asked && this.#served.get(asked.id);
    if (!asked || !served) return undefined;
    return (await recordedImage(this.recording.root, served.task, asked.index, head)) ?? 'missing';
  }

  /** Sends the replayed webhooks that fell due (the virtual clock moved). */
  runDue(): void {
    this.#webhooks.runDue();
  }

  close(graceMs: number): Promise<number> {
    return this.#webhooks.close(graceMs);
  }

  #poll(served: ServedTask, keys: Set<string>, owner: string, base: string): JsonAnswer {
    const visible =
      'id' in served.owner
        ? served.owner.id === owner
        : served.owner.fingerprint !== null && keys.has(served.owner.fingerprint);
    // Another key's task does not exist for this one, as upstream answers it.
    if (!visible) throw new EngineError('NOT_FOUND', `task ${served.id} not found`);
    const step = served.walk.poll(this.#options.now());
    return {
      status: step.creation ? 200 : step.status,
      body: rewriteAnswer(step.body, this.#rewriteOf(served, base)),
    };
  }

  #rewriteOf(served: ServedTask, base: string): Rewrite {
    return { task: served.task, servedId: served.id, base, retime: served.retime };
  }

  /** A new task replaying `task`'s life from now on, with its webhook when one is asked for. */
  #start(task: RecordedTask, request: ReplayRequest, base: string): JsonAnswer {
    const now = this.#options.now();
    const scale = gapScale(this.#options.timing);
    const id = `${TASK_ID_PREFIX}${randomBytes(6).toString('hex')}`;
    const webhookUrl = (request.body as { webhook_url?: unknown } | null)?.webhook_url;
    const recorded = task.webhook;
    const endAt =
      typeof webhookUrl === 'string' && recorded
        ? now + Math.max(0, recorded.at - task.steps[0]!.at) * scale
        : undefined;
    const served: ServedTask = {
      task,
      id,
      owner: { id: request.owner },
      walk: new TaskWalk(task.steps, scale, now, endAt),
      retime: { createdAt: now, scale },
    };
    this.#keep(served);
    if (endAt !== undefined && typeof webhookUrl === 'string' && recorded) {
      this.#webhooks.plan(endAt, () => ({
        url: webhookUrl,
        payload: rewriteAnswer(recorded.body, this.#rewriteOf(served, base)),
        timestamp: Math.floor(this.#options.now() / 1000),
        secret: this.#options.webhookSecret,
      }));
    }
    const first = served.walk.current;
    return { status: first.status, body: rewriteAnswer(first.body, this.#rewriteOf(served, base)) };
  }

  #keep(served: ServedTask): void {
    this.#served.set(served.id, served);
    this.#started.push(served.id);
    while (this.#started.length > this.#options.maxTasks) {
      this.#served.delete(this.#started.shift()!);
    }
  }

  #idempotencyKeyOf(request: ReplayRequest): string | undefined {
    return request.idempotencyKey === undefined
      ? undefined
      : `${request.owner}\n${request.idempotencyKey}`;
  }

  /** The answer an earlier `POST` with the same Idempotency-Key got; 409 for another body. */
  #idempotentAnswer(request: ReplayRequest): JsonAnswer | undefined {
    const key = this.#idempotencyKeyOf(request);
    const earlier = key === undefined ? undefined : this.#idempotent.get(key);
    if (!earlier) return undefined;
    if (!isDeepStrictEqual(earlier.body, request.body)) {
      throw new EngineError(
        'IDEMPOTENCY_CONFLICT',
        'Idempotency-Key was already used with a different request body',
      );
    }
    return earlier.answer;
  }

  #remember(request: ReplayRequest, answer: JsonAnswer): JsonAnswer {
    const key = this.#idempotencyKeyOf(request);
    if (key === undefined) return answer;
    this.#idempotent.set(key, { body: request.body, answer });
    if (this.#idempotent.size > MAX_IDEMPOTENT_ANSWERS) {
      this.#idempotent.delete(this.#idempotent.keys().next().value!);
    }
    return answer;
  }

  #notRecorded(asked: AskedRequest): undefined {
    if (this.#options.fallback === 'mock') return undefined;
    const route = `${asked.method} ${asked.path}`;
    const nearest = nearestExchange(this.recording.exchanges, asked);
    if (!nearest) {
      throw new EngineError('NOT_RECORDED', `nothing recorded answers ${route}`);
    }
    const shown = nearest.differences.slice(0, MAX_DETAILS);
    const differs = shown.map((detail) => `${detail.path || 'body'}: ${detail.message}`).join('; ');
    throw new EngineError(
      'NOT_RECORDED',
      `no recorded exchange answers ${route}; the nearest recording is ${nearest.file} (${differs || 'it differs in nothing compared'})`,
      shown,
    );
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

import { readFile } from 'node:fs/promises';
import {
  checkWebhookEvent,
  isTaskId,
  UPSTREAM_BASE_URL,
  WEBHOOK_DELIVERY_POLICY,
} from '@eggapi/contracts';
import { taskCompletedEventFixture, taskFailedEventFixture } from '@eggapi/contracts/testing';
import { signWebhook } from '@eggapi/webhook';
import { CommandFailure, UsageError } from '../errors.js';
import { outputOf, type Io } from '../output/terminal.js';
import { readAtMost } from '../read-at-most.js';
import { mockWebhookEvent } from './mock-event.js';

/** The events `eggapi webhooks trigger` sends. */
export const TRIGGER_EVENTS = ['task.completed', 'task.failed'] as const;
type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

/** The largest `--data` file read, and the most of the receiver's answer printed. */
const MAX_DATA_BYTES = 1024 * 1024;
const MAX_ANSWER_BYTES = 64 * 1024;

/** `eggapi webhooks trigger`'s options. */
export interface TriggerOptions {
  to: string;
  secret: string;
  taskId?: string;
  data?: string;
  set?: string[];
  /** Send the event the mock at `baseUrl` sends for this ended task. */
  fromTask?: string;
  /** The mock's admin token (`--from-task` reads an admin route). */
  adminToken?: string;
  baseUrl?: string;
}

/**
 * Sends one signed sample event, as EggAPI sends a delivery (same headers, HMAC over
 * `{timestamp}.{body}`, upstream's per-attempt timeout): the contracts' sample of `event` (or
 * the payload of `--data`), with `--task-id` and `--set path=value` applied and the timestamp
 * now. Prints the receiver's status and answer; a non-2xx answer or no answer is exit 1. The
 * event must still be one the contract accepts (exit 2 naming the problem otherwise).
 */
export async function trigger(event: string, options: TriggerOptions, io: Io): Promise<void> {
  if (!(TRIGGER_EVENTS as readonly string[]).includes(event)) {
    throw new UsageError(`event must be one of ${TRIGGER_EVENTS.join(', ')}, got "${event}"`);
  }
  const url = receiverUrl(options.to);
  const payload = await basePayload(event as TriggerEvent, options);
  if (options.taskId !== undefined) {
    if (!isTaskId(options.taskId)) {
      throw new UsageError(`--task-id: not a task id: ${JSON.stringify(options.taskId)}`);
    }
    payload.task_id = options.taskId;
  }
  if (!options.data && !options.fromTask) payload.timestamp = Math.floor(Date.now() / 1000);
  for (const assignment of options.set ?? []) applySet(payload, assignment);
  const problem = checkWebhookEvent(payload);
  if (problem) {
    throw new UsageError(
      `the event is not one EggAPI sends${problem.path ? ` (at ${problem.path})` : ''}: ${problem.message}`,
    );
  }
  const body = JSON.stringify(payload);
  let headers: Record<string, string>;
  try {
    headers = { ...signWebhook(body, options.secret) };
  } catch (error) {
    // The webhook package refuses an empty or padded secret: a usage mistake here.
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new UsageError(`--secret: ${error.message}`);
    }
    throw error;
  }
  let answer: Response;
  try {
    answer = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'eggapi-cli (webhooks trigger)',
        ...headers,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_DELIVERY_POLICY.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new CommandFailure(
      `no answer from ${url.href}: ${cause ?? (error as Error).message ?? String(error)}`,
    );
  }
  const out = outputOf(io.stdout, io.env);
  out.line(`${answer.status} ${answer.statusText}`.trimEnd());
  const text = await answerText(answer);
  if (text) out.line(text);
  if (answer.status < 200 || answer.status > 299) {
    throw new CommandFailure(`the receiver answered ${answer.status}`);
  }
}

/** The event before overrides: the mock's (`--from-task`), the file's (`--data`) or the sample. */
async function basePayload(
  event: TriggerEvent,
  options: TriggerOptions,
): Promise<Record<string, unknown>> {
  if (options.fromTask === undefined) {
    return options.data ? readData(options.data) : sample(event);
  }
  for (const [flag, given] of [
    ['--data', options.data],
    ['--task-id', options.taskId],
  ] as const) {
    if (given !== undefined) throw new UsageError(`--from-task cannot be combined with ${flag}`);
  }
  const payload = await mockWebhookEvent(
    options.baseUrl ?? UPSTREAM_BASE_URL,
    options.fromTask,
    options.adminToken,
  );
  if (payload.event !== event) {
    throw new UsageError(
      `task ${options.fromTask} ended with a ${String(payload.event)} event, not ${event}`,
    );
  }
  return payload;
}

function receiverUrl(to: string): URL {
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new UsageError(`--to must be an http(s) URL, got ${JSON.stringify(to)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--to must be an http(s) URL, got ${JSON.stringify(to)}`);
  }
  return url;
}

function sample(event: TriggerEvent) {
  return event === 'task.completed' ? taskCompletedEventFixture() : taskFailedEventFixture();
}

/** A full payload from a JSON file (an object), bounded in size. */
async function readData(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.byteLength > MAX_DATA_BYTES) {
      throw new UsageError(`--data: ${file} is over ${MAX_DATA_BYTES} bytes`);
    }
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--data: cannot read ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--data: ${file} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`--data: ${file} must hold a JSON object (a webhook payload)`);
  }
  return value as Record<string, unknown>;
}

/**
 * `--set path=value`: a dotted path into the payload (`output.urls`, `error`); the value is
 * JSON when it parses as JSON and the member is not a string (`timestamp=1`, `output={"url":"x"}`),
 * else the text as written (`cost=0.020000` stays a string).
 */
function applySet(payload: Record<string, unknown>, assignment: string): void {
  const at = assignment.indexOf('=');
  const path = at > 0 ? assignment.slice(0, at).split('.') : [];
  if (path.length === 0 || path.some((key) => key === '' || key === '__proto__')) {
    throw new UsageError(
      `--set takes path=value (e.g. error=boom), got ${JSON.stringify(assignment)}`,
    );
  }
  const raw = assignment.slice(at + 1);
  let target = payload;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    target[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {};
    target = target[key] as Record<string, unknown>;
  }
  const key = path.at(-1)!;
  target[key] = typeof target[key] === 'string' ? raw : parsedOrText(raw);
}

function parsedOrText(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** The receiver's answer as text, at most `MAX_ANSWER_BYTES` of it. */
async function answerText(answer: Response): Promise<string> {
  const { bytes, cut } = await readAtMost(answer, MAX_ANSWER_BYTES);
  const text = new TextDecoder().decode(bytes);
  return cut ? `${text}\n… (answer cut at ${MAX_ANSWER_BYTES} bytes)` : text;
}

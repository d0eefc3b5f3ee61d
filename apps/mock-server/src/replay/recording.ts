import { isTaskId, recordedImagePath, type RecordedExchange } from '@eggapi/contracts';
import { replayError, type Loaded, type LoadedRecording } from './loader.js';

/** One recorded answer of a task's life and when (recorded ms) its request started. */
export interface Step {
  status: number;
  body: unknown;
  at: number;
  /** The creation's answer: a poll gets it as 200, as a read of the new task. */
  creation?: true;
}

/** A task as the recording saw it: its answers in order, its webhook, its stored images. */
export interface RecordedTask {
  id: string;
  /** The fingerprint of the key that created (or polled) it. */
  key: string | null;
  /** The file that first names it, for messages. */
  file: string;
  /** The creation's answer (when recorded), then every poll's, in order. */
  steps: Step[];
  /** The last webhook recorded for it: the payload and when it arrived (recorded ms). */
  webhook?: { body: Record<string, unknown>; at: number };
  /** Output index → the image file, relative to the root (always `recordedImagePath`'s). */
  imageFiles: Map<number, string>;
  /** The upstream's image link → its output index. */
  imageIndexOf: Map<string, number>;
}

/** A recording ready to replay: its exchanges in time order and the tasks they tell of. */
export interface Recording {
  root: string;
  exchanges: Loaded<RecordedExchange>[];
  tasks: Map<string, RecordedTask>;
  /** Every key fingerprint that made a request. */
  fingerprints: Set<string>;
  /** Every recorded image link → the recorded task and output index it stands for. */
  imageLinks: Map<string, { id: string; index: number }>;
}

const GENERATE_PATH = '/v1/generate';
const IMAGE_FILE = /^images\/([^/]+)\/(\d{1,2})\.png$/;

/** Whether an exchange created its task: `POST /v1/generate` answered 2xx. */
export function isCreation(exchange: RecordedExchange): boolean {
  const { request, response } = exchange;
  return (
    request.method.toUpperCase() === 'POST' &&
    request.path === GENERATE_PATH &&
    response.status >= 200 &&
    response.status < 300 &&
    exchange.task_id !== null
  );
}

function isPollOf(exchange: RecordedExchange, id: string): boolean {
  return (
    exchange.request.method.toUpperCase() === 'GET' && exchange.request.path === `/v1/tasks/${id}`
  );
}

/**
 * The tasks of a loaded recording. A task id that is not a task id (`isTaskId`), an image file
 * other than `images/<task>/<n>.png` of its own task, or a webhook whose body is not an object
 * fails the load naming the file: a tampered recording never chooses a path.
 */
export function buildRecording(loaded: LoadedRecording): Recording {
  const tasks = new Map<string, RecordedTask>();
  const fingerprints = new Set<string>();
  for (const { file, entry } of loaded.exchanges) {
    if (entry.request.key !== null) fingerprints.add(entry.request.key);
    if (entry.response.status < 200) {
      throw replayError(`${file}: response.status ${entry.response.status} is not a final answer`);
    }
    const id = entry.task_id;
    if (id === null) continue;
    if (!isTaskId(id)) throw replayError(`${file}: task_id ${JSON.stringify(id)} is not a task id`);
    let task = tasks.get(id);
    if (!task && (isCreation(entry) || isPollOf(entry, id))) {
      task = {
        id,
        key: entry.request.key,
        file,
        steps: [],
        imageFiles: new Map(),
        imageIndexOf: new Map(),
      };
      tasks.set(id, task);
    }
    if (!task || task.key !== entry.request.key) continue;
    const creation = isCreation(entry) && task.steps.length === 0;
    if (creation || isPollOf(entry, id)) {
      task.steps.push({
        status: entry.response.status,
        body: entry.response.body ?? null,
        at: Date.parse(entry.timing.started_at),
        ...(creation && { creation: true as const }),
      });
    }
    for (const [position, image] of (entry.images ?? []).entries()) {
      const index = imageIndex(image.file, id);
      if (index === undefined) {
        throw replayError(
          `${file}: images.${position}.file ${JSON.stringify(image.file)} is not images/${id}/<n>.png`,
        );
      }
      task.imageFiles.set(index, recordedImagePath(id, index)!);
      task.imageIndexOf.set(image.url, index);
    }
  }
  for (const { file, entry } of loaded.webhooks) {
    const id = entry.task_id;
    if (id === null) continue;
    if (!isTaskId(id)) throw replayError(`${file}: task_id ${JSON.stringify(id)} is not a task id`);
    const task = tasks.get(id);
    if (!task) continue;
    const body = entry.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw replayError(`${file}: body is not a JSON object`);
    }
    task.webhook = { body: body as Record<string, unknown>, at: Date.parse(entry.recorded_at) };
  }
  const imageLinks = new Map<string, { id: string; index: number }>();
  for (const task of tasks.values()) {
    for (const [url, index] of task.imageIndexOf) imageLinks.set(url, { id: task.id, index });
  }
  return { root: loaded.root, exchanges: loaded.exchanges, tasks, fingerprints, imageLinks };
}

/** The output index of an image file of task `id`, when it is exactly `recordedImagePath`'s. */
function imageIndex(file: string, id: string): number | undefined {
  const match = IMAGE_FILE.exec(file);
  if (!match || match[1] !== id) return undefined;
  const index = Number(match[2]);
  return recordedImagePath(id, index) === file ? index : undefined;
}

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  isTaskId,
  RECORDING_DIRS,
  RECORDING_FORMAT,
  recordingFileName,
  type RecordedWebhook,
} from '@eggapi/contracts';

/** One delivery as the listener received it. */
export interface ReceivedDelivery {
  /** When it arrived, in ms since the epoch. */
  receivedAt: number;
  /** Node's `rawHeaders`: name, value, name, value… */
  rawHeaders: readonly string[];
  /** The exact body (already bounded by the listener). */
  body: Buffer;
}

/** The most deliveries one run of the listener stores, so that a flood cannot fill the disk. */
export const MAX_RECORDED_DELIVERIES = 10_000;

/** Stores deliveries under `<dir>/webhooks/`, one `RecordedWebhook` file each. */
export interface WebhookRecorder {
  /** Starts storing `delivery` and returns at once: the listener's answer never waits for it. */
  record(delivery: ReceivedDelivery): void;
  /** Resolves once every write started has ended (before the process exits). */
  settled(): Promise<void>;
}

/**
 * A recorder into `dir` (created when missing). Each file is written to a dot-prefixed temporary
 * name and then renamed, so that a reader never sees half a file. A write that fails is told to
 * `warn` once (later failures are not repeated) and never stops the listener; so is reaching
 * `limit` deliveries (default {@link MAX_RECORDED_DELIVERIES}), after which none is stored.
 */
export function createWebhookRecorder(
  dir: string,
  warn: (message: string) => void,
  limit = MAX_RECORDED_DELIVERIES,
): WebhookRecorder {
  const into = join(dir, RECORDING_DIRS.webhooks);
  const pending = new Set<Promise<void>>();
  let sequence = 0;
  let failureTold = false;
  let limitTold = false;

  async function store(delivery: ReceivedDelivery, number: number): Promise<void> {
    // Parsing and serialising wait until the listener has answered or started forwarding.
    await new Promise((resolve) => setImmediate(resolve));
    const { entry, label } = recordedWebhook(delivery);
    const name = recordingFileName(delivery.receivedAt, number, label);
    const temporary = join(into, `.${name}.${process.pid}.tmp`);
    await mkdir(into, { recursive: true });
    // 'wx': never follows a link or overwrites a file planted at the temporary name.
    await writeFile(temporary, `${JSON.stringify(entry, null, 2)}\n`, { flag: 'wx' });
    await rename(temporary, join(into, name));
  }

  return {
    record(delivery) {
      if (sequence >= limit) {
        if (!limitTold) {
          limitTold = true;
          warn(
            `recorded ${limit} deliveries, the most one run stores; ` +
              'later ones are not recorded (restart the listener to record more)',
          );
        }
        return;
      }
      sequence += 1;
      const write = store(delivery, sequence).catch((error: unknown) => {
        if (failureTold) return;
        failureTold = true;
        const why = error instanceof Error ? error.message : String(error);
        warn(
          `could not record a delivery in ${into}: ${why} ` +
            '(the listener goes on; later recording failures are not reported)',
        );
      });
      pending.add(write);
      void write.finally(() => pending.delete(write));
    },
    async settled() {
      await Promise.all(pending);
    },
  };
}

/**
 * The entry of a delivery and the label of its file name (`<event> <task id>`). The task id is
 * kept only when it is one (`isTaskId`); the label is reduced to safe characters by
 * `recordingFileName`, so nothing a sender writes becomes a path.
 */
export function recordedWebhook(delivery: ReceivedDelivery): {
  entry: RecordedWebhook;
  label: string;
} {
  const rawBody = delivery.body.toString('utf8');
  const body = parseJson(rawBody);
  const claimed = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const taskId =
    typeof claimed.task_id === 'string' && isTaskId(claimed.task_id) ? claimed.task_id : null;
  const event = typeof claimed.event === 'string' ? claimed.event : 'webhook';
  const entry: RecordedWebhook = {
    format: RECORDING_FORMAT,
    kind: 'webhook',
    recorded_at: new Date(delivery.receivedAt).toISOString(),
    headers: lowerCaseHeaders(delivery.rawHeaders),
    raw_body: rawBody,
    ...(body === undefined ? {} : { body }),
    task_id: taskId,
  };
  return { entry, label: taskId ? `${event} ${taskId}` : event };
}

/** Names in lower case; a repeated header's values joined with `, ` (as HTTP allows). */
function lowerCaseHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    const before = headers.get(name);
    headers.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  // fromEntries defines own members: a header named `__proto__` stays a header.
  return Object.fromEntries(headers);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

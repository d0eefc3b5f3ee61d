import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  RECORDED_TEXT_MAX_CHARS,
  RECORDING_DIRS,
  RECORDING_FORMAT,
  recordingFileName,
  type RecordedExchange,
} from '@eggapi/contracts';
import type { Logger } from 'pino';
import { writeAtomically } from './atomic-write.js';
import { outputImages, type OutputImage } from './images.js';

/** One proxied exchange, as the proxy saw it (the key already fingerprinted). */
export interface ExchangeToRecord {
  startedAt: number;
  durationMs: number;
  method: string;
  path: string;
  query: string;
  /** The fingerprint of the request's API key, `null` without one. */
  key: string | null;
  /** Lower-case names, `authorization` already as `Bearer <fingerprint>`. */
  requestHeaders: Record<string, string>;
  requestBody: Buffer | undefined;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: Buffer;
  /** The answer's body parsed, `undefined` when it was not JSON. */
  answer: unknown;
  taskId: string | null;
}

/** Files written at once; the rest wait their turn. */
const CONCURRENT_WRITES = 4;
/** Exchanges waiting beyond this are dropped (and logged): memory stays bounded. */
const MAX_WAITING = 1_000;
/** Tasks whose images are remembered as fetched (oldest forgotten first). */
const TASKS_REMEMBERED = 10_000;
const IMAGE_MAX_BYTES = 20 * 1024 * 1024;
const IMAGE_TIMEOUT_MS = 30_000;

/**
 * Writes every proxied exchange to `<dir>/exchanges/` as one readable JSON file (format
 * `eggapi-recording/1`), and fetches each output image of a completed task once into
 * `<dir>/images/`. Never in the way of an answer: `record` only queues; files are written in the
 * background, a few at a time, each atomically; failures are logged.
 */
export class Recorder {
  readonly #waiting: ExchangeToRecord[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #images = new Map<string, Promise<OutputImage[]>>();
  #sequence = 0;

  /** Creates the recording's directories now, so a directory that cannot be one fails early. */
  constructor(
    readonly dir: string,
    private readonly logger: Logger,
  ) {
    mkdirSync(join(dir, RECORDING_DIRS.exchanges), { recursive: true });
    mkdirSync(join(dir, RECORDING_DIRS.images), { recursive: true });
  }

  /** Queues an exchange to be written. */
  record(exchange: ExchangeToRecord): void {
    if (this.#waiting.length >= MAX_WAITING) {
      this.logger.warn(
        { method: exchange.method, path: exchange.path },
        'recording: too many exchanges waiting to be written, dropped one',
      );
      return;
    }
    this.#waiting.push(exchange);
    this.#pump();
  }

  /** Resolves once every queued exchange is written (or failed). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  #pump(): void {
    while (this.#inFlight.size < CONCURRENT_WRITES && this.#waiting.length > 0) {
      const exchange = this.#waiting.shift()!;
      const sequence = ++this.#sequence;
      const write: Promise<void> = this.#write(exchange, sequence)
        .catch((error: unknown) =>
          this.logger.error(
            { err: error, method: exchange.method, path: exchange.path },
            'recording: could not write an exchange',
          ),
        )
        .finally(() => {
          this.#inFlight.delete(write);
          this.#pump();
        });
      this.#inFlight.add(write);
    }
  }

  async #write(exchange: ExchangeToRecord, sequence: number): Promise<void> {
    const images = await this.#fetchImages(outputImages(exchange.answer));
    const entry: RecordedExchange = {
      format: RECORDING_FORMAT,
      kind: 'exchange',
      recorded_at: new Date().toISOString(),
      request: {
        method: exchange.method,
        path: exchange.path,
        query: exchange.query,
        key: exchange.key,
        headers: sorted(exchange.requestHeaders),
        ...bodyFields(exchange.requestBody),
      },
      response: {
        status: exchange.status,
        headers: sorted(exchange.responseHeaders),
        ...bodyFields(exchange.responseBody),
      },
      timing: {
        started_at: new Date(exchange.startedAt).toISOString(),
        duration_ms: Math.round(exchange.durationMs * 10) / 10,
      },
      task_id: exchange.taskId,
      ...(images.length > 0 && { images: images.map(({ url, file }) => ({ url, file })) }),
    };
    const name = recordingFileName(
      exchange.startedAt,
      sequence,
      `${exchange.method} ${exchange.path}`,
    );
    await writeAtomically(
      join(this.dir, RECORDING_DIRS.exchanges, name),
      `${JSON.stringify(entry, null, 2)}\n`,
    );
  }

  /** The images stored of each task's output; each task's are fetched once. */
  async #fetchImages(images: OutputImage[]): Promise<OutputImage[]> {
    const byTask = new Map<string, OutputImage[]>();
    for (const image of images)
      byTask.set(image.taskId, [...(byTask.get(image.taskId) ?? []), image]);
    const stored = await Promise.all(
      [...byTask].map(([taskId, ofTask]) => {
        let fetched = this.#images.get(taskId);
        if (!fetched) {
          fetched = Promise.all(ofTask.map((image) => this.#fetchImage(image))).then((results) =>
            results.filter((image) => image !== undefined),
          );
          this.#images.set(taskId, fetched);
          if (this.#images.size > TASKS_REMEMBERED) {
            this.#images.delete(this.#images.keys().next().value!);
          }
        }
        return fetched;
      }),
    );
    return stored.flat();
  }

  async #fetchImage(image: OutputImage): Promise<OutputImage | undefined> {
    try {
      // No Authorization: an image link may point anywhere, and the key is the caller's.
      const response = await fetch(image.url, {
        signal: AbortSignal.timeout(IMAGE_TIMEOUT_MS),
        redirect: 'follow',
      });
      if (!response.ok || !response.body) throw new Error(`answered ${response.status}`);
      const bytes = await readBounded(response.body, IMAGE_MAX_BYTES);
      const path = join(this.dir, image.file);
      await mkdir(dirname(path), { recursive: true });
      await writeAtomically(path, bytes);
      return image;
    } catch (error) {
      this.logger.warn(
        { task: image.taskId, url: image.url, err: String(error) },
        'recording: could not fetch an output image',
      );
      return undefined;
    }
  }
}

/** A stream's bytes, failing past `max` (an endless body is cut off). */
async function readBounded(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) throw new Error(`more than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A body as a recording keeps it: `body` when JSON, else the start of its text; none if empty. */
function bodyFields(bytes: Buffer | undefined): { body?: unknown; body_text?: string } {
  if (bytes === undefined || bytes.length === 0) return {};
  const text = bytes.toString('utf8');
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { body_text: text.slice(0, RECORDED_TEXT_MAX_CHARS) };
  }
}

/** Headers by name, so that two recordings of the same exchange diff cleanly. */
function sorted(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).sort(([a], [b]) => a.localeCompare(b)));
}

import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isTaskId, type Task } from '@eggapi/client';
import { CommandFailure } from './errors.js';
import { DEFAULT_DOWNLOAD_TIMEOUT_S, DEFAULT_MAX_IMAGE_BYTES } from './limits.js';
import { outputUrls } from './output/task.js';
import { causeMessage } from './fetch-failure.js';

/** The 8 bytes every PNG starts with. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The limits of one image download. */
export interface DownloadLimits {
  /** Largest image kept, in bytes (`--max-image-bytes`). Default 64 MiB. */
  maxBytes?: number;
  /** Seconds one image may take, headers and whole body (`--download-timeout`). Default 120. */
  timeoutSeconds?: number;
}

/**
 * Downloads every output image of `task` to `<dir>/<id>-<n>.png` (`n` from 1, in the order of
 * `output.urls`), creating `dir` if needed, and resolves with the paths written.
 *
 * `id` is the id the user asked for (the argument of `tasks wait`, or the id `generate` got at
 * creation), never the id inside `task`: a server could answer another id than the one asked
 * for, and must not choose where files go. `id` must pass the client's task-id rule
 * (`isTaskId`), and every path must resolve inside `dir`; both are checked before anything is
 * fetched or written.
 *
 * The images are fetched without the API key: output URLs are public links, possibly on another
 * host, and the key must not travel there. Redirects are followed; what finally answers must be
 * 2xx and a PNG. Each body streams to a temporary file beside its target, never into memory; it
 * is refused as soon as it is not a PNG, declares or reaches more than `maxBytes`, or takes
 * longer than `timeoutSeconds` in all. Files appear only once every image is complete (each is
 * renamed from its temporary file then); on any failure no temporary file remains.
 *
 * @throws CommandFailure when `id` is not a task id, the task has no image, an image answers
 *   other than 2xx, is not a PNG, is too large or too slow, or cannot be written.
 */
export async function downloadImages(
  task: Task,
  id: string,
  dir: string,
  limits: DownloadLimits = {},
): Promise<string[]> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const timeoutMs = (limits.timeoutSeconds ?? DEFAULT_DOWNLOAD_TIMEOUT_S) * 1000;
  const urls = outputUrls(task);
  if (urls.length === 0) throw new CommandFailure(`task ${id} has no output images`);
  const paths = urls.map((_, index) => imagePath(dir, id, index + 1));

  // One failure ends the other downloads at once (its error is the abort reason): nothing of a
  // partial result is kept. Every download has settled before the temporary files are removed.
  const failed = new AbortController();
  const parts = paths.map(partPath);
  try {
    await Promise.allSettled(
      urls.map((url, index) =>
        fetchPngTo(url, parts[index]!, { maxBytes, timeoutMs, failed: failed.signal }).catch(
          (error: unknown) => {
            if (!failed.signal.aborted) failed.abort(error);
          },
        ),
      ),
    );
    if (failed.signal.aborted) throw failed.signal.reason;
    for (const [index, path] of paths.entries()) await rename(parts[index]!, path);
    return paths;
  } catch (error) {
    throw error instanceof CommandFailure ? error : new CommandFailure(fileError(error));
  } finally {
    // After success every part was renamed away; `force` ignores those.
    await Promise.all(parts.map((part) => rm(part, { force: true })));
  }
}

/**
 * `<dir>/<id>-<n>.png`, after checking that `id` is a task id and that the path resolves to a
 * file directly inside `dir` (a second guard: no id the rule lets through can leave `dir`).
 *
 * @throws CommandFailure for an `id` that `isTaskId` refuses, or a path outside `dir`
 */
export function imagePath(dir: string, id: string, n: number): string {
  if (!isTaskId(id)) {
    throw new CommandFailure(
      `refusing to save images under the task id ${JSON.stringify(id)}: a task id is letters, ` +
        'digits and -._~ (not "." or ".."), so it cannot name a file outside --out',
    );
  }
  const path = join(dir, `${id}-${n}.png`);
  if (dirname(resolve(path)) !== resolve(dir)) {
    throw new CommandFailure(`refusing to save ${path}: it is not inside --out ${dir}`);
  }
  return path;
}

/** A fresh name beside `path`, so that a download never writes over a file of its own name. */
function partPath(path: string): string {
  return `${path}.${randomBytes(6).toString('hex')}.part`;
}

interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  /** Aborted when another image of the same task failed. */
  failed: AbortSignal;
}

/** Streams the PNG at `url` into a new file `part`, within `limits`. */
async function fetchPngTo(url: string, part: string, limits: FetchLimits): Promise<void> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = AbortSignal.any([timeout, limits.failed]);
  const why = (error: unknown): string =>
    timeout.aborted
      ? `no complete answer within ${limits.timeoutMs / 1000} s (--download-timeout)`
      : causeMessage(error);
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    throw new CommandFailure(`could not download ${url}: ${why(error)}`);
  }
  const body = response.body;
  const refuse = (reason: string): never => {
    // Nothing more of the body is read.
    void body?.cancel().catch(() => undefined);
    throw new CommandFailure(`could not download ${url}: ${reason}`);
  };
  if (!response.ok) refuse(`HTTP ${response.status}`);
  const type = response.headers.get('content-type') ?? 'no content type';
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  // A compressed body's length says little about the image's, which is counted as it comes.
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  if (!encoded && declared > limits.maxBytes) {
    refuse(
      `it declares ${declared} bytes (Content-Length), over the limit of ${limits.maxBytes} ` +
        'bytes (--max-image-bytes)',
    );
  }
  if (!body) return refuse(`the answer is not a PNG (${type}, no body)`);

  await mkdir(dirname(part), { recursive: true });
  const file = createWriteStream(part, { flags: 'wx' });
  try {
    await pipeline(body, checkPng(limits.maxBytes, type), file, { signal });
  } catch (error) {
    // Refused in the first chunk, the file may still be opening: it is created once that ends.
    // Wait until it is closed, so that the caller's removal of the part finds it.
    if (!file.closed) await once(file, 'close').catch(() => undefined);
    if (error instanceof CommandFailure) refuse(error.message);
    throw new CommandFailure(`could not download ${url}: ${why(error)}`);
  }
}

/**
 * A pipeline step that passes the body through while it is a PNG of at most `maxBytes`, and
 * fails as soon as it is not: the first bytes are not the PNG signature, or one byte too many
 * arrived. Fails too when the body ends before a whole signature.
 */
function checkPng(maxBytes: number, type: string) {
  return async function* (source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    let size = 0;
    let head = Buffer.alloc(0);
    for await (const chunk of source) {
      size += chunk.length;
      if (head.length < PNG_SIGNATURE.length) {
        head = Buffer.concat([head, chunk]).subarray(0, PNG_SIGNATURE.length);
        if (!PNG_SIGNATURE.subarray(0, head.length).equals(head)) {
          throw new CommandFailure(`the answer is not a PNG (${type})`);
        }
      }
      if (size > maxBytes) {
        throw new CommandFailure(
          `the image is larger than the limit of ${maxBytes} bytes (--max-image-bytes)`,
        );
      }
      yield chunk;
    }
    if (head.length < PNG_SIGNATURE.length) {
      throw new CommandFailure(`the answer is not a PNG (${type}, ${size} bytes)`);
    }
  };
}

/** A file-system failure (`mkdir`, the temporary file, `rename`) as one line. */
function fileError(error: unknown): string {
  return `could not save the images: ${error instanceof Error ? error.message : String(error)}`;
}

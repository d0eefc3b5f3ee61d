import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Task } from '@eggapi/client';
import { CommandFailure } from './errors.js';
import { outputUrls } from './output/task.js';

/** The 8 bytes every PNG starts with. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Longest wait for one image, headers and body. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/**
 * Downloads every output image of a completed task to `<dir>/<task id>-<n>.png` (`n` from 1, in
 * the order of `output.urls`), creating `dir` if needed, and resolves with the paths written.
 * The images are fetched without the API key: output URLs are public links, possibly on another
 * host, and the key must not travel there. A file appears only once complete (written beside,
 * then renamed).
 *
 * @throws CommandFailure when the task has no image, an image answers other than 2xx, or what
 *   came back is not a PNG.
 */
export async function downloadImages(task: Task, dir: string): Promise<string[]> {
  const urls = outputUrls(task);
  if (urls.length === 0) throw new CommandFailure(`task ${task.id} has no output images`);
  await mkdir(dir, { recursive: true });
  return Promise.all(
    urls.map(async (url, index) => {
      const path = join(dir, `${task.id}-${index + 1}.png`);
      const bytes = await fetchPng(url);
      const partial = `${path}.part`;
      try {
        await writeFile(partial, bytes);
        await rename(partial, path);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return path;
    }),
  );
}

async function fetchPng(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    throw new CommandFailure(
      `could not download ${url}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (!response.ok) {
    throw new CommandFailure(`could not download ${url}: HTTP ${response.status}`);
  }
  if (!bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    const type = response.headers.get('content-type') ?? 'no content type';
    throw new CommandFailure(
      `could not download ${url}: the answer is not a PNG (${type}, ${bytes.length} bytes)`,
    );
  }
  return bytes;
}

import { constants, type Dirent } from 'node:fs';
import { open, opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RECORDING_DIRS } from '@eggapi/contracts';

/** The most entry files one check reads (both directories together). */
export const MAX_RECORDING_FILES = 20_000;

/** The largest entry file read; a larger one fails its check unread. */
export const MAX_RECORDING_FILE_BYTES = 8 * 1024 * 1024;

/** A recording that cannot be checked at all: no directory, no entries, too many files. */
export class RecordingUsageError extends Error {
  override name = 'RecordingUsageError';
}

/** One file of a recording to check: its path under the root, and what it should hold. */
export interface RecordingFile {
  /** Relative to the recording's root, `/`-separated: `exchanges/2026…-post-v1-generate.json`. */
  file: string;
  kind: 'exchange' | 'webhook';
  /** False for a link, a directory or a device named `*.json`: never opened. */
  regular: boolean;
}

const KIND_OF_DIR = [
  [RECORDING_DIRS.exchanges, 'exchange'],
  [RECORDING_DIRS.webhooks, 'webhook'],
] as const;

/**
 * The entry files of the recording at `dir`, `exchanges/` then `webhooks/`, each in name order
 * (time order). Names starting with `.` (files being written) and not ending in `.json` are
 * left out.
 *
 * @throws RecordingUsageError when `dir` is not a directory, holds no entry, or more than
 *   {@link MAX_RECORDING_FILES}
 */
export async function listRecordingFiles(dir: string): Promise<RecordingFile[]> {
  const root = await stat(dir).catch(() => undefined);
  if (!root?.isDirectory()) throw new RecordingUsageError(`no recording directory at ${dir}`);
  const files: RecordingFile[] = [];
  for (const [sub, kind] of KIND_OF_DIR) {
    const names: Dirent[] = [];
    const entries = await opendir(join(dir, sub)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new RecordingUsageError(`cannot read ${join(dir, sub)}: ${error.message}`);
    });
    if (!entries) continue;
    for await (const entry of entries) {
      if (entry.name.startsWith('.') || !entry.name.endsWith('.json')) continue;
      names.push(entry);
      if (files.length + names.length > MAX_RECORDING_FILES) {
        throw new RecordingUsageError(
          `more than ${MAX_RECORDING_FILES} entries in ${dir}: check it in parts`,
        );
      }
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      files.push({ file: `${sub}/${entry.name}`, kind, regular: entry.isFile() });
    }
  }
  if (files.length === 0) {
    throw new RecordingUsageError(
      `no entries in ${dir}: expected ${RECORDING_DIRS.exchanges}/*.json or ${RECORDING_DIRS.webhooks}/*.json`,
    );
  }
  return files;
}

// No link followed, and a FIFO planted in a recording cannot make the open wait for a writer.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** The text of one entry file, or why it was not read. */
export async function readRecordingFile(
  dir: string,
  file: RecordingFile,
): Promise<{ ok: true; text: string } | { ok: false; problem: string }> {
  if (!file.regular) return { ok: false, problem: 'not a regular file' };
  let handle;
  try {
    handle = await open(join(dir, file.file), READ_FLAGS);
  } catch (error) {
    return { ok: false, problem: `unreadable: ${(error as Error).message}` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, problem: 'not a regular file' };
    if (info.size > MAX_RECORDING_FILE_BYTES) return tooLarge();
    // Read until the end or just past the limit: a file growing meanwhile is still bounded.
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= MAX_RECORDING_FILE_BYTES) {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > MAX_RECORDING_FILE_BYTES) return tooLarge();
    return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
  } finally {
    await handle.close();
  }
}

function tooLarge() {
  return { ok: false as const, problem: `larger than ${MAX_RECORDING_FILE_BYTES} bytes` };
}

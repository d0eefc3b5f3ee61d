import { lstatSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  parseRecordingEntry,
  RECORDING_DIRS,
  type RecordedExchange,
  type RecordedWebhook,
} from '@eggapi/contracts';

/** The most entry files read from one directory of a recording. */
export const MAX_RECORDING_FILES = 10_000;
/** The largest entry file read. */
export const MAX_RECORDING_FILE_BYTES = 4 * 1024 * 1024;
/** The most bytes of entries read from one directory of a recording. */
export const MAX_RECORDING_BYTES = 256 * 1024 * 1024;

/** One entry and the file it came from (relative to the recording's root, for messages). */
export interface Loaded<T> {
  file: string;
  entry: T;
}

/** A recording as read from disk: its root, and its entries in time order (their file names). */
export interface LoadedRecording {
  root: string;
  exchanges: Loaded<RecordedExchange>[];
  webhooks: Loaded<RecordedWebhook>[];
}

/** Why a recording cannot be replayed; the CLI answers it as a usage error (exit 2). */
export function replayError(message: string): TypeError {
  return new TypeError(`invalid mock server options: replay: ${message}`);
}

/**
 * Reads and validates a recording directory at start, synchronously (so `createMockApp` can use
 * it too). Every file is bounded in number and size, must be a regular file (a symlink could
 * point anywhere) and a valid entry of the directory's kind; the first that is not fails the
 * load with its name. Names starting with `.` are a writer's temp files and are skipped.
 */
export function loadRecording(dir: string): LoadedRecording {
  const root = resolve(dir);
  if (!isDirectory(root)) throw replayError(`${dir} is not a directory`);
  if (!isDirectory(join(root, RECORDING_DIRS.exchanges))) {
    throw replayError(`${dir} has no ${RECORDING_DIRS.exchanges}/ directory: not a recording`);
  }
  const exchanges = readEntries(root, RECORDING_DIRS.exchanges, 'exchange');
  const webhooks = isDirectory(join(root, RECORDING_DIRS.webhooks))
    ? readEntries(root, RECORDING_DIRS.webhooks, 'webhook')
    : [];
  return { root, exchanges, webhooks } as LoadedRecording;
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readEntries(
  root: string,
  sub: string,
  kind: 'exchange' | 'webhook',
): Loaded<RecordedExchange | RecordedWebhook>[] {
  let names: Dirent[];
  try {
    names = readdirSync(join(root, sub), { withFileTypes: true });
  } catch (error) {
    throw replayError(`${sub}/: cannot be read (${(error as Error).message})`);
  }
  const files = names
    .filter((dirent) => !dirent.name.startsWith('.') && dirent.name.endsWith('.json'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (files.length > MAX_RECORDING_FILES) {
    throw replayError(`${sub}/ holds ${files.length} files, more than ${MAX_RECORDING_FILES}`);
  }
  let total = 0;
  return files.map((dirent) => {
    const file = `${sub}/${dirent.name}`;
    const path = join(root, sub, dirent.name);
    const stat = lstatSync(path);
    if (!stat.isFile()) throw replayError(`${file}: not a regular file`);
    if (stat.size > MAX_RECORDING_FILE_BYTES) {
      throw replayError(`${file}: ${stat.size} bytes, more than ${MAX_RECORDING_FILE_BYTES}`);
    }
    total += stat.size;
    if (total > MAX_RECORDING_BYTES) {
      throw replayError(`${sub}/ holds more than ${MAX_RECORDING_BYTES} bytes (at ${file})`);
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw replayError(`${file}: cannot be read (${(error as Error).message})`);
    }
    const parsed = parseRecordingEntry(text);
    if (!parsed.ok) throw replayError(`${file}: ${parsed.problem}`);
    if (parsed.entry.kind !== kind) {
      throw replayError(`${file}: a ${parsed.entry.kind} entry in ${sub}/`);
    }
    return { file, entry: parsed.entry };
  });
}

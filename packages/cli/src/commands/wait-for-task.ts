import { TaskFailedError, type EggAPI, type Task } from '@eggapi/client';
import { downloadImages } from '../download.js';
import { startProgress } from '../output/progress.js';
import { printJson, printTask } from '../output/task.js';
import { outputOf, type Io } from '../output/terminal.js';

/** How a command that ends with a task shows it. */
export interface TaskResultOptions {
  /**
   * Download every image to this directory (`<dir>/<task id>-<n>.png`, the id asked for) and
   * print the paths.
   */
  out?: string;
  /** Print only the final task as JSON: no progress, no paths. */
  json?: boolean;
  /** With `out`: the largest image kept, in bytes (`--max-image-bytes`). */
  maxImageBytes?: number;
  /** With `out`: seconds one image may take to download (`--download-timeout`). */
  downloadTimeout?: number;
}

/**
 * Waits until task `id` ends, showing progress on stderr unless `json` (the client polls with its
 * backoff and limits; `first`, the task as just created, starts the display without a poll).
 * A failed task is printed like a completed one before its `TaskFailedError` goes up (exit 1).
 */
export async function waitForTask(
  client: EggAPI,
  id: string,
  io: Io,
  options: TaskResultOptions,
  first?: Task,
): Promise<Task> {
  const progress = options.json ? undefined : startProgress(outputOf(io.stderr, io.env), id, first);
  try {
    return await client.tasks.wait(id, { onProgress: (task) => progress?.update(task) });
  } catch (error) {
    progress?.stop();
    if (error instanceof TaskFailedError) printResult(error.task, io, options);
    throw error;
  } finally {
    progress?.stop();
  }
}

/**
 * Prints a finished task: downloads its images first when `out` is set (`saved <path>` lines),
 * or only the task as JSON with `json`. The files are named after `id`, the id that was asked
 * for, whatever id the server's answer carries (see `downloadImages`).
 */
export async function reportTask(
  id: string,
  task: Task,
  io: Io,
  options: TaskResultOptions,
): Promise<void> {
  const saved = options.out
    ? await downloadImages(task, id, options.out, {
        ...(options.maxImageBytes !== undefined ? { maxBytes: options.maxImageBytes } : {}),
        ...(options.downloadTimeout !== undefined
          ? { timeoutSeconds: options.downloadTimeout }
          : {}),
      })
    : [];
  printResult(task, io, options, saved);
}

function printResult(task: Task, io: Io, options: TaskResultOptions, saved: string[] = []): void {
  const out = outputOf(io.stdout, io.env);
  if (options.json) printJson(out, task);
  else printTask(out, task, saved);
}

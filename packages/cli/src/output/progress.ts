import type { Task } from '@eggapi/client';
import { createLogUpdate } from 'log-update';
import { colorStatus, formatElapsed, type Output } from './terminal.js';

/** Shows a task's progress while the CLI waits for it. */
export interface Progress {
  /** The task as last seen (called on every status change). */
  update(task: Task): void;
  /** The wait is over: leave the last state on screen and release the terminal (idempotent). */
  stop(): void;
}

/** Redraws per second on a terminal: often enough for the elapsed tenths to move smoothly. */
const FRAME_MS = 100;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Progress of task `taskId` on `out` (stderr, so that stdout keeps only the result):
 *
 * - on a terminal, one line redrawn in place ten times a second (log-update): spinner, task id,
 *   status and elapsed time; the final state stays on screen.
 * - otherwise (piped, CI logs), one plain line per status change, no escape codes:
 *   `gen_abc123  processing  1.2s`.
 *
 * @param first the task as already known (just created), if any: shown before the first poll.
 * @param now clock in ms, for tests.
 */
export function startProgress(
  out: Output,
  taskId: string,
  first?: Task,
  now: () => number = Date.now,
): Progress {
  const started = now();
  let status: string | undefined;
  const text = (prefix: string) =>
    `${prefix}${taskId}  ${colorStatus(out.c, status ?? 'waiting')}  ${out.c.dim(formatElapsed(now() - started))}`;

  if (!out.tty) {
    const plain: Progress = {
      update(task) {
        if (task.status === status) return;
        status = task.status;
        out.line(text(''));
      },
      stop() {},
    };
    if (first) plain.update(first);
    return plain;
  }
  status = first?.status;

  // A terminal that reports no size (a pseudo-terminal under `script`, some CI runners) says
  // 0 rows, and log-update draws nothing into zero rows: give it the usual 80×24 then.
  const stream = out.stream as NodeJS.WriteStream;
  const sized = {
    isTTY: true,
    get columns() {
      return stream.columns || 80;
    },
    get rows() {
      return stream.rows || 24;
    },
    write: (chunk: string) => stream.write(chunk),
  } as unknown as NodeJS.WriteStream;
  const log = createLogUpdate(sized);
  let frame = 0;
  let stopped = false;
  const render = () => log(text(`${out.c.cyan(SPINNER[frame++ % SPINNER.length])} `));
  render();
  const timer = setInterval(render, FRAME_MS);
  timer.unref();
  return {
    update(task) {
      status = task.status;
      if (!stopped) render();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      const mark =
        status === 'completed' ? out.c.green('✓') : status === 'failed' ? out.c.red('✗') : '•';
      log(text(`${mark} `));
      log.done();
    },
  };
}

import type { Task } from '@eggapi/client';
import { colorStatus, type Output } from './terminal.js';

/** The output URLs of a task: `output.urls`, else the single `output.url`, else none. */
export function outputUrls(task: Task): string[] {
  if (task.output?.urls && task.output.urls.length > 0) return task.output.urls;
  return task.output?.url ? [task.output.url] : [];
}

/** `label   value` lines, labels padded to one width; a list value continues under its value. */
export function fieldLines(
  out: Output,
  fields: [string, string | string[] | undefined][],
): string[] {
  const shown = fields.filter(
    (field): field is [string, string | string[]] =>
      field[1] !== undefined && !(Array.isArray(field[1]) && field[1].length === 0),
  );
  const width = Math.max(...shown.map(([label]) => label.length)) + 2;
  return shown.flatMap(([label, value]) =>
    (Array.isArray(value) ? value : [value]).map(
      (item, i) => `${out.c.dim((i === 0 ? label : '').padEnd(width))}${item}`,
    ),
  );
}

/**
 * A task for people: one `label value` line per member that is set, output URLs one per line,
 * then `saved <path>` for each downloaded file.
 */
export function printTask(out: Output, task: Task, saved: string[] = []): void {
  const lines = fieldLines(out, [
    ['id', task.id],
    ['status', colorStatus(out.c, task.status)],
    ['type', task.type],
    ['model', task.model],
    ['cost', task.cost],
    ['created', task.created_at],
    ['started', task.started_at ?? undefined],
    ['completed', task.completed_at ?? undefined],
    ['error', task.error ? out.c.red(task.error) : undefined],
    ['images', outputUrls(task)],
    // One labelled line per file, so that a script can pick them out: sed -n 's/^saved *//p'.
    ...saved.map((path): [string, string] => ['saved', path]),
  ]);
  for (const line of lines) out.line(line);
}

/** A value as JSON for scripts (`jq`): two-space indentation, one trailing newline. */
export function printJson(out: Output, value: unknown): void {
  out.line(JSON.stringify(value, null, 2));
}

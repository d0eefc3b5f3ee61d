import { APIError, InvalidArgumentError, TaskFailedError, TaskTimeoutError } from '@eggapi/client';
import { isWebhookVerificationError } from '@eggapi/webhook';
import { EXIT, UsageError } from './errors.js';

/**
 * The exit code an error thrown by a command maps to: 2 for usage mistakes (ours, and arguments
 * the client refuses before sending, such as a task id with a `/`), 1 for everything else.
 */
export function exitCodeFor(error: unknown): number {
  return error instanceof UsageError || error instanceof InvalidArgumentError
    ? EXIT.usage
    : EXIT.failure;
}

/**
 * One line (more for field errors) that says what went wrong, for stderr. API errors name the
 * error code, the server's message and the request id, so that a report can quote all three.
 */
export function describeError(error: unknown): string {
  if (error instanceof APIError) {
    const code = error.code ?? 'no error code';
    const lines = [
      `${code} (HTTP ${error.status}): ${error.message} [request id: ${error.requestId ?? 'none'}]`,
    ];
    // Field errors, unless the only one merely repeats the message.
    const details = error.details ?? [];
    if (details.length > 1 || (details[0] && details[0].message !== error.message)) {
      for (const detail of details) lines.push(`  ${detail.path}: ${detail.message}`);
    }
    return lines.join('\n');
  }
  if (error instanceof TaskFailedError) {
    return `task ${error.task.id} failed: ${error.task.error ?? 'no error message'}`;
  }
  if (error instanceof TaskTimeoutError) {
    const status = error.lastTask ? ` (last status: ${error.lastTask.status})` : '';
    return `task ${error.taskId} did not finish within ${error.waitTimeout / 1000} s${status}`;
  }
  if (isWebhookVerificationError(error)) {
    return `webhook verification failed: ${error.reason}: ${error.message}`;
  }
  // The rest (connection errors, whose message names fetch's cause, a download that failed…)
  // say enough in their message.
  if (error instanceof Error) return error.message;
  return String(error);
}

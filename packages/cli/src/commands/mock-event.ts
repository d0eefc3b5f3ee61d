import { checkWebhookEvent, isTaskId } from '@eggapi/contracts';
import { CommandFailure, UsageError } from '../errors.js';
import { causeMessage } from '../fetch-failure.js';
import { readAtMost } from '../read-at-most.js';

/** The largest answer read from the mock (an event is well under a kilobyte). */
const MAX_EVENT_ANSWER_BYTES = 256 * 1024;
/** How long the mock may take to answer. */
const MOCK_TIMEOUT_MS = 30_000;

/**
 * The webhook event a mock (`eggapi-mock` at `baseUrl`) sends, or would send, for an ended task:
 * `GET /__admin/tasks/:id/webhook-event`, checked against the contract. Anything else the server
 * answers (not a mock, the task not ended, a hostile or endless body) is exit 1 naming it.
 */
export async function mockWebhookEvent(
  baseUrl: string,
  taskId: string,
  adminToken: string | undefined,
): Promise<Record<string, unknown>> {
  if (!isTaskId(taskId)) {
    throw new UsageError(`--from-task: not a task id: ${JSON.stringify(taskId)}`);
  }
  const url = eventUrl(baseUrl, taskId);
  let answer: Response;
  try {
    answer = await fetch(url, {
      headers: {
        accept: 'application/json',
        ...(adminToken !== undefined && { authorization: `Bearer ${adminToken}` }),
      },
      redirect: 'manual',
      signal: AbortSignal.timeout(MOCK_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CommandFailure(`no answer from the mock at ${url.origin}: ${causeMessage(error)}`);
  }
  const { bytes, cut } = await readAtMost(answer, MAX_EVENT_ANSWER_BYTES);
  if (cut) {
    throw new CommandFailure(`${url.href} answered over ${MAX_EVENT_ANSWER_BYTES} bytes`);
  }
  const body = parsed(new TextDecoder().decode(bytes));
  if (answer.status === 200) return checked(body, url);
  throw new CommandFailure(refusal(answer.status, body, url));
}

function eventUrl(baseUrl: string, taskId: string): URL {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new UsageError(`--base-url must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new UsageError(`--base-url must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  const path = base.pathname.replace(/\/+$/, '');
  return new URL(`${path}/__admin/tasks/${taskId}/webhook-event`, base.origin);
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function checked(body: unknown, url: URL): Record<string, unknown> {
  const data = (body as { data?: unknown } | undefined)?.data;
  const problem = checkWebhookEvent(data);
  if (problem) {
    throw new CommandFailure(
      `${url.href} did not answer a webhook event${problem.path ? ` (at ${problem.path})` : ''}: ${problem.message}`,
    );
  }
  return data as Record<string, unknown>;
}

/** Why the mock did not give the event, from its error envelope when it sent one. */
function refusal(status: number, body: unknown, url: URL): string {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const said =
    typeof error?.code === 'string' && typeof error.message === 'string'
      ? `${error.code}: ${error.message.slice(0, 500)}`
      : undefined;
  if (status === 401 || status === 403) {
    return `the mock refused its admin route (${status}${said ? ` ${said}` : ''}): pass its admin token with --admin-token or EGGAPI_ADMIN_TOKEN`;
  }
  if (said === undefined) {
    return `${url.href} answered ${status} without an EggAPI error: --from-task needs --base-url to be an eggapi-mock (it serves /__admin)`;
  }
  return `the mock answered ${status} ${said}`;
}

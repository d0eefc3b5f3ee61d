import {
  checkApiRequest,
  checkApiResponse,
  checkWebhookBody,
  matchRoute,
  type ApiRequest,
  type ContractIssue,
  type RecordedExchange,
  type RecordedWebhook,
} from '@eggapi/contracts';

/** What one recorded entry is (for the report) and how it differs from the contract. */
export interface EntryVerdict {
  description: string;
  /** Paths name members of the entry's file: `response.body.data.status`, `body.event`. */
  issues: ContractIssue[];
}

/**
 * Checks a recorded exchange: the answer against what the contract documents for the request
 * (status, body, documented values), and the request itself. A request the contract refuses is
 * expected to be refused: its issues count only when the server accepted it (a 2xx answer) or
 * when it names no route of the contract at all.
 */
export function checkRecordedExchange(entry: RecordedExchange): EntryVerdict {
  const { request, response } = entry;
  const apiRequest: ApiRequest = {
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    body: request.body,
  };
  const query = request.query ? `?${request.query}` : '';
  const description = `${request.method.toUpperCase()} ${request.path}${query} → ${response.status}`;
  const known = matchRoute(request.method, request.path) !== undefined;
  const accepted = response.status >= 200 && response.status < 300;
  const requestIssues = !known || accepted ? checkApiRequest(apiRequest) : [];
  const responseIssues = checkApiResponse(apiRequest, {
    status: response.status,
    body: response.body,
  });
  return {
    description,
    issues: [
      ...within('request', requestIssues),
      ...within(
        'response',
        responseIssues.map((issue) => showingText(issue, response.body_text)),
      ),
    ],
  };
}

/** A body that is not JSON is shown by its start (an HTML error page says what answered). */
function showingText(issue: ContractIssue, text: string | undefined): ContractIssue {
  if (issue.path !== 'body' || text === undefined || text === '') return issue;
  const start = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return { ...issue, message: `${issue.message}: ${JSON.stringify(start)}` };
}

/**
 * Checks a recorded delivery: its body against the contract's events, and that `body` is what
 * `raw_body` (the bytes the signature covers) says, so that an edited copy cannot pass.
 */
export function checkRecordedWebhook(entry: RecordedWebhook): EntryVerdict {
  const claimed = (entry.body ?? {}) as { event?: unknown; task_id?: unknown };
  const description = ['webhook', claimed.event, claimed.task_id]
    .filter((part) => typeof part === 'string')
    .join(' ');
  const issues = checkWebhookBody(entry.body);
  if (!sameJson(entry.raw_body, entry.body)) {
    issues.push({ path: 'body', message: 'is not raw_body parsed' });
  }
  return { description, issues };
}

function within(root: string, issues: ContractIssue[]): ContractIssue[] {
  return issues.map(({ path, message }) => ({
    path: path === '' ? root : `${root}.${path}`,
    message,
  }));
}

function sameJson(raw: string, body: unknown): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return body === undefined;
  }
  return JSON.stringify(parsed) === JSON.stringify(body);
}

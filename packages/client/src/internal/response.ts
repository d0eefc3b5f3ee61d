import { ErrorEnvelopeSchema } from '@eggapi/contracts';
import { errorFromResponse } from '../error-from-response.js';
import { APIError, UnexpectedResponseError } from '../errors.js';

/** What the client needs of a schema: zod's `safeParse`, structurally. */
export interface EnvelopeSchema<T> {
  safeParse(input: unknown):
    | { success: true; data: { data: T } }
    | {
        success: false;
        error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
      };
}

const NOT_JSON = Symbol('not JSON');
const SNIPPET_LENGTH = 200;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function firstCharacters(text: string): string {
  return JSON.stringify(text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH)}…` : text);
}

/** "text/html (1234 bytes): "<html>…"" — what came back, for error messages. */
function describeBody(headers: Headers, text: string): string {
  const type = headers.get('content-type') ?? 'no content-type';
  if (text.length === 0) return `expected a JSON envelope but got an empty body (${type})`;
  return `expected a JSON envelope but got ${type} (${text.length} characters): ${firstCharacters(text)}`;
}

/** What {@link readEnvelope} reads of a response besides its text. */
export type ResponseHead = Pick<Response, 'status' | 'headers'>;

/**
 * Turns a read answer into the envelope's `data` (validated by `schema`) or throws the typed
 * error for it: the class of {@link errorFromResponse} for 4xx/5xx, {@link UnexpectedResponseError}
 * for a 2xx that is not JSON or not the contract's shape. The headers are read only on failure.
 */
export function readEnvelope<T>(
  response: ResponseHead,
  text: string,
  schema: EnvelopeSchema<T>,
): T {
  const { status } = response;
  const json = parseJson(text);
  if (status < 200 || status >= 300) {
    const envelope = json === NOT_JSON ? undefined : ErrorEnvelopeSchema.safeParse(json);
    const error = envelope?.success ? envelope.data.error : undefined;
    const { headers } = response;
    const body = json === NOT_JSON ? text : json;
    throw errorFromResponse(status, headers, error, body, describeBody(headers, text));
  }
  if (json === NOT_JSON) {
    const { headers } = response;
    throw new UnexpectedResponseError(`${status} status code: ${describeBody(headers, text)}`, {
      status,
      headers,
      body: text,
    });
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw new UnexpectedResponseError(
    `${status} status code: the body does not match the EggAPI contract (${issues}): ${firstCharacters(text)}`,
    { status, headers: response.headers, body: json },
  );
}

/**
 * The error for a redirect, which the client never follows (`redirect: 'manual'`): following
 * one would re-send a `POST /v1/generate` as a GET, or send the key elsewhere. `undefined` when
 * `response` is not a redirect. Browsers hand over an opaque redirect with status 0 and no
 * headers.
 */
export function redirectError(response: Response): APIError | undefined {
  const { status } = response;
  // Status 0 is the browser's opaque redirect (`response.type === 'opaqueredirect'`).
  if (status !== 0 && (status < 300 || status >= 400)) return undefined;
  const { headers } = response;
  const location = headers.get('location');
  const where = location === null ? '' : ` to ${location}`;
  return new APIError(
    `${status} status code: a redirect${where}, not followed (the EggAPI API does not redirect; ` +
      'check `baseURL`, e.g. http:// instead of https:// or a missing path).',
    { status, headers },
  );
}

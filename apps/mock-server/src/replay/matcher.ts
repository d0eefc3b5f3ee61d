import { isDeepStrictEqual } from 'node:util';
import type { ErrorDetail, RecordedExchange } from '@eggapi/contracts';
import type { Loaded } from './loader.js';

/** What of a request is compared with the recorded ones. */
export interface AskedRequest {
  method: string;
  path: string;
  /** The query string without `?`. */
  query: string;
  body: unknown;
  /** The recorded fingerprints this request's key sees. */
  keys: ReadonlySet<string>;
}

/** The field a new request may change without leaving its recording: where its webhook goes. */
const IGNORED_BODY_FIELDS = new Set(['webhook_url']);
const SHOWN_CHARS = 60;

const sortedQuery = (query: string) => {
  const params = new URLSearchParams(query);
  params.sort();
  return params.toString();
};

function bodyOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).filter(([name]) => !IGNORED_BODY_FIELDS.has(name)),
  );
}

const sameRoute = (exchange: RecordedExchange, asked: AskedRequest) =>
  exchange.request.method.toUpperCase() === asked.method && exchange.request.path === asked.path;

/**
 * The recorded exchange that answers a request: the same method, path and query, a key the
 * request's key sees and, for a `POST`, a deep-equal body (`webhook_url` aside). The latest
 * recorded wins.
 */
export function findExchange(
  exchanges: readonly Loaded<RecordedExchange>[],
  asked: AskedRequest,
): Loaded<RecordedExchange> | undefined {
  const query = sortedQuery(asked.query);
  for (let i = exchanges.length - 1; i >= 0; i -= 1) {
    const candidate = exchanges[i]!;
    const { request } = candidate.entry;
    if (!sameRoute(candidate.entry, asked) || sortedQuery(request.query) !== query) continue;
    if (request.key === null || !asked.keys.has(request.key)) continue;
    if (asked.method === 'POST' && !isDeepStrictEqual(bodyOf(request.body), bodyOf(asked.body))) {
      continue;
    }
    return candidate;
  }
  return undefined;
}

/** The recorded exchange closest to an unmatched request and what differs, for NOT_RECORDED. */
export interface Nearest {
  file: string;
  differences: ErrorDetail[];
}

/**
 * The recorded exchange of the same method and path that differs from the request in the fewest
 * places (the key, the query, each body member), or `undefined` when none has that route.
 */
export function nearestExchange(
  exchanges: readonly Loaded<RecordedExchange>[],
  asked: AskedRequest,
): Nearest | undefined {
  let best: Nearest | undefined;
  for (const { file, entry } of exchanges) {
    if (!sameRoute(entry, asked)) continue;
    const differences = differencesOf(entry, asked);
    if (!best || differences.length < best.differences.length) best = { file, differences };
  }
  return best;
}

function differencesOf(entry: RecordedExchange, asked: AskedRequest): ErrorDetail[] {
  const differences: ErrorDetail[] = [];
  const { request } = entry;
  if (request.key === null || !asked.keys.has(request.key)) {
    differences.push({
      path: 'headers.authorization',
      message: `recorded with the key ${request.key ?? '(none)'}, which this key is not mapped to (--replay-key)`,
    });
  }
  if (sortedQuery(request.query) !== sortedQuery(asked.query)) {
    differences.push({
      path: 'query',
      message: `recorded ${shown(request.query)}, got ${shown(asked.query)}`,
    });
  }
  if (asked.method !== 'POST') return differences;
  const recorded = bodyOf(request.body);
  const given = bodyOf(asked.body);
  if (!isObject(recorded) || !isObject(given)) {
    if (!isDeepStrictEqual(recorded, given)) {
      differences.push({ path: '', message: `recorded ${shown(recorded)}, got ${shown(given)}` });
    }
    return differences;
  }
  for (const name of new Set([...Object.keys(recorded), ...Object.keys(given)])) {
    if (!isDeepStrictEqual(recorded[name], given[name])) {
      differences.push({
        path: name,
        message: `recorded ${shown(recorded[name])}, got ${shown(given[name])}`,
      });
    }
  }
  return differences;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

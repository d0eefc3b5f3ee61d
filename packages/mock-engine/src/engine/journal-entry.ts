import { bearerToken, isTaskId, TASK_ID_PREFIX } from '@eggapi/contracts';
import { keyFingerprint } from './fingerprint.js';

/**
 * One request to `/v1/*` or `/images/*` as the request journal keeps it: what arrived (the
 * `Authorization` value only as its key's fingerprint), how it was answered and how long that
 * took by the mock's clock.
 */
export interface JournalEntry {
  /** Unique among every instance on a store (`rq_…`). */
  id: string;
  /** When it arrived, by the mock's clock (ISO 8601). */
  at: string;
  /** Upper-case, e.g. `POST`. */
  method: string;
  /** The path below the mock's base, without the query, e.g. `/v1/tasks/gen_abc`. */
  path: string;
  /** The query; a repeated name keeps every value, as an array. */
  query: Record<string, string | string[]>;
  /** Lower-case names; `authorization` as `Bearer <fingerprint>`, never the key. */
  headers: Record<string, string>;
  /**
   * The body as the mock read it: parsed JSON, else its first 2 KB as text. Absent when no body
   * was read (a GET, or a request refused before its body was: rate limit, fault, bad key).
   */
  body?: unknown;
  /** The answer's status; `0` when the connection was dropped (a `reset` fault). */
  status: number;
  /** The error envelope's `code` (`CONNECTION_RESET` for a dropped connection). */
  code?: string;
  /** The task the request created or read, if any. */
  task_id?: string;
  /** From arrival to answer, by the mock's clock. */
  duration_ms: number;
}

/** What a transport tells the journal of one answered request (see `MockEngine.journalRequest`). */
export interface AnsweredRequest {
  method: string;
  path: string;
  /** The query's name/value pairs, in order (`URLSearchParams` is one). */
  query: Iterable<[string, string]>;
  /** Header name/value pairs (`Headers` is one); repeated ones joined by `, `. */
  headers: Iterable<[string, string | string[] | undefined]>;
  /** The body's text as the mock read it (decoded); `undefined` when it read none. */
  bodyText?: string;
  /** `0` for a dropped connection. */
  status: number;
  /** The answer's JSON body (an envelope), if it was one. */
  answer?: unknown;
}

/** The code of an answer that never came: the connection was dropped (`reset` fault). */
export const DROPPED_CODE = 'CONNECTION_RESET';
/** Most body text kept when the body is not (small) JSON. */
export const JOURNAL_BODY_TEXT_CHARS = 2_048;
/** A JSON body longer than this is kept as its first 2 KB of text instead of parsed. */
export const JOURNAL_BODY_JSON_CHARS = 16 * 1_024;
/** Most headers, query names, and characters of each name and value kept. */
export const JOURNAL_MAX_FIELDS = 64;
export const JOURNAL_MAX_NAME_CHARS = 128;
export const JOURNAL_MAX_VALUE_CHARS = 512;

/** Headers never kept as sent. */
const SECRET_HEADERS = new Set(['cookie', 'proxy-authorization', 'x-api-key']);
/** The task id segment of `/v1/tasks/:id` and `/images/:id/…`. */
const TASK_PATH = /^\/(?:v1\/tasks|images)\/([^/]{1,68})(?:\/|$)/i;

/** A task id as this mock makes them (`gen_…`), of a sane length. */
function isMockTaskId(id: unknown): id is string {
  return isTaskId(id) && id.startsWith(TASK_ID_PREFIX) && id.length <= 68;
}

/**
 * An `Authorization` value as the journal shows it: `Bearer <fingerprint>` for any bearer token
 * (accepted or not; `fingerprintOf` may name accepted keys apart), `<scheme> [redacted]` for
 * another scheme, `[redacted]` for anything else. Never the raw value.
 */
export function shownAuthorization(
  value: string,
  fingerprintOf: (key: string) => string = keyFingerprint,
): string {
  const key = bearerToken(value);
  if (key !== undefined) return `Bearer ${fingerprintOf(key)}`;
  const scheme = /^([A-Za-z][\w.+-]{0,31})\s+\S/.exec(value)?.[1];
  return scheme === undefined ? '[redacted]' : `${scheme} [redacted]`;
}

/** The journal entry of an answered request (ids and times given by the journal). */
export function journalEntry(
  request: AnsweredRequest,
  meta: { id: string; at: number; durationMs: number },
  fingerprintOf?: (key: string) => string,
): JournalEntry {
  const entry: JournalEntry = {
    id: meta.id,
    at: new Date(meta.at).toISOString(),
    method: request.method.toUpperCase(),
    path: clip(request.path, 2_048),
    query: boundedQuery(request.query),
    headers: boundedHeaders(request.headers, fingerprintOf),
    status: request.status,
    duration_ms: Math.max(0, Math.round(meta.durationMs)),
  };
  if (request.bodyText !== undefined) entry.body = keptBody(request.bodyText);
  const code = request.status === 0 ? DROPPED_CODE : codeOf(request.answer);
  if (code !== undefined) entry.code = code;
  const taskId = taskIdOf(request.path, request.answer, request.status);
  if (taskId !== undefined) entry.task_id = taskId;
  return entry;
}

function boundedQuery(pairs: Iterable<[string, string]>): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null) as Record<
    string,
    string | string[]
  >;
  let names = 0;
  for (const [rawName, rawValue] of pairs) {
    const name = clip(rawName, JOURNAL_MAX_NAME_CHARS);
    const value = clip(rawValue, JOURNAL_MAX_VALUE_CHARS);
    const seen = query[name];
    if (seen === undefined) {
      if (++names > JOURNAL_MAX_FIELDS) break;
      query[name] = value;
    } else if (Array.isArray(seen)) {
      if (seen.length < JOURNAL_MAX_FIELDS) seen.push(value);
    } else query[name] = [seen, value];
  }
  return { ...query };
}

function boundedHeaders(
  pairs: AnsweredRequest['headers'],
  fingerprintOf: ((key: string) => string) | undefined,
): Record<string, string> {
  // A Map first: a header named `__proto__` is kept as a header, never as a prototype.
  const headers = new Map<string, string>();
  let count = 0;
  for (const [rawName, rawValue] of pairs) {
    if (rawValue === undefined) continue;
    if (++count > JOURNAL_MAX_FIELDS) break;
    const name = clip(rawName.toLowerCase(), JOURNAL_MAX_NAME_CHARS);
    const value = Array.isArray(rawValue) ? rawValue.join(', ') : rawValue;
    headers.set(
      name,
      name === 'authorization'
        ? shownAuthorization(value, fingerprintOf)
        : SECRET_HEADERS.has(name)
          ? '[redacted]'
          : clip(value, JOURNAL_MAX_VALUE_CHARS),
    );
  }
  return Object.fromEntries(headers);
}

/** Parsed JSON when the text is (not too long) JSON, else its first 2 KB. */
function keptBody(text: string): unknown {
  if (text.length <= JOURNAL_BODY_JSON_CHARS) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not JSON: kept as text below.
    }
  }
  return text.slice(0, JOURNAL_BODY_TEXT_CHARS);
}

function codeOf(answer: unknown): string | undefined {
  const code = (answer as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? clip(code, 64) : undefined;
}

/**
 * The task a request created or read: the answer's `data.id`, else the one its path names when
 * it was answered (2xx/3xx: a 404 read nothing).
 */
function taskIdOf(path: string, answer: unknown, status: number): string | undefined {
  const id = (answer as { data?: { id?: unknown } } | undefined)?.data?.id;
  if (isMockTaskId(id)) return id;
  const fromPath = TASK_PATH.exec(path)?.[1];
  return status >= 200 && status < 400 && isMockTaskId(fromPath) ? fromPath : undefined;
}

function clip(text: string, chars: number): string {
  return text.length <= chars ? text : text.slice(0, chars);
}

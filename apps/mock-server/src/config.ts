import {
  MockEngineOptionsSchema,
  parseOptions,
  type MockEngineOptions,
  type ResolvedEngineOptions,
} from '@eggapi/mock-engine';
import { z } from 'zod';

/** Options of `createMockApp` / `startMockServer`: the engine's, and the Node server's own. */
export const MockServerOptionsSchema = z.strictObject({
  ...MockEngineOptionsSchema.shape,
  /** Port to listen on (0 = any free port). */
  port: z.number().int().min(0).max(65_535).default(0),
  /** Interface to listen on. */
  host: z.string().min(1).default('127.0.0.1'),
  /** pino level; `silent` for none. */
  logLevel: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('silent'),
  /** Human-readable logs (pino-pretty) instead of JSON lines. */
  prettyLogs: z.boolean().default(false),
  /**
   * Keep state and planned work in Redis (with BullMQ) instead of this process's memory: any
   * number of instances with the same `url` and `prefix` share one state. Needs `startMockServer`.
   */
  redis: z
    .strictObject({
      url: z.string().regex(/^rediss?:\/\/\S+$/, {
        error: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
      }),
      prefix: z
        .string()
        .regex(/^[^\s:]+(:[^\s:]+)*$/, {
          error: 'must be non-empty, without whitespace, and not start or end with ":"',
        })
        .default('eggapi-mock'),
      /** Job lock: a dead instance's jobs run elsewhere after about twice this. */
      lockMs: z.number().int().min(200).max(600_000).default(5_000),
      /**
       * The longest an API request waits on Redis: a command without an answer by then fails the
       * request with 503 SERVICE_UNAVAILABLE, and requests fail at once until Redis answers again.
       */
      timeoutMs: z.number().int().min(50).max(60_000).default(1_000),
    })
    .optional(),
  /**
   * Answer from a recording directory (`eggapi-recording/1`, as `--record` writes it) instead of
   * inventing answers: see the README's "Replay". Loaded and validated at start.
   */
  replay: z.string().min(1).optional(),
  /**
   * Which configured keys own the recorded tasks of a key fingerprint, besides the key with that
   * fingerprint itself: a fingerprint (every configured key), or fingerprint → configured key.
   */
  replayKey: z
    .union([z.string().min(1), z.record(z.string().min(1), z.string().min(1))])
    .optional(),
  /** What answers a request no recording matches: `none` (404 NOT_RECORDED) or the ordinary mock. */
  replayFallback: z.enum(['none', 'mock']).default('none'),
  /**
   * Validating proxy: forward every `/v1` request to this upstream (`https://api.eggapi.ai`) with
   * its own `Authorization`, check request and answer against the contract, and pass the answer
   * through unchanged. Not with `redis` (the proxy keeps no state to share).
   */
  proxyTo: z
    .string()
    .refine(isUpstreamUrl, {
      error: 'must be an http:// or https:// URL without credentials, query or fragment',
    })
    .optional(),
  /** Answer a violating upstream answer with 502 `UPSTREAM_CONTRACT_VIOLATION` instead. */
  proxyErrors: z.boolean().default(false),
  /** The longest the upstream may take to answer in full, in ms (then 504 `UPSTREAM_TIMEOUT`). */
  proxyTimeoutMs: z.number().int().min(10).max(600_000).default(30_000),
  /** Record every proxied exchange and its output images in this directory (needs `proxyTo`). */
  record: z.string().min(1).optional(),
});

/** An upstream base URL: http(s), a host, no credentials, query or fragment. */
export function isUpstreamUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === '' &&
    !value.includes('?') &&
    !value.includes('#')
  );
}

export type MockServerOptions = z.input<typeof MockServerOptionsSchema> &
  MockEngineOptions & {
    /** Where JSON log lines go instead of stdout (ignored with `prettyLogs`). */
    logDestination?: { write(line: string): unknown };
  };
export type ResolvedOptions = ResolvedEngineOptions &
  Omit<z.infer<typeof MockServerOptionsSchema>, 'apiKey' | 'publicUrl'> &
  Pick<MockServerOptions, 'logDestination'>;

const INVALID = 'invalid mock server options:';

/** Why a virtual clock and Redis do not go together (the CLI says it too). */
export const VIRTUAL_WITH_REDIS =
  "invalid mock server options: clock: 'virtual' cannot be used with redis: with Redis, BullMQ runs planned work on Redis time across instances, which a test clock cannot move; use the memory store (no redis) for a virtual clock";

export const REPLAY_WITH_REDIS =
  "invalid mock server options: replay cannot be used with redis: a replay answers from one process's reading of the recording; use the memory store (no redis)";
export const REPLAY_KEY_WITHOUT_REPLAY =
  'invalid mock server options: replayKey needs replay (the recording directory)';

/** Validates options and applies defaults; throws a readable error naming the bad option. */
export function resolveOptions(options: MockServerOptions = {}): ResolvedOptions {
  const { logDestination, ...rest } = options;
  const resolved = parseOptions(MockServerOptionsSchema, rest, 'mock server');
  if (resolved.redis && resolved.clock === 'virtual') throw new TypeError(VIRTUAL_WITH_REDIS);
  if (resolved.replay === undefined) {
    if (resolved.replayKey !== undefined) throw new TypeError(REPLAY_KEY_WITHOUT_REPLAY);
  } else if (resolved.redis) throw new TypeError(REPLAY_WITH_REDIS);
  if (resolved.record !== undefined && resolved.proxyTo === undefined) {
    throw new TypeError(`${INVALID} record: recording needs proxyTo (the upstream to record)`);
  }
  if (resolved.proxyTo !== undefined && resolved.redis) {
    throw new TypeError(
      `${INVALID} proxyTo cannot be used with redis: the proxy keeps no state to share`,
    );
  }
  if (resolved.replay !== undefined && resolved.proxyTo !== undefined) {
    throw new TypeError(
      `${INVALID} replay cannot be used with proxyTo: answer from the recording or from the upstream`,
    );
  }
  return { ...resolved, logDestination };
}

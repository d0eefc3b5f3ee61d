import { UPSTREAM_RATE_LIMIT_PER_SECOND, WEBHOOK_DELIVERY_POLICY } from '@eggapi/contracts';
// English messages: @eggapi/contracts sets zod's locale (zod/mini ships none) when it loads.
import * as z from 'zod/mini';
import { CLOCK_MODES, MockClock } from './clock.js';

/** The longest delay a timer can hold (2³¹−1 ms, about 24.8 days): Node fires longer ones at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** The largest `journalSize`. */
export const MAX_JOURNAL_SIZE = 100_000;

/** A duration in whole milliseconds that a timer can hold. */
const duration = (min = 0) =>
  z.int().check(
    z.gte(min, {
      error: `must be a whole number of milliseconds from ${min} to ${MAX_DURATION_MS}`,
    }),
    z.lte(MAX_DURATION_MS, {
      error: `must be a whole number of milliseconds from ${min} to ${MAX_DURATION_MS} (timers cannot hold longer)`,
    }),
  );
const positiveInt = () => z.int().check(z.positive());

/**
 * A per-IP rate limit as options and the admin API take it (`false`, `true` for upstream's 100/s,
 * a number, `{ requestsPerSecond }`), read as requests/second or `false` for none.
 */
export const RateLimitSchema = z.union([
  z.pipe(
    z.boolean(),
    z.transform((on): number | false => (on ? UPSTREAM_RATE_LIMIT_PER_SECOND : false)),
  ),
  positiveInt(),
  z.pipe(
    z.strictObject({ requestsPerSecond: positiveInt() }),
    z.transform((limit) => limit.requestsPerSecond),
  ),
]);

/** Per-task delays: how long a task stays `pending` and then `processing`. */
export interface TimingConfig {
  /** Milliseconds at `pending` before a worker picks the task up. */
  queueMs: number;
  /** Milliseconds at `processing` before the task ends. */
  processingMs: number;
  /** Spread added to `processingMs`: a deterministic (seeded) fraction of it, 0–1. */
  jitter: number;
}

export const TIMING_PRESETS = {
  /** About like upstream: ~1 s queued, 4–8 s processing; every task ends within ~10 s. */
  realistic: { queueMs: 1_000, processingMs: 4_000, jitter: 1 },
  /** Every task ends within about a second. */
  fast: { queueMs: 100, processingMs: 300, jitter: 1 },
  /** A task has ended by the next request after its creation. */
  instant: { queueMs: 0, processingMs: 0, jitter: 0 },
} as const satisfies Record<string, TimingConfig>;

export type TimingPreset = keyof typeof TIMING_PRESETS;
export const TIMING_PRESET_NAMES = Object.keys(TIMING_PRESETS) as TimingPreset[];

export const TimingSchema = z.union([
  z.enum(TIMING_PRESET_NAMES as [TimingPreset, ...TimingPreset[]]),
  z.strictObject({
    queueMs: duration(),
    processingMs: duration(),
    jitter: z._default(z.number().check(z.gte(0), z.lte(1)), 0),
  }),
]);

export const WebhookDeliverySchema = z.strictObject({
  /** Per-attempt timeout; upstream uses 30 s. */
  timeoutMs: z._default(duration(1), WEBHOOK_DELIVERY_POLICY.timeoutMs),
  /** Attempts in all, the first included; upstream makes up to 5. */
  maxAttempts: z._default(z.int().check(z.gte(1), z.lte(50)), WEBHOOK_DELIVERY_POLICY.maxAttempts),
  /** Wait before the 2nd attempt; doubles for each further one (exponential backoff). */
  backoffBaseMs: z._default(duration(), WEBHOOK_DELIVERY_POLICY.backoffBaseMs),
  /** Longest wait between two attempts. */
  backoffMaxMs: z._default(duration(), WEBHOOK_DELIVERY_POLICY.backoffMaxMs),
  /** Attempts in flight at once, across all deliveries; the others wait their turn in order. */
  concurrency: z._default(z.int().check(z.gte(1), z.lte(10_000)), 64),
});

/**
 * A browser origin as `Origin` headers carry it, in its canonical form (lower-case host, no
 * default port): `http(s)://host[:port]` with nothing after it but an optional `/`. `undefined`
 * for anything else (a path, a query, user info, another scheme).
 */
export function canonicalOrigin(value: string): string | undefined {
  const bare = value.replace(/\/$/, '');
  if (!/^https?:\/\/[^/?#@\s]+$/i.test(bare) || !URL.canParse(bare)) return undefined;
  return new URL(bare).origin;
}

/** What a bad origin is told, by the options and the CLI alike. */
export const ORIGIN_HINT =
  'must be an origin such as http://localhost:5173 (scheme, host and port; no path)';

const OriginSchema = z.pipe(
  z.string(),
  z.transform((value: string, ctx) => {
    const origin = canonicalOrigin(value);
    if (origin !== undefined) return origin;
    ctx.issues.push({
      code: 'custom',
      message: `${ORIGIN_HINT}, got ${JSON.stringify(value)}`,
      input: value,
    });
    return z.NEVER;
  }),
);

export type WebhookDeliveryConfig = z.infer<typeof WebhookDeliverySchema>;

export const DEFAULT_API_KEY = 'sk_test_eggapi';

/** Where the admin routes live (outside `/v1`, so they never collide with upstream's API). */
export const ADMIN_PREFIX = '/__admin';

const ApiKeySchema = z
  .string()
  .check(z.regex(/^\S+$/, { error: 'an API key may not contain whitespace' }));

/**
 * Options of the engine and every transport over it (`createFetchHandler`, the MSW handlers, the
 * Node server, which adds its own). Every field is optional.
 */
export const MockEngineOptionsSchema = z.strictObject({
  /** One accepted API key (added to `apiKeys`), as the CLI's `--api-key`. */
  apiKey: z.optional(ApiKeySchema),
  /** Accepted API keys (`Authorization: Bearer <key>`); each sees only its own tasks. */
  apiKeys: z._default(z.array(ApiKeySchema).check(z.minLength(1)), [DEFAULT_API_KEY]),
  /** Secret that signs webhook deliveries; none → deliveries carry no signature, as upstream. */
  webhookSecret: z.optional(
    z.string().check(
      z.minLength(1),
      z.refine((secret) => secret.trim() === secret, {
        error:
          'the webhook secret has leading or trailing whitespace (a newline from an env file?)',
      }),
    ),
  ),
  /** Lifecycle timing: a preset name or explicit delays. */
  timing: z._default(TimingSchema, 'instant'),
  /** Seed for reproducible task ids, timings and images. */
  seed: z.optional(z.union([z.string(), z.number()])),
  /**
   * Base URL used in `output.url(s)` (set it when the server sits behind a proxy). Unset, API
   * answers use the host each request came to, and webhook payloads the listening address.
   */
  publicBaseUrl: z.optional(z.url()),
  /** Alias of `publicBaseUrl`, as the CLI's `--public-url`. */
  publicUrl: z.optional(z.url()),
  /** Most tasks kept in memory; the oldest are evicted first. */
  maxTasks: z._default(positiveInt(), 10_000),
  /**
   * Most requests the request journal keeps (`/v1` and images, newest first; on Redis, shared by
   * every instance on the prefix). `0` turns the journal off.
   */
  journalSize: z._default(z.int().check(z.gte(0), z.lte(MAX_JOURNAL_SIZE)), 1_000),
  /** Starting balance per API key, in micro-dollars; keys not listed have no limit. */
  balances: z._default(z.record(z.string(), z.int().check(z.nonnegative())), {}),
  /**
   * Per-IP rate limit in requests/second: `true` for upstream's 100, a number, or
   * `{ requestsPerSecond }`. Off by default.
   */
  rateLimit: z._default(RateLimitSchema, false),
  webhooks: z._default(WebhookDeliverySchema, () => WebhookDeliverySchema.parse({})),
  /**
   * The browser origins that may call `/v1` and the images cross-origin (CORS), e.g.
   * `['http://localhost:5173']`. Default: any origin (`*`). `/__admin` answers no CORS at all.
   */
  corsOrigins: z.optional(z.array(OriginSchema).check(z.minLength(1))),
  /** When set, admin routes require `Authorization: Bearer <adminToken>`. */
  adminToken: z.optional(z.string().check(z.minLength(1))),
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: z._default(positiveInt(), 100 * 1024),
  /** Validate every answer against the contract (slower; on in this package's tests). */
  validateResponses: z._default(z.boolean(), false),
  /**
   * How long shutdown waits for webhook attempts in flight and retries falling due, and for tasks
   * ending, before it abandons what is left.
   */
  shutdownGraceMs: z._default(duration(), 10_000),
  /**
   * `real`: the mock's time is the wall clock (or `now`); `virtual`: it starts at `now()` (or
   * `Date.now()`) and stands still until a test moves it (`advance(ms)`,
   * `POST /__admin/clock/advance`). Not with a shared store (Redis).
   */
  clock: z._default(z.enum(CLOCK_MODES), 'real'),
});

export type MockEngineOptions = z.input<typeof MockEngineOptionsSchema> & {
  /** Clock in milliseconds since the epoch (tests may inject one). */
  now?: () => number;
};
export type ResolvedEngineOptions = Omit<
  z.infer<typeof MockEngineOptionsSchema>,
  'apiKey' | 'publicUrl'
> &
  ResolvedClock;

/**
 * The clock of resolved options: `now` reads `mockClock` (the injected `now` as its source), the
 * one time every rule, store and scheduler of the mock reads.
 */
export interface ResolvedClock {
  now: () => number;
  mockClock: MockClock;
}

/**
 * Validates options against `schema` (the engine's, or a transport's extension of it) and
 * applies defaults; throws a TypeError naming each bad option.
 */
export function parseOptions<S extends z.core.$ZodType<z.output<typeof MockEngineOptionsSchema>>>(
  schema: S,
  options: Record<string, unknown> & { now?: () => number },
  what = 'mock',
): Omit<z.output<S>, 'apiKey' | 'publicUrl'> & ResolvedClock {
  const { now, ...rest } = options;
  if (now !== undefined && typeof now !== 'function') {
    throw new TypeError(
      `invalid ${what} options: now: must be a function returning ms since the epoch`,
    );
  }
  const result = z.safeParse(schema, rest);
  if (!result.success) {
    const problems = result.error.issues.map(
      (i) => `${i.path.join('.') || 'options'}: ${i.message}`,
    );
    throw new TypeError(`invalid ${what} options: ${problems.join('; ')}`);
  }
  const { apiKey, publicUrl, ...data } = result.data;
  // `data` holds the extension's fields too: the schema is an extension of the engine's.
  // The CLI-named aliases fold into the canonical options.
  const apiKeys =
    apiKey === undefined || data.apiKeys.includes(apiKey)
      ? data.apiKeys
      : options.apiKeys === undefined
        ? [apiKey]
        : [apiKey, ...data.apiKeys];
  const mockClock = new MockClock(data.clock, now);
  return {
    ...data,
    apiKeys,
    publicBaseUrl: data.publicBaseUrl ?? publicUrl,
    now: mockClock.now,
    mockClock,
  };
}

/** Validates the engine's options and applies defaults (see `parseOptions`). */
export function resolveEngineOptions(options: MockEngineOptions = {}): ResolvedEngineOptions {
  return parseOptions(MockEngineOptionsSchema, options);
}

/** The explicit delays of a timing option. */
export function timingOf(timing: ResolvedEngineOptions['timing']): TimingConfig {
  return typeof timing === 'string' ? TIMING_PRESETS[timing] : timing;
}

import { parseArgs } from 'node:util';
import {
  CLOCK_MODES,
  canonicalOrigin,
  DEFAULT_API_KEY,
  ORIGIN_HINT,
  MAX_DURATION_MS,
  MAX_JOURNAL_SIZE,
  TIMING_PRESET_NAMES,
  type TimingPreset,
} from '@eggapi/mock-engine';
import { isUpstreamUrl, type MockServerOptions } from '../config.js';

export const USAGE = `Usage: eggapi-mock [options]

A stateful EggAPI mock server. Every option can also come from the environment (in brackets);
flags win over the environment.

  --port <n>              port to listen on, 0 = any free port (PORT; default 4010)
  --host <addr>           interface to listen on (HOST; default 127.0.0.1)
  --api-key <key>         accepted API key, repeatable (EGGAPI_API_KEYS, comma-separated;
                          default ${DEFAULT_API_KEY})
  --webhook-secret <s>    sign webhook deliveries with this secret (EGGAPI_WEBHOOK_SECRET;
                          default none: deliveries are unsigned, as upstream)
  --timing <t>            realistic | fast | instant (EGGAPI_TIMING; default realistic)
  --clock <c>             real | virtual: virtual time stands still until moved with
                          POST /__admin/clock/advance (EGGAPI_CLOCK; default real; not with Redis)
  --seed <s>              make task ids, timings and images reproducible (EGGAPI_SEED)
  --public-url <url>      base URL for output image links, e.g. behind a proxy (EGGAPI_PUBLIC_URL)
  --admin-token <t>       require "Authorization: Bearer <t>" on /__admin routes (EGGAPI_ADMIN_TOKEN)
  --cors-origin <origin>  browser origin that may call /v1 and the images, e.g.
                          http://localhost:5173; repeatable (EGGAPI_CORS_ORIGINS, comma-separated;
                          default any origin). /__admin answers its own pages only, whatever this says
  --max-tasks <n>         tasks kept in memory, oldest evicted first (EGGAPI_MAX_TASKS; default 10000)
  --journal-size <n>      requests the request journal keeps, newest first; 0 = off
                          (EGGAPI_JOURNAL_SIZE; default 1000)
  --rate-limit <n>        per-IP requests per second, 0 = off (EGGAPI_RATE_LIMIT; default off)
  --webhook-concurrency <n>
                          webhook attempts in flight at once; the others wait their turn
                          (EGGAPI_WEBHOOK_CONCURRENCY; default 64)
  --shutdown-grace <ms>   on SIGTERM/SIGINT, how long to finish webhook attempts, retries and
                          task ends falling due before abandoning them
                          (EGGAPI_SHUTDOWN_GRACE_MS; default 10000)
  --redis-url <url>       keep state and planned work in Redis, shared by every instance with the
                          same URL and prefix (EGGAPI_REDIS_URL; default none: this process's memory)
  --redis-prefix <p>      key prefix, so independent mocks can share one Redis
                          (EGGAPI_REDIS_PREFIX; default eggapi-mock)
  --redis-lock <ms>       how long a job stays locked to an instance without renewal: a dead
                          instance's work moves to another after about twice this
                          (EGGAPI_REDIS_LOCK_MS; default 5000)
  --redis-timeout <ms>    the longest an API request waits on Redis before its 503; while Redis
                          stalls, requests then fail at once until it answers
                          (EGGAPI_REDIS_TIMEOUT_MS; default 1000)
  --replay <dir>          answer from a recording (as --record writes it) instead of inventing
                          answers; see the README's "Replay" (EGGAPI_REPLAY; not with Redis)
  --replay-key <fp>[=<key>]
                          let configured keys own the recorded tasks of key fingerprint <fp>
                          (sk_t…ggapi): every configured key, or only <key>; repeatable as
                          <fp>=<key> (EGGAPI_REPLAY_KEY, comma-separated)
  --replay-fallback <f>   none | mock: what answers a request the recording does not hold: 404
                          NOT_RECORDED, or the ordinary mock (EGGAPI_REPLAY_FALLBACK; default none)
  --proxy-to <url>        validating proxy: forward every /v1 request to this upstream (e.g.
                          https://api.eggapi.ai) with its own Authorization, check request and
                          answer against the contract, pass the answer through unchanged; each
                          difference is logged and kept at GET /__admin/violations
                          (EGGAPI_PROXY_TO; default none: the mock answers; not with Redis)
  --proxy-errors          answer a violating upstream answer with 502 UPSTREAM_CONTRACT_VIOLATION
                          instead of passing it through (EGGAPI_PROXY_ERRORS=1; needs --proxy-to)
  --proxy-timeout <s>     the longest the upstream may take to answer, then 504 UPSTREAM_TIMEOUT;
                          0.01 to 600 (EGGAPI_PROXY_TIMEOUT; default 30; needs --proxy-to)
  --record <dir>          write every proxied exchange to <dir>/exchanges/ as one JSON file and
                          each output image once to <dir>/images/ (EGGAPI_RECORD_DIR; needs
                          --proxy-to)
  --log-level <l>         fatal | error | warn | info | debug | trace | silent (LOG_LEVEL; default info)
  --log-format <f>        pretty | json (LOG_FORMAT; default pretty on a terminal, else json)
  -h, --help              show this help
`;

/** A command line that cannot be used; the message says why. */
export class CliError extends Error {
  override name = 'CliError';
}

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

export interface CliCommand {
  help: boolean;
  options: MockServerOptions;
}

/**
 * Turns argv and the environment into server options (CLI defaults: port 4010, realistic
 * timing, info logs). Throws CliError for anything it cannot use.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv, isTerminal: boolean): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string', multiple: true },
        'webhook-secret': { type: 'string' },
        timing: { type: 'string' },
        clock: { type: 'string' },
        seed: { type: 'string' },
        'public-url': { type: 'string' },
        'admin-token': { type: 'string' },
        'cors-origin': { type: 'string', multiple: true },
        'max-tasks': { type: 'string' },
        'journal-size': { type: 'string' },
        'rate-limit': { type: 'string' },
        'webhook-concurrency': { type: 'string' },
        'shutdown-grace': { type: 'string' },
        'redis-url': { type: 'string' },
        'redis-prefix': { type: 'string' },
        'redis-lock': { type: 'string' },
        'redis-timeout': { type: 'string' },
        replay: { type: 'string' },
        'replay-key': { type: 'string', multiple: true },
        'replay-fallback': { type: 'string' },
        'proxy-to': { type: 'string' },
        'proxy-errors': { type: 'boolean' },
        'proxy-timeout': { type: 'string' },
        record: { type: 'string' },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const pick = (flag: string | undefined, name: string) => flag ?? (env[name] || undefined);

  const timing = pick(values.timing, 'EGGAPI_TIMING') ?? 'realistic';
  if (!TIMING_PRESET_NAMES.includes(timing as TimingPreset)) {
    throw new CliError(
      `--timing must be one of ${TIMING_PRESET_NAMES.join(', ')}, got "${timing}"`,
    );
  }
  const apiKeys =
    values['api-key'] ??
    env.EGGAPI_API_KEYS?.split(',')
      .map((k) => k.trim())
      .filter(Boolean);
  const corsOrigins =
    values['cors-origin'] ??
    env.EGGAPI_CORS_ORIGINS?.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
  const logFormat = pick(values['log-format'], 'LOG_FORMAT') ?? (isTerminal ? 'pretty' : 'json');
  if (logFormat !== 'pretty' && logFormat !== 'json') {
    throw new CliError(`--log-format must be pretty or json, got "${logFormat}"`);
  }
  const maxTasks = pick(values['max-tasks'], 'EGGAPI_MAX_TASKS');
  const rate = pick(values['rate-limit'], 'EGGAPI_RATE_LIMIT');
  const rateLimit = rate === undefined ? 0 : integer('--rate-limit', rate, 0, 1_000_000);
  const options: MockServerOptions = {
    port: integer('--port', pick(values.port, 'PORT') ?? '4010', 0, 65_535),
    host: pick(values.host, 'HOST') ?? '127.0.0.1',
    apiKeys: apiKeys && apiKeys.length > 0 ? apiKeys : [DEFAULT_API_KEY],
    timing: timing as TimingPreset,
    logLevel: (pick(values['log-level'], 'LOG_LEVEL') ?? 'info') as MockServerOptions['logLevel'],
    prettyLogs: logFormat === 'pretty',
    rateLimit: rateLimit === 0 ? false : { requestsPerSecond: rateLimit },
  };
  const secret = pick(values['webhook-secret'], 'EGGAPI_WEBHOOK_SECRET');
  if (secret !== undefined) options.webhookSecret = secret;
  const clock = pick(values.clock, 'EGGAPI_CLOCK');
  if (clock !== undefined) {
    if (!(CLOCK_MODES as readonly string[]).includes(clock)) {
      throw new CliError(`--clock must be one of ${CLOCK_MODES.join(', ')}, got "${clock}"`);
    }
    options.clock = clock as (typeof CLOCK_MODES)[number];
  }
  const seed = pick(values.seed, 'EGGAPI_SEED');
  if (seed !== undefined) options.seed = seed;
  const publicUrl = pick(values['public-url'], 'EGGAPI_PUBLIC_URL');
  if (publicUrl !== undefined) options.publicBaseUrl = publicUrl;
  const adminToken = pick(values['admin-token'], 'EGGAPI_ADMIN_TOKEN');
  if (adminToken !== undefined) options.adminToken = adminToken;
  if (corsOrigins !== undefined && corsOrigins.length > 0) {
    const bad = corsOrigins.find((origin) => canonicalOrigin(origin) === undefined);
    if (bad !== undefined) throw new CliError(`--cors-origin ${ORIGIN_HINT}, got "${bad}"`);
    options.corsOrigins = corsOrigins;
  }
  if (maxTasks !== undefined) options.maxTasks = integer('--max-tasks', maxTasks, 1, 100_000_000);
  const journalSize = pick(values['journal-size'], 'EGGAPI_JOURNAL_SIZE');
  if (journalSize !== undefined) {
    options.journalSize = integer('--journal-size', journalSize, 0, MAX_JOURNAL_SIZE);
  }
  const concurrency = pick(values['webhook-concurrency'], 'EGGAPI_WEBHOOK_CONCURRENCY');
  if (concurrency !== undefined) {
    options.webhooks = { concurrency: integer('--webhook-concurrency', concurrency, 1, 10_000) };
  }
  const grace = pick(values['shutdown-grace'], 'EGGAPI_SHUTDOWN_GRACE_MS');
  if (grace !== undefined) {
    options.shutdownGraceMs = integer('--shutdown-grace', grace, 0, MAX_DURATION_MS);
  }
  const redisUrl = pick(values['redis-url'], 'EGGAPI_REDIS_URL');
  const redisPrefix = pick(values['redis-prefix'], 'EGGAPI_REDIS_PREFIX');
  const redisLock = pick(values['redis-lock'], 'EGGAPI_REDIS_LOCK_MS');
  const redisTimeout = pick(values['redis-timeout'], 'EGGAPI_REDIS_TIMEOUT_MS');
  if (redisUrl !== undefined) {
    if (options.clock === 'virtual') {
      throw new CliError(
        '--clock virtual cannot be used with --redis-url (or EGGAPI_REDIS_URL): with Redis, planned work runs on Redis time across instances, which a test clock cannot move',
      );
    }
    options.redis = { url: redisUrl };
    if (redisPrefix !== undefined) options.redis.prefix = redisPrefix;
    if (redisLock !== undefined) {
      options.redis.lockMs = integer('--redis-lock', redisLock, 200, 600_000);
    }
    if (redisTimeout !== undefined) {
      options.redis.timeoutMs = integer('--redis-timeout', redisTimeout, 50, 60_000);
    }
  } else if (
    values['redis-prefix'] !== undefined ||
    values['redis-lock'] !== undefined ||
    values['redis-timeout'] !== undefined
  ) {
    throw new CliError(
      '--redis-prefix, --redis-lock and --redis-timeout need --redis-url (or EGGAPI_REDIS_URL)',
    );
  }
  const replayKeys =
    values['replay-key'] ??
    env.EGGAPI_REPLAY_KEY?.split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  Object.assign(
    options,
    replayOptions(
      pick(values.replay, 'EGGAPI_REPLAY'),
      replayKeys,
      pick(values['replay-fallback'], 'EGGAPI_REPLAY_FALLBACK'),
    ),
  );
  if (options.replay !== undefined && options.redis !== undefined) {
    throw new CliError('--replay cannot be used with --redis-url (or EGGAPI_REDIS_URL)');
  }
  Object.assign(
    options,
    proxyOptions(
      {
        proxyTo: pick(values['proxy-to'], 'EGGAPI_PROXY_TO'),
        errors:
          values['proxy-errors'] ?? flagFromEnv(env.EGGAPI_PROXY_ERRORS, 'EGGAPI_PROXY_ERRORS'),
        timeout: pick(values['proxy-timeout'], 'EGGAPI_PROXY_TIMEOUT'),
        record: pick(values.record, 'EGGAPI_RECORD_DIR'),
      },
      options.redis !== undefined,
    ),
  );
  if (options.replay !== undefined && options.proxyTo !== undefined) {
    throw new CliError(
      '--replay cannot be used with --proxy-to: answer from the recording or from the upstream',
    );
  }
  return { help: values.help === true, options };
}

/** `--replay`, `--replay-key` and `--replay-fallback` as options. */
function replayOptions(
  dir: string | undefined,
  keys: string[] | undefined,
  fallback: string | undefined,
): Pick<MockServerOptions, 'replay' | 'replayKey' | 'replayFallback'> {
  if (dir === undefined) {
    if ((keys && keys.length > 0) || fallback !== undefined) {
      throw new CliError('--replay-key and --replay-fallback need --replay (or EGGAPI_REPLAY)');
    }
    return {};
  }
  const options: Pick<MockServerOptions, 'replay' | 'replayKey' | 'replayFallback'> = {
    replay: dir,
  };
  if (fallback !== undefined) {
    if (fallback !== 'none' && fallback !== 'mock') {
      throw new CliError(`--replay-fallback must be one of none, mock, got "${fallback}"`);
    }
    options.replayFallback = fallback;
  }
  if (keys && keys.length > 0) options.replayKey = replayKeyOption(keys);
  return options;
}

/**
 * `--replay-key` values: one fingerprint (every configured key), or `<fingerprint>=<key>` pairs
 * (split at the first `=`: a fingerprint holds none, a key may).
 */
function replayKeyOption(entries: string[]): string | Record<string, string> {
  const pairs = entries.map((entry) => {
    const at = entry.indexOf('=');
    return at < 0 ? [entry] : [entry.slice(0, at), entry.slice(at + 1)];
  });
  if (pairs.length === 1 && pairs[0]!.length === 1) return pairs[0]![0]!;
  const mapping: Record<string, string> = {};
  for (const pair of pairs) {
    const [fingerprint, key] = pair;
    if (pair.length === 1 || !fingerprint || !key) {
      throw new CliError(
        `--replay-key takes one fingerprint, or <fingerprint>=<key> pairs, got "${pair.join('=')}"`,
      );
    }
    if (fingerprint in mapping) {
      throw new CliError(`--replay-key maps ${fingerprint} twice`);
    }
    mapping[fingerprint] = key;
  }
  return mapping;
}

/** `1`/`true`/`yes` and `0`/`false`/`no` (any case); unset or empty is `undefined`. */
function flagFromEnv(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  throw new CliError(`${name} must be 1, true, yes, 0, false or no, got "${value}"`);
}

/** The validating proxy's and the recording's options, checked together. */
function proxyOptions(
  given: { proxyTo?: string; errors?: boolean; timeout?: string; record?: string },
  withRedis: boolean,
): Pick<MockServerOptions, 'proxyTo' | 'proxyErrors' | 'proxyTimeoutMs' | 'record'> {
  const { proxyTo, errors, timeout, record } = given;
  if (proxyTo === undefined) {
    if (record !== undefined) {
      throw new CliError('--record needs --proxy-to (or EGGAPI_PROXY_TO): the upstream to record');
    }
    if (errors === true || timeout !== undefined) {
      throw new CliError('--proxy-errors and --proxy-timeout need --proxy-to (or EGGAPI_PROXY_TO)');
    }
    return {};
  }
  if (!isUpstreamUrl(proxyTo)) {
    throw new CliError(
      `--proxy-to must be an http:// or https:// URL without credentials, query or fragment, e.g. https://api.eggapi.ai, got "${proxyTo}"`,
    );
  }
  if (withRedis) {
    throw new CliError(
      '--proxy-to cannot be used with --redis-url (or EGGAPI_REDIS_URL): the proxy keeps no state to share',
    );
  }
  const options: ReturnType<typeof proxyOptions> = { proxyTo, proxyErrors: errors === true };
  if (timeout !== undefined) {
    if (!/^\d{1,3}(\.\d{1,3})?$/.test(timeout) || Number(timeout) < 0.01 || Number(timeout) > 600) {
      throw new CliError(`--proxy-timeout must be seconds from 0.01 to 600, got "${timeout}"`);
    }
    options.proxyTimeoutMs = Math.round(Number(timeout) * 1000);
  }
  if (record !== undefined) options.record = record;
  return options;
}

import { isDeepStrictEqual } from 'node:util';
import { TIMING_PRESET_NAMES, TIMING_PRESETS } from '@eggapi/mock-engine';
import type { MockServerOptions } from '../config.js';
import type { ConfigView } from '@eggapi/mock-engine';
import { startMockServer } from '../http/server.js';
import { CliError, parseCli, USAGE } from './options.js';

/** Beyond the grace period, what closing the connections may still take before a forced exit. */
const HARD_EXIT_MARGIN_MS = 3_000;

/** `eggapi-mock`: parses options, listens, prints how to call it, shuts down cleanly on signals. */
async function main(): Promise<void> {
  let command;
  try {
    command = parseCli(process.argv.slice(2), process.env, process.stdout.isTTY === true);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`eggapi-mock: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (command.help) {
    process.stdout.write(USAGE);
    return;
  }
  let server;
  try {
    server = await startMockServer(command.options);
  } catch (error) {
    // An option the flags let through but the server refuses is still a usage error.
    if (!(error instanceof TypeError && error.message.startsWith('invalid mock server options'))) {
      throw error;
    }
    process.stderr.write(`eggapi-mock: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  // Handlers first, so that a signal right after the banner is already handled.
  const { redis } = await server.engine.health();
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`\n${signal} again: exiting now, abandoning what is left\n`);
      process.exit(1);
    }
    stopping = true;
    const grace = command.options.shutdownGraceMs ?? 10_000;
    process.stdout.write(
      `\n${signal}: shutting down (up to ${grace} ms for webhook attempts, retries and task ends; ${signal} again to exit now)\n`,
    );
    // Whatever Redis or a receiver does, the process is gone shortly after the grace period.
    setTimeout(() => {
      process.stderr.write(
        `eggapi-mock: shutdown did not finish within the grace period (${grace} ms): exiting, abandoning what is left\n`,
      );
      process.exit(1);
    }, grace + HARD_EXIT_MARGIN_MS).unref();
    server.close().then(
      (report) => {
        const counts = `${report.unendedTasks.length} unended task(s) and ${report.undeliveredWebhooks.length} undelivered webhook(s)`;
        const left = report.unendedTasks.length + report.undeliveredWebhooks.length;
        if (report.incomplete) {
          process.stdout.write(
            `shut down after the grace period with Redis unreachable: could not confirm what is left (read: ${counts}); planned work stays in Redis for the other instances or the next start\n`,
          );
          process.exit(1);
        }
        if (redis) {
          process.stdout.write(
            left === 0
              ? 'shut down: nothing abandoned\n'
              : `shut down: nothing abandoned; ${counts} stay queued in Redis for the other instances or the next start\n`,
          );
          process.exit(0);
        }
        const violations =
          command.options.proxyTo === undefined
            ? ''
            : `; ${server.engine.violationCount} contract violation(s) seen`;
        process.stdout.write(
          left === 0
            ? `shut down: nothing abandoned${violations}\n`
            : `shut down: abandoned ${counts}${violations}\n`,
        );
        process.exit(left === 0 ? 0 : 1);
      },
      (error: unknown) => {
        process.stderr.write(`eggapi-mock: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const timing = redis
    ? sharedTiming(await server.engine.config(), command.options.timing)
    : typeof command.options.timing === 'string'
      ? command.options.timing
      : 'custom';
  const store = redis
    ? `redis ${redis.url} (prefix ${redis.prefix}; ${redis.reachable ? `reachable, ${redis.latency_ms} ms` : `unreachable: ${redis.error}`}), shared by every instance on it`
    : 'memory (this process)';
  const { proxyTo, record } = command.options;
  const proxying = proxyTo === undefined ? [] : proxyLines(command.options, proxyTo, record);
  // Proxying, the key is the caller's own, for the upstream.
  const shownKey = proxyTo === undefined ? server.apiKey : '$EGGAPI_API_KEY';
  process.stdout.write(
    [
      `EggAPI mock server listening on ${server.url}`,
      ...proxying,
      proxyTo === undefined
        ? `  API key:        ${server.apiKeys.join(', ')}`
        : '  API key:        yours: each request goes upstream with its own Authorization',
      `  Timing:         ${timing}`,
      `  Store:          ${store}`,
      ...(command.options.replay === undefined
        ? []
        : [
            `  Replay:         ${command.options.replay} (${command.options.replayFallback === 'mock' ? 'the ordinary mock answers what it does not hold' : 'what it does not hold is 404 NOT_RECORDED'})`,
          ]),
      `  Webhook secret: ${command.options.webhookSecret ? 'set (deliveries are signed)' : 'none (deliveries are unsigned, as upstream)'}`,
      `  Docs:           ${server.url}/docs   OpenAPI: ${server.url}/openapi.json`,
      `  Console:        ${server.url}/console/${command.options.adminToken ? ' (asks for the admin token)' : ''}`,
      `  Try it:`,
      `    curl -X POST ${server.url}/v1/generate -H "Authorization: Bearer ${shownKey}" -H "Content-Type: application/json" -d '{"model":"nanobanana","prompt":"A red fox in the snow"}'`,
      `    curl ${server.url}/v1/tasks -H "Authorization: Bearer ${shownKey}"`,
      '',
    ].join('\n'),
  );
}

/** The banner's lines of the validating proxy and the recording. */
function proxyLines(options: MockServerOptions, proxyTo: string, record?: string): string[] {
  const timeout = (options.proxyTimeoutMs ?? 30_000) / 1000;
  return [
    `  Proxy to:       ${proxyTo} (/v1 validated against the contract both ways; timeout ${timeout} s)`,
    `  Violations:     ${options.proxyErrors ? 'answered 502 UPSTREAM_CONTRACT_VIOLATION' : 'passed through'}, logged, kept at /__admin/violations`,
    ...(record === undefined ? [] : [`  Recording to:   ${record}`]),
  ];
}

/**
 * The timing every instance on the Redis prefix uses: the first instance's settings (or the
 * admin API's since). Says so when this instance's own --timing differs.
 */
function sharedTiming(config: ConfigView, own: MockServerOptions['timing']): string {
  const preset = TIMING_PRESET_NAMES.find((name) =>
    isDeepStrictEqual(TIMING_PRESETS[name], config.timing),
  );
  const { queueMs, processingMs, jitter } = config.timing;
  const shared =
    preset ?? `custom (queue ${queueMs} ms, processing ${processingMs} ms, jitter ${jitter})`;
  return own === undefined || own === preset
    ? `${shared} (shared on this prefix)`
    : `${shared} (shared on this prefix; this instance's --timing ${typeof own === 'string' ? own : 'custom'} does not apply: change it with PATCH /__admin/config)`;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`eggapi-mock: ${message}\n`);
  process.exit(1);
});

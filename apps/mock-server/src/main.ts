import { CliError, parseCli, USAGE } from './cli-options.js';
import { startMockServer } from './server.js';

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
  const server = await startMockServer(command.options);
  // Handlers first, so that a signal right after the banner is already handled.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: shutting down (waiting for webhook attempts in flight)\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`eggapi-mock: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const timing = typeof command.options.timing === 'string' ? command.options.timing : 'custom';
  process.stdout.write(
    [
      `EggAPI mock server listening on ${server.url}`,
      `  API key:        ${server.apiKeys.join(', ')}`,
      `  Timing:         ${timing}`,
      `  Webhook secret: ${command.options.webhookSecret ? 'set (deliveries are signed)' : 'none (deliveries are unsigned, as upstream)'}`,
      `  Docs:           ${server.url}/docs   OpenAPI: ${server.url}/openapi.json`,
      `  Try it:`,
      `    curl -X POST ${server.url}/v1/generate -H "Authorization: Bearer ${server.apiKey}" -H "Content-Type: application/json" -d '{"model":"nanobanana","prompt":"A red fox in the snow"}'`,
      `    curl ${server.url}/v1/tasks -H "Authorization: Bearer ${server.apiKey}"`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`eggapi-mock: ${message}\n`);
  process.exit(1);
});

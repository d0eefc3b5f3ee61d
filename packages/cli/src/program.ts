import { Command, InvalidArgumentError, Option } from 'commander';
import {
  ASPECT_RATIOS,
  RESOLUTIONS,
  UPSTREAM_BASE_URL,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '@eggapi/contracts';
import type { GlobalOptions } from './api-client.js';
import { applyEnvironment } from './env-options.js';
import {
  DEFAULT_DOWNLOAD_TIMEOUT_S,
  DEFAULT_FORWARD_TIMEOUT_S,
  DEFAULT_MAX_IMAGE_BYTES,
  MAX_TIMER_S,
} from './limits.js';
import { colorAllowed, type Io, type OutStream } from './output/terminal.js';

// The commands' modules (and the client, zod and the webhook package behind them) load only
// when a command runs, so that `--help` and `--version` answer at once.

/** A whole number from `min` to `max`, for commander; anything else is bad usage (exit 2). */
function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `must be a whole number of at least ${min}`
          : `must be a whole number from ${min} to ${max}`,
      );
    }
    return n;
  };
}

/** Seconds as a number ≥ 0 (fractions allowed): the verifier's tolerance. */
function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError('must be a number of seconds, 0 or more');
  }
  return n;
}

/**
 * A time limit in seconds (fractions allowed): more than 0 (a limit of 0 would mean nothing can
 * succeed, never "no limit") and at most what a timer holds (24.8 days).
 */
function timeLimit(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_TIMER_S) {
    throw new InvalidArgumentError(`must be a number of seconds above 0, at most ${MAX_TIMER_S}`);
  }
  return n;
}

/** The options of the commands that download (`--out` and its limits). */
function downloadOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--max-image-bytes <n>', 'with --out: refuse an image larger than <n> bytes')
        .argParser(integer(1))
        .default(DEFAULT_MAX_IMAGE_BYTES, `${DEFAULT_MAX_IMAGE_BYTES}, 64 MiB`),
    )
    .addOption(
      new Option(
        '--download-timeout <s>',
        'with --out: seconds one image may take to download, headers and whole body',
      )
        .argParser(timeLimit)
        .default(DEFAULT_DOWNLOAD_TIMEOUT_S),
    );
}

/** The terminal's width for help text, or commander's 80 off a terminal. */
function helpWidth(stream: OutStream): number {
  return stream.isTTY ? (stream.columns ?? 80) : 80;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The options of `command` merged with the program's (`--api-key`, `--base-url`). */
function allOptions<T>(command: Command): T & GlobalOptions {
  return command.optsWithGlobals<T & GlobalOptions>();
}

/**
 * The `eggapi` program. Output goes to `io`; commander's usage errors are thrown as
 * `CommanderError` (exitOverride) for the caller to turn into exit 2.
 */
export function buildProgram(io: Io, version: string): Command {
  const program = new Command('eggapi');
  program
    .description(
      'The EggAPI command line: generate images, follow and download tasks, check usage, ' +
        'and listen to, verify and sign webhooks.',
    )
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .configureHelp({ showGlobalOptions: true })
    .helpCommand(false)
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      // From `io`, not commander's defaults (process.stdout/stderr and process.env).
      getOutHelpWidth: () => helpWidth(io.stdout),
      getErrHelpWidth: () => helpWidth(io.stderr),
      getOutHasColors: () => colorAllowed(io.stdout, io.env),
      getErrHasColors: () => colorAllowed(io.stderr, io.env),
    })
    .exitOverride()
    .hook('preAction', (_program, action) => applyEnvironment(action, io.env))
    .showHelpAfterError('(add --help for usage)')
    .addOption(new Option('--api-key <key>', 'API key').env('EGGAPI_API_KEY'))
    .addOption(
      new Option('--base-url <url>', 'API base URL')
        .env('EGGAPI_BASE_URL')
        .default(UPSTREAM_BASE_URL),
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 an API or verification failure, 2 bad usage.\n' +
        'Run `eggapi <command> --help` for a command’s options.',
    );

  const generate = program
    .command('generate')
    .description('create an image task; print it, or wait for it and download its images')
    .argument('<prompt>', 'what to draw')
    .addOption(new Option('--aspect-ratio <ratio>', 'aspect ratio').choices(ASPECT_RATIOS))
    .addOption(
      new Option('--resolution <res>', 'long side 1024, 2048 or 4096 px').choices(RESOLUTIONS),
    )
    .option('--num-outputs <n>', 'images to generate', integer(1))
    .option('--negative-prompt <text>', 'what to avoid')
    .option('--image-url <url>', 'a source image (repeatable): makes it an edit', collect)
    .option('--webhook-url <url>', 'where EggAPI posts the task.completed / task.failed webhook')
    .option('--wait', 'wait for the end, showing progress on stderr')
    .option('--out <dir>', 'download every image to <dir>/<task id>-<n>.png (implies --wait)')
    .option('--json', 'print only the final task as JSON');
  downloadOptions(generate).action(async (prompt: string, _options, command: Command) => {
    const commands = await import('./commands/generate.js');
    await commands.generate(prompt, allOptions(command), io);
  });

  const tasks = program
    .command('tasks')
    .description('read, wait for and list tasks')
    .helpCommand(false);
  tasks
    .command('get')
    .description('print a task as it is now')
    .argument('<id>', 'task id')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, _options, command: Command) => {
      const { getTask } = await import('./commands/tasks.js');
      await getTask(id, allOptions(command), io);
    });
  const wait = tasks
    .command('wait')
    .description('wait for a task to end (progress on stderr), then print it')
    .argument('<id>', 'task id')
    .option('--out <dir>', 'download every image to <dir>/<task id>-<n>.png')
    .option('--json', 'print only the final task as JSON');
  downloadOptions(wait).action(async (id: string, _options, command: Command) => {
    const { waitTask } = await import('./commands/tasks.js');
    await waitTask(id, allOptions(command), io);
  });
  tasks
    .command('list')
    .description('list tasks, newest first: a table on a terminal, tab-separated when piped')
    .option('--page <n>', 'page number (default 1)', integer(1))
    .option('--per-page <n>', 'tasks per page (default 20, at most 100)', integer(1))
    .addOption(new Option('--all', 'every page').conflicts('page'))
    .option('--json', 'print { items, pagination } (with --all: { items }) as JSON')
    .action(async (_options, command: Command) => {
      const { listTasks } = await import('./commands/tasks.js');
      await listTasks(allOptions(command), io);
    });

  program
    .command('usage')
    .description('billed tasks with their total: a table on a terminal, tab-separated when piped')
    .option('--all', 'every page (default: the newest page)')
    .option('--json', 'print { items, pagination, total } as JSON')
    .action(async (_options, command: Command) => {
      const { usage } = await import('./commands/usage.js');
      await usage(allOptions(command), io);
    });

  const webhooks = program
    .command('webhooks')
    .description('receive, verify and sign webhooks')
    .helpCommand(false);
  webhooks
    .command('listen')
    .description(
      'a local receiver on 127.0.0.1 that verifies and prints each delivery; with ' +
        '--forward-to it re-posts each one to your app and prints the answer',
    )
    .requiredOption('--secret <secret>', 'the webhook secret')
    .option('--port <port>', 'port to listen on (0: any free port)', integer(0, 65_535), 4242)
    .option(
      '--forward-to <url>',
      "re-post each delivery, exact body and headers, to your app's URL",
    )
    .addOption(
      new Option(
        '--forward-timeout <s>',
        'with --forward-to: seconds your app may take to answer completely; then the sender gets 504',
      )
        .argParser(timeLimit)
        .default(DEFAULT_FORWARD_TIMEOUT_S),
    )
    .option(
      '--record <dir>',
      'also store each delivery received, verified or not, as a file under <dir>/webhooks/ ' +
        '(the recording format of eggapi-mock --record, checked by eggapi-conformance --against-recording)',
    )
    .action(async (_options, command: Command) => {
      const { listen } = await import('./commands/listen.js');
      await listen(command.opts(), io);
    });
  webhooks
    .command('verify')
    .description('verify a delivery: the raw body on stdin, the headers as options')
    .requiredOption('--secret <secret>', 'the webhook secret')
    .requiredOption('--timestamp <t>', `the ${WEBHOOK_TIMESTAMP_HEADER} header`)
    .requiredOption('--signature <sig>', `the ${WEBHOOK_SIGNATURE_HEADER} header`)
    .option('--tolerance <s>', 'largest clock difference in seconds (default 300)', seconds)
    .addHelpText('after', '\nExit 0 and the event as JSON, or exit 1 with the reason.')
    .action(async (_options, command: Command) => {
      const { verify } = await import('./commands/verify-sign.js');
      await verify(command.opts(), io);
    });
  webhooks
    .command('trigger')
    .description(
      'send a signed sample event to your endpoint, as EggAPI sends a delivery, and print its answer',
    )
    .argument('<event>', 'task.completed or task.failed')
    .requiredOption('--to <url>', "your endpoint's URL")
    .requiredOption('--secret <secret>', 'the webhook secret to sign with')
    .option('--task-id <id>', 'the task id in the event')
    .option('--data <file>', 'a full payload (JSON) instead of the sample')
    .option(
      '--from-task <id>',
      'send the event the mock at --base-url sends for this ended task (eggapi-mock)',
    )
    .addOption(
      new Option('--admin-token <t>', "with --from-task: the mock's admin token").env(
        'EGGAPI_ADMIN_TOKEN',
      ),
    )
    .option(
      '--set <path=value>',
      'override a member (dotted path; JSON values, e.g. output={"url":"…"}); repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addHelpText(
      'after',
      '\nExit 0 on a 2xx answer, 1 on any other answer or none, 2 on a bad event.',
    )
    .action(async (event: string, _options, command: Command) => {
      const { trigger } = await import('./commands/trigger.js');
      await trigger(event, allOptions(command), io);
    });
  webhooks
    .command('sign')
    .description('sign the body on stdin as EggAPI does and print the two headers')
    .requiredOption('--secret <secret>', 'the webhook secret')
    .option('--timestamp <t>', 'Unix seconds to sign (default now)', integer(0))
    .action(async (_options, command: Command) => {
      const { sign } = await import('./commands/verify-sign.js');
      await sign(command.opts(), io);
    });

  return program;
}

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { assertTargetAllowed, ProductionRefusedError } from './check.js';
import { checkRecording } from './recording/check-recording.js';
import { RecordingUsageError } from './recording/read-recording.js';
import { formatReport, REPORTERS, type ReporterName } from './reporters/index.js';
import { runConformance } from './run.js';

const USAGE = `Usage: eggapi-conformance --base-url <url> --api-key <key> [options]
       eggapi-conformance --against-recording <dir> [--reporter <r>] [--output <file>]

Checks an EggAPI-compatible server against the contract. It creates tasks: point it at a mock or
a test account, never at production from CI.

With --against-recording it contacts no server: it checks every answer recorded in <dir>
(eggapi-mock --record, eggapi webhooks listen --record), one check per file. Run it in CI after
refreshing the recordings.

  --base-url <url>        server under test (EGGAPI_BASE_URL)
  --api-key <key>         a valid API key (EGGAPI_API_KEY)
  --webhook-secret <s>    the server's webhook secret; enables the webhook checks (EGGAPI_WEBHOOK_SECRET)
  --receiver-host <h>     host the local webhook receiver binds to (default 127.0.0.1)
  --reporter <r>          text | json | junit (default text)
  --output <file>         write the report there instead of stdout
  --only <prefix>         run only checks whose id starts with it (repeatable)
  --task-timeout <ms>     longest wait for a task to end (default 120000)
  --allow-production      allow a run against the real service (*.eggapi.ai); never in CI
  --against-recording <d> check the recording in <d> instead of a server
  -h, --help              this help

Exit code: 0 when every check passed, 1 when any failed, 2 on bad usage (for a recording: no
such directory, or no entry in it).
`;

/** The flags that drive a server, which a check of a recording has no use for. */
const SERVER_FLAGS = [
  'base-url',
  'api-key',
  'webhook-secret',
  'receiver-host',
  'only',
  'task-timeout',
  'allow-production',
] as const;

/** Where the command writes, and the environment it reads (the process's, when run as a command). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
};

/** Runs `eggapi-conformance` with `argv` (without node and the script); resolves with its exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'base-url': { type: 'string' },
        'api-key': { type: 'string' },
        'webhook-secret': { type: 'string' },
        'receiver-host': { type: 'string' },
        reporter: { type: 'string' },
        output: { type: 'string' },
        only: { type: 'string', multiple: true },
        'task-timeout': { type: 'string' },
        'allow-production': { type: 'boolean' },
        'against-recording': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.stderr(`eggapi-conformance: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const reporter = (values.reporter ?? 'text') as ReporterName;
  const recording = values['against-recording'];
  if (recording !== undefined) {
    const extra = SERVER_FLAGS.filter((flag) => values[flag] !== undefined);
    const problems = [
      recording === '' && '--against-recording needs a directory',
      extra.length > 0 &&
        `--against-recording contacts no server: drop ${extra.map((f) => `--${f}`).join(', ')}`,
      !(reporter in REPORTERS) && `--reporter must be one of ${Object.keys(REPORTERS).join(', ')}`,
    ].filter(Boolean);
    if (problems.length > 0) {
      io.stderr(`eggapi-conformance: ${problems.join('; ')}\n\n${USAGE}`);
      return 2;
    }
    return againstRecording(recording, reporter, values.output, io);
  }
  const baseUrl = values['base-url'] ?? io.env.EGGAPI_BASE_URL;
  const apiKey = values['api-key'] ?? io.env.EGGAPI_API_KEY;
  const taskTimeout =
    values['task-timeout'] === undefined ? undefined : Number(values['task-timeout']);
  const problems = [
    !baseUrl && '--base-url is required',
    !apiKey && '--api-key is required',
    !(reporter in REPORTERS) && `--reporter must be one of ${Object.keys(REPORTERS).join(', ')}`,
    taskTimeout !== undefined && !(taskTimeout > 0) && '--task-timeout must be a positive number',
  ].filter(Boolean);
  if (problems.length > 0) {
    io.stderr(`eggapi-conformance: ${problems.join('; ')}\n\n${USAGE}`);
    return 2;
  }
  const webhookSecret = values['webhook-secret'] ?? io.env.EGGAPI_WEBHOOK_SECRET;
  try {
    assertTargetAllowed(baseUrl!, values['allow-production']);
  } catch (error) {
    if (!(error instanceof ProductionRefusedError)) throw error;
    io.stderr(`eggapi-conformance: ${error.message}\n`);
    return 2;
  }
  const report = await runConformance({
    ...(values['allow-production'] ? { allowProduction: true } : {}),
    baseUrl: baseUrl!,
    apiKey: apiKey!,
    ...(webhookSecret ? { webhookSecret } : {}),
    ...(values['receiver-host'] ? { receiverHost: values['receiver-host'] } : {}),
    ...(values.only ? { only: values.only } : {}),
    ...(taskTimeout ? { taskTimeoutMs: taskTimeout } : {}),
  });
  writeReport(formatReport(report, reporter), values.output, io);
  return report.failed > 0 ? 1 : 0;
}

/** Checks the recording in `dir`: 1 when any entry differs from the contract, 2 without entries. */
async function againstRecording(
  dir: string,
  reporter: ReporterName,
  output: string | undefined,
  io: CliIo,
): Promise<number> {
  let report;
  try {
    report = await checkRecording(dir);
  } catch (error) {
    if (!(error instanceof RecordingUsageError)) throw error;
    io.stderr(`eggapi-conformance: ${error.message}\n`);
    return 2;
  }
  writeReport(formatReport(report, reporter), output, io);
  return report.failed > 0 ? 1 : 0;
}

function writeReport(text: string, output: string | undefined, io: CliIo): void {
  if (output) writeFileSync(output, text);
  else io.stdout(text);
}

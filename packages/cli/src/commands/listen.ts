import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEvent } from '@eggapi/contracts';
import { isWebhookVerificationError, signWebhook, verifyWebhook } from '@eggapi/webhook';
import { CommandFailure, UsageError } from '../errors.js';
import { forwardDelivery, ForwardTimeoutError, type ForwardAnswer } from '../forward.js';
import { DEFAULT_FORWARD_TIMEOUT_S } from '../limits.js';
import { colorStatus, outputOf, type Io, type Output } from '../output/terminal.js';
import { MAX_BODY_BYTES } from '../stdin.js';
import { createWebhookRecorder, type WebhookRecorder } from '../webhook-recorder.js';

/** `eggapi webhooks listen`'s options. */
export interface ListenOptions {
  secret: string;
  port: number;
  forwardTo?: string;
  /** Seconds the app may take to answer a forwarded delivery completely (default 30). */
  forwardTimeout?: number;
  /** A recording's directory: each delivery received is also stored under `<dir>/webhooks/`. */
  record?: string;
}

/** Where the receiver listens: this machine only (EggAPI accepts http:// webhooks to loopback). */
export const LISTEN_HOST = '127.0.0.1';

/** The outcome of verifying one delivery. */
type Verdict =
  | { ok: true; event: WebhookEvent }
  | { ok: false; reason: string; message: string; payload: Record<string, unknown> | undefined };

/**
 * A local webhook receiver: every POST (any path) is verified with `@eggapi/webhook` and printed
 * (`-->` event, task, status, verdict). Without `forwardTo` it answers 204, or 400 with the
 * reason. With `forwardTo` every delivery, verified or not, is re-posted there with its exact
 * body and headers, the app's answer is printed (`<--`) and relayed to the sender (502 when the
 * app cannot be reached, 504 when its whole answer has not arrived `forwardTimeout` seconds
 * after the forward started, default 30), so that the sender's retries follow the app, as they
 * would in production. With `record`, every delivery read whole (verified or not) is also stored
 * as a recording entry, in the background. Runs until SIGINT or SIGTERM.
 *
 * @throws UsageError for an empty or padded secret, a `forwardTo` that is not an http(s) URL or
 *   an empty `record`
 * @throws CommandFailure when the port is taken
 */
export async function listen(options: ListenOptions, io: Io): Promise<void> {
  try {
    signWebhook('', options.secret, 0);
  } catch (error) {
    throw new UsageError(`--secret: ${(error as Error).message}`);
  }
  const target = options.forwardTo === undefined ? undefined : forwardUrl(options.forwardTo);
  if (options.record !== undefined && options.record.trim() === '') {
    throw new UsageError('--record needs a directory');
  }
  const out = outputOf(io.stdout, io.env);
  const err = outputOf(io.stderr, io.env);
  const recorder =
    options.record === undefined
      ? undefined
      : createWebhookRecorder(options.record, (message) =>
          err.line(`${err.c.red('eggapi:')} ${message}`),
        );
  const forward = target && {
    target,
    timeoutMs: (options.forwardTimeout ?? DEFAULT_FORWARD_TIMEOUT_S) * 1000,
  };
  const server = createServer((req, res) => {
    receive(req, res, { secret: options.secret, forward, recorder }, out).catch(
      (error: unknown) => {
        out.line(`${time(out)}  ${out.c.red('error')} ${String(error)}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new CommandFailure(`port ${options.port} is in use: pass another with --port`)
          : error,
      ),
    );
    server.listen(options.port, LISTEN_HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${LISTEN_HOST}:${port}`;
  out.line(`Ready! Listening for EggAPI webhooks on ${out.c.bold(url)} (Ctrl+C to quit)`);
  out.line(
    target
      ? `Forwarding every delivery to ${target.href}, exact body and headers`
      : 'Answering 204 to verified deliveries and 400 to refused ones',
  );
  if (options.record !== undefined) {
    out.line(`Recording every delivery in ${options.record}/webhooks`);
  }
  out.line(
    out.c.dim(`Use it as the webhook URL: eggapi generate "…" --webhook-url ${url}/webhooks`),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await recorder?.settled();
}

function forwardUrl(value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(
      `--forward-to must be an absolute http(s) URL, got ${JSON.stringify(value)}`,
    );
  }
  return url;
}

/** What the listener does with each delivery: verify it, maybe forward it, maybe record it. */
interface Handling {
  secret: string;
  forward: { target: URL; timeoutMs: number } | undefined;
  recorder: WebhookRecorder | undefined;
}

async function receive(
  req: IncomingMessage,
  res: ServerResponse,
  { secret, forward, recorder }: Handling,
  out: Output,
): Promise<void> {
  if (req.method !== 'POST') {
    req.resume();
    res.writeHead(405, { Allow: 'POST' }).end();
    return;
  }
  const body = await readRequest(req);
  if (body === undefined) {
    out.line(`${time(out)}  --> ${out.c.red(`refused: body over ${MAX_BODY_BYTES} bytes`)}`);
    res.writeHead(413, { Connection: 'close' }).end();
    return;
  }
  recorder?.record({ receivedAt: Date.now(), rawHeaders: req.rawHeaders, body });
  const verdict = check(body, req, secret);
  out.line(arrivalLine(out, verdict));
  if (!forward) {
    if (verdict.ok) res.writeHead(204).end();
    else {
      const error = { error: { code: verdict.reason, message: verdict.message } };
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify(error));
    }
    return;
  }
  const { target } = forward;
  let answer: ForwardAnswer;
  try {
    answer = await forwardDelivery(target, req.rawHeaders, body, forward.timeoutMs);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    out.line(`${time(out)}  <-- ${out.c.red(`failed: POST ${target.href}: ${why}`)}`);
    // 504 when the app was too slow, as a gateway says it; 502 when it could not be reached.
    const status = error instanceof ForwardTimeoutError ? 504 : 502;
    res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`could not forward: ${why}`);
    return;
  }
  out.line(answerLine(out, target, answer));
  const type = answer.headers['content-type'];
  res.writeHead(answer.status, type ? { 'Content-Type': type } : {}).end(answer.body);
}

/** The body, or `undefined` once it passes {@link MAX_BODY_BYTES} (the rest is drained). */
async function readRequest(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
}

function check(body: Buffer, req: IncomingMessage, secret: string): Verdict {
  try {
    return { ok: true, event: verifyWebhook({ payload: body, headers: req.headers, secret }) };
  } catch (error) {
    if (!isWebhookVerificationError(error)) throw error;
    return { ok: false, reason: error.reason, message: error.message, payload: parseLoosely(body) };
  }
}

/** The body as a JSON object when it is one, to show what a refused delivery claimed to be. */
function parseLoosely(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function arrivalLine(out: Output, verdict: Verdict): string {
  const claimed = verdict.ok ? verdict.event : verdict.payload;
  const field = (name: string) => {
    const value = claimed?.[name as keyof typeof claimed];
    return typeof value === 'string' ? value : '?';
  };
  const result = verdict.ok
    ? out.c.green('verified')
    : out.c.red(`refused: ${verdict.reason} (${verdict.message})`);
  return `${time(out)}  --> ${out.c.bold(field('event'))}  ${field('task_id')}  ${colorStatus(out.c, field('status'))}  ${result}`;
}

/** Stripe's `<--  [200] POST <url>` line, with the time taken and the start of the app's body. */
function answerLine(out: Output, target: URL, answer: ForwardAnswer): string {
  const ok = answer.status >= 200 && answer.status < 300;
  const status = ok ? out.c.green(`[${answer.status}]`) : out.c.red(`[${answer.status}]`);
  const text = answer.body.toString('utf8').replace(/\s+/g, ' ').trim();
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return `${time(out)}  <-- ${status} POST ${target.href}  ${answer.ms} ms${shown ? `  ${shown}` : ''}`;
}

function time(out: Output): string {
  return out.c.dim(new Date().toTimeString().slice(0, 8));
}

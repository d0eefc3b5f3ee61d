import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '@eggapi/contracts';
import { signWebhook, verifyWebhook } from '@eggapi/webhook';
import { UsageError } from '../errors.js';
import { printJson } from '../output/task.js';
import { outputOf, type Io } from '../output/terminal.js';
import { readBody } from '../stdin.js';

/** `eggapi webhooks verify`'s options. */
export interface VerifyOptions {
  secret: string;
  timestamp: string;
  signature: string;
  tolerance?: number;
}

/**
 * Verifies a delivery's body (stdin) against its two headers with `@eggapi/webhook`: prints the
 * event as JSON (exit 0), or throws its `WebhookVerificationError` (exit 1, the reason named).
 * The timestamp and signature are passed as received, so that a malformed one is reported by
 * the verifier's reason, not refused as usage.
 */
export async function verify(options: VerifyOptions, io: Io): Promise<void> {
  const payload = await readBody(io, 'webhooks verify');
  const event = configured(() =>
    verifyWebhook({
      payload,
      headers: {
        [WEBHOOK_TIMESTAMP_HEADER]: options.timestamp,
        [WEBHOOK_SIGNATURE_HEADER]: options.signature,
      },
      secret: options.secret,
      ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
    }),
  );
  printJson(outputOf(io.stdout, io.env), event);
}

/** `eggapi webhooks sign`'s options. */
export interface SignOptions {
  secret: string;
  timestamp?: number;
}

/** Signs the body on stdin as EggAPI does and prints the two headers, `Name: value` lines. */
export async function sign(options: SignOptions, io: Io): Promise<void> {
  const payload = await readBody(io, 'webhooks sign');
  const headers = configured(() => signWebhook(payload, options.secret, options.timestamp));
  const out = outputOf(io.stdout, io.env);
  for (const [name, value] of Object.entries(headers)) out.line(`${name}: ${value}`);
}

/**
 * Runs `action`; the `TypeError` / `RangeError` the webhook package throws for its own options
 * (an empty or padded secret) is a usage mistake here, exit 2.
 */
function configured<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

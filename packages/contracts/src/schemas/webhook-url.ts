import * as z from 'zod/mini';
import './locale.js';
import { described, formatted } from './describe.js';
import { parsesWithoutCredentials, WEBHOOK_URL_PATTERN } from './url-pattern.js';

const LOOPBACK_HOSTNAMES = new Set(['localhost', '[::1]']);
const IPV4_LOOPBACK = /^127(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Whether `hostname` (as `URL#hostname` gives it) names this machine: `localhost`, 127.0.0.0/8 or `[::1]`. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_HOSTNAMES.has(host) || IPV4_LOOPBACK.test(host);
}

const WEBHOOK_URL_REGEX = new RegExp(WEBHOOK_URL_PATTERN);

/**
 * Whether EggAPI may deliver webhooks to `value`: an absolute `https:` URL, or plain `http:` to a
 * loopback host so that local receivers can be tested; exactly {@link WEBHOOK_URL_PATTERN} (no
 * credentials, a DNS name, IPv4 address or `[::1]`), and a URL that parses.
 */
export function isAllowedWebhookUrl(value: string): boolean {
  return WEBHOOK_URL_REGEX.test(value) && parsesWithoutCredentials(value);
}

export const WEBHOOK_URL_DESCRIPTION =
  'HTTPS URL that receives the task.completed / task.failed webhook. Plain http is accepted only ' +
  'for a loopback host (localhost, 127.0.0.0/8, [::1]) so that local receivers can be tested. ' +
  'The host is a DNS name, an IPv4 address or [::1]; no credentials; at most 2048 characters.';

const WEBHOOK_URL_ERROR =
  'webhook_url must be an https:// URL (http:// is accepted only for localhost, 127.0.0.0/8 and [::1])';

/** The `webhook_url` request field: HTTPS, or http to a loopback host. */
export const WebhookUrlSchema = described(
  formatted(
    z.string().check(
      z.maxLength(2048, { error: 'webhook_url must be at most 2048 characters' }),
      z.regex(WEBHOOK_URL_REGEX, { error: WEBHOOK_URL_ERROR }),
      // Reported only when the pattern passed, so that one mistake gives one message.
      z.refine((value) => !WEBHOOK_URL_REGEX.test(value) || parsesWithoutCredentials(value), {
        error: WEBHOOK_URL_ERROR,
      }),
    ),
    'uri',
  ),
  WEBHOOK_URL_DESCRIPTION,
);

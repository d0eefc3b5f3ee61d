import * as z from 'zod/mini';
import './locale.js';
import { described } from './describe.js';

const LOOPBACK_HOSTNAMES = new Set(['localhost', '[::1]']);
const IPV4_LOOPBACK = /^127(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Whether `hostname` (as `URL#hostname` gives it) names this machine: `localhost`, 127.0.0.0/8 or `[::1]`. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_HOSTNAMES.has(host) || IPV4_LOOPBACK.test(host);
}

/**
 * Whether EggAPI may deliver webhooks to `value`: an absolute `https:` URL, or plain `http:` to a
 * loopback host so that local receivers can be tested. No credentials in the URL.
 */
export function isAllowedWebhookUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && isLoopbackHostname(url.hostname);
}

export const WEBHOOK_URL_DESCRIPTION =
  'HTTPS URL that receives the task.completed / task.failed webhook. Plain http is accepted only ' +
  'for a loopback host (localhost, 127.0.0.0/8, [::1]) so that local receivers can be tested.';

/** The `webhook_url` request field: HTTPS, or http to a loopback host. */
export const WebhookUrlSchema = described(
  z.string().check(
    z.maxLength(2048, { error: 'webhook_url must be at most 2048 characters' }),
    z.refine(isAllowedWebhookUrl, {
      error:
        'webhook_url must be an https:// URL (http:// is accepted only for localhost, 127.0.0.0/8 and [::1])',
    }),
  ),
  WEBHOOK_URL_DESCRIPTION,
);

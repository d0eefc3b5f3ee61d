import { WEBHOOK_DELIVERY_POLICY, WEBHOOK_TIMESTAMP_HEADER } from '@eggapi/contracts';
import { signWebhook } from '@eggapi/webhook';

export interface ReplayedWebhook {
  url: string;
  payload: unknown;
  /** Seconds since the epoch on the mock's clock: the signed timestamp. */
  timestamp: number;
  secret: string | undefined;
}

/**
 * Sends a replayed task's webhook once, as upstream signs it (`@eggapi/webhook` with the mock's
 * secret; unsigned without one) and within upstream's per-attempt timeout. A replay does not
 * retry: it plays what was recorded, and the recording holds one arrival. Never rejects: the
 * outcome is the receiver's status or what went wrong.
 */
export async function sendReplayedWebhook(
  webhook: ReplayedWebhook,
  signal: AbortSignal,
): Promise<{ status?: number; error?: string }> {
  const body = JSON.stringify(webhook.payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'EggAPI-Mock-Webhooks/0.1',
    ...(webhook.secret === undefined
      ? { [WEBHOOK_TIMESTAMP_HEADER]: String(webhook.timestamp) }
      : signWebhook(body, webhook.secret, webhook.timestamp)),
  };
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(WEBHOOK_DELIVERY_POLICY.timeoutMs)]),
    });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

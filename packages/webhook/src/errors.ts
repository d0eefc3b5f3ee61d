/**
 * Why a delivery was refused, as a machine-readable code. `replayed` comes only from a
 * {@link ReplayGuard}; the others from `verifyWebhook` / `verifyRequest` / the middleware.
 */
export const WEBHOOK_VERIFICATION_REASONS = [
  'missing_timestamp',
  'missing_signature',
  'malformed_signature',
  'timestamp_too_old',
  'timestamp_in_future',
  'signature_mismatch',
  'invalid_payload',
  'body_was_parsed',
  'replayed',
] as const;

/** One of {@link WEBHOOK_VERIFICATION_REASONS}. */
export type WebhookVerificationReason = (typeof WEBHOOK_VERIFICATION_REASONS)[number];

/**
 * A delivery failed verification: it must be answered with a 4xx and not acted on. `reason` is
 * the machine code; `message` says what to do about it.
 *
 * Mistakes in the receiver's own configuration (an empty secret, a secret with stray whitespace,
 * a negative tolerance) are not verification failures: they throw `TypeError` / `RangeError`.
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';

  /**
   * @param reason - the machine code.
   * @param message - a human explanation that names the fix.
   */
  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
  ) {
    super(message);
  }
}

/** Whether `value` is a {@link WebhookVerificationError} (also across module copies). */
export function isWebhookVerificationError(value: unknown): value is WebhookVerificationError {
  return (
    value instanceof WebhookVerificationError ||
    (value instanceof Error &&
      value.name === 'WebhookVerificationError' &&
      (WEBHOOK_VERIFICATION_REASONS as readonly unknown[]).includes(
        (value as { reason?: unknown }).reason,
      ))
  );
}

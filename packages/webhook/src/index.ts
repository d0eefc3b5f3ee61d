/**
 * `@eggapi/webhook`: verify (and sign) EggAPI webhooks with node:crypto, synchronously. For edge
 * runtimes use `@eggapi/webhook/web`; for express, `@eggapi/webhook/express`; for Fetch API
 * frameworks, `@eggapi/webhook/fetch`.
 */

export { verifyWebhook } from './verify.js';
export { signWebhook, computeSignature } from './sign.js';
export {
  WebhookVerificationError,
  WEBHOOK_VERIFICATION_REASONS,
  isWebhookVerificationError,
} from './errors.js';
export type { WebhookVerificationReason } from './errors.js';
export { createReplayGuard, MemoryReplayStore } from './replay.js';
export type {
  ReplayGuard,
  ReplayGuardOptions,
  ReplayStore,
  MemoryReplayStoreOptions,
} from './replay.js';
export { DEFAULT_TOLERANCE_SECONDS } from './options.js';
export type {
  VerifyWebhookOptions,
  WebhookVerifyConfig,
  WebhookPayload,
  WebhookSecret,
  WebhookClock,
} from './options.js';
export type { WebhookHeaders, WebhookSignatureHeaders } from './headers.js';
export type { WebhookEvent, TaskCompletedEvent, TaskFailedEvent } from '@eggapi/contracts';

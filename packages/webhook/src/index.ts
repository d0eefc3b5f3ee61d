/**
 * `@eggapi/webhook`: verify (and sign) EggAPI webhooks with node:crypto, synchronously, plus
 * `verifyRequest` for Fetch API frameworks (also on its own entry, `@eggapi/webhook/fetch`).
 * Framework-free: the express middleware lives only under `@eggapi/webhook/express`, so nothing
 * here (types included) needs express. For edge runtimes and browsers use
 * `@eggapi/webhook/web`, which has no Node dependency. The Redis replay store has its own entry,
 * `@eggapi/webhook/redis-replay-store`, so nothing here names Redis.
 */

export { verifyWebhook, verifyWebhookSignature } from './verify.js';
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
export { verifyRequest } from './fetch.js';
export type { VerifyRequestOptions } from './fetch.js';
export type {
  VerifyWebhookOptions,
  WebhookVerifyConfig,
  WebhookPayload,
  WebhookSecret,
  WebhookClock,
} from './options.js';
export type { WebhookHeaders, WebhookSignatureHeaders } from './headers.js';
export type { WebhookEvent, TaskCompletedEvent, TaskFailedEvent } from '@eggapi/contracts';

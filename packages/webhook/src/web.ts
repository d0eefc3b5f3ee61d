/**
 * `@eggapi/webhook/web`: the same verifier on Web Crypto, for edge runtimes, workers, Deno, Bun
 * and browsers. Same options, same checks, same reasons as the node entry; every function is
 * async. Nothing here (or below it) imports a `node:` module or uses a Node-only global.
 */

export { verifyWebhook, verifyWebhookSignature } from './verify-web.js';
export { signWebhook, computeSignature } from './sign-web.js';
export { verifyRequest } from './fetch.js';
export type { VerifyRequestOptions } from './fetch.js';
export {
  WebhookVerificationError,
  WEBHOOK_VERIFICATION_REASONS,
  isWebhookVerificationError,
} from './errors.js';
export type { WebhookVerificationReason } from './errors.js';
export { createReplayGuard, MemoryReplayStore } from './replay.js';
export type { ReplayGuard, ReplayGuardOptions, ReplayStore } from './replay.js';
export { DEFAULT_TOLERANCE_SECONDS } from './options.js';
export type { VerifyWebhookOptions, WebhookPayload, WebhookSecret } from './options.js';
export type { WebhookHeaders, WebhookSignatureHeaders } from './headers.js';

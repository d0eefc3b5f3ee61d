/**
 * `@eggapi/mock-engine/host`: what a host of the engine builds on — the Node server's
 * transport, a store or scheduler of your own (the Redis store and BullMQ scheduler use it). Not
 * needed to run the mock: see the package's main entry.
 */
export * from './index.js';
export { storeInitOf } from './engine/store-init.js';
export type { TaskRecord, TaskEnd, TaskTimes } from './engine/task-record.js';
export { settledStatusAt } from './engine/task-record.js';
export type { UsageEntry } from './engine/usage.js';
export type { StoredAnswer } from './engine/idempotency.js';
export { HEADER_FAULT_COUNTS_KEPT } from './engine/faults.js';
export { invalidHeader, notFound } from './engine/errors.js';
export type * from './engine/ports/store.js';
export { withDeadline } from './internal/deadline.js';
export { errorEnvelope, httpAnswer, bodyErrors, isJson } from './protocol/answers.js';
export { corsHeaders, preflightHeaders } from './protocol/cors.js';
export type { AllowedOrigins } from './protocol/cors.js';
export { requestIds, shuttingDown } from './protocol/request-context.js';
export { allowedMethods, noRoute } from './protocol/routes.js';
export { requestValidationError } from './protocol/request-validation.js';
export { picture, imageKey } from './images/picture.js';
export type { Picture } from './images/picture.js';
export { RESPONSE_EXCERPT_BYTES } from './engine/deliveries.js';
export { keyFingerprints } from './engine/fingerprint.js';
export type { RequestFacts, RouteAnswer, RouteHandler, Routes } from './pipeline/types.js';
export { guardV1, DropConnection } from './pipeline/v1-guard.js';
export { v1Routes } from './pipeline/v1-routes.js';
export { guardAdmin, isAdminPath } from './pipeline/admin-guard.js';
export type { AdminGuardOptions } from './pipeline/admin-guard.js';
export { adminRoutes } from './pipeline/admin-routes.js';
export { eventStream } from './pipeline/events.js';
export type { StreamEvent } from './pipeline/events.js';
export { answerImage, isImagePath } from './pipeline/images.js';
export type { BinaryAnswer } from './pipeline/images.js';
export { encodePicture } from './adapters/portable-png.js';

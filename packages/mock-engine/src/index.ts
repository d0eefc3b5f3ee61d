/**
 * `@eggapi/mock-engine`: the stateful EggAPI mock as one Fetch API handler on any runtime, and
 * the engine behind it. Nothing here (or below it) imports a `node:` module or uses a Node-only
 * global: `tsconfig.portable.json` and the runtime matrix hold that.
 */
export { createFetchHandler } from './create-fetch-handler.js';
export type { FetchHandler, FetchHandlerOptions } from './create-fetch-handler.js';
export { createEngine, renderPortablePng, signWithWebCrypto } from './create-engine.js';
export { mockControls } from './controls.js';
export type { MockControls } from './controls.js';
export { MockEngine } from './engine/engine.js';
export type {
  EngineEvent,
  CreateTaskInput,
  ConfigView,
  ShutdownReport,
  EngineDeps,
  EngineHealth,
} from './engine/types.js';
export { EngineError } from './engine/errors.js';
export type { MockErrorCode, ProxyErrorCode } from './engine/errors.js';
export { PROXY_ERROR_CODE_STATUS } from './engine/errors.js';
export { VIOLATIONS_KEPT } from './engine/violations.js';
export type { ContractViolation } from './engine/violations.js';
export type { ConfigPatch, RuntimeConfig } from './engine/runtime-config.js';
export type { Delivery, DeliveryAttempt, Signer, WebhookSender } from './engine/deliveries.js';
export type { AdminTask } from './engine/task-record.js';
export type { BrowseQuery } from './engine/browse.js';
export type { QueuedFault, FaultRequest, FaultInput } from './engine/faults.js';
export { keyFingerprint } from './engine/fingerprint.js';
export { MockClock, CLOCK_MODES, MAX_CLOCK_STEP_MS } from './clock.js';
export type { ClockMode, ClockView } from './clock.js';
export type { JournalEntry, AnsweredRequest } from './engine/journal-entry.js';
export type { JournalFilter, JournalQuery } from './engine/journal-query.js';
export type {
  RequestMatcher,
  TextMatcher,
  VerifyOptions,
  VerifyRequest,
} from './engine/request-matcher.js';
export { MAX_VERIFY_WITHIN_MS } from './engine/request-matcher.js';
export {
  MockEngineOptionsSchema,
  parseOptions,
  resolveEngineOptions,
  timingOf,
  canonicalOrigin,
  ORIGIN_HINT,
  ADMIN_PREFIX,
  DEFAULT_API_KEY,
  MAX_DURATION_MS,
  MAX_JOURNAL_SIZE,
  TIMING_PRESETS,
  TIMING_PRESET_NAMES,
} from './options.js';
export type {
  MockEngineOptions,
  ResolvedClock,
  ResolvedEngineOptions,
  TimingConfig,
  TimingPreset,
  WebhookDeliveryConfig,
} from './options.js';
export {
  SCENARIO_HEADER,
  FAULT_HEADER,
  DEFAULT_FAILURE_MESSAGE,
  MODERATION_FAILURE_MESSAGE,
  MAX_DIRECTIVES_LENGTH,
  parseTaskScenario,
  parseFault,
} from './engine/scenarios.js';
export type { TaskScenario, FaultSpec, FaultKind } from './engine/scenarios.js';
export { imageSize } from './images/picture.js';
export type { PngRenderer } from './images/picture.js';
export {
  ImageCache,
  DEFAULT_IMAGE_CACHE_BYTES,
  DEFAULT_CONCURRENT_RENDERS,
} from './images/cache.js';
export type { MockStore, StoreInit, StoreHealth } from './engine/ports/store.js';
export type { Scheduler, Job, JobHandler, JobResult } from './engine/ports/scheduler.js';
export { createMemoryStore } from './adapters/memory-store.js';
export { TimerHeapScheduler } from './adapters/timer-heap.js';
export { adminContract, FailTaskSchema, AdvanceClockSchema } from './admin/contract.js';
export type { AdminContract } from './admin/contract.js';

export { startMockServer, createMockApp, createMockApp as createApp } from './http/server.js';
export type { MockServer, MockApp, CloseOptions } from './http/server.js';
export { MockEngine } from './engine/engine.js';
export type {
  EngineEvent,
  CreateTaskInput,
  ConfigView,
  ShutdownReport,
  EngineDeps,
} from './engine/types.js';
export { EngineError } from './engine/errors.js';
export type { MockErrorCode } from './engine/errors.js';
export type { ConfigPatch, RuntimeConfig } from './engine/runtime-config.js';
export type { Delivery, DeliveryAttempt, Signer, WebhookSender } from './engine/deliveries.js';
export type { AdminTask } from './engine/task-record.js';
export type { BrowseQuery } from './engine/browse.js';
export type { QueuedFault, FaultRequest, FaultInput } from './engine/faults.js';
export { keyFingerprint } from './engine/fingerprint.js';
export {
  resolveOptions,
  ADMIN_PREFIX,
  DEFAULT_API_KEY,
  MAX_DURATION_MS,
  TIMING_PRESETS,
  TIMING_PRESET_NAMES,
} from './config.js';
export type {
  MockServerOptions,
  ResolvedOptions,
  TimingConfig,
  TimingPreset,
  WebhookDeliveryConfig,
} from './config.js';
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
export {
  ImageCache,
  DEFAULT_IMAGE_CACHE_BYTES,
  DEFAULT_CONCURRENT_RENDERS,
} from './images/cache.js';
export type { PngRenderer } from './images/picture.js';
export type { MockStore } from './store/types.js';
export type { Scheduler, Job, JobHandler } from './schedule/types.js';

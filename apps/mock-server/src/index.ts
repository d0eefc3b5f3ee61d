export { startMockServer } from './server.js';
export type { MockServer } from './server.js';
export { createMockApp, createMockApp as createApp } from './app.js';
export type { MockApp } from './app.js';
export { resolveOptions, DEFAULT_API_KEY, TIMING_PRESETS, TIMING_PRESET_NAMES } from './config.js';
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
  parseTaskScenario,
  parseFault,
} from './scenarios.js';
export type { TaskScenario, FaultSpec, FaultKind } from './scenarios.js';
export type { QueuedFault } from './middleware/faults.js';
export type { Delivery, DeliveryAttempt } from './webhooks/dispatcher.js';
export { ADMIN_PREFIX } from './routes/admin.js';
export { imageSize } from './images.js';

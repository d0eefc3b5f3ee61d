/**
 * `@eggapi/mock-engine/msw`: the stateful mock as MSW handlers, for unit tests (`setupServer`)
 * and browser pages (`setupWorker`). Nothing here (or below it) imports a `node:` module or uses
 * a Node-only global: `tsconfig.portable.json` and a browser bundle test hold that.
 */
export { createEggapiHandlers } from './create-handlers.js';
export type { EggapiHandlers, EggapiHandlersOptions } from './create-handlers.js';
export { MockEngine } from '../engine/engine.js';
export { EngineError } from '../engine/errors.js';
export type { MockErrorCode } from '../engine/errors.js';
export type { MockControls } from '../controls.js';
export type { Delivery, DeliveryAttempt } from '../engine/deliveries.js';
export type { FaultInput, QueuedFault } from '../engine/faults.js';
export type { ConfigPatch, RuntimeConfig } from '../engine/runtime-config.js';
export type { ConfigView, EngineEvent, ShutdownReport } from '../engine/types.js';
export type { TimingConfig, TimingPreset, WebhookDeliveryConfig } from '../options.js';
export { TIMING_PRESETS, DEFAULT_API_KEY } from '../options.js';
export { SCENARIO_HEADER, FAULT_HEADER } from '../engine/scenarios.js';

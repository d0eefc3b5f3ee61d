export { runConformance, selectChecks } from './run.js';
export { ALL_CHECKS } from './checks/index.js';
export {
  CheckFailure,
  expect,
  expectEqual,
  ProductionRefusedError,
  isProductionUrl,
  assertTargetAllowed,
} from './check.js';
export type { Check, CheckContext, ConformanceOptions } from './check.js';
export type { CheckResult, ConformanceReport } from './report.js';
export { formatReport, REPORTERS } from './reporters/index.js';
export type { ReporterName } from './reporters/index.js';
export { textReport } from './reporters/text.js';
export { jsonReport } from './reporters/json.js';
export { junitReport } from './reporters/junit.js';
export { startReceiver } from './receiver.js';
export type { WebhookReceiver } from './receiver.js';
export { RawHttp } from './raw-http.js';
export type { RawAnswer, RawRequest } from './raw-http.js';
export { checkRecording } from './recording/check-recording.js';
export {
  RecordingUsageError,
  MAX_RECORDING_FILES,
  MAX_RECORDING_FILE_BYTES,
} from './recording/read-recording.js';

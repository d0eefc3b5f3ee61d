export { contract } from './contract.js';
export {
  TaskEnvelopeSchema,
  TaskPageSchema,
  TaskPageEnvelopeSchema,
  UsagePageSchema,
  UsagePageEnvelopeSchema,
} from './schemas/responses.js';
export type { Contract, RouteName } from './contract.js';
export { UPSTREAM_BASE_URL } from './service.js';
export {
  AuthorizationHeaderSchema,
  UPSTREAM_RATE_LIMIT_PER_SECOND,
  BEARER_PATTERN,
  bearerToken,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKeySchema,
  REQUEST_ID_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  MOCK_SCENARIO_HEADER,
  MOCK_FAULT_HEADER,
  MOCK_FAULT_INJECTED_HEADER,
  displayHeaderName,
} from './schemas/headers.js';

export {
  TaskIdSchema,
  isTaskId,
  TASK_ID_PREFIX,
  USAGE_RECORD_ID_PREFIX,
  WEBHOOK_DELIVERY_ID_PREFIX,
} from './schemas/ids.js';

export {
  GenerateRequestSchema,
  MODELS,
  ASPECT_RATIOS,
  RESOLUTIONS,
  DEFAULT_ASPECT_RATIO,
  DEFAULT_NUM_OUTPUTS,
  PROMPT_MAX_LENGTH,
  NEGATIVE_PROMPT_MAX_LENGTH,
  NUM_OUTPUTS_MAX,
  IMAGE_URLS_MAX,
} from './schemas/generate.js';
export type {
  GenerateRequest,
  GenerateRequestInput,
  Model,
  AspectRatio,
  Resolution,
} from './schemas/generate.js';

export {
  WebhookUrlSchema,
  WEBHOOK_URL_DESCRIPTION,
  isAllowedWebhookUrl,
  isLoopbackHostname,
} from './schemas/webhook-url.js';

export {
  TaskSchema,
  TaskStatusSchema,
  TaskTypeSchema,
  TaskOutputSchema,
  TaskCostSchema,
  TaskIdParamsSchema,
  TASK_STATUSES,
  TERMINAL_TASK_STATUSES,
  TASK_TYPES,
  isTerminalStatus,
} from './schemas/task.js';
export type {
  Task,
  TaskOutput,
  TaskStatus,
  KnownTaskStatus,
  TerminalTaskStatus,
  TaskType,
  KnownTaskType,
} from './schemas/task.js';

export { TimestampSchema, UnixSecondsSchema } from './schemas/time.js';
export type { Timestamp } from './schemas/time.js';

export {
  ApiErrorSchema,
  ErrorCodeSchema,
  ErrorDetailSchema,
  ERROR_CODES,
  ERROR_CODE_STATUS,
  EXTENSION_ERROR_CODE_STATUS,
  EXTENSION_ERROR_CODES,
  SERVICE_UNAVAILABLE_STATUS,
  errorCodeForStatus,
} from './schemas/error.js';
export type {
  AnyErrorCode,
  ApiError,
  ErrorCode,
  ErrorDetail,
  ExtensionErrorCode,
} from './schemas/error.js';

export { EXTENSIBLE_ENUM_KEYWORD } from './schemas/extensible-enum.js';
export type { Extensible } from './schemas/extensible-enum.js';

export { HTTP_URL_PATTERN, WEBHOOK_URL_PATTERN } from './schemas/url-pattern.js';

export { ErrorEnvelopeSchema, successEnvelope } from './schemas/envelope.js';
export type { ErrorEnvelope, SuccessEnvelope } from './schemas/envelope.js';

export {
  PaginationQuerySchema,
  PaginationSchema,
  pageSchema,
  paginationFor,
  DEFAULT_PAGE,
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
} from './schemas/pagination.js';
export type {
  Page,
  Pagination,
  PaginationQuery,
  PaginationQueryInput,
} from './schemas/pagination.js';

export { UsageRecordSchema } from './schemas/usage.js';
export type { UsageRecord } from './schemas/usage.js';

export {
  WebhookEventSchema,
  TaskCompletedEventSchema,
  TaskFailedEventSchema,
  WebhookCostSchema,
} from './schemas/webhook.js';
export {
  WEBHOOK_EVENTS,
  WEBHOOK_TIMESTAMP_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_SIGNATURE_PREFIX,
  WEBHOOK_SIGNATURE_ALGORITHM,
  WEBHOOK_DELIVERY_POLICY,
  webhookSignedContent,
} from './schemas/webhook-signing.js';
export { checkWebhookEvent, isWebhookEvent } from './schemas/webhook-event-check.js';
export { WEBHOOK_EVENT_JSON_SCHEMA } from './schemas/webhook-event-json-schema.js';
export { checkJsonSchema } from './json-schema-check.js';
export type { JsonSchema, SchemaProblem } from './json-schema-check.js';
export type { WebhookEvent, TaskCompletedEvent, TaskFailedEvent } from './schemas/webhook.js';
export type { WebhookEventType } from './schemas/webhook-signing.js';

export {
  parseCost,
  formatTaskCost,
  formatWebhookCost,
  costForImages,
  CostFormatError,
  MICROS_PER_DOLLAR,
  PRICE_PER_IMAGE_MICROS,
} from './cost.js';

export { buildOpenApiDocument } from './openapi.js';
export { OPENAPI_DOCUMENT } from './generated/openapi-document.js';

export {
  matchRoute,
  checkApiRequest,
  checkApiResponse,
  checkWebhookBody,
} from './exchange-check.js';
export type { ContractIssue, ApiRequest, ApiResponse } from './exchange-check.js';
export {
  RECORDING_FORMAT,
  RECORDING_DIRS,
  RECORDED_TEXT_MAX_CHARS,
  RecordedExchangeSchema,
  RecordedWebhookSchema,
  RecordingEntrySchema,
  recordingFileName,
  recordedImagePath,
  parseRecordingEntry,
} from './recording/format.js';
export type { RecordedExchange, RecordedWebhook, RecordingEntry } from './recording/format.js';

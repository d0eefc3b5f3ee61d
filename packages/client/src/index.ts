/**
 * `@eggapi/client`: the typed EggAPI client. Every type of a request or an answer comes from
 * `@eggapi/contracts`; they are re-exported here for convenience.
 */
export {
  EggAPI,
  EggAPI as default,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
} from './client.js';
export type { RunOptions } from './client.js';
export { MAX_TIMER_MS } from './options.js';
export type { ClientOptions, RequestOptions, GenerateOptions } from './options.js';
export { APIPromise } from './api-promise.js';
export type { WithResponse } from './api-promise.js';
export { Tasks } from './resources/tasks.js';
export { isTaskId, assertTaskId } from './task-id.js';
export { Usage } from './resources/usage.js';
export { ListPage, PagePromise } from './pagination.js';
export {
  defaultPollInterval,
  DEFAULT_WAIT_TIMEOUT_MS,
  POLL_INTERVAL_INITIAL_MS,
  POLL_INTERVAL_FACTOR,
  POLL_INTERVAL_MAX_MS,
} from './wait.js';
export type { WaitOptions } from './wait.js';
export {
  DEFAULT_MAX_RETRIES,
  INITIAL_RETRY_DELAY_MS,
  MAX_RETRY_DELAY_MS,
  MAX_RETRY_AFTER_MS,
  RETRYABLE_STATUSES,
} from './retry.js';
export {
  EggAPIError,
  APIError,
  ValidationError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  InsufficientBalanceError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  InternalServerError,
  UpstreamError,
  ServiceUnavailableError,
  UnexpectedResponseError,
  ResponseTooLargeError,
  InvalidArgumentError,
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  TaskFailedError,
  TaskTimeoutError,
} from './errors.js';
export type { APIErrorInit, EggAPIErrorInit } from './errors.js';
export { errorClassFor } from './error-from-response.js';
export type {
  Task,
  TaskStatus,
  GenerateRequestInput,
  Page,
  Pagination,
  PaginationQuery,
  UsageRecord,
  ApiError,
  ErrorCode,
  ErrorDetail,
} from '@eggapi/contracts';

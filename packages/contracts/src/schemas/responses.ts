import { successEnvelope } from './envelope.js';
import { pageSchema } from './pagination.js';
import { TaskSchema } from './task.js';
import { UsageRecordSchema } from './usage.js';

// The success answers of the contract's routes. Kept apart from `contract.ts`, so that code that
// reads answers (the client) does not load ts-rest's `initContract` at run time.

/** `{"data": Task}`: the answer of `POST /v1/generate` (202) and `GET /v1/tasks/:id` (200). */
export const TaskEnvelopeSchema = successEnvelope(TaskSchema);
/** `{ items: Task[], pagination }`: the `data` of `GET /v1/tasks`. */
export const TaskPageSchema = pageSchema(TaskSchema);
/** `{"data": TaskPage}`: the answer of `GET /v1/tasks`. */
export const TaskPageEnvelopeSchema = successEnvelope(TaskPageSchema);
/** `{ items: UsageRecord[], pagination }`: the `data` of `GET /v1/usage`. */
export const UsagePageSchema = pageSchema(UsageRecordSchema);
/** `{"data": UsagePage}`: the answer of `GET /v1/usage`. */
export const UsagePageEnvelopeSchema = successEnvelope(UsagePageSchema);

import * as z from 'zod/mini';
import './locale.js';
import { tolerantObject } from './tolerant.js';
import { ApiErrorSchema } from './error.js';

/** `{"data": …, "error": null}` around any successful answer. */
export function successEnvelope<T extends z.core.$ZodType>(data: T) {
  return tolerantObject({
    data,
    error: z.optional(z.null()),
  });
}

/** `{"data": null, "error": {"code", "message"}}`, the body of every error answer. */
export const ErrorEnvelopeSchema = tolerantObject({
  data: z.optional(z.null()),
  error: ApiErrorSchema,
});

export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/** The success envelope's shape for a given payload type. */
export interface SuccessEnvelope<T> {
  data: T;
  error?: null;
}

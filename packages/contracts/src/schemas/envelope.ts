import { z } from 'zod';
import { ApiErrorSchema } from './error.js';

/** `{"data": …, "error": null}` around any successful answer. */
export function successEnvelope<T extends z.ZodType>(data: T) {
  return z.looseObject({
    data,
    error: z.null().optional(),
  });
}

/** `{"data": null, "error": {"code", "message"}}`, the body of every error answer. */
export const ErrorEnvelopeSchema = z.looseObject({
  data: z.null().optional(),
  error: ApiErrorSchema,
});

export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/** The success envelope's shape for a given payload type. */
export interface SuccessEnvelope<T> {
  data: T;
  error?: null;
}

import * as z from 'zod/mini';
import {
  RateLimitSchema,
  timingOf,
  TimingSchema,
  WebhookDeliverySchema,
  type TimingConfig,
  type WebhookDeliveryConfig,
} from '../options.js';

/** Settings that may change while the mock runs (admin API, test controls, console). */
export interface RuntimeConfig {
  timing: TimingConfig;
  /** Requests/second per client IP, or `false` for no limit. */
  rateLimit: number | false;
  webhooks: WebhookDeliveryConfig;
}

/** A change to the runtime settings and balances; every member optional, none unknown. */
export const ConfigPatchSchema = z.strictObject({
  timing: z.optional(TimingSchema),
  rateLimit: z.optional(RateLimitSchema),
  webhooks: z.optional(z.partial(WebhookDeliverySchema)),
  /** Micro-dollars per key; `null` removes the key's balance (no limit). */
  balances: z.optional(z.record(z.string(), z.nullable(z.int().check(z.nonnegative())))),
});
export type ConfigPatch = z.input<typeof ConfigPatchSchema>;

/** `config` with the runtime members of a validated patch applied. */
export function patchedConfig(
  config: RuntimeConfig,
  patch: z.infer<typeof ConfigPatchSchema>,
): RuntimeConfig {
  return {
    timing: patch.timing === undefined ? config.timing : timingOf(patch.timing),
    rateLimit: patch.rateLimit === undefined ? config.rateLimit : patch.rateLimit,
    webhooks: { ...config.webhooks, ...stripUndefined(patch.webhooks ?? {}) },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

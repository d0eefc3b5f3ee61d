import { WEBHOOK_DELIVERY_POLICY } from '@eggapi/contracts';

// The defaults of the limits a user can change with a flag. Kept apart from the modules that
// apply them so that `program.ts` can show them in `--help` without loading those modules.

/** `--max-image-bytes`: the largest image a download keeps, 64 MiB. */
export const DEFAULT_MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/** `--download-timeout`: seconds one image may take, headers and whole body (as before: 120). */
export const DEFAULT_DOWNLOAD_TIMEOUT_S = 120;

/**
 * `--forward-timeout`: seconds the app may take to answer completely; EggAPI's own per-attempt
 * limit (30 s), so that an app that passes here passes upstream.
 */
export const DEFAULT_FORWARD_TIMEOUT_S = WEBHOOK_DELIVERY_POLICY.timeoutMs / 1000;

/** The longest duration a Node timer holds (2³¹ − 1 ms), in whole seconds. */
export const MAX_TIMER_S = Math.floor((2 ** 31 - 1) / 1000);

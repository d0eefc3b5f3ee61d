import { timingOf, type ResolvedOptions } from '../config.js';
import type { MemoryStoreInit } from './memory.js';

/** What a new (or reset) store holds: the configured balances and runtime settings. */
export function storeInitOf(options: ResolvedOptions): MemoryStoreInit {
  return {
    capacity: options.maxTasks,
    balances: options.balances,
    config: {
      timing: timingOf(options.timing),
      rateLimit: options.rateLimit,
      webhooks: { ...options.webhooks },
    },
  };
}

import { timingOf, type ResolvedOptions } from '../config.js';
import { ownerIdOf } from '../engine/fingerprint.js';
import type { MemoryStoreInit } from './memory.js';

/**
 * What a new (or reset) store holds: the configured balances (by owner id, with the store's
 * `salt`) and runtime settings.
 */
export function storeInitOf(options: ResolvedOptions, salt: string): MemoryStoreInit {
  return {
    capacity: options.maxTasks,
    balances: Object.fromEntries(
      Object.entries(options.balances).map(([key, micros]) => [ownerIdOf(salt, key), micros]),
    ),
    config: {
      timing: timingOf(options.timing),
      rateLimit: options.rateLimit,
      webhooks: { ...options.webhooks },
    },
  };
}
